"""Feedback in Markdown: Gradescope's test outputs, and the Markdown twin of the HTML report.

It carries what the HTML report (grader/render/report.py) shows: score and verdict, the "needs
review" mark, each check, each misconception with its explanation, the expected answer (when the
rubric shows it), and the answer as the grader read it.

Student text is never left where Markdown or HTML could interpret it: short quotes become inline
code with backticks removed; the answer becomes an indented code block (every line indented, so no
line can end the block early), with control characters dropped. Other texts (messages, titles,
notes: they can repeat a file name or a value the student wrote) have ``& < >`` written as entities,
which every Markdown flavour shows as the characters themselves.
"""

from __future__ import annotations

import re

from grader.model import QuestionResult, Result, Status

STATUS_WORDS = {
    Status.CORRECT: "correct",
    Status.PARTIAL: "partly correct",
    Status.WRONG: "incorrect",
    Status.NOT_FOUND: "no answer found",
    Status.UNREADABLE: "answer could not be read",
    Status.GRADER_ERROR: "grader error (not your fault)",
}
QUOTE_CHARS = 300
PROVISIONAL = ("Provisional score: the grader is not sure it read this answer right, so a person will review it "
               "and the score may change.")
WITHHELD = "The expected answer is not shown for this homework yet."
ANSWER_HEADING = "Your answer as the grader read it"
# C0/C1 controls other than tab and newline, and lone surrogates (they would break a UTF-8 write)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(printable(text).replace("`", "'").split())
    if len(flat) > limit:
        flat = flat[:limit] + " …"
    return f"`{flat}`" if flat else ""


def points(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def inline(text: str) -> str:
    """Running text with no HTML in it; Markdown emphasis the rubric's texts use still works."""
    return printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code_block(text: str) -> str:
    """``text`` as an indented Markdown code block, shown verbatim by every Markdown flavour (the fences
    around the answer's code cells are dropped: the whole block is code already)."""
    lines = [line for line in printable(text).expandtabs(4).strip("\n").split("\n") if line != "```"]
    return "\n".join("    " + line if line.strip() else "" for line in lines)


def check_mark(earned: float, possible: float) -> str:
    return "✓" if earned >= possible - 1e-9 else ("½" if earned > 0 else "✗")


def shows_expected(q: QuestionResult, show_expected: bool) -> bool:
    """The expected answer is given where a point was lost, when the rubric allows it."""
    return bool(show_expected and q.expected and q.status is not Status.CORRECT)


def question_markdown(q: QuestionResult, show_expected: bool) -> str:
    review = " · needs review" if q.needs_review else ""
    lines = [f"**{points(q.score)} / {points(q.points)}**: {STATUS_WORDS[q.status]}{review}. {inline(q.summary)}"]
    if q.needs_review:
        lines.append(f"\n_{PROVISIONAL}_\n")
    for c in q.checks:
        mark = check_mark(c.earned, c.points)
        line = f"- {mark} {c.check_id} ({points(c.earned)}/{points(c.points)})"
        if c.message:
            line += f": {inline(c.message)}"
        if c.evidence:
            line += f" Read: {quote(c.evidence)}"
        lines.append(line)
    for m in q.misconceptions:
        cost = f", −{points(m.deduction)}" if m.deduction else ""
        lines.append(f"- ⚠ `{m.id}`{cost}: {inline(m.feedback)}" + (f" Read: {quote(m.evidence)}" if m.evidence else ""))
    if shows_expected(q, show_expected):
        lines.append(f"\nExpected: {inline(q.expected)}")
    elif q.expected and q.status is not Status.CORRECT:
        lines.append(f"\n_{WITHHELD}_")
    if q.answer_excerpt:
        lines += [f"\n{ANSWER_HEADING}:\n", code_block(q.answer_excerpt)]
    if q.how_found:
        lines.append(f"\n_Answer read from {inline(q.origin or 'the submission')}, found by {inline(q.how_found)}._")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(inline(text).replace("|", "\\|").split())


def summary_markdown(result: Result) -> str:
    if result.error:
        return f"**Nothing could be graded:** {inline(result.error)}"
    head = f"**Total: {points(result.score)} / {points(result.max_score)}** ({inline(result.rubric_title)})"
    counts = {}
    for q in result.questions:
        counts[q.status] = counts.get(q.status, 0) + 1
    tally = ", ".join(f"{n} {STATUS_WORDS[s]}" for s, n in counts.items())
    review = sum(q.needs_review for q in result.questions)
    if review:
        tally += f"; {review} marked for review by a person (provisional score)"
    rows = ["| Question | Score | Verdict |", "| --- | --- | --- |"]
    for q in result.questions:
        verdict = STATUS_WORDS[q.status] + (" (needs review)" if q.needs_review else "")
        rows.append(f"| {_cell(q.title)} | {points(q.score)} / {points(q.points)} | {verdict} |")
    return "\n\n".join([head, tally, "\n".join(rows)] + [f"_{_cell(n)}_" for n in result.notes])


def report_markdown(result: Result, show_expected: bool = True) -> str:
    """The whole report in Markdown: the summary, then each question under its own heading."""
    parts = [f"# {_cell(result.rubric_title or 'Submission')}: {quote(result.submission)}", summary_markdown(result)]
    for q in result.questions:
        parts += [f"## {_cell(q.title)}", question_markdown(q, show_expected)]
    return "\n\n".join(parts) + "\n"
