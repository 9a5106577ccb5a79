"""The student report (HTML and Markdown) and its LaTeX → MathML path.

``assert_inert`` parses a page and fails on anything that could run or fetch: script elements,
event-handler attributes, javascript: URLs, external resources. test_batch.py and test_browser.py
use it too.
"""

from __future__ import annotations

import dataclasses
import json
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.grade import grade_document
from grader.pipeline import grade as grade_file
from grader.read import read_text
from grader.render.feedback import PROVISIONAL, WITHHELD, question_markdown, summary_markdown
from grader.render.gradescope import dumps, results_json
from grader.render.html import write_html
from grader.render.mathml import ATTRIBUTES, ELEMENTS, math_html, split_math, to_mathml
from grader.render.report import render_markdown, render_report, write_report
from grader.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaussian-em-sample.md"
HOSTILE_ANSWER = (
    "No <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) "
    '<a href="javascript:alert(4)">here</a> <iframe src="https://example.com"></iframe> '
    "$\\text{<script>alert(5)</script>}$ $\\href{javascript:alert(6)}{x}$ $\\style{background:url(https://e.com)}{y}$ "
    "and $\\Sigma_{34} = 0$ so they are uncorrelated.\n\n```\n</pre><script>alert(9)</script>\n```"
)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(page: str) -> list[tuple[str, dict]]:
    """The page has no script, no event handler, no javascript: URL and loads nothing."""
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "link", "base", "form"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "xlink:href", "action"), (tag, name)
            if name == "href":
                assert value.startswith(("#", "reports/")), (tag, value)
            assert "javascript:" not in value.lower() and "url(" not in value.lower(), (tag, name, value)
    assert any(tag == "meta" and "default-src 'none'" in attrs.get("content", "") for tag, attrs in parser.tags)
    return parser.tags


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("gaussian-em")


@pytest.fixture(scope="module")
def example():
    return grade_file(EXAMPLE, "gaussian-em")


def _one(rubric, qid: str, answer: str):
    result = grade_document(read_text(f"# Problem {qid[0]}\n\n## ({qid[1]})\n\n{answer}\n", "answer.md"), rubric)
    return result


# --- the HTML report ---------------------------------------------------------------------------


def test_report_shows_scores_verdicts_misconceptions_and_expected(example):
    page = render_report(example, show_expected=True)
    tags = assert_inert(page)
    assert "Total: 31 / 40" in page
    assert page.count('<section class="question') == 8
    q1c = next(q for q in example.questions if q.question_id == "1c")
    assert "blanket.from-covariance" in page and q1c.misconceptions[0].feedback.split(";")[0] in page
    assert "partly correct" in page and "incorrect" in page
    assert "Expected" in page and "the non-zero off-diagonal entries of row 2" in page
    assert sum(tag == "math" for tag, _ in tags) >= 10  # the answers' formulas, as MathML
    assert "<msub><mi>Σ</mi><mrow><mn>34</mn></mrow></msub>" in page


def test_expected_answers_are_withheld_when_the_rubric_says_so(example):
    page = render_report(example, show_expected=False)
    assert "the non-zero off-diagonal entries of row 2" not in page
    assert WITHHELD in page


def test_needs_review_is_marked_in_the_overview_and_the_question(rubric):
    result = _one(rubric, "1a", "They are correlated. They are uncorrelated.")
    page = render_report(result)
    q = next(q for q in result.questions if q.question_id == "1a")
    assert q.needs_review
    assert page.count("needs review</span>") == 2 and PROVISIONAL in page
    assert "1 answer needs a person" in page


def test_hostile_answer_is_text_in_the_report(rubric):
    result = _one(rubric, "1a", HOSTILE_ANSWER)
    page = render_report(result)
    assert_inert(page)
    for shown in ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;",
                  "[click](javascript:alert(3))", "&lt;/pre&gt;&lt;script&gt;alert(9)"):
        assert shown in page, shown
    assert "<mi>x</mi>" in page  # \href lost its link, kept its text


def test_unreadable_submission_report_says_why(tmp_path):
    bad = tmp_path / "hw.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    result = grade_file(bad, "gaussian-em")
    out = tmp_path / "r.html"
    write_html(result, out, True)  # the single-file command's entry point
    page = out.read_text(encoding="utf-8")
    assert "Nothing could be graded" in page and "Total:" not in page


