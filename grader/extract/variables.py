"""Variables named in prose and math: X_3, the list "X_1 and X_2", and statements about a pair.

``find_variable_pairs`` finds statements such as "X_1 and X_2 are conditionally independent given
X_1 and X_2" or "Cov(X_3, X_4 | X_1, X_2) = 0", for detectors of answers about the wrong pair.
It shares the sentence parsing of phrases.py.
"""

from __future__ import annotations

from grader.model import Found

from .phrases import _CLAUSE_PUNCT, _CLAUSE_WORDS, _IGNORED, parse_sentences
from .tokens import Token

__all__ = ["find_variable_pairs", "var_index", "var_list"]

_RELATION_STEMS = ("independ", "depend", "correl", "uncorrel", "decorrel", "covar")
_RELATION_WORDS = frozenset({"cov", "corr", "cor", "indep"})
_LIST_GLUE = frozenset("and et , & the variables variable les".split())
_PAIR_LINK = frozenset("of on from with de du avec and et".split())


def var_index(tok: Token, symbol: str = "x") -> int | None:
    """The integer index of an indexed symbol token ("x_3" → 3 for symbol "x"), else None."""
    base, _, index = tok.text.partition("_")
    plain_index = tok.kind == "var" and base == symbol.lower() and index.isdigit()
    return int(index) if plain_index and len(index) <= 6 else None


def var_list(toks: tuple, k: int, symbol: str, limit: int = 16) -> tuple[list[int], int]:
    """Indices of the list of variables starting at toks[k] ("X_1, X_2 and X_3", "{X_1}"), and
    the position after its last variable."""
    found, end, j = [], k, k
    while j < len(toks) and j < k + limit:
        idx = var_index(toks[j], symbol)
        if idx is not None:
            found.append(idx)
            end = j + 1
        elif not (toks[j].kind in _IGNORED or toks[j].plain in _LIST_GLUE):
            break
        j += 1
    return found, end


def _is_relation(tok: Token) -> bool:
    return tok.plain in _RELATION_WORDS or tok.plain.startswith(_RELATION_STEMS)


def _conditioning(toks: tuple[Token, ...], k: int, symbol: str) -> tuple[frozenset | None, int]:
    """The conditioning set named after a cue (given, |, conditional on, sachant, étant donné)
    within a few tokens of toks[k]; (set or None, position after it)."""
    for j in range(k, min(k + 8, len(toks))):
        w, nxt = toks[j].plain, toks[j + 1].plain if j + 1 < len(toks) else ""
        if (toks[j].kind == "punct" and toks[j].text in ".;") or w in _CLAUSE_WORDS:
            break
        two = (w.startswith("condition") and nxt in ("on", "upon", "a")) or (
            w == "etant" and nxt.startswith("donne"))
        if w in ("given", "sachant") or two:
            found, end = var_list(toks, j + 1 + two, symbol)
            return (frozenset(found) or None), max(end, j + 1 + two)
    return None, k


def find_variable_pairs(text: str, symbol: str = "x", sentences=None) -> list[Found]:
    """Statements about a pair of variables, with the conditioning set they name.

    Found.value = (frozenset pair, frozenset conditioning set or None); extra["form"] is "function"
    (Cov(X_3, X_4 | X_1, X_2)), "indep" (X_3 ⊥ X_4 | X_1) or "prose" ("X_1 and X_2 are … given …",
    "the dependence of X_1 and X_2", "X_2 is dependent on X_1"): prose needs a relation word
    (independent, dependent, correlated, covariance …) within 8 tokens of the pair.
    """
    out: list[Found] = []
    sym = (symbol or "x").lower()
    for sent in parse_sentences(text) if sentences is None else sentences:  # given: parsed once by the caller
        toks, i = sent.tokens, 0
        while i < len(toks):
            hit = _pair_at(toks, i, sym)
            if hit is None:
                i += 1
                continue
            pair, cond, form, end = hit
            if pair is not None:  # None: a longer list ("… of X_3 and X_4"), skipped whole
                a, b = toks[i].start, toks[end - 1].end
                out.append(Found((pair, cond), a, b, " ".join(text[a:b].split())[:200],
                                 any(t.emphasized for t in toks[i:end]), {"form": form}))
            i = end
    return out


def _breaks_clause(tok: Token) -> bool:
    return (tok.text in _CLAUSE_PUNCT and not tok.math) or tok.plain in _CLAUSE_WORDS


def _clause_bounds(toks: tuple[Token, ...], i: int, end: int, reach: int) -> tuple[int, int]:
    """[lo, hi): up to ``reach`` tokens either side of toks[i:end], not past a clause break, so a
    relation word in the next clause ("…, so Cov(X_3, X_4 | …)") is not taken for this pair's."""
    lo = i
    while lo > max(0, i - reach) and not _breaks_clause(toks[lo - 1]):
        lo -= 1
    hi = end
    while hi < min(len(toks), end + reach) and not _breaks_clause(toks[hi]):
        hi += 1
    return lo, hi


