"""Phrase patterns over the token stream of an answer, with negation read in the clause.

Pattern language (shared with stance.py): whitespace-separated items matched in order against the
words of one sentence; case never matters, accents are optional, punctuation and set braces are
ignored on both sides.

- A plain item goes through the answer's tokenizer (tokens.py): "X3", "X_3", "$X_{3}$" all mean
  x_3, "=" is "eq", "|" is "given", "Σ_{34}" is sigma_34; "cov(x_3," is the two items "cov" "x_3".
  Numbers compare by value: "0" matches "0.0" and "zero", "-1" matches "−1".
- ``stem*`` matches any token that starts with stem (compared with the token text, accents
  ignored): "converg*", "corrél*", "x_*", "sigma_*".
- ``a|b|c`` matches one token equal to any alternative (each one token, or a stem*).
- ``*`` is a gap of 0–6 tokens, ``*N`` a gap of 0–N tokens (N at most 12), ``?`` exactly one token.
  Gaps never cross a clause boundary. Gaps at the start or end of a pattern are ignored.
- Between two items, up to two negators or filler adverbs (not, pas, eventually, really …) may be
  passed over without being written in the pattern: "converge vers les points" matches
  "ne converge pas vers les points" (and the match is negated).

Clauses end at , ; : — outside math and before but, since, because, thus, which, mais, donc ….
A match is negated when an odd number of negations stand before it in its clause (at most 8
tokens back, not before an "and"/"et" that joins clauses, nor across the bracket of an aside: "not
correlated (Σ34 = 0)") or inside it (in a gap or passed
over): not, n't, no, never, cannot, none, nothing, neither … nor (one negation), fail(s) to,
non, ne/n' … pas|jamais|plus|rien|aucun|ni (one negation), pas, jamais, aucun(e), ni alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from bisect import bisect_left
from functools import lru_cache

from grader.model import Found

from .tokens import Token, plain, sentence_tokens, words

__all__ = ["PhraseMatch", "Sentence", "find_all_phrases", "find_phrase", "leading_answer",
           "match_patterns", "negation_count", "parse_sentences"]

DEFAULT_GAP = 6
MAX_GAP = 12
NEGATION_WINDOW = 8
MAX_PASSED = 2  # negators or fillers passed over between two items

_NEGATORS = frozenset("not n't no never cannot none nothing nobody neither non fail fails failed"
                      " failing pas jamais aucun aucune nullement".split())
_AFTER_NE = frozenset("pas jamais plus rien aucun aucune guere point personne nullement ni".split())
_FILLERS = frozenset("eventually really actually indeed exactly precisely also still always"
                     " necessarily ultimately bien effectivement finalement toujours forcement"
                     " exactement vraiment".split())
_PASSABLE = _NEGATORS | _FILLERS | {"ne", "nor", "ni"}
_CLAUSE_WORDS = frozenset("but however whereas while although though because since so thus"
                          " therefore hence which where if unless yet mais car donc puisque parce"
                          " alors cependant pourtant tandis ainsi sinon lorsque quand".split())
_CLAUSE_PUNCT = frozenset(",;:—.!?")
_IGNORED = ("punct", "brace")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer: its tokens, the ones patterns see, and their clause numbers."""

    span: tuple[int, int]  # character offsets of the sentence
    tokens: tuple[Token, ...]  # every token, punctuation included
    content: tuple[Token, ...]  # the tokens patterns see (no punctuation, no braces)
    clauses: tuple[int, ...]  # clause number of each content token
    # where each word and each number stands among the content tokens, so a pattern's first item is looked up
    # rather than tried on every token (an answer is matched against dozens of patterns)
    by_word: dict = field(default_factory=dict, compare=False, repr=False)
    by_value: dict = field(default_factory=dict, compare=False, repr=False)
    # asides in brackets, as content positions [first inside, first after): a negation does not reach into or out
    # of one ("not correlated (Σ34 = 0)" negates the verdict, not the reason in brackets)
    asides: tuple = field(default=(), compare=False, repr=False)
    # the content positions each pattern item fits, filled as patterns are tried (see _first_positions)
    firsts: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class PhraseMatch:
    """One match of a phrase pattern in a sentence, with its negations."""

    pattern: str
    index: int  # position of the pattern in the list given
    sentence: int  # index into the sentence list
    first: int  # content tokens [first, last) of the sentence
    last: int
    start: int  # character offsets
    end: int
    negations: int
    emphasized: bool  # a matched token, a negation or one of the two tokens before is emphasized

    @property
    def negated(self) -> bool:
        return self.negations % 2 == 1


