"""Derivations: split an ``aligned`` block or an ``a = b = c`` chain into its sides, and check each step.

``split_chains`` reads a block line by line (``\\\\`` outside any inner environment): ``&`` marks are dropped,
a trailing comment (``\\quad \\text{where …}``, ``\\text{since …}``) is cut before anything else so the ``=`` inside
it is not taken for a step, and each line is split at top-level ``=`` (also ``:=``, ``\\equiv``, ``\\coloneqq``):

- a line starting with ``=`` continues the current chain (``&= …``);
- a line without ``=``, or one that opens with an operator (``&+ c = d``), continues the last side (a long
  expression broken over lines); a line without ``=`` also starts a chain when none is open;
- a line with its own left-hand side starts a new chain: ``E(v) = μ \\\\ E(u) = Lμ + m`` is two equations, and
  reading it as one chain would invent a false step "μ = E(u)". ``\\Rightarrow``, ``\\iff`` also start a new chain.

``check_chain`` compares consecutive sides. A side that does not parse (``\\frac{\\partial}{\\partial X_{ij}}``,
``\\sum_k``), uses an undeclared symbol or has no value makes its steps "not checked": an unreadable step is never
reported as a false one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from grader.textgeom import bracket_pairs, split_top_pattern

from .errors import MathEvalError, MathParseError, TooLarge
from .equivalence import Verdict, compare_values, student_definitions_for, used_definitions
from .evaluate import evaluate_value
from .layout import NOISE, WRAPPERS
from .lexer import OPERATORS
from .nodes import free_symbols
from .parser import parse
from .symbols import definitions_key, environments, extend, symbol_table

# Blocks longer than this are refused before the character scan (a derivation is a few hundred characters).
MAX_BLOCK_LENGTH = 20_000

_WRAPPERS, _NOISE = WRAPPERS, NOISE
_DELIMITERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))
_ROW = re.compile(r"\\\\(?:\s{0,3}\[[^\]]{0,12}\])?")  # \\ and \\[2pt]
_RELATION = re.compile(r":?=|\\equiv(?![A-Za-z])|\\coloneqq(?![A-Za-z])|\\triangleq(?![A-Za-z])")
_BREAK = re.compile(
    r"\\(?:Rightarrow|Leftrightarrow|Longrightarrow|Longleftrightarrow|implies|iff|therefore)(?![A-Za-z])"
)
_AMPERSAND = re.compile(r"&")
_SEPARATOR = re.compile(
    r"(?:(?:,|;|\\q?quad(?![A-Za-z])|\\[,;:!]|\\(?:text|mbox)\s*\{\s*(?:and|et|,|;)?\s*\})\s*)+"
)
_THIN_SPACE = re.compile(r"\\[,;:!]")
# A left-hand side after a separator: a short label, not a comment ("\\text{where} J") and not prose
_NEW_LHS = re.compile(r"\s*&?\s*(?!\\text)[^=;]{1,60}?\s*&?\s*")
_CONTINUES = re.compile(r"[-+*/]|\\(?:cdot|times)(?![A-Za-z])")  # a line that opens with an operator
_TEXT = re.compile(r"\\(?:text|textrm|textit|textbf|mbox|mathrm)\s*\{([^{}]*)")
_COMMENT_WORDS = frozenset(
    "where with for since because by using as if and is are the so thus hence then which that when from see note "
    "here let ie eg".split()
)
# Spacing and punctuation trimmed from both ends of a side (longest first, so "\\," goes before ",").
_EDGE_TOKENS = ("\\qquad", "\\quad", "\\,", "\\;", "\\:", "\\!", "\\ ", ",", ";", ":")


def _split_equations(line: str) -> list[str]:
    """Two equations on one line (``E[v|u] = a, \\qquad Cov(v|u) = b``; also ``\\quad``, ``;``, ``\\text{and}``) are
    two chains: split where a separator at the top level (no bracket open) is followed by a new left-hand side and
    ``=``, and the text before it has an ``=`` of its own. A comment (``\\quad \\text{where } J = …``) is not an
    equation: it is cut later."""
    if "=" not in line:
        return [line]
    pieces, start, depth, i, n = [], 0, 0, 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "\\" and line.startswith(("\\left", "\\right"), i):
            i += 5 if line.startswith("\\left", i) else 6
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and ch in ",;\\" and (m := _SEPARATOR.match(line, i)) and m.end() > i:
            rest = line[m.end() : m.end() + 80]  # a left-hand side is short: the scan stays linear
            head = _RELATION.search(rest)
            # thin spaces alone ("\det(X)\,(X^{-1})^T") space out one expression; they separate nothing
            spaced = not _THIN_SPACE.sub("", m.group()).strip()
            if head and not spaced and "=" in line[start:i] and _NEW_LHS.fullmatch(rest[: head.start()]):
                pieces.append(line[start:i])
                start = i = m.end()
                continue
            i = m.end()
            continue
        elif ch == "\\":
            i += 2
            continue
        i += 1
    return pieces + [line[start:]]


def _cut_comment(line: str) -> str:
    """Drop a trailing ``\\quad \\text{where …}``-style comment."""
    for m in _TEXT.finditer(line):
        content = m.group(1).strip()
        word = re.match(r"[A-Za-z]+", content)
        after_quad = line[max(0, m.start() - 12) : m.start()].rstrip().endswith("quad")
        is_comment = content.startswith("(") or (
            word is not None and len(word.group()) >= 2 and word.group() not in OPERATORS
            and (word.group().lower() in _COMMENT_WORDS or after_quad)
        )
        if is_comment:
            return _clean(line[: m.start()])
    return line


def _clean(side: str) -> str:
    """Trim spacing commands and punctuation at both ends (a loop of endswith: linear on long blanks)."""
    side = side.strip().rstrip(".").strip()
    if side.endswith("\\") and not side.endswith("\\\\"):  # "… X^{-\\top}\\ }": a control space whose blank was trimmed
        side = side[:-1].rstrip()
    changed = True
    while changed and side:
        changed = False
        for token in _EDGE_TOKENS:
            if side.endswith(token) and not side.endswith("\\" + token):
                side, changed = side[: -len(token)].rstrip().rstrip(".").rstrip(), True
            if side.startswith(token):
                side, changed = side[len(token) :].lstrip(), True
    return side


def _strip_delimiters(text: str) -> str:
    text = text.strip()
    for opening, closing in _DELIMITERS:
        if len(text) >= len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : len(text) - len(closing)]
    return text


def split_chains(latex: str) -> list[list[str]]:
    """Every chain of equalities in the block, each as its list of sides (see the module docstring)."""
    if len(latex) > MAX_BLOCK_LENGTH:
        raise TooLarge(f"derivation too long ({len(latex)} characters; the limit is {MAX_BLOCK_LENGTH})", latex[:40])
    return [list(chain) for chain in _split_chains(latex)]


@functools.lru_cache(maxsize=4096)
def _split_chains(latex: str) -> tuple[tuple[str, ...], ...]:
    """split_chains, cached: the readers of an answer (its statements, its derivation, the student's definitions)
    split the same blocks again and again."""
    return tuple(tuple(chain) for chain in _split_chains_uncached(latex))


def _within_brackets(parts: list[str]) -> list[str]:
    """The sides of one equation with a relation inside round brackets after a value joined again, and such a bracket
    at a side's end dropped: "{}^tA \\;(= A^T)" is the value {}^tA with a remark that restates it. A remark wholly in
    brackets ("(A' = A^T)") keeps its sides: it is read as the aside it is."""
    out: list[str] = []
    for part in parts:
        if out and out[-1].count("(") > out[-1].count(")") and not out[-1].lstrip().startswith("("):
            out[-1] = f"{out[-1]}={part}"
        else:
            out.append(part)
    return [_without_restatement(p) for p in out]


def _without_restatement(side: str) -> str:
    """``side`` without a bracket at its end that opens with a relation ("(= A^T)", "(\\approx 0.96)")."""
    body = side.rstrip()
    if not body.endswith(")") or side.count("(") != side.count(")"):
        return side
    opener = next((o for o, c in bracket_pairs(body, "(", ")")[0].items() if c == len(body) - 1), None)
    if opener is None or not body[opener + 1 :].lstrip().startswith(("=", "\\approx", "≈")):
        return side
    kept = body[:opener].rstrip()
    while kept.endswith(("\\,", "\\;", "\\:", "\\!", "\\ ")):  # the spacing before the bracket
        kept = kept[:-2].rstrip()
    return kept or side


def _split_chains_uncached(latex: str) -> list[list[str]]:
    text = _strip_delimiters(latex)
    text = _NOISE.sub(" ", _WRAPPERS.sub(" ", text))
    chains: list[list[str]] = []
    current: list[str] = []
    for line in (eq for row in split_top_pattern(text, _ROW) for eq in _split_equations(row)):
        line = " ".join(split_top_pattern(_cut_comment(line), _AMPERSAND))
        for k, segment in enumerate(split_top_pattern(line, _BREAK)):
            if k > 0 and current:
                chains.append(current)
                current = []
            parts = [_clean(p) for p in _within_brackets(split_top_pattern(segment, _RELATION))]
            if len(parts) == 1:
                if parts[0]:
                    if current:
                        current[-1] = f"{current[-1]} {parts[0]}"
                    else:
                        current = [parts[0]]
                continue
            if parts[0] and current and _CONTINUES.match(parts[0]):  # "&+ c = d" finishes the last side
                current[-1] = f"{current[-1]} {parts[0]}"
            elif parts[0]:  # its own left-hand side: a new equation
                if current:
                    chains.append(current)
                current = [parts[0]]
            current.extend(p for p in parts[1:] if p)
    if current:
        chains.append(current)
    return chains


def split_chain(latex: str) -> list[str]:
    """The sides of the block's last chain (the one that ends the derivation); [] for an empty block."""
    chains = split_chains(latex)
    return chains[-1] if chains else []


@dataclass(frozen=True)
class StepVerdict:
    """The step ``left = right`` (sides ``index`` and ``index + 1``); ``status`` is "equal", "different" or
    "not checked"."""

    index: int
    left: str
    right: str
    status: str
    message: str
    verdict: Verdict | None = None

    @property
    def equivalent(self) -> bool | None:
        return {"equal": True, "different": False}.get(self.status)


def _side_values(side: str, envs: tuple, own: tuple) -> list | str:
    """The side's value on every draw, or the reason it cannot be checked."""
    try:
        expr = parse(side)
    except MathParseError as exc:
        return exc.message
    own = used_definitions(expr, own)
    needed = free_symbols(expr).union(*(free_symbols(e) for _, e in own))
    unknown = needed - envs[0].keys() - {name for name, _ in own}
    if unknown:
        return _unknown_text(unknown)
    values = []
    for env in envs:
        try:
            values.append(evaluate_value(expr, extend(env, own) if own else env))
        except MathEvalError as exc:
            return exc.message
    return values


def _unknown_text(names: set[str]) -> str:
    return f"unknown symbol{'s' if len(names) > 1 else ''} {', '.join(sorted(names))}"


def check_chain(sides: Sequence[str], symbols, definitions: Mapping | None = None, *,
                student_definitions: Mapping | None = None, n_draws: int = 3, seed: int = 0,
                rtol: float = 1e-6, atol: float = 1e-9) -> list[StepVerdict]:
    """One ``StepVerdict`` per consecutive pair of ``sides``."""
    envs = environments(symbol_table(symbols), definitions_key(definitions), n_draws, seed)
    own = student_definitions_for(student_definitions)
    if isinstance(own, Verdict):
        return [StepVerdict(i, sides[i], sides[i + 1], "not checked", own.message) for i in range(len(sides) - 1)]
    values = [_side_values(side, envs, own) for side in sides]
    steps = []
    for i in range(len(sides) - 1):
        left, right = values[i], values[i + 1]
        if isinstance(left, str) or isinstance(right, str):
            which, reason = (i + 1, left) if isinstance(left, str) else (i + 2, right)
            steps.append(StepVerdict(i, sides[i], sides[i + 1], "not checked", f"side {which} not checked: {reason}"))
            continue
        verdict = Verdict(True, f"equal on {len(envs)} random draws", "equal")
        for draw, (a, b) in enumerate(zip(right, left)):
            found = compare_values(a, b, rtol=rtol, atol=atol, draw=draw, n_draws=len(envs),
                                   labels=("the right side", "the left side"))
            if found is not None:
                verdict = found
                break
        status = "equal" if verdict.equivalent else "different"
        message = verdict.message if verdict.equivalent else f"this step does not hold: {verdict.message}"
        steps.append(StepVerdict(i, sides[i], sides[i + 1], status, message, verdict))
    return steps