_GIVEN_WORDS = frozenset({"given", "sachant", "knowing", "gegeben", "dado", "dados", "dato", "dati"})
_WITH_WORDS = frozenset({"with", "avec", "mit", "con", "com"})


def _before(toks: tuple[Token, ...], i: int) -> int:
    """The index of the last token before i that is no punctuation or brace (-1 when there is none)."""
    k = i - 1
    while k >= 0 and toks[k].kind in _IGNORED:
        k -= 1
    return k


_CONDITION_REACH = 6  # "we condition on all remaining variables (X_1, X_2)": words between the verb and the list


def _after_given(toks: tuple[Token, ...], i: int) -> bool:
    """Does a "given" (the word, |, \\mid, sachant) stand right before token i, or "condition(ing) on",
    "conditionnellement à" a few words before it in its clause ("since we condition on all remaining variables
    ($X_1, X_2$)")?"""
    k = _before(toks, i)
    if k >= 0 and (toks[k].text == "given" or toks[k].plain in _GIVEN_WORDS):
        return True
    seen = 0
    while k > 0 and seen < _CONDITION_REACH and not _breaks_clause(toks[k]):
        if toks[k].plain in ("on", "upon", "par", "sur", "a", "to") and toks[k - 1].plain.startswith("condition"):
            return True
        seen += toks[k].kind not in _IGNORED
        k -= 1
    return False


def _pair_at(toks: tuple[Token, ...], i: int, sym: str) -> tuple | None:
    tok = toks[i]
    if tok.plain in ("cov", "corr", "cor", "covariance", "correlation") and i + 1 < len(toks) \
            and toks[i + 1].text == "(":
        first, end = var_list(toks, i + 2, sym, limit=8)
        if len(set(first)) != 2:
            return None
        cond: list[int] = []
        if end < len(toks) and toks[end].text == "given":
            cond, end = var_list(toks, end + 1, sym, limit=12)
        return frozenset(first), frozenset(cond) or None, "function", end
    a = var_index(tok, sym)
    if a is None:
        return None
    content = [j for j in range(i + 1, min(i + 12, len(toks))) if toks[j].kind not in _IGNORED]
    j = content[0] if content else i
    if toks[j].text == "indep":  # X_3 ⊥ X_4 | X_1, X_2
        b_list, end = var_list(toks, j + 1, sym, limit=8)  # "X_4 ⊥ (X_1, X_2, X_3)": a list, no pair
        if len(b_list) == 1 and b_list[0] != a:
            cond, after = _conditioning(toks, end, sym)
            return frozenset((a, b_list[0])), cond, "indep", max(end, after)
        return None
    both, end = var_list(toks, i, sym, limit=8)
    if len(set(both)) >= 3 and all(t.kind in _IGNORED or t.plain in ("and", "et", "und") or var_index(t, sym)
                                   is not None for t in toks[i:end]):
        return None, None, None, end  # "independent of the whole vector (X_1, X_2, X_3)": a list, no pair within it
    if len(set(both)) == len(both) == 2 and _after_given(toks, i):
        return None, None, None, end  # "… not correlated given X_1, X_2": the conditioning set, not a pair
    if len(set(both)) == len(both) == 2 and (k := _before(toks, i)) >= 0 and toks[k].plain in _WITH_WORDS:
        return None, None, None, end  # "the covariances of X_4 with X_1, X_2": the other side of a relation
    if len(set(both)) == len(both) == 2:  # "X_1 and X_2 …" or "… of X_1 and X_2"
        lo, hi = _clause_bounds(toks, i, end, 8)
        if any(_is_relation(t) for t in toks[lo:hi]):
            after_rel = max([end] + [k + 1 for k in range(end, hi) if _is_relation(toks[k])])
            cond, after = _conditioning(toks, after_rel, sym)
            return frozenset(both), cond, "prose", max(end, after)
        return None
    # "X_2 is conditionally dependent on X_1"
    for k in content[:4]:
        if _is_relation(toks[k]):
            link = next((q for q in range(k + 1, min(k + 4, len(toks)))
                         if toks[q].kind not in _IGNORED), None)
            if link is None or toks[link].plain not in _PAIR_LINK:
                return None
            other, end = var_list(toks, link + 1, sym, limit=4)
            if len(other) == 1 and other[0] != a:
                cond, after = _conditioning(toks, end, sym)
                return frozenset((a, other[0])), cond, "prose", max(end, after)
            return (None, None, None, end) if other else None
    return None
