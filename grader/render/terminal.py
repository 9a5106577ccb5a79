"""The per-question table printed by `python -m grader FILE`."""

from __future__ import annotations

from grader.model import Result
from grader.render.feedback import STATUS_WORDS, points

REASON_WIDTH = 70


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(result: Result) -> str:
    lines = [f"{result.submission}: {result.rubric_title or 'not graded'}"]
    lines += [f"  {n}" for n in result.notes]
    if result.error:
        lines.append(f"  Nothing could be graded: {result.error}")
        return "\n".join(lines)
    rows = [("question", "score", "verdict", "misconceptions", "reason")]
    for q in result.questions:
        flags = ", ".join(m.id for m in q.misconceptions) or "-"
        verdict = STATUS_WORDS[q.status] + (" (needs review)" if q.needs_review else "")
        rows.append((q.number, f"{points(q.score)}/{points(q.points)}", verdict, flags,
                     _clip(q.summary, REASON_WIDTH)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        lines.append("  " + "  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])
    lines.append(f"  total {points(result.score)} / {points(result.max_score)}")
    return "\n".join(lines)
