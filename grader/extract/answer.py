"""The extract stage: one typed, cached reading of a question's answer.

``extract(region) -> Answer`` is built once per question region. Every check and every misconception detector
of that question reads the same Answer, so they all see the same final matrix, the same final values and the
same stance, and each reading is computed once per parameter set however many checks ask for it (a question
with twelve phrase checks tokenises its answer once).

An Answer holds the region's blocks and the text they make (display math between ``$$`` so the extractors see
it), with where each block starts in that text; its streams (tokens, sentences, math and emphasis spans, code
outputs) and its typed readings (``matrix()``, ``assignments()``, ``vectors()``, ``positional()``, ``final_set()``,
``stance()``,
``phrases()``, ``variable_pairs()``, ``line_numbers()``, ``final_expression()``, ``chains()``,
``definitions()``) are computed on first use and cached on the Answer. Each reading has its own frozen type
in grader/extract/readings.py: the checkers never see the extractors' internal records.

The readings follow the documented rules of the extractor modules in this package (numbers.py, matrices.py,
assignments.py, sets.py, stance.py, phrases.py, variables.py, expressions.py); this module only runs them once
and gives their results a type.
"""

from __future__ import annotations

import re

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Mapping

from grader.extract.readings import (
    AssignmentsReading, ChainReading, ExpressionReading, MatrixReading, NumberReading, PairReading, PhraseHit,
    SetReading, VectorReading,
)
from grader.extract.revisions import blank_equation_marks, blank_struck
from grader.model import Block, BlockKind, Found, Region

__all__ = [
    "Answer", "AssignmentsReading", "ChainReading", "ExpressionReading", "MatrixReading", "NumberReading", "PairReading",
    "PhraseHit", "SetReading", "VectorReading", "extract",
]


# --- the answer -----------------------------------------------------------------------------------------------

# Keys of the rubric's parameter values, by identity: a rubric's lists and dicts are the same objects for every
# answer graded, and building a key from a list of thirty patterns for each reading of each answer adds up. The
# value is kept beside its key, so an id is never reused for another object while its entry is here.
_KEYS: dict[int, tuple[object, object]] = {}
MAX_CACHED_KEYS = 4096


# Values that are their own key; a reading's key is mostly these, so they skip the recursion below.
_ATOMS = frozenset({str, int, float, bool, type(None)})


def _asks(text: str, start: int, end: int) -> bool:
    """The sentence ends with a question mark (emphasis, math and quotes closing after it aside)."""
    return text[start:end].rstrip(" \n*_$)\"'”»").endswith("?")


def _hashable(value: object) -> object:
    """A cache key for a rubric parameter: lists become tuples, dicts sorted tuples of items."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is tuple:
        return tuple(v if type(v) in _ATOMS else _hashable(v) for v in value)
    if isinstance(value, (dict, list)):
        known = _KEYS.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        key = _key_of(value)
        if len(_KEYS) >= MAX_CACHED_KEYS:
            _KEYS.clear()
        _KEYS[id(value)] = (value, key)
        return key
    return _key_of(value)


def _key_of(value: object) -> object:
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_hashable(v) for v in value]
        return tuple(sorted(items, key=repr)) if isinstance(value, (set, frozenset)) else tuple(items)
    return value


def _join(blocks: tuple[Block, ...]) -> tuple[str, tuple[int, ...]]:
    """The answer's text and where each block starts in it; display math goes back between ``$$``."""
    parts, starts, pos = [], [], 0
    for b in blocks:
        piece = f"$$\n{b.text}\n$$" if b.kind is BlockKind.MATH else b.text
        if b.kind is not BlockKind.CODE:  # "~~yes~~ no": what the student struck out is not part of the answer
            piece = blank_equation_marks(blank_struck(piece))  # and "\\tag{4}" is no value of the equation
        if parts:
            pos += 2  # the blank line between blocks
        starts.append(pos)
        parts.append(piece)
        pos += len(piece)
    return "\n\n".join(parts), tuple(starts)