def test_nul_and_lone_surrogates_do_not_stop_the_write(tmp_path, example):
    q = dataclasses.replace(example.questions[0], answer_excerpt="a\x00b \ud800 $x$")
    result = dataclasses.replace(example, questions=(q,) + example.questions[1:], submission="n\udc80.md")
    write_report(result, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_bytes().decode("utf-8")  # valid UTF-8
    assert "\x00" not in page and "<mi>x</mi>" in page
    json.loads(dumps(results_json(result)))  # the Markdown outputs survive JSON too


# --- the Markdown twin -------------------------------------------------------------------------


def test_markdown_carries_the_same_content(example):
    md = render_markdown(example, show_expected=True)
    assert "**Total: 31 / 40**" in md and "| 1(c) Markov blanket of X2 | 1 / 5 | partly correct |" in md
    for q in example.questions:
        assert f"## {q.title}" in md
        for m in q.misconceptions:
            assert m.feedback in md
    assert "Expected: {X1}: the non-zero" in md
    assert "Your answer as the grader read it:\n\n    Row 2 of the precision matrix" in md


def test_markdown_keeps_student_markup_inert(rubric):
    result = _one(rubric, "1a", HOSTILE_ANSWER)
    q = next(q for q in result.questions if q.question_id == "1a")
    md = question_markdown(q, True)
    for line in md.splitlines():
        if "<script" in line or "onerror" in line:
            # only inside the indented code block, or inside inline code
            assert line.startswith("    ") or (line.count("`") >= 2 and line.index("`") < line.index("<")), line
    summary = summary_markdown(dataclasses.replace(result, notes=("file '<b>x</b>.md' read",)))
    assert "<b>" not in summary and "&lt;b&gt;x&lt;/b&gt;" in summary


def test_gradescope_outputs_use_the_extended_markdown(example):
    data = results_json(example, True)
    assert data["output"] == summary_markdown(example)
    by_number = {t["number"]: t for t in data["tests"]}
    assert "Your answer as the grader read it" in by_number["1.c"]["output"]
    assert "blanket.from-covariance" in by_number["1.c"]["output"]


# --- LaTeX → MathML ----------------------------------------------------------------------------


def _assert_allowed(markup: str) -> None:
    parser = _Tags()
    parser.feed(markup)
    for tag, attrs in parser.tags:
        assert tag in ELEMENTS, tag
        assert set(attrs) <= ATTRIBUTES, attrs


HANG_SECONDS = 0.5
HOSTILE_LATEX = {
    "text script": "\\text{<script>alert(1)</script>}",
    "href": "\\href{javascript:alert(1)}{x}",
    "style": "\\style{background:url(https://e.com/x.png)}{y}",
    "doctype": "\\text{<!DOCTYPE x [<!ENTITY a 'b'>]>&a;}",
    "ampersand": "\\mathrm{a&b} & c",
    "huge": "x+" * 20_000,
    "longest converted": "x+" * 999,
    "nested braces": "{" * 5000 + "x" + "}" * 5000,
    "unbalanced": "{" * 5000,
    "deep left": "\\left(" * 300 + "x" + "\\right)" * 300,
    "sqrt chain": "\\sqrt" * 390 + "x",
    "big matrix": "\\begin{bmatrix}" + "\\\\".join(["&".join(["1"] * 20)] * 24) + "\\end{bmatrix}",
    "wide space": "\\hspace{10000em}",
    "colour": "\\color{red;background:url(x)}{z}",
    "control": "x\x00y",
    "surrogate": "x\ud800",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LATEX))
def test_hostile_latex_becomes_safe_mathml_or_text_fast(name):
    latex = HOSTILE_LATEX[name]
    to_mathml("x")  # the converter's import is not the formula's cost
    timings = []
    for _ in range(3):  # the best of three: other processes only ever make a run slower
        to_mathml.cache_clear()
        started = time.perf_counter()
        markup = to_mathml(latex)
        timings.append(time.perf_counter() - started)
    # A guard against a hang (a converter gone quadratic takes seconds here), not a speed target: those live in bench/
    assert min(timings) < HANG_SECONDS
    if markup is not None:
        _assert_allowed(markup)
    page = math_html(f"${latex}$")
    assert "<script" not in page.lower() and "<!doctype" not in page.lower()
    parser = _Tags()
    parser.feed(page)
    assert all(tag in ELEMENTS | {"code", "span"} for tag, _ in parser.tags)
    assert all(not k.startswith("on") and k not in ("href", "style", "src") for _, a in parser.tags for k in a)


def test_ordinary_formulas_become_mathml():
    markup = to_mathml("\\begin{bmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{bmatrix}", display=True)
    assert markup.startswith('<math display="block">') and markup.count("<mtd>") == 4
    _assert_allowed(markup)
    assert to_mathml("\\frac{1}{35}") == '<math display="inline"><mrow><mfrac><mrow><mn>1</mn></mrow><mrow><mn>35' \
                                        "</mn></mrow></mfrac></mrow></math>"


@pytest.mark.parametrize("text,kinds", [
    ("a $x$ b", ["text", "math", "text"]),
    ("costs $5 and $6", ["text"]),  # money, not math
    ("$$\nx\n$$ then \\(y\\) and \\[z\\]", ["display", "text", "math", "text", "display"]),
    ("escaped \\$x$ stays text", ["text"]),
    ("cut off $\\frac{1}{", ["text"]),
])
def test_math_is_found_in_answers(text, kinds):
    assert [k for k, _ in split_math(text)] == kinds


def test_unconvertible_math_falls_back_to_its_source():
    html = math_html("see $\\text{<b>}$ here")
    assert '<code class="tex">$\\text{&lt;b&gt;}$</code>' in html


def test_report_environment_is_built_once():
    from grader.render.report import environment, template

    assert environment() is environment() and template("report.html.j2") is template("report.html.j2")
    assert environment().autoescape is True and template("summary.html.j2").environment.autoescape is True
