"""The labels LaTeX prints for ``enumerate`` items, as grader.read.latex reads them.

LaTeX's defaults are "1.", then "(a)", "i.", "A." in nested lists. A list's options may change them:
the short form of the enumerate and enumitem packages (``[(a)]``, ``[i.]``, ``[A)]``: the first a, A, i,
I or 1 outside braces is the counter), enumitem's ``label=(\\alph*)``, ``start=3`` and ``resume``; the
preamble may set a level's default with ``\\setlist[enumerate,2]{label=…}`` or
``\\renewcommand{\\labelenumi}{(\\alph{enumi})}``. Templates keep the counter as ``\\arabic*``,
``\\alph*``, ``\\Alph*``, ``\\roman*`` or ``\\Roman*``; font commands and braces are dropped when
an item's label is printed.
"""

from __future__ import annotations

import re

_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
# The labels LaTeX's enumerate prints by level, as templates: the counter is written \arabic*, \alph*, …
DEFAULT_LABELS = ("\\arabic*.", "(\\alph*)", "\\roman*.", "\\Alph*.")
_COUNTER = re.compile(r"\\(arabic|alph|Alph|roman|Roman)\*")
_SHORT_COUNTERS = {"1": "\\arabic*", "a": "\\alph*", "A": "\\Alph*", "i": "\\roman*", "I": "\\Roman*"}
# enumitem keys without a value: not a short label
_FLAGS = frozenset("resume resume* noitemsep nosep nolistsep wide inline before after topsep".split())
_FONT = re.compile(r"\\(?:textbf|textit|textrm|textsf|emph|bfseries|itshape|upshape|normalfont)\b\s*")
# \renewcommand{\labelenumi}{(\alph{enumi})} and \setlist[enumerate,2]{label=…}, in the preamble
_RENEW_LABEL = re.compile(r"\\renewcommand\s*(?:\{\s*)?\\labelenum(i{1,3}|iv)\s*(?:\}\s*)?\{((?:[^{}]|\{[^{}]*\})*)\}")
_SETLIST = re.compile(r"\\setlist\s*\[\s*enumerate\s*(?:,\s*(\d)\s*)?\]\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_OLD_COUNTER = re.compile(r"\\(arabic|alph|Alph|roman|Roman)\s*\{\s*enum[iv]+\s*\}|\\theenum[iv]+")


def _counter_text(kind: str, n: int) -> str:
    if kind == "arabic" or n > 12:
        return str(n)
    if kind in ("alph", "Alph"):
        letter = "abcdefghijkl"[n - 1]
        return letter.upper() if kind == "Alph" else letter
    return _ROMAN[n - 1].upper() if kind == "Roman" else _ROMAN[n - 1]


def render(template: str, n: int) -> str:
    text = _COUNTER.sub(lambda m: _counter_text(m.group(1), n), template)
    return _FONT.sub("", text).replace("{", "").replace("}", "").replace("~", " ").strip()


def _split_options(options: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(options):
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            parts.append(options[start:k])
            start = k + 1
    return [p.strip() for p in parts + [options[start:]] if p.strip()]


def _short_label(option: str) -> str | None:
    """enumitem's short form ("(a)", "i.", "A)"): the first a, A, i, I or 1 outside braces is the counter."""
    depth = 0
    for k, ch in enumerate(option):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and ch in _SHORT_COUNTERS:
            return option[:k] + _SHORT_COUNTERS[ch] + option[k + 1 :]
    return None


def list_options(options: str) -> tuple[str | None, int | None, bool]:
    """(label template, start, resume) of an enumerate's ``[options]``."""
    template, start, resume = None, None, False
    for option in _split_options(options):
        key, eq, value = option.partition("=")
        key = key.strip()
        if eq and key == "label":
            template = value.strip()
        elif eq and key == "start" and value.strip().isdigit():
            start = int(value.strip())
        elif not eq and key in ("resume", "resume*"):
            resume = True
        elif not eq and key not in _FLAGS and template is None:
            template = _short_label(key)
    return template, start, resume


def preamble_labels(lines: list[str]) -> dict[int, str]:
    """Label templates the preamble sets per enumerate level."""
    text = "\n".join(lines)
    labels: dict[int, str] = {}
    for m in _RENEW_LABEL.finditer(text):
        level = {"i": 1, "ii": 2, "iii": 3, "iv": 4}[m.group(1)]
        labels[level] = _OLD_COUNTER.sub(lambda c: f"\\{c.group(1) or 'arabic'}*", m.group(2))
    for m in _SETLIST.finditer(text):
        template = list_options(m.group(2))[0]
        if template:
            for level in ([int(m.group(1))] if m.group(1) else [1, 2, 3, 4]):
                labels[level] = template
    return labels