# "For instance …", "e.g. …": the sentence gives an example (a sentence's words before the offset looked at)
# "Cov(X_2, X_3 | X_4) ≠ 0": another pair said to stay correlated, the contrast to a "zero" about the pair asked
_NONZERO_AFTER = re.compile(r"[^\S\n]*(?:(?:\\right|\\big[lr]?)[^\S\n]*)?(?:\)[^\S\n]*)?(?:\$[^\S\n]*)?"
                            r"(?:(?:\\neq|\\ne(?![a-z])|≠|!=|\\not\s*=)[^\S\n]*0|(?:is|are)\s+(?:not\s+zero|nonzero|non-zero))")
_EXAMPLE = re.compile(r"(?i:\bfor\s+(?:instance|example)|\be\.\s?g\.|\bpar\s+exemple|\bzum\s+beispiel|\bpor\s+ejemplo"
                      r"|\bad\s+esempio)[^.!?\n]*\Z")

# The last few texts' sentences: the questions of one region (a posterior's mean and covariance) read one text.
_SENTENCES: dict[tuple, tuple] = {}
MAX_SENTENCE_TEXTS = 8


def _sentences_of(text: str, typos: Mapping[str, str]) -> tuple:
    from grader.extract.phrases import parse_sentences

    key = (text, tuple(sorted(typos.items())))
    found = _SENTENCES.get(key)
    if found is None:
        if len(_SENTENCES) >= MAX_SENTENCE_TEXTS:
            _SENTENCES.pop(next(iter(_SENTENCES)))
        found = _SENTENCES[key] = tuple(parse_sentences(text, typos))
    return found