_LEAD_WORDS = 3  # "E-step:", "M step:", "Step 2:": a colon after so few words labels what follows
_STANCE_WORDS = _NEGATORS | {"ne", "yes", "oui", "si", "true", "false", "vrai", "faux"}
# "Answer: I don't believe so": an answer marker's colon does open the answer's own clause
_MARKER_WORDS = frozenset("answer answers reponse reponses solution conclusion verdict result resultat".split())


def _label_lead(content: list[Token], clauses: list[int]) -> bool:
    """True when the content so far is a short label of the sentence ("E-step: q = argmax_q F"): the colon joins it
    to what it labels instead of opening a clause. Never after a verdict ("No: …"), whose clause must end there."""
    return (0 < len(content) <= _LEAD_WORDS and not any(clauses)
            and not any(t.plain in _STANCE_WORDS or t.plain in _MARKER_WORDS or t.math for t in content))


def parse_sentences(text: str, typos: dict[str, str] | None = None) -> list[Sentence]:
    """The sentences of ``text`` with their tokens and clause numbers (``typos``: see tokens.words)."""
    out = []
    for span, toks in sentence_tokens(text if isinstance(text, str) else "", typos):
        content, clauses, clause = [], [], 0
        asides, opened = [], None
        for k, tok in enumerate(toks):
            if tok.kind == "punct" and not tok.math:
                if tok.text == "(" and opened is None and k > 0 and toks[k - 1].end < tok.start:
                    opened = len(content)  # "Cov(X_3": a bracket glued to a name is a function's, no aside
                elif tok.text == ")" and opened is not None:
                    asides.append((opened, len(content)))
                    opened = None
            # a semicolon ends a clause in math too ("… does not converge to } (-1,1);\ \mu_1 \to 0")
            if tok.kind == "punct" and tok.text in _CLAUSE_PUNCT and (not tok.math or tok.text == ";"):
                clause += not (tok.text == ":" and _label_lead(content, clauses))
            elif tok.kind not in _IGNORED:
                clause += tok.plain in _CLAUSE_WORDS
                content.append(tok)
                clauses.append(clause)
        by_word: dict[str, list[int]] = {}
        by_value: dict[float, list[int]] = {}
        for q, tok in enumerate(content):
            by_word.setdefault(tok.plain, []).append(q)
            if tok.value is not None:
                by_value.setdefault(tok.value, []).append(q)
        if opened is not None:
            asides.append((opened, len(content)))
        out.append(Sentence(span, tuple(toks), tuple(content), tuple(clauses), by_word, by_value, tuple(asides)))
    return out


def negation_count(tokens: list[Token]) -> int:
    """How many negations ``tokens`` (in reading order) express; see the module docstring."""
    count, ne = 0, False
    for tok in tokens:
        w = tok.plain
        if w == "ne":
            count, ne = count + 1, True
        elif ne and w in _AFTER_NE:
            continue  # ne … pas is one negation
        elif w in ("nor", "ni"):
            count = max(count, 1)  # neither … nor, ni … ni: one negation
        elif w in _NEGATORS:
            count += 1
    return count


