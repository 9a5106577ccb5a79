"""The per-question table printed by `python -m grader FILE`.

Reasons are cut to fit the terminal's width (``COLUMNS`` when set); printed to a pipe or a file,
they are kept whole, for grep and logs.
"""

from __future__ import annotations

import shutil

from grader.model import Result
from grader.render.feedback import STATUS_WORDS, points

MIN_REASON = 30  # a narrower terminal wraps rather than cut a reason to nothing


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _columns() -> int:
    """The terminal's width, 0 when there is no terminal (nor COLUMNS) to fit."""
    return shutil.get_terminal_size((0, 0)).columns


def table(result: Result, width: int | None = None) -> str:
    """The table; ``width`` is the line width to fit (default: the terminal's; 0: do not cut)."""
    lines = [f"{result.submission}: {result.rubric_title or 'not graded'}"]
    lines += [f"  {n}" for n in result.notes]
    if result.error:
        lines.append(f"  Nothing could be graded: {result.error}")
        return "\n".join(lines)
    rows = [("question", "score", "verdict", "misconceptions", "reason")]
    for q in result.questions:
        flags = ", ".join(m.id for m in q.misconceptions) or "-"
        verdict = STATUS_WORDS[q.status] + (" (needs review)" if q.needs_review else "")
        rows.append((q.number, f"{points(q.score)}/{points(q.points)}", verdict, flags, " ".join(q.summary.split())))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    width = _columns() if width is None else width
    room = max(MIN_REASON, width - 2 - sum(w + 2 for w in widths)) if width else 0
    for r in rows:
        lines.append("  " + "  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + (_clip(r[4], room) if room else r[4]))
    lines.append(f"  total {points(result.score)} / {points(result.max_score)}")
    return "\n".join(lines)
