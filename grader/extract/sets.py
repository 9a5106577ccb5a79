"""Sets of variable indices written in an answer: {X_1, X_3}, ∅, "the Markov blanket of X_2 is X_1".

``find_sets`` returns every candidate in reading order; Found.value is a frozenset of the 1-based
indices and Found.extra["form"] says how it was written:

- "braces": \\{X_1, X_3\\}, {X1}, \\lbrace X_1 \\rbrace, and bare indices \\{1, 3\\} when the
  sentence is about the variables (it names one, a label such as X_{M_2}, or says blanket,
  variables, set, neighbours …). extra["label"] is the name before "=", if any ("x_m_2", "mb").
- "empty": \\emptyset, ∅, \\varnothing, "the empty set", "l'ensemble vide", and \\{\\} in such
  a sentence.
- "blanket": a statement under one of the set's names, given by the caller in ``called``
  (the gaussian-em rubric says called: [Markov blanket, MB, couverture de Markov, M_i]): "the Markov
  blanket of X_2 is X_1", "MB(X_2) = X_1, X_3", "la couverture de Markov de X_2 est X_1", "… is
  empty"; extra["of"] is the variable whose set it is, if named. A name is matched word for word
  (case and accents aside); a one-letter entry ("M", "M_i", "X_{M_i}") is a label letter: M_2 and
  X_{M_2} name the set. Without ``called`` no statement is read under a name.
- "only": "only X_1", "X_2 depends only on X_1", "seulement X_1", "X_1 is the only one", "X_1 est le
  seul voisin", and a list closed by the word: "X_1 only.", "X_1 alone", "X_1 seulement", "X_1 uniquement".
- "given": the variables after given / | / sachant in a sentence about independence
  ("X_2 is independent of the others given X_1").
- "list": two or more variables joined by commas, and, et ("X_1 and X_3"); a list stops at a
  colon or a brace ("of X_2: {X_1}" is X_2, then the set {X_1}).
- "lone": variables that make the head of a sentence by themselves (after "just", "simply",
  "answer:" at most), before its end or a parenthesis: "X_1 (the only neighbour of X_2 in Q)",
  "X_1 and X_3.", "Just X_1." — an answer given bare.

``final_set`` picks the one answer a grader should read (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from grader.model import Found

from .phrases import parse_sentences
from .variables import var_index, var_list
from .tokens import Token, words

__all__ = ["find_sets", "final_set"]

PROSE_FORMS = frozenset({"blanket", "only", "given", "list", "lone"})
_IGNORED = ("punct", "brace")
# words saying a sentence is about variables, so that bare indices in braces ({1, 3}) are a set of them;
# the set's own names (``called``) count too
_CONTEXT = frozenset("variables variable set sets neighbours neighbors neighbourhood neighborhood indices"
                     " nodes voisins ensemble".split())
_LABEL_LETTER = re.compile(r"([a-z])(?:_[a-z])?|[a-z]_([a-z])(?:_[a-z])?", re.IGNORECASE)
_VERBS = frozenset("is are eq est sont consists contains includes comprises equals".split())
_LEAD_IN = frozenset("the a set of variables variable only just simply composed made up le la les"
                     " ensemble de des seulement uniquement node nodes".split())
_EMPTY = frozenset("empty none nothing vide aucun aucune emptyset".split())
_ONLY = frozenset({"only", "seulement", "uniquement"})
_AFTER_ONLY = frozenset("on upon de sur the variable variables".split())
_IS_THE_ONLY = (frozenset("is are est sont".split()), frozenset("the le la les".split()),
                frozenset("only seul seule seuls seules unique".split()))
# words that may open a sentence whose variables stand alone: "Just X_1.", "Answer: X_1."
_LONE_LEAD = frozenset("just simply juste simplement answer reponse solution".split())
# a list of variables closed by one of these words: "X_1 only.", "X_1 alone", "X_1 seulement", "X_1 uniquement"
_TRAILING_ONLY = frozenset("only alone seulement uniquement seul seule seuls seules".split())


@lru_cache(maxsize=64)
def _names(called: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], frozenset[str]]:
    """The caller's names of the set: word sequences (each word as Token.plain), and label letters."""
    seqs, letters = [], set()
    for name in called:
        if not isinstance(name, str):
            continue
        bare = name.replace("{", "").replace("}", "").replace("\\", "").replace(" ", "")
        m = _LABEL_LETTER.fullmatch(bare)
        if m:
            letters.add((m.group(1) or m.group(2)).lower())
            continue
        seq = tuple(t.plain for t in words(name) if t.kind not in _IGNORED)
        if seq:
            seqs.append(seq)
    return tuple(sorted(seqs, key=len, reverse=True)), frozenset(letters)


def _name_end(toks: tuple[Token, ...], i: int, seqs: tuple[tuple[str, ...], ...]) -> int | None:
    """Where a name of the set that starts at toks[i] ends (its last token), if one does."""
    for seq in seqs:
        if toks[i].plain != seq[0]:
            continue
        j, k = i, 1
        while k < len(seq):
            nxt = _next_content(toks, j + 1, 3)
            if nxt is None or toks[nxt].plain != seq[k]:
                break
            j, k = nxt, k + 1
        if k == len(seq):
            return j
    return None