def _alternative(alt: str) -> tuple | None:
    if len(alt) > 1 and alt.endswith("*"):
        return (True, plain(alt[:-1].lower()), None)
    toks = [t for t in words(alt) if t.kind not in _IGNORED]
    return (False, toks[0].plain, toks[0].value) if toks else None


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> tuple[tuple[int, int, tuple], ...]:
    """Steps (least gap, largest gap, alternatives) — the gap is the one before the item."""
    steps, lo, hi = [], 0, 0
    for chunk in pattern.split():
        if chunk == "*":
            hi += DEFAULT_GAP
        elif chunk[0] == "*" and chunk[1:].isdigit() and len(chunk) < 5:
            hi += int(chunk[1:])
        elif chunk == "?":
            lo, hi = lo + 1, hi + 1
        else:
            core = chunk.strip("|")
            if "|" in core:
                alts = [a for a in map(_alternative, core.split("|")) if a]
                items = [tuple(alts)] if alts else []
            elif len(chunk) > 1 and chunk.endswith("*"):
                items = [((True, plain(chunk[:-1].lower()), None),)]
            else:
                items = [((False, t.plain, t.value),) for t in words(chunk)
                         if t.kind not in _IGNORED]
            for item in items:
                steps.append((min(lo, MAX_GAP), min(hi, MAX_GAP), item))
                lo = hi = 0
    return tuple(steps)


def _first_positions(item: tuple, sent: Sentence) -> list[int]:
    """The content tokens of ``sent`` that the item fits, in order: a token fits an alternative that is a stem when
    its plain text starts with the stem, one that is a number when its value equals it, a word when its plain text
    is that word. Remembered on the sentence: the same item comes back in patterns of several checks of a question."""
    memo = sent.firsts
    known = memo.get(item)
    if known is not None:
        return known
    found: set[int] = set()
    for prefix, text, value in item:
        if prefix:
            words_ = _sorted_words(sent)
            k = bisect_left(words_, text)  # the words starting with text sort together, from here
            while k < len(words_) and words_[k].startswith(text):
                found.update(sent.by_word[words_[k]])
                k += 1
        elif value is not None:
            found.update(sent.by_value.get(value, ()))
        else:
            found.update(sent.by_word.get(text, ()))
    memo[item] = known = sorted(found)
    return known


def _sorted_words(sent: Sentence) -> list[str]:
    """The sentence's distinct words in sorted order (a stem's words are then one run, found by bisection)."""
    known = sent.firsts.get(None)
    if known is None:
        known = sent.firsts[None] = sorted(sent.by_word)
    return known


def _fit_set(item: tuple, sent: Sentence) -> frozenset:
    """The content positions of ``sent`` the item fits, as a set (remembered on the sentence like _first_positions)."""
    key = ("set", item)
    known = sent.firsts.get(key)
    if known is None:
        known = sent.firsts[key] = frozenset(_first_positions(item, sent))
    return known


def _passable(sent: Sentence) -> tuple[bool, ...]:
    """Per content token: a negator or filler that may be passed over between two items."""
    known = sent.firsts.get("passable")
    if known is None:
        known = sent.firsts["passable"] = tuple(t.plain in _PASSABLE for t in sent.content)
    return known


# "log Z is probably similar to the log likelihood" says no "log Z is the log likelihood": a gap between two items
# never passes over a word of likeness
_LIKENESS = frozenset("similar analogous akin comparable resembles resemble resembling related semblable"
                      " semblables analogue analogues similaire similaires ahnlich simile simili".split())


def _likeness(sent: Sentence) -> tuple[bool, ...]:
    known = sent.firsts.get("likeness")
    if known is None:
        known = sent.firsts["likeness"] = tuple(t.plain in _LIKENESS for t in sent.content)
    return known


