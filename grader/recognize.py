"""Recognise which homework a submission answers, and say why.

Each rubric lists clue phrases (``recognize.keywords``): words its statement and its answers use
and the other homeworks do not. The rubric with the most distinct clues found wins when it has at
least its ``min_hits`` and strictly more than any other; otherwise the grader asks for --rubric
rather than guess. Only the clues of each file are read here; the winner alone is loaded in full
(its solutions and checkers), so a cold grade does not pay for every homework.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.model import Document
from grader.rubric_files import RubricError, available_rubrics, read_compiled, read_yaml, safe_yaml

if TYPE_CHECKING:  # loading a rubric loads its checkers; recognising from clues needs none of them
    from grader.rubric import Rubric


class RecognitionError(Exception):
    pass


@dataclass(frozen=True)
class Clues:
    """A rubric's clue phrases, read from its header, and how many must match."""

    path: Path
    id: str
    title: str
    keywords: tuple[str, ...]
    min_hits: int


_HEADER_KEYS = ("id:", "title:", "recognize:")


def _header(path: Path) -> object:
    """The top-level ``id``, ``title`` and ``recognize`` entries of a rubric file, parsed on their own.

    Recognition needs only these, and parsing every homework's questions would cost a cold start
    more than the rest of recognising. Top-level keys start at the left margin in block-style YAML,
    so the header is the lines from each of these keys to the next top-level key. Anything this
    cannot read (flow style, a missing key) falls back to parsing the whole file. An up-to-date
    compiled copy (rubric_files.read_compiled) is read instead, which costs no YAML at all.
    """
    compiled = read_compiled(path)
    if isinstance(compiled, dict) and isinstance(compiled.get("recognize"), dict):
        return compiled
    import yaml

    kept, keep = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            keep = line.startswith(_HEADER_KEYS)
        if keep:
            kept.append(line)
    try:
        data = safe_yaml("\n".join(kept))
    except yaml.YAMLError:
        return read_yaml(path)
    return data if isinstance(data, dict) and isinstance(data.get("recognize"), dict) else read_yaml(path)


def read_clues(path: Path) -> Clues:
    """The recognition part of a rubric file, without validating or loading the rest."""
    data = _header(path)
    recognize = data.get("recognize") if isinstance(data, dict) else None
    keywords = recognize.get("keywords") if isinstance(recognize, dict) else None
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords) or not keywords:
        raise RubricError(f"{path}: recognize.keywords: expected a non-empty list of strings")
    min_hits = recognize.get("min_hits", 2)
    return Clues(path, str(data.get("id", path.stem)), str(data.get("title", path.stem)), tuple(keywords),
                 min_hits if isinstance(min_hits, int) and not isinstance(min_hits, bool) else 2)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def clues_found(text: str, keywords: tuple[str, ...]) -> list[str]:
    """The keywords the text uses as whole words, case ignored (a substring search per keyword, with
    the boundary checked by hand: compiling a pattern per keyword costs a cold start more)."""
    folded = text.casefold()
    found = []
    for keyword in keywords:
        key = keyword.casefold()
        start = folded.find(key)
        while start >= 0:
            end = start + len(key)
            before_ok = start == 0 or not (_is_word_char(folded[start - 1]) and _is_word_char(key[0]))
            after_ok = end == len(folded) or not (_is_word_char(folded[end]) and _is_word_char(key[-1]))
            if before_ok and after_ok:
                found.append(keyword)
                break
            start = folded.find(key, start + 1)
    return found


# Clues already read, by rubric file, with the file's text when read: a batch recognises every submission against
# every rubric file, and reading a file's clues (its compiled copy holds the whole rubric, as JSON) cost more than
# matching them. The clues depend on that text alone; a file whose text changed is read again.
_CLUES: dict[str, tuple[str, Clues]] = {}


def _cached_clues(path: Path) -> Clues:
    text = path.read_text(encoding="utf-8")
    known = _CLUES.get(str(path))
    if known is not None and known[0] == text:
        return known[1]
    clues = read_clues(path)
    _CLUES[str(path)] = (text, clues)
    return clues


def _candidates() -> tuple[list[Clues], list[str]]:
    candidates, broken = [], []
    for path in available_rubrics().values():
        try:
            candidates.append(_cached_clues(path))
        except RubricError as exc:  # one broken file must not stop the other homeworks
            broken.append(f"{path.name} ({str(exc).splitlines()[0]})")
    return candidates, broken


def _ranked(text: str, candidates: list[Clues]) -> list[tuple[list[str], Clues]]:
    return sorted(((clues_found(text, c.keywords), c) for c in candidates), key=lambda s: -len(s[0]))


def _winner(scored: list[tuple[list[str], Clues]]) -> tuple[list[str], Clues] | None:
    """The homework with at least its ``min_hits`` clues and strictly more than any other, else None."""
    if not scored:
        return None
    best_clues, best = scored[0]
    runner_up = len(scored[1][0]) if len(scored) > 1 else 0
    return None if len(best_clues) < best.min_hits or len(best_clues) == runner_up else scored[0]


def recognise_text(text: str) -> Clues | None:
    """The homework ``text`` clearly answers, from the rubrics' clues alone (no rubric is loaded); None
    when the clues do not tell. The autograder's supervisor uses it to list a homework's questions when
    the grading worker failed."""
    won = _winner(_ranked(text, _candidates()[0]))
    return won[1] if won else None


def choose_rubric(doc: Document) -> tuple[Rubric, str]:
    """The rubric the document answers, with a sentence saying how it was chosen."""
    from grader.rubric import load_rubric

    candidates, broken = _candidates()
    if not candidates:
        raise RecognitionError("no usable rubric files found; name one with --rubric"
                               + (f" (could not load: {'; '.join(broken)})" if broken else ""))
    scored = _ranked(doc.text(), candidates)
    others = "; ".join(f"{c.id} {len(found)}" for found, c in scored[1:])
    won = _winner(scored)
    if won is None:
        tally = "; ".join(f"{c.id} {len(found)}" for found, c in scored)
        raise RecognitionError(
            f"could not tell which homework this is (clues found: {tally}); name it with --rubric"
        )
    best_clues, best = won
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


MISMATCH = "Warning: "  # how the note starts, so the command line can repeat it on stderr


def mismatch_note(doc: Document, rubric: Rubric) -> str | None:
    """A warning when the rubric named by the user and the submission clearly disagree: the submission
    has fewer than the rubric's ``min_hits`` of its clues and another homework would be recognised.

    The chosen rubric's own clues are counted first; the other rubric files' clues are read only when
    those are too few, so a submission that fits its rubric costs a cold grade nothing more.
    """
    text = doc.text()
    own = clues_found(text, rubric.keywords)
    if len(own) >= rubric.min_hits:
        return None
    others = [c for c in _candidates()[0] if c.id != rubric.id and c.path.resolve() != Path(rubric.path).resolve()]
    scored = _ranked(text, others)
    won = _winner(scored)
    if won is None or len(won[0]) <= len(own):
        return None
    found, other = won
    shown = ", ".join(f"'{c}'" for c in found[:4])
    return (f"{MISMATCH}this submission does not look like '{rubric.id}' ({len(own)} of its {len(rubric.keywords)} "
            f"clues) but like '{other.id}' ({other.title}: {len(found)} of its {len(other.keywords)} clues, such as "
            f"{shown}); check the rubric, or grade without --rubric to recognise the homework.")
