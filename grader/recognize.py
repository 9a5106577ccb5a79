"""Recognise which homework a submission answers, and say why.

Each rubric lists clue phrases (``recognize.keywords``): words its statement and its answers use
and the other homeworks do not. The rubric with the most distinct clues found wins when it has at
least its ``min_hits`` and strictly more than any other; otherwise the grader asks for --rubric
rather than guess.
"""

from __future__ import annotations

import re

from grader.model import Document
from grader.rubric import Rubric, RubricError, load_rubric
from grader.rubric_files import available_rubrics


class RecognitionError(Exception):
    pass


def clues_found(text: str, rubric: Rubric) -> list[str]:
    return [k for k in rubric.keywords if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.IGNORECASE)]


def choose_rubric(doc: Document) -> tuple[Rubric, str]:
    """The rubric the document answers, with a sentence saying how it was chosen."""
    rubrics, broken = [], []
    for path in available_rubrics().values():
        try:
            rubrics.append(load_rubric(path))
        except RubricError as exc:  # one broken file must not stop the other homeworks
            broken.append(f"{path.name} ({str(exc).splitlines()[0]})")
    if not rubrics:
        raise RecognitionError("no usable rubric files found; name one with --rubric"
                               + (f" (could not load: {'; '.join(broken)})" if broken else ""))
    text = doc.text()
    scored = sorted(((clues_found(text, r), r) for r in rubrics), key=lambda s: -len(s[0]))
    best_clues, best = scored[0]
    runner_up = len(scored[1][0]) if len(scored) > 1 else 0
    others = "; ".join(f"{r.id} {len(c)}" for c, r in scored[1:])
    if len(best_clues) < best.min_hits or len(best_clues) == runner_up:
        tally = "; ".join(f"{r.id} {len(c)}" for c, r in scored)
        raise RecognitionError(
            f"could not tell which homework this is (clues found: {tally}); name it with --rubric"
        )
    shown = ", ".join(f"'{c}'" for c in best_clues[:6])
    why = (
        f"Recognised the homework as '{best.id}' ({best.title}): the submission mentions {shown}"
        f" ({len(best_clues)} of its {len(best.keywords)} clues"
        + (f"; other homeworks: {others})." if others else ").")
    )
    if broken:
        why += f" Skipped rubric files that could not be loaded: {'; '.join(broken)}."
    return best, why