def _match_at(steps: tuple, sent: Sentence, s: int) -> tuple[int, tuple[int, ...]] | None:
    """Match ``steps`` from content token s: (end, positions of the items) or None."""
    cl, n, last = sent.clauses, len(sent.content), len(steps)
    passable, likeness = _passable(sent), _likeness(sent)
    seen: set[tuple[int, int]] = set()  # the first item fits: match_patterns only starts there
    stack = [(1, s + 1, (s,))]
    while stack:  # depth first, shortest gaps first; seen keeps the search polynomial
        k, j, got = stack.pop()
        if k == last:
            return j, got
        if (k, j) in seen:
            continue
        seen.add((k, j))
        lo, hi, item = steps[k]
        fit = _fit_set(item, sent)  # the tokens the item fits, looked up once per sentence
        if not fit:
            continue
        clause, hard, passed, found, p = cl[got[-1]], 0, 0, [], j
        while p < n:
            if p in fit and p - j >= lo:
                found.append(p)
            if cl[p] != clause or likeness[p]:
                break
            if passable[p] and passed < MAX_PASSED:
                passed += 1
            else:
                hard += 1
            if hard > hi:
                break
            p += 1
        stack.extend((k + 1, q + 1, got + (q,)) for q in reversed(found))
    return None


_SUBJECTS = frozenset("they it this these we i the em ils elles il elle les le la ce on".split())
# Bare answers by language; "other": the yes and no of languages read without their own hedges or opinions
# (German, Dutch, Scandinavian, Polish, Portuguese), which students answer in too ("Nie. S34 = 0", "Nee.")
BARE_YES = {"en": ("yes", "yeah", "yep"), "fr": ("oui", "si"), "other": ("ja", "tak")}
BARE_NO = {"en": ("no", "nope"), "fr": ("non",), "other": ("nein", "nee", "nej", "nei", "nie", "nao")}
_YES_WORDS = frozenset(w for words in BARE_YES.values() for w in words)
_NO_WORDS = frozenset(w for words in BARE_NO.values() for w in words)
_ANSWER_LABELS = frozenset("answer reponse solution verdict".split())


def leading_answer(sent: Sentence) -> Token | None:
    """The bare Yes/No/Oui/Non/Si opening the sentence (after "Answer:"), if any: "no"/"non" only
    before a clause break, nothing, a change of emphasis, a pronoun, an article or a variable
    ("No they are not", but not the determiner in "No correlation exists")."""
    ct, cl = sent.content, sent.clauses
    k = 1 if len(ct) > 1 and ct[0].plain in _ANSWER_LABELS and cl[1] != cl[0] else 0
    if k >= len(ct) or ct[k].plain not in _YES_WORDS | _NO_WORDS:
        return None
    if ct[k].plain in _YES_WORDS or len(ct) == k + 1 or cl[k + 1] != cl[k]:
        return ct[k]
    nxt = ct[k + 1]
    if ct[k].emphasized != nxt.emphasized or nxt.plain in _SUBJECTS or nxt.kind == "var":
        return ct[k]
    return None


def stated_answer(sent: Sentence) -> Token | None:
    """The bare yes or no the sentence answers with: the one that opens it (leading_answer), or the one after "the
    answer is" anywhere in it ("…, so the answer is no they are not correlated")."""
    answer = leading_answer(sent)
    if answer is not None:
        return answer
    ct = sent.content
    k = next((j for j, t in enumerate(ct[:3]) if t.plain not in _SKIPPED_LEAD), None)  # "& So no: …", "Thus yes"
    if k is not None and ct[k].plain in _CONNECTIVES and k + 1 < len(ct) and ct[k + 1].plain in _YES_WORDS | _NO_WORDS:
        word = ct[k + 1]
        after = next((t for t in sent.tokens if t.start >= word.end), None)  # "So no: …", "Thus yes, …"
        if after is None or after.text in (":", ",", ".", ";", "—", "-") or k + 2 == len(ct):
            return word
    for k in range(2, len(ct)):
        if ct[k].plain in _YES_WORDS | _NO_WORDS and ct[k - 1].plain in _ANSWER_VERBS and ct[k - 2].plain in _ANSWER_LABELS:
            return ct[k]
    return None