@dataclass(frozen=True, eq=False)
class Answer:
    """One question's answer as read once; readings are computed on first use and cached here."""

    question_id: str
    blocks: tuple[Block, ...]
    text: str
    block_starts: tuple[int, ...] = ()
    # commands the course's students type for a letter ({"sum": "sigma"}: \sum_{34} is Σ_34), from the rubric
    typos: Mapping[str, str] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_region(cls, region: Region, typos: Mapping[str, str] | None = None) -> "Answer":
        text, starts = _join(region.blocks)
        return cls(region.question_id, tuple(region.blocks), text, starts, dict(typos or {}))

    @classmethod
    def from_text(cls, text: str, question_id: str = "", typos: Mapping[str, str] | None = None) -> "Answer":
        """An answer that is one block of prose (for checkers called on a string, in tests and tools)."""
        text = text if isinstance(text, str) else ""
        blocks = (Block(BlockKind.PROSE, text, ""),) if text else ()
        return cls(question_id, blocks, text, (0,) if text else (), dict(typos or {}))

    def _memo(self, key: tuple, compute: Callable[[], object]) -> object:
        key = _hashable(key)
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _without_code(self) -> str:
        """The text with code cells blanked (their outputs kept: a printed line may state a result)."""
        if not any(b.kind is BlockKind.CODE for b in self.blocks):
            return self.text
        chars = list(self.text)
        for block, start in zip(self.blocks, self.block_starts):
            if block.kind is BlockKind.CODE:
                end = min(len(chars), start + len(block.text))
                chars[start:end] = " " * (end - start)
        return "".join(chars)

    def prose_text(self) -> str:
        """The text the prose readings read: a code cell that was run (an output follows it) keeps only its comments
        and docstrings (grader.extract.code_prose); offsets are those of ``text``."""
        def read() -> str:
            from grader.extract.code_prose import code_prose

            run = [k for k, b in enumerate(self.blocks[:-1]) if b.kind is BlockKind.CODE
                   and self.blocks[k + 1].kind is BlockKind.OUTPUT]
            if not run:
                return self.text
            pieces, pos = [], 0
            for k in run:
                start = self.block_starts[k]
                end = min(len(self.text), start + len(self.blocks[k].text))
                pieces += [self.text[pos:start], code_prose(self.text[start:end])]
                pos = end
            return "".join(pieces) + self.text[pos:]
        return self._memo(("prose_text",), read)

    def __len__(self) -> int:
        return len(self.text)

    # streams ------------------------------------------------------------------------------------------------

    def block_at(self, pos: int) -> Block | None:
        """The block the character at ``pos`` of ``text`` belongs to."""
        if not self.blocks:
            return None
        return self.blocks[max(0, bisect_right(self.block_starts, pos) - 1)]

    def outputs(self) -> tuple[Block, ...]:
        """The code outputs among the answer's blocks (what a notebook printed)."""
        return tuple(b for b in self.blocks if b.kind is BlockKind.OUTPUT)

    def tokens(self) -> tuple:
        from grader.extract.tokens import words

        return self._memo(("tokens",), lambda: tuple(words(self.text, self.typos)))

    def sentences(self) -> tuple:
        """The sentences with their tokens and clauses (grader.extract.phrases.Sentence)."""
        return self._memo(("sentences",), lambda: _sentences_of(self.prose_text(), self.typos))

    def math_spans(self) -> tuple[tuple[int, int], ...]:
        from grader.extract.numbers import math_spans

        return self._memo(("math_spans",), lambda: tuple(math_spans(self.text)))

    def emphasis_spans(self) -> tuple[tuple[int, int], ...]:
        from grader.extract.numbers import emphasis_spans

        return self._memo(("emphasis_spans",), lambda: tuple(emphasis_spans(self.text)))

    # typed readings -----------------------------------------------------------------------------------------

    def matrix(self, other_labels: tuple[str, ...] = ()) -> MatrixReading | None:
        """The final matrix (the last emphasized numeric one, else the last numeric one, else the last error);
        a matrix the answer names as one of ``other_labels`` (Q_{34,34} = …) is not its answer."""
        def read() -> MatrixReading | None:
            from grader.extract.matrices import final_matrix

            found = final_matrix(self.text, other_labels=tuple(other_labels))
            if found is None:
                return None
            extra = found.extra
            return MatrixReading(found.value, found.snippet, found.start, str(extra.get("error") or ""),
                                 bool(extra.get("symbolic")), extra.get("factor"))
        return self._memo(("matrix", tuple(other_labels)), read)

    def matrix_disagreements(self, other_labels: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Hand-computed entries ("Cov(Y_1, Y_2) = -0.43") that the final matrix contradicts, in words."""
        def read() -> tuple[str, ...]:
            import numpy as np

            from grader.extract.matrix_labels import disagreements

            found = self.matrix(other_labels)
            if found is None or found.value is None:
                return ()
            return tuple(disagreements(self.text, np.asarray(found.value, dtype=float)))
        return self._memo(("matrix_disagreements", tuple(other_labels)), read)

    def assignments(self, variables: Mapping[str, list[str]], vectors: Mapping[str, list[str]] | None = None,
                    cues: tuple[str, ...] = ()) -> AssignmentsReading:
        """The final value of each variable (grader.extract.assignments.final_assignment); ``cues``: the rubric's
        words that conclude ("fixed point")."""
        def read() -> AssignmentsReading:
            from grader.extract.assignments import final_assignment

            values, notes = final_assignment(self.prose_text(), dict(variables), dict(vectors) if vectors else None,
                                             tuple(cues))
            return AssignmentsReading(dict(values), tuple(notes))
        return self._memo(("assignments", variables, vectors, tuple(cues)), read)

    def positional(self, count: int, cues: tuple[str, ...] = (),
                   subjects: tuple[str, ...] = ()) -> tuple[VectorReading, ...]:
        """Values stated in order without names ("0 and 0", "both are 0"; grader.extract.positional)."""
        def read() -> tuple[VectorReading, ...]:
            from grader.extract.positional import cue_pattern, positional_values

            found = positional_values(self.text, int(count), cue_pattern(tuple(cues)), cue_pattern(tuple(subjects)))
            return tuple(VectorReading(tuple(f.value), f.snippet, f.start, f.emphasized) for f in found)
        return self._memo(("positional", int(count), tuple(cues), tuple(subjects)), read)

    def vectors(self) -> tuple[VectorReading, ...]:
        def read() -> tuple[VectorReading, ...]:
            from grader.extract.assignments import find_vectors

            return tuple(VectorReading(tuple(f.value), f.snippet, f.start, f.emphasized) for f in find_vectors(self.text))
        return self._memo(("vectors",), read)

    def final_set(self, symbol: str = "X", exclude: frozenset = frozenset(),
                  called: tuple[str, ...] = ()) -> SetReading | None:
        """The final set of variables (grader.extract.sets.final_set); ``called``: the set's names."""
        def read() -> SetReading | None:
            from grader.extract.sets import final_set

            found = final_set(self.prose_text(), symbol=symbol, exclude=frozenset(exclude), sentences=self.sentences(),
                              called=tuple(called))
            if found is None:
                return None
            return SetReading(frozenset(found.value), found.snippet, found.extra.get("form", ""), found.emphasized)
        return self._memo(("final_set", symbol, frozenset(exclude), tuple(called)), read)

    def stance(self, affirm: list[str], deny: list[str], bare_yes: bool | None):
        """The verdict on a yes/no proposition (grader.extract.stance.Stance)."""
        def read():
            from grader.extract.stance import extract_stance

            return extract_stance(self.prose_text(), list(affirm), list(deny), bare_yes, sentences=self.sentences())
        return self._memo(("stance", affirm, deny, bare_yes), read)

    def phrases(self, patterns: list[str]) -> tuple[PhraseHit, ...]:
        """Every non-overlapping match of ``patterns`` in reading order."""
        def read() -> tuple[PhraseHit, ...]:
            from grader.extract.phrases import find_all_phrases

            text = self.prose_text()
            return tuple(PhraseHit(f.extra["pattern"], f.snippet, f.start, f.end, bool(f.extra["negated"]),
                                   f.emphasized, f.extra["sentence"][0], _asks(text, *f.extra["sentence"]))
                         for f in find_all_phrases(text, list(patterns), sentences=self.sentences()))
        return self._memo(("phrases", patterns), read)

    def variable_pairs(self, symbol: str = "x") -> tuple[PairReading, ...]:
        def read() -> tuple[PairReading, ...]:
            from grader.extract.variables import find_variable_pairs

            text = self.prose_text()
            # what a code cell computes or prints ("Cov(X2,X3 | X1) = -0.0") checks; it concludes nothing (a comment
            # of the code, "# Q1b: X3 and X4 are independent given X1, X2", may)
            computed = [(start, start + len(b.text)) for b, start in zip(self.blocks, self.block_starts)
                        if b.kind in (BlockKind.CODE, BlockKind.OUTPUT)]

            def checks(at: int) -> bool:
                return any(a <= at < b for a, b in computed) and "#" not in self.text[self.text.rfind("\n", 0, at) + 1:at]

            return tuple(PairReading(f.value[0], f.value[1], f.snippet, f.extra.get("form", ""),
                                     bool(_EXAMPLE.search(text, max(0, f.start - 200), f.start)
                                          or _NONZERO_AFTER.match(text, f.end, f.end + 40) or checks(f.start)))
                         for f in find_variable_pairs(self.text, symbol=symbol, sentences=self.sentences()))
        return self._memo(("variable_pairs", symbol), read)

    def numbers(self) -> tuple[NumberReading, ...]:
        """Every number the answer states, in reading order."""
        def read() -> tuple[NumberReading, ...]:
            from grader.extract.numbers import find_numbers

            return tuple(NumberReading(float(f.value), f.snippet, f.start, f.emphasized, f.end)
                         for f in find_numbers(self.text))
        return self._memo(("numbers",), read)

    def line_numbers(self) -> tuple[tuple[str, tuple[float, ...]], ...]:
        """Each line of the answer with the numbers it states (for printed sequences)."""
        def read():
            from grader.extract.numbers import find_numbers

            return tuple((line, tuple(float(f.value) for f in find_numbers(line))) for line in self.text.splitlines())
        return self._memo(("line_numbers",), read)

    # expressions --------------------------------------------------------------------------------------------

    def final_expression(self, target: str = "final", condition: str = "", cues: Mapping | None = None,
                         other_labels: tuple[str, ...] = (), greek: tuple[str, ...] = ()) -> ExpressionReading | None:
        """The final expression for ``target`` (final, mean or cov of the stated conditional); ``cues``,
        ``other_labels`` and ``greek`` as in grader.extract.expressions.find_expressions. What a code cell printed
        ("True", a number) is a check, never the expression."""
        def read() -> ExpressionReading | None:
            from grader.extract.expressions import final_expression

            found = final_expression(self.prose_text(), target, condition, cues=cues, other_labels=tuple(other_labels),
                                     greek=tuple(greek), printed=self.output_ranges(), prose=self.prose_ranges())
            return None if found is None else _expression(found, deep=True)
        return self._memo(("final_expression", target, condition, cues, tuple(other_labels), tuple(greek)), read)

    def output_ranges(self) -> tuple[tuple[int, int], ...]:
        """The (start, end) offsets in ``text`` of the code outputs."""
        return tuple((start, start + len(b.text)) for b, start in zip(self.blocks, self.block_starts)
                     if b.kind is BlockKind.OUTPUT)

    def prose_ranges(self) -> tuple[tuple[int, int], ...]:
        """The (start, end) offsets in ``text`` of the prose blocks."""
        return tuple((start, start + len(b.text)) for b, start in zip(self.blocks, self.block_starts)
                     if b.kind is BlockKind.PROSE)

    def chains(self, inline: bool = False) -> tuple[ChainReading, ...]:
        def read() -> tuple[ChainReading, ...]:
            from grader.extract.expressions import derivation_chains

            return tuple(ChainReading(tuple(f.value), f.snippet, f.start) for f in derivation_chains(self.text, inline))
        return self._memo(("chains", inline), read)

    def definitions(self, symbols: Mapping[str, str], max_length: int) -> dict[str, str] | None:
        """The student's own definitions ("J = …"), None when the answer is too long to search."""
        def read():
            from grader.mathexpr import MathParseError, find_definitions

            if len(self.text) > max_length:
                return None
            try:  # a code cell's "K = B @ B.T + d * np.eye(d)" builds test data: no definition of the answer's K
                return find_definitions(self._without_code(), dict(symbols))
            except MathParseError:
                return None
        return self._memo(("definitions", symbols, max_length), read)


def choose_final(candidates: list[ExpressionReading]) -> ExpressionReading | None:
    """The final statement among ``candidates`` by the rule of grader.extract.expressions.choose_final."""
    from grader.extract.expressions import choose_final as choose

    found = choose([c.source for c in candidates if c.source is not None])
    return None if found is None else _expression(found, deep=True)


def _expression(found: Found, deep: bool = False) -> ExpressionReading:
    extra = found.extra
    nested = (lambda key: tuple(_expression(f) for f in extra.get(key, ()))) if deep else (lambda key: ())
    return ExpressionReading(found.value, found.snippet, found.start, found.end, found.emphasized,
                             str(extra.get("kind") or ""), str(extra.get("lhs") or ""), bool(extra.get("unlabelled")),
                             nested("rivals"), nested("candidates"), found)


def extract(region: Region, typos: Mapping[str, str] | None = None) -> Answer:
    """The extract stage: the Answer of one question's region (``typos``: the rubric's ``settings.typos``)."""
    return Answer.from_region(region, typos)