def _next_content(toks: tuple[Token, ...], k: int, limit: int = 8) -> int | None:
    return next((j for j in range(k, min(k + limit, len(toks))) if toks[j].kind not in _IGNORED),
                None)


def _label(toks: tuple[Token, ...], i: int) -> str | None:
    """The name written before "= {…}": x_m_2 in X_{M_2} = {X_1}, mb in MB(X_2) = {X_1}."""
    if i < 2 or toks[i - 1].text != "eq":
        return None
    k = i - 2
    if toks[k].text == ")":
        while k > 0 and k > i - 8 and toks[k].text != "(":
            k -= 1
        k -= 1
    return toks[k].text if k >= 0 and toks[k].kind in ("var", "word") else None


def _braces(toks: tuple[Token, ...], i: int, sym: str, about: bool) -> tuple | None:
    members, bare = set(), False
    for j in range(i + 1, min(i + 40, len(toks))):
        tok = toks[j]
        if tok.kind == "brace" and tok.text == "}":
            if (bare or not members) and not about:
                return None
            label = _label(toks, i)
            form = "braces" if members else "empty"
            return form, frozenset(members), j + 1, {"label": label} if label else {}
        idx = var_index(tok, sym)
        if idx is not None:
            members.add(idx)
        elif tok.kind == "number" and tok.text.isdigit() and len(tok.text) <= 6:
            members.add(int(tok.text))
            bare = True
        elif not (tok.text == "," or tok.plain in ("and", "et")):
            return None
    return None


def _statement(toks: tuple[Token, ...], i: int, sym: str) -> tuple | None:
    """'blanket … is/are/=/: …' starting at the word blanket (or MB, couverture)."""
    of = None
    for j in range(i + 1, min(i + 10, len(toks))):
        tok = toks[j]
        if of is None and var_index(tok, sym) is not None:
            of = var_index(tok, sym)
        if tok.plain in _VERBS or tok.text == ":":
            k = j + 1
            while k < len(toks) and k < j + 8 and (toks[k].kind == "punct"
                                                   or toks[k].plain in _LEAD_IN):
                k += 1
            if k >= len(toks) or toks[k].kind == "brace" or toks[k].text == "emptyset":
                return None  # set notation: reported as braces or empty
            extra = {"of": of} if of is not None else {}
            if toks[k].plain in _EMPTY:
                end = k + 2 if k + 1 < len(toks) and toks[k + 1].plain == "set" else k + 1
                return "blanket", frozenset(), end, extra
            found, end = var_list(toks, k, sym)
            return ("blanket", frozenset(found), end, extra) if found else None
    return None


def _is_the_only(toks: tuple[Token, ...], k: int) -> bool:
    """Whether "is the only" ("est le seul") follows toks[k]."""
    verbs, articles, only = _IS_THE_ONLY
    j = _next_content(toks, k, 3)
    if j is None or toks[j].plain not in verbs:
        return False
    j = _next_content(toks, j + 1, 3)
    if j is not None and toks[j].plain in articles:
        j = _next_content(toks, j + 1, 3)
    return j is not None and toks[j].plain in only


def _only_after(toks: tuple[Token, ...], end: int) -> int | None:
    """Where a list of variables that ends at toks[end] is closed by "only" ("X_1 only.", "X_1 alone (…)",
    "X_1 seulement"): the position after that word, if it ends the clause; else None. "X_3 only depends
    on X_1" goes on with a verb, so it is not a set."""
    if end >= len(toks) or toks[end].plain not in _TRAILING_ONLY:
        return None
    after = toks[end + 1] if end + 1 < len(toks) else None
    if after is None or after.kind == "punct" or after.text in ("(", ")", ":", "."):
        return end + 1
    return None


def _set_at(toks: tuple[Token, ...], i: int, sym: str, about: bool, independence: bool, seqs):
    tok = toks[i]
    if tok.kind == "brace" and tok.text == "{":
        return _braces(toks, i, sym, about)
    if tok.text == "emptyset":
        return "empty", frozenset(), i + 1, {}
    if tok.plain in ("empty", "ensemble"):
        nxt = _next_content(toks, i + 1, 3)
        if nxt is not None and toks[nxt].plain == ("set" if tok.plain == "empty" else "vide"):
            return "empty", frozenset(), nxt + 1, {}
    if (name_end := _name_end(toks, i, seqs)) is not None:
        return _statement(toks, name_end, sym)
    if tok.plain in _ONLY or (tok.plain == "given" and independence) or tok.plain == "sachant":
        k = i + 1
        while k < len(toks) and k < i + 4 and toks[k].plain in _AFTER_ONLY:
            k += 1
        found, end = var_list(toks, k, sym)
        form = "only" if tok.plain in _ONLY else "given"
        return (form, frozenset(found), end, {}) if found else None
    if var_index(tok, sym) is not None and _is_the_only(toks, var_list(toks, i, sym)[1]):
        found, end = var_list(toks, i, sym)
        return "only", frozenset(found), end, {}
    if var_index(tok, sym) is not None:
        found, end = var_list(toks, i, sym)
        if found and (closed := _only_after(toks, end)) is not None:
            return "only", frozenset(found), closed, {}
    if var_index(tok, sym) is not None and all(t.kind in _IGNORED or t.plain in _LONE_LEAD for t in toks[:i]):
        found, end = var_list(toks, i, sym)
        after = toks[end] if end < len(toks) else None
        if found and (after is None or after.text in ("(", ".", "!") or (after.kind == "punct" and end + 1 == len(toks))):
            return "lone", frozenset(found), end, {}
    if var_index(tok, sym) is not None:
        stop = next((j for j in range(i + 1, min(i + 17, len(toks)))
                     if toks[j].kind == "brace" or toks[j].text == ":"), len(toks))
        found, end = var_list(toks[:stop], i, sym)
        if len(set(found)) >= 2:
            return "list", frozenset(found), end, {}
    return None