_ANSWER_VERBS = frozenset("is est : ist es".split())
_CONNECTIVES = frozenset("so thus hence therefore donc alors also".split())
_SKIPPED_LEAD = frozenset("& - *".split())


def _window(sent: Sentence, s: int) -> list[Token]:
    """The tokens before content token s that can negate it (same clause, bounded); a bare "No" that answers the
    question (opening the sentence, or after "the answer is") negates nothing."""
    ct, cl, k = sent.content, sent.clauses, s - 1
    answer = stated_answer(sent)
    floor = 0 if answer is None or ct.index(answer) >= s else ct.index(answer) + 1
    inner = next(((a, b) for a, b in sent.asides if a <= s < b), None)
    floor = max(floor, inner[0]) if inner else floor  # inside an aside: only its own words negate
    while k >= floor and s - k <= NEGATION_WINDOW and cl[k] == cl[s]:
        joins_vars = 0 < k < len(ct) - 1 and ct[k - 1].kind == ct[k + 1].kind == "var"
        if ct[k].plain in ("and", "et") and not joins_vars:
            break
        k -= 1
    # after an aside, its words negate nothing: "not (as far as I can tell) correlated" is still "not correlated"
    return [ct[j] for j in range(k + 1, s) if inner or not any(a <= j < b for a, b in sent.asides)]


@dataclass(frozen=True)
class _PatternIndex:
    """A list of patterns compiled once, with the patterns each first item can open: a sentence is then tried only
    with the patterns whose first item one of its words fits (a rubric's list of thirty patterns, most of which
    a given sentence cannot start)."""

    compiled: tuple  # (index in the list, pattern, steps) of every pattern with steps
    by_word: dict  # a first item's plain word → positions in ``compiled``
    by_value: dict  # a first item's number → positions in ``compiled``
    by_prefix: tuple  # (stem, positions in ``compiled``) of first items that are stems


def _build_index(patterns) -> _PatternIndex:
    compiled = tuple((i, p, steps) for i, p in enumerate(patterns or [])
                     if isinstance(p, str) and p.strip() and (steps := _compile(p)))
    by_word: dict = {}
    by_value: dict = {}
    by_prefix: dict = {}
    for k, (_, _, steps) in enumerate(compiled):
        for prefix, text, value in steps[0][2]:
            where = by_prefix if prefix else by_value if value is not None else by_word
            key = value if where is by_value else text
            if k not in where.setdefault(key, []):
                where[key].append(k)
    return _PatternIndex(compiled, by_word, by_value, tuple(by_prefix.items()))


@lru_cache(maxsize=1024)
def _index_cached(patterns: tuple) -> _PatternIndex:
    return _build_index(patterns)


def _pattern_index(patterns) -> _PatternIndex:
    """The index of ``patterns``, built once per list of patterns a rubric gives."""
    key = tuple(patterns or ())
    try:
        return _index_cached(key)
    except TypeError:  # an unhashable item (never a pattern) is skipped as before, without the cache
        return _build_index(patterns)


def _candidates(index: _PatternIndex, sent: Sentence) -> list[int]:
    """Positions in ``index.compiled`` of the patterns whose first item fits some token of ``sent``, in order."""
    found: set[int] = set()
    for word in sent.by_word:
        hit = index.by_word.get(word)
        if hit:
            found.update(hit)
    if index.by_value:
        for value in sent.by_value:
            hit = index.by_value.get(value)
            if hit:
                found.update(hit)
    if index.by_prefix:
        words_ = _sorted_words(sent)
        for stem, hit in index.by_prefix:
            k = bisect_left(words_, stem)
            if k < len(words_) and words_[k].startswith(stem):
                found.update(hit)
    return sorted(found)


