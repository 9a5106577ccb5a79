"""Recognise which homework a submission answers, and say why.

Each rubric lists clue phrases (``recognize.keywords``): words its statement and its answers use
and the other homeworks do not. The rubric with the most distinct clues found wins when it has at
least its ``min_hits`` and strictly more than any other; otherwise the grader asks for --rubric
rather than guess. Only the clues of each file are read here; the winner alone is loaded in full
(its solutions and checkers), so a cold grade does not pay for every homework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.model import Document
from grader.rubric import Rubric, RubricError, load_rubric
from grader.rubric_files import available_rubrics, read_yaml


class RecognitionError(Exception):
    pass


@dataclass(frozen=True)
class Clues:
    path: Path
    id: str
    title: str
    keywords: tuple[str, ...]
    min_hits: int


def read_clues(path: Path) -> Clues:
    """The recognition part of a rubric file, without validating or loading the rest."""
    data = read_yaml(path)
    recognize = data.get("recognize") if isinstance(data, dict) else None
    keywords = recognize.get("keywords") if isinstance(recognize, dict) else None
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords) or not keywords:
        raise RubricError(f"{path}: recognize.keywords: expected a non-empty list of strings")
    min_hits = recognize.get("min_hits", 2)
    return Clues(path, str(data.get("id", path.stem)), str(data.get("title", path.stem)), tuple(keywords),
                 min_hits if isinstance(min_hits, int) and not isinstance(min_hits, bool) else 2)


def clues_found(text: str, keywords: tuple[str, ...]) -> list[str]:
    return [k for k in keywords if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.IGNORECASE)]


def choose_rubric(doc: Document) -> tuple[Rubric, str]:
    """The rubric the document answers, with a sentence saying how it was chosen."""
    candidates, broken = [], []
    for path in available_rubrics().values():
        try:
            candidates.append(read_clues(path))
        except RubricError as exc:  # one broken file must not stop the other homeworks
            broken.append(f"{path.name} ({str(exc).splitlines()[0]})")
    if not candidates:
        raise RecognitionError("no usable rubric files found; name one with --rubric"
                               + (f" (could not load: {'; '.join(broken)})" if broken else ""))
    text = doc.text()
    scored = sorted(((clues_found(text, c.keywords), c) for c in candidates), key=lambda s: -len(s[0]))
    best_clues, best = scored[0]
    runner_up = len(scored[1][0]) if len(scored) > 1 else 0
    others = "; ".join(f"{c.id} {len(found)}" for found, c in scored[1:])
    if len(best_clues) < best.min_hits or len(best_clues) == runner_up:
        tally = "; ".join(f"{c.id} {len(found)}" for found, c in scored)
        raise RecognitionError(
            f"could not tell which homework this is (clues found: {tally}); name it with --rubric"
        )
    rubric = load_rubric(best.path)
    shown = ", ".join(f"'{c}'" for c in best_clues[:6])
    why = (
        f"Recognised the homework as '{rubric.id}' ({rubric.title}): the submission mentions {shown}"
        f" ({len(best_clues)} of its {len(best.keywords)} clues"
        + (f"; other homeworks: {others})." if others else ").")
    )
    if broken:
        why += f" Skipped rubric files that could not be loaded: {'; '.join(broken)}."
    return rubric, why
