"""Feedback text for one question, in Markdown (Gradescope's test output, the terminal's details).

Student text is quoted as inline code with backticks removed, so nothing a student wrote is
interpreted as Markdown or HTML by whatever shows the feedback.
"""

from __future__ import annotations

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


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.replace("`", "'").split())
    if len(flat) > limit:
        flat = flat[:limit] + " …"
    return f"`{flat}`" if flat else ""


def points(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def question_markdown(q: QuestionResult, show_expected: bool) -> str:
    lines = [f"**{points(q.score)} / {points(q.points)}**: {STATUS_WORDS[q.status]}. {q.summary}"]
    if q.needs_review:
        lines.append(f"\n_{PROVISIONAL}_\n")
    for c in q.checks:
        mark = "✓" if c.earned >= c.points - 1e-9 else ("½" if c.earned > 0 else "✗")
        line = f"- {mark} {c.check_id} ({points(c.earned)}/{points(c.points)})"
        if c.message:
            line += f": {c.message}"
        if c.evidence:
            line += f" Read: {quote(c.evidence)}"
        lines.append(line)
    for m in q.misconceptions:
        cost = f", −{points(m.deduction)}" if m.deduction else ""
        lines.append(f"- ⚠ `{m.id}`{cost}: {m.feedback}" + (f" Read: {quote(m.evidence)}" if m.evidence else ""))
    if show_expected and q.expected and q.status is not Status.CORRECT:
        lines.append(f"\nExpected: {q.expected}")
    if q.how_found:
        lines.append(f"\n_Answer read from {q.origin or 'the submission'}, found by {q.how_found}._")
    return "\n".join(lines)


def summary_markdown(result: Result) -> str:
    if result.error:
        return f"**Nothing could be graded:** {result.error}"
    head = f"**Total: {points(result.score)} / {points(result.max_score)}** ({result.rubric_title})"
    counts = {}
    for q in result.questions:
        counts[q.status] = counts.get(q.status, 0) + 1
    tally = ", ".join(f"{n} {STATUS_WORDS[s]}" for s, n in counts.items())
    return "\n\n".join([head, tally] + [f"_{n}_" for n in result.notes])