def _separated(toks: tuple[Token, ...], i: int) -> bool:
    """The set at ``i`` follows "⊥" or "independent of": the variables independent of another one, not a
    blanket or a neighbourhood."""
    k = i - 1
    if k >= 0 and toks[k].plain in ("of", "de", "from", "von"):
        k -= 1
    return k >= 0 and (toks[k].text == "indep" or toks[k].plain.startswith(("independ", "indépend", "unabhängig")))


def find_sets(text: str, symbol: str = "X", sentences=None, called=()) -> list[Found]:
    """Every set of ``symbol`` indices written in ``text``, in reading order (module docstring);
    ``called``: the set's names ("Markov blanket", "MB", a label letter "M_i")."""
    sym = (symbol or "x").lower()
    seqs, letters = _names(tuple(called or ()))
    bases = {sym, *letters}
    out: list[Found] = []
    if sentences is None:  # given: parsed once by the caller
        sentences = parse_sentences(text if isinstance(text, str) else "")
    for sent in sentences:
        toks = sent.tokens
        about = any(t.plain in _CONTEXT or var_index(t, sym) is not None
                    or (t.kind == "var" and t.text.split("_")[0] in bases) for t in toks)
        about = about or any(_name_end(toks, i, seqs) is not None for i in range(len(toks)))
        independence = any(t.plain.startswith("independ") or t.text == "indep" for t in toks)
        i = 0
        while i < len(toks):
            hit = _set_at(toks, i, sym, about, independence, seqs)
            if hit is None:
                i += 1
                continue
            form, members, end, extra = hit
            if form == "braces" and _separated(toks, i):  # "X_2 ⊥ {X_3, X_4} | X_1": the variables set apart
                extra = {**extra, "separated": True}
            a, b = toks[i].start, toks[end - 1].end
            # a bold lead-in right before a set ("**MB(X_2) =** {X_1}") marks it as the answer
            lead = max(0, i - 3) if form == "braces" else i
            emphasized = any(t.emphasized for t in toks[lead:end])
            out.append(Found(members, a, b, " ".join(text[a:b].split())[:200], emphasized,
                             {"form": form, **extra}))
            i = end
    return out


def final_set(text: str, symbol: str = "X", exclude: frozenset = frozenset(), sentences=None,
              called=()) -> Found | None:
    """The set the answer gives as final, by this rule:

    1. the last emphasized set written in braces, as ∅, or in a blanket/only statement;
    2. otherwise the last set in set notation (braces or ∅);
    3. otherwise the last prose statement "<name> … is/are/= …" (a name in ``called``) or "only …";
    4. otherwise the last sentence that is only variables ("X_1 (the only neighbour)");
    5. otherwise the last "… independent … given …" conditioning set.
    At each step a set in braces after "⊥" or "independent of" (the variables set apart, "X_2 ⊥ {X_3, X_4} | X_1")
    gives way to any other.
    Plain lists ("X_1 and X_3") are never final: reasoning names variables all the time.
    ``exclude`` is removed from prose sets (so "X_2 … given X_1, X_2" reads as {X_1}); a prose
    set that only named excluded variables is dropped. Sets in braces are kept as written.
    """
    drop = frozenset(exclude or ())
    found = []
    for f in find_sets(text, symbol, sentences, called):
        if f.extra["form"] in PROSE_FORMS and drop & f.value:
            if not f.value - drop:
                continue
            f = replace(f, value=f.value - drop)
        found.append(f)
    for wanted in ({"braces", "empty", "blanket", "only"}, {"braces", "empty"},
                   {"blanket", "only"}, {"lone"}, {"given"}):
        rule_one = wanted == {"braces", "empty", "blanket", "only"}
        hits = [f for f in found if f.extra["form"] in wanted and (f.emphasized or not rule_one)]
        stated = [f for f in hits if not f.extra.get("separated")]  # "MB(X_2) = {X_1}, X_2 ⊥ {X_3, X_4} | X_1"
        if stated or hits:
            return (stated or hits)[-1]
    return None
