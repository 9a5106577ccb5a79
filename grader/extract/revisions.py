"""An answer that changes its mind: struck-out text never counts, and a correction is the final word.

``blank_struck(text)``: ``~~…~~`` (Markdown), ``<del>…</del>``, ``<s>…</s>``, ``<strike>…</strike>`` and
``\\sout{…}`` / ``\\st{…}`` / ``\\xout{…}`` (LaTeX ulem/soul) replaced by as many blanks, so every other
character keeps its offset. A ``~~~`` code fence is not a strike-through.

``correction_starts(text)``: where a correction begins — "Correction:", "EDIT:", "Update:", "Erratum:",
"Final answer:", "Réponse finale :", "… but actually …", "I first thought … but in fact …", "on second
thought", "en fait", a sentence opening with "Actually". What follows one supersedes what came before it.

``blank_equation_marks(text)``: equation numbers and labels blanked, so no reader takes them for values.
"""

from __future__ import annotations

import re
from functools import lru_cache

from grader.markup import EQUATION_MARKS, STRUCK

__all__ = ["after_last_correction", "blank_equation_marks", "blank_struck", "correction_starts"]

_CORRECTION = re.compile(
    r"(?:(?<![\w-])(?:correction|corrected|edit|edited|update|erratum|rectification|corrigé|final answer|"
    r"réponse finale|korrektur|berichtigung|corrección|correccion|correzione)\s*:)"
    r"|(?:\b(?:but|mais)\s*,?\s+(?:actually|in fact|en fait|really)\b)"
    r"|(?:\bon second thought\b|\ben fait\b|\bà la réflexion\b)"
    r"|(?:(?:^|(?<=[.!?;:]))\s*actually\b)",
    re.I | re.M,
)


def blank_equation_marks(text: str) -> str:
    """``text`` with ``\\tag{…}``, ``\\label{…}``, ``\\nonumber``, ``\\notag`` replaced by as many blanks: an
    equation's number is no value of it ("μ2 = -0.96 \\tag{4}" states -0.96, not 4)."""
    if "\\" not in text:
        return text
    return EQUATION_MARKS.sub(lambda m: " " * (m.end() - m.start()), text)


def blank_struck(text: str) -> str:
    if "~~" not in text and "<" not in text and "\\" not in text:
        return text
    return STRUCK.sub(lambda m: " " * (m.end() - m.start()), text)


@lru_cache(maxsize=256)  # the stance, the values and the expressions of one answer all ask for its text's
def correction_starts(text: str) -> tuple[int, ...]:
    """The offsets where a correction begins, in order."""
    return tuple(m.start() for m in _CORRECTION.finditer(text))


def after_last_correction(text: str, starts: list[int]) -> int:
    """Where the last correction that is followed by one of ``starts`` (the offsets of the statements read) begins,
    or 0: the statements from there on are the answer's final word, an emphasized one before it included."""
    if not starts:
        return 0
    last = max(starts)
    return max((c for c in correction_starts(text) if c <= last), default=0)