# What someone might think, or what the student first thought: the clause it opens states no claim of theirs
_SUPPOSING = (("one", "might", "think"), ("one", "could", "think"), ("one", "may", "think"), ("one", "might", "expect"),
              ("you", "might", "think"), ("one", "would", "think"), ("i", "first", "thought"),
              ("at", "first", "i", "thought"), ("i", "initially", "thought"), ("it", "is", "tempting"),
              ("a", "common", "mistake"), ("on", "pourrait", "penser"), ("on", "pourrait", "croire"),
              ("j'ai", "d'abord", "cru"), ("man", "konnte", "denken"))
_SUPPOSING_FIRST = frozenset(lead[0] for lead in _SUPPOSING)


def _supposed_clauses(sent: Sentence) -> frozenset:
    """The clauses of ``sent`` that a supposition opens ("one might think …", "I first thought …")."""
    known = sent.firsts.get("supposed")
    if known is None:
        ct, found = sent.content, set()
        for k, tok in enumerate(ct):
            if tok.plain in _SUPPOSING_FIRST:
                for lead in _SUPPOSING:
                    if tuple(t.plain for t in ct[k : k + len(lead)]) == lead:
                        found.add(sent.clauses[min(k + len(lead), len(ct) - 1)])
        known = sent.firsts["supposed"] = frozenset(found)
    return known


def match_patterns(sentences: list[Sentence], patterns: list[str],
                   overlapping: bool = False) -> list[PhraseMatch]:
    """Every match of ``patterns`` in reading order; overlapping matches are resolved in favour
    of the longer one (then the earlier, then the earlier pattern) unless ``overlapping``."""
    index = _pattern_index(patterns)
    compiled = index.compiled
    out: list[PhraseMatch] = []
    for si, sent in enumerate(sentences):
        ct = sent.content
        if not ct:
            continue
        supposed = _supposed_clauses(sent)
        for k in _candidates(index, sent):
            index_, pattern, steps = compiled[k]
            starts = _first_positions(steps[0][2], sent)
            resume = 0
            for s in starts:
                hit = _match_at(steps, sent, s) if s >= resume else None
                if hit is None:
                    continue
                end, got = hit
                resume = end  # a later start inside this match would only overlap it
                if sent.clauses[s] in supposed:
                    continue  # "one might think EM converges to ±1": what the student sets up to reject
                inside = [ct[q] for q in range(s, end) if q not in got]
                before = _window(sent, s)
                negs = before + inside
                emph = (any(t.emphasized for t in ct[s:end])
                        or any(t.emphasized for t in before[-2:])
                        or any(t.emphasized for t in negs if t.plain in _PASSABLE))
                out.append(PhraseMatch(pattern, index_, si, s, end, ct[s].start, ct[end - 1].end,
                                       negation_count(negs), emph))
    if not overlapping:
        kept, taken = [], [bytearray(len(s.content)) for s in sentences]
        for m in sorted(out, key=lambda m: (m.first - m.last, m.sentence, m.first, m.index)):
            row = taken[m.sentence]
            if not any(row[m.first:m.last]):
                row[m.first:m.last] = b"\x01" * (m.last - m.first)
                kept.append(m)
        out = kept
    return sorted(out, key=lambda m: (m.sentence, m.first, m.index))


def find_all_phrases(text: str, patterns: list[str], sentences: list[Sentence] | None = None) -> list[Found]:
    """All non-overlapping matches of ``patterns`` in reading order. Found.value is the pattern;
    Found.extra: negated (bool), negations (int), pattern, sentence (span)."""
    sents = parse_sentences(text) if sentences is None else sentences  # given: parsed once by the caller
    return [Found(m.pattern, m.start, m.end, " ".join(text[m.start:m.end].split())[:200],
                  m.emphasized, {"negated": m.negated, "negations": m.negations,
                                 "pattern": m.pattern, "sentence": sents[m.sentence].span})
            for m in match_patterns(sents, patterns)]


def find_phrase(text: str, patterns: list[str]) -> Found | None:
    """The first match of any of ``patterns`` in reading order (see find_all_phrases)."""
    hits = find_all_phrases(text, patterns)
    return hits[0] if hits else None


# --- statements naming a pair of variables ---------------------------------------------------
