"""How reports show what was read and expected: formulas and printed matrices as MathML, code as code, one
stop after a title that has its own, and the terminal table cut to the terminal's width only."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from grader.pipeline import grade as grade_file
from grader.model import CheckResult, QuestionResult, Result, Status
from grader.render.feedback import question_markdown
from grader.render.report import render_report
from grader.render.terminal import table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaussian-em-sample.md"


def _question(**changes) -> QuestionResult:
    q = QuestionResult(
        "1d", "1.d", "1(d) The covariance of Y", 5.0, 0.0, Status.WRONG, "Read [[1, 2], [3, 4]].",
        checks=(CheckResult("matrix", 5.0, 0.0, "Read [[1, 2], [3, 4]].", "Q_{34} = 0", Status.WRONG),),
        answer_excerpt="I ran:\n\n```\nprint(Q @ x)\n```\n\nso `Q` is the precision and $x^2$ is small.",
        expected="Cov(Y) = [[0.91, -0.63], [-0.63, 0.66]], from $A \\Sigma A^T$.",
    )
    return dataclasses.replace(q, **changes)


def _page(q: QuestionResult) -> str:
    return render_report(Result("hw.md", "gaussian-em", "Gaussian", (q,)), show_expected=True)


def _element(page: str, start: str) -> str:
    at = page.index(start)
    return page[at:page.index("\n", at)]


def test_expected_answers_and_read_matrices_are_math():
    page = _page(_question())
    expected = _element(page, '<p class="expected">')
    assert "<mtable>" in expected and "[[0.91" not in expected and "<msup>" in expected
    assert "<mtable>" in _element(page, '<p class="summary">')
    read = _element(page, "Read: ")
    assert "<math" in read and "Q_{34}" not in read


def test_code_is_shown_as_code():
    page = _page(_question())
    assert '<pre class="code"><code>print(Q @ x)</code></pre>' in page
    assert "<code>Q</code> is the precision" in page
    assert "```" not in page
    markdown = question_markdown(_question(), True)
    assert "    print(Q @ x)" in markdown and "```" not in markdown  # one code block already


def test_a_code_cell_of_the_answer_is_fenced_in_the_excerpt(tmp_path):
    path = tmp_path / "hw.md"
    path.write_text("# Problem 1\n\n## (d)\n\nComputed:\n\n```python\nprint(A @ S @ A.T)\n```\n\n"
                    "$$\\begin{bmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{bmatrix}$$\n", encoding="utf-8")
    q = {q.question_id: q for q in grade_file(path, "gaussian-em").questions}["1d"]
    assert q.score == 5.0
    assert "```\nprint(A @ S @ A.T)\n```" in q.answer_excerpt
    assert '<pre class="code"><code>print(A @ S @ A.T)</code></pre>' in _page(q)


def test_a_title_ending_with_a_question_mark_gets_no_second_stop(tmp_path):
    path = tmp_path / "hw.md"
    path.write_text("# Problem 1\n\n## (b)\n\nNo: Q34 = 0, so they are not conditionally correlated.\n",
                    encoding="utf-8")
    by_id = {q.question_id: q for q in grade_file(path, "gaussian-em").questions}
    assert by_id["1a"].title.endswith("?")
    assert by_id["1a"].summary == f"No answer found for {by_id['1a'].title}"
    assert "?." not in question_markdown(by_id["1a"], True)
    assert by_id["1d"].summary.endswith(".") and not by_id["1d"].summary.endswith("..")


def test_the_terminal_table_fits_the_width_given():
    result = grade_file(EXAMPLE, "gaussian-em")
    longest = max(len(q.summary) for q in result.questions)
    assert longest > 70
    whole = table(result, width=0)
    assert all(" ".join(q.summary.split()) in whole for q in result.questions) and "…" not in whole
    wide = table(result, width=longest + 80)
    assert "…" not in wide
    narrow = table(result, width=110)
    rows = [line for line in narrow.splitlines() if re.match(r"  \d\.[a-d] ", line)]
    assert rows and all(len(line) <= 110 for line in rows) and any(line.endswith("…") for line in rows)
