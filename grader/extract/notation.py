"""A student's own names for the homework's symbols, declared once for the whole submission.

Students who do not like Σ write "`S` is the covariance Σ", "I write S for Sigma", "P denotes the precision matrix
Q", "m_1, m_2 are the two means μ1, μ2" — usually in a notation paragraph above the answers — and then answer with
S_34, P_34, m_1. The rubric's ``settings.notation`` names the symbols a student may rename and the words that
describe each ({sigma: [covariance, Σ, Sigma], q: [precision], mu: [mean, means]}); ``declared_aliases`` finds the
declarations in a document's prose and returns {letter: symbol}, which the token readings treat as the rubric's
typos are treated: the letter with a digit index is the symbol with that index (S_34 is Σ_34), so every phrase,
stance and set reading sees the name the rubric uses. A letter is an alias only where a sentence declares it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from grader.lazyre import lazy
from grader.model import Block, BlockKind

# "`S` is …", "S denotes …", "S = Σ (the covariance)", "I write S for …", "m_1, m_2 are the two means …"
_DECLARED = lazy(
    r"(?:(?:write|use|call|note|take)\s+|^|(?<=[\s;:*]))[`$]*([A-Za-z])(?:_\{?\w{1,2}\}?)?[`$]*"
    r"(?:\s*,\s*[`$]*[A-Za-z](?:_\{?\w{1,2}\}?)?[`$]*)*"
    r"\s+(?:is|are|denotes?|stands?\s+for|for|means|represents?|=|:=)\s+((?:(?!\s(?:and|et|und|y)\s)[^.;,\n]){1,60})",
    re.IGNORECASE,
)
# "(S = Sigma)", "(S is the noise covariance Σ)": a declaration in brackets of its own
_DECLARED_IN_BRACKETS = lazy(r"\(\s*[`$]*([A-Za-z])[`$]*\s+(?:=|:=|is|for|denotes)\s+([^()\n]{1,40})\)")
MAX_PROSE = 20_000  # a notation paragraph is short; past this the submission's start is enough


# words that may stand before what a letter is: "the noise covariance Σ", "my two means μ1"; any other word there
# ("Gaussian with covariance Σ", "the vector whose covariance is Σ") says something else about the letter
_BEFORE = frozenset("the my our a an two both noise full covariance precision mean means matrix vector".split())


def declared_aliases(blocks: Iterable[Block], notation: Mapping[str, list[str]]) -> dict[str, str]:
    """{letter: symbol} for each letter the document's prose declares to be one of the ``notation`` symbols: the
    declaration names the symbol itself ("`S` is the covariance Σ", "I write S for Sigma")."""
    if not notation:
        return {}
    names = {symbol: {w.lower() for w in written} for symbol, written in notation.items()}
    text = "\n".join(b.text for b in blocks if b.kind in (BlockKind.PROSE, BlockKind.HEADING))[:MAX_PROSE]
    found: dict[str, str] = {}
    for m in [*_DECLARED.finditer(text), *_DECLARED_IN_BRACKETS.finditer(text)]:
        letter = m.group(1).lower()
        if letter in names or letter in found:
            continue  # the symbol's own letter ("Q is the precision matrix"), or declared already
        words = [w.strip("`$*_(),.:") for w in m.group(2).lower().split()]
        for word in words[:5]:
            hits = [s for s, written in names.items() if word in written]
            if hits:
                if len(hits) == 1:
                    found[letter] = hits[0]
                break
            if word not in _BEFORE:
                break
    return found
