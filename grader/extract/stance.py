"""A yes/no stance on one proposition, read from the prose of an answer.

The caller describes the proposition the question asks about with phrase patterns (the pattern
language of phrases.py): ``affirm`` patterns assert it, ``deny`` patterns deny it. For "are X3 and
X4 correlated?": affirm = ["correlated", "dependent", "not independent", "cov * neq 0"], deny =
["uncorrelated", "not correlated", "independent", "sigma_34 eq 0", "cov * eq 0"].

How the stance is decided:

1. Evidence, sentence by sentence: every match of an affirm or deny pattern (overlaps go to the
   longer match), flipped when it is negated ("not correlated" with affirm "correlated" denies;
   "not independent" with deny "independent" affirms); and a bare Yes/No/Oui/Non opening the
   answer or a sentence, mapped through ``bare_yes`` (True: yes affirms, False: yes denies,
   None: the question makes a bare yes/no ambiguous, so it is ignored). An opinion that fills its
   clause is a bare answer too: "I (don't) think so", "I think not", "not at all", "je (ne) pense
   pas", "je ne crois pas", "je pense que oui/non", "pas du tout" ("je ne pense pas qu'il
   converge" is no bare answer: its proposition is read by the patterns, negated).
2. A sentence gives at most one piece of evidence per side, weighted 1, plus 3 when it is
   emphasized (bold, boxed, or a bold word such as **will** right before it), plus 1 when the
   sentence concludes (thus, therefore, hence, conclude, donc, ainsi …), plus 0.5 for the first
   and the last sentence.
3. The side with the larger total wins; equal totals are a contradiction (value None), and so are two
   stated answers that disagree, in different sentences: a bare yes/no or an emphasized verdict on each side
   ("yes, they are correlated" … "Σ34 = 0, so **uncorrelated**"), whatever their weights.
4. Confidence: 0.9 when the deciding evidence is emphasized, concluding, a bare answer or in the
   first/last sentence, else 0.75; +0.05 per further agreeing sentence (at most 0.95); times
   (0.5 + 0.5 × margin) when the other side has evidence too; times 0.75 when the deciding
   evidence is hedged: a hedge (I think, probably, might, seems, je pense, peut-être …) in one of
   its clauses ("one might expect ±1, but both converge to 0" hedges the expectation, not the
   verdict).

5. A claim quoted and judged ('"X3 and X4 are correlated": **False**') is a stated answer: its phrases count as
   the quote says when it is judged true, the other way when false, and the True/False is not read again alone.

6. A sentence that asks ("Conditionally correlated given X1, X2?", the question copied above the answer) is
   no evidence, unless True or False follows it on its line ("converges to (-1, 1)? False", what a check
   printed): then it is a claim judged, as a quoted one is.

7. A correction ("Correction: …", "EDIT: …", "… but actually …", grader.extract.revisions) followed by a
   verdict supersedes the evidence before it: the student's final word, not a contradiction.

``lang_hint`` ("en" or "fr") limits the bare answer words and hedges to that language; None takes
both, and the bare yes and no of a few more languages ("ja", "nee", "nie", grader.extract.phrases.BARE_YES). Negation is always read in both languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.markup import QUOTED
from grader.textgeom import compact

from .phrases import BARE_NO, BARE_YES, Sentence, match_patterns, parse_sentences, stated_answer
from .revisions import correction_starts

__all__ = ["Stance", "extract_stance"]

STRONG_CONFIDENCE = 0.9
PLAIN_CONFIDENCE = 0.75
HEDGE_FACTOR = 0.75
EMPHASIS_WEIGHT = 3.0
CONCLUSION_WEIGHT = 1.0
EDGE_WEIGHT = 0.5  # first or last sentence

_YES, _NO = BARE_YES, BARE_NO
_ALL_YES = frozenset(w for words in _YES.values() for w in words)
_ALL_BARE = _ALL_YES | frozenset(w for words in _NO.values() for w in words)
_HEDGE_WORDS = {
    "en": frozenset("probably maybe perhaps might may likely possibly seems seem presumably"
                    " guess".split()),
    "fr": frozenset("probablement semble semblerait sembleraient peutetre possiblement"
                    " vraisemblablement".split()),
    "other": frozenset(),
}
_HEDGE_PAIRS = {
    "en": frozenset({("i", "think"), ("i", "believe"), ("i", "suppose"), ("not", "sure")}),
    "fr": frozenset({("je", "pense"), ("je", "crois"), ("peut", "etre"), ("sans", "doute"),
                     ("il", "semble")}),
    "other": frozenset(),
}
# opinions that answer a yes/no question by themselves, when they fill their clause (token plains)
_OPINIONS = {
    "en": {("i", "think", "so"): True, ("i", "believe", "so"): True, ("i", "guess", "so"): True,
           ("i", "suppose", "so"): True, ("i", "think", "not"): False, ("i", "believe", "not"): False,
           ("i", "do", "n't", "think", "so"): False, ("i", "do", "not", "think", "so"): False,
           ("i", "do", "n't", "believe", "so"): False, ("i", "do", "not", "believe", "so"): False,
           ("not", "at", "all"): False, ("certainly", "not"): False, ("definitely", "not"): False,
           ("absolutely", "not"): False, ("of", "course", "not"): False, ("i", "think", "yes"): True,
           ("i", "think", "no"): False, ("i", "believe", "yes"): True, ("i", "believe", "no"): False},
    "fr": {("je", "pense", "que", "oui"): True, ("je", "crois", "que", "oui"): True,
           ("je", "pense", "que", "non"): False, ("je", "crois", "que", "non"): False,
           ("je", "ne", "pense", "pas"): False, ("je", "ne", "crois", "pas"): False,
           ("pas", "du", "tout"): False, ("absolument", "pas"): False, ("certainement", "pas"): False,
           ("bien", "sur", "que", "non"): False, ("bien", "sur", "que", "oui"): True},
    "other": {},
}
_OPINION_LABELS = frozenset("answer reponse solution verdict".split())
_CONCLUDING = frozenset("thus therefore hence consequently conclude concluded conclusion finally"
                        " overall donc ainsi finalement conclure conclut".split())


@dataclass(frozen=True)
class Stance:
    """An answer's verdict on a yes/no proposition, the sentence it rests on and how sure the reading is."""

    value: bool | None  # True affirms the proposition, False denies it, None: none or contradictory
    evidence: str  # the sentence the value rests on
    confidence: float  # 0..1
    reasons: tuple[str, ...]


@dataclass
class _Evidence:
    """The weight one sentence gives to one side of the verdict."""

    side: bool
    weight: float
    sentence: int
    strong: bool
    declared: bool  # a bare yes/no or an emphasized verdict: the student's stated answer, not a mention
    labels: list[str]
    clauses: set[int]


def _languages(lang_hint: str | None) -> tuple[str, ...]:
    hint = (lang_hint or "").lower()[:2]
    return (hint,) if hint in ("en", "fr") else ("en", "fr", "other")


def _hedge(sent: Sentence, langs: tuple[str, ...], clauses: set[int]) -> str | None:
    """The first hedge in one of ``clauses`` of the sentence (a hedge and the verdict share a clause)."""
    ct = sent.content
    for k, tok in enumerate(ct):
        if sent.clauses[k] not in clauses:
            continue
        pair = (tok.plain, ct[k + 1].plain) if k + 1 < len(ct) else None
        for lang in langs:
            if tok.plain in _HEDGE_WORDS[lang]:
                return tok.text
            if pair in _HEDGE_PAIRS[lang]:
                return f"{tok.text} {ct[k + 1].text}"
    return None


def _concludes(sent: Sentence) -> bool:
    ct = sent.content
    return bool(ct) and (ct[0].plain == "so" or any(t.plain in _CONCLUDING for t in ct))


def _opinion(sent: Sentence, langs: tuple[str, ...]) -> tuple[int, int, bool, bool, int] | None:
    """An opinion filling the first clause ("I don't think so", "je ne pense pas"):
    (start, end, emphasized, yes, its clause)."""
    ct, cl = sent.content, sent.clauses
    k = 1 if len(ct) > 1 and ct[0].plain in _OPINION_LABELS and cl[1] != cl[0] else 0
    if k < len(ct) and ct[k].plain in _ALL_BARE and k + 1 < len(ct) \
            and cl[k + 1] != cl[k]:
        k += 1  # "Non, je ne pense pas": the opinion after a bare no
    # the first clause, or a later one after "but" ("I'm not sure, but I think yes")
    starts = [k] + [j + 1 for j in range(max(k, 1), len(ct) - 1) if ct[j].plain in ("but", "mais") and cl[j] != cl[j - 1]]
    for k in starts:
        end = k
        while end < len(ct) and end - k < 6 and cl[end] == cl[k]:
            end += 1
        # "so" opens a clause ("so they converge"), but ends one in "I think so"
        if k < end < len(ct) and ct[end].plain == "so" and (end + 1 == len(ct) or cl[end + 1] != cl[end]):
            end += 1
        clause = tuple(t.plain for t in ct[k:end])
        for lang in langs:
            yes = _OPINIONS[lang].get(clause)
            if yes is not None:
                toks = ct[k:end]
                return toks[0].start, toks[-1].end, any(t.emphasized for t in toks), yes, cl[k]
    return None


def _bare_answer(sent: Sentence, langs: tuple[str, ...]) -> tuple[int, int, bool, bool, int] | None:
    """The bare yes/no word opening the sentence, in one of ``langs``, or an opinion that says yes or no
    by itself: (start, end, emphasized, yes, its clause)."""
    word = stated_answer(sent)
    if word is not None and any(word.plain in _YES[g] + _NO[g] for g in langs) \
            and not (word.plain == "si" and langs != ("fr",) and word.text.lower() not in ("sí", "sì")):
        # "si" is "if" elsewhere; "Sí" (Spanish) and "Sì" (Italian) are yes
        clause = sent.clauses[next(k for k, t in enumerate(sent.content) if t is word)]
        return word.start, word.end, word.emphasized, word.plain in _ALL_YES, clause
    return _opinion(sent, langs)


# A claim quoted and judged: '"X3 and X4 are correlated": **False**', '« … » : vrai'
_JUDGED = re.compile(rf"({QUOTED.pattern})[\s*_]*[:—–-]?[\s*_]*"
                     r"(true|false|vrai|faux|wahr|falsch|verdadero|vero|falso)\b", re.IGNORECASE)
_TRUE_WORDS = frozenset({"true", "vrai", "wahr", "verdadero", "vero"})
_VERDICT_AFTER = re.compile(r"[^\S\n]*[*_]*(true|false|vrai|faux|wahr|falsch|verdadero|vero|falso)\b",
                            re.IGNORECASE)


def _judged_claims(text: str) -> list[tuple[int, int, bool, int]]:
    """(start, end, judged true, end of the verdict) of each quoted claim followed by True or False."""
    return [(m.start(1), m.end(1), m.group(2).lower() in _TRUE_WORDS, m.end()) for m in _JUDGED.finditer(text)]


def extract_stance(text: str, affirm: list[str], deny: list[str], bare_yes: bool | None, *,
                   lang_hint: str | None = None, sentences: list[Sentence] | None = None) -> Stance:
    """The answer's stance on the proposition described by ``affirm`` and ``deny`` patterns
    (see the module docstring for the rule)."""
    text = text if isinstance(text, str) else ""
    affirm = [p for p in (affirm or []) if isinstance(p, str)]
    deny = [p for p in (deny or []) if isinstance(p, str)]
    langs = _languages(lang_hint)
    sents = parse_sentences(text) if sentences is None else list(sentences)  # given: parsed once by the caller
    filled = [i for i, s in enumerate(sents) if s.content]
    if not filled:
        return Stance(None, "", 0.0, ("the answer has no words",))
    # the first and last sentences weigh more: the first after the question asked again, when it is copied above
    asked = {si for si in filled if text[sents[si].span[0]:sents[si].span[1]].rstrip(" *_$)\"'”»").endswith("?")}
    edges = {next((si for si in filled if si not in asked), filled[0]), filled[-1]}
    reasons: list[str] = []
    found: dict[tuple[int, bool], _Evidence] = {}

    concluding = {si: _concludes(sents[si]) for si in filled}

    def add(si: int, side: bool, emphasized: bool, bare: bool, label: str, clause: int) -> None:
        concl = concluding[si]
        weight = (1.0 + EMPHASIS_WEIGHT * emphasized + CONCLUSION_WEIGHT * concl
                  + EDGE_WEIGHT * (si in edges))
        strong = emphasized or concl or bare or si in edges
        old = found.get((si, side))
        if old is None:
            found[(si, side)] = _Evidence(side, weight, si, strong, bare or emphasized, [label], {clause})
        else:
            old.weight, old.strong = max(old.weight, weight), old.strong or strong
            old.declared = old.declared or bare or emphasized
            old.labels.append(label)
            old.clauses.add(clause)

    pending: list[tuple[int, tuple]] = []  # (where, the arguments of add)
    judged = _judged_claims(text)
    for si in filled:
        bare = _bare_answer(sents[si], langs)
        if bare is None:
            continue
        a, b, emphasized, answer, clause = bare
        if any(end <= a < after for _, end, _, after in judged):
            continue  # the True/False of a quoted claim: read with the claim below
        said = compact(text[a:b], 60)
        if bare_yes is None:
            reasons.append(f'ignored a bare "{said}": yes/no is ambiguous for this question')
        else:
            pending.append((a, (si, answer == bare_yes, emphasized, True, f'bare "{said}"', clause)))
    # "converges to (-1, 1)? False": a question the answer judges right after it is a claim judged
    answered = {si: verdict.group(1).lower() in _TRUE_WORDS for si in asked
                if (verdict := _VERDICT_AFTER.match(text, sents[si].span[1]))}
    for m in match_patterns(sents, affirm + deny):
        if m.sentence in asked and m.sentence not in answered:
            continue  # "Conditionally correlated given X1, X2?": the question asked again, no claim
        side = (m.index < len(affirm)) != m.negated
        label = f'"{compact(text[m.start:m.end], 80)}"' + " (negated)" * m.negated
        claim = next((c for c in judged if c[0] <= m.start < c[1]), None)
        if claim is not None:  # '"X3 and X4 are correlated": False' denies what the quote says
            side = side == claim[2]
            label += f" (quoted, judged {'true' if claim[2] else 'false'})"
        elif m.sentence in answered:
            claim = (m.start, m.end, answered[m.sentence], m.end)
            side = side == claim[2]
            label += f" (asked, judged {'true' if claim[2] else 'false'})"
        pending.append((m.start, (m.sentence, side, m.emphasized, claim is not None,
                                  label + " (emphasized)" * m.emphasized, sents[m.sentence].clauses[m.first])))
    # "Correction: …", "I first thought yes, but actually no": the last correction followed by a verdict is the
    # student's final word; what it corrects is not a second answer
    cut = max((c for c in correction_starts(text) if any(at >= c for at, _ in pending)), default=None)
    if cut is not None and any(at < cut for at, _ in pending):
        reasons.append("a correction supersedes what came before it")
        pending = [p for p in pending if p[0] >= cut]
    for _, args in sorted(pending, key=lambda p: p[0]):
        add(*args)

    if not found:
        return Stance(None, "", 0.0, tuple(reasons) + ("no stance phrase or usable yes/no found",))
    items = sorted(found.values(), key=lambda e: e.sentence)
    for e in items:
        reasons.append(f"{'affirms' if e.side else 'denies'} in sentence {e.sentence + 1}: "
                       + ", ".join(e.labels))
    totals = {side: sum(e.weight for e in items if e.side == side) for side in (True, False)}
    if totals[True] == totals[False]:
        reasons.append(f"contradictory: affirming and denying evidence weigh the same "
                       f"({totals[True]:g})")
        return Stance(None, "", 0.0, tuple(reasons))
    declared = {e.side: e for e in items if e.declared}
    if len(declared) == 2 and declared[True].sentence != declared[False].sentence:
        # "yes, they are correlated" in one place, "**uncorrelated**" in another: two stated answers, whichever
        # weighs more; a person decides which one the student meant
        reasons.append(f"contradictory: a stated answer affirms (sentence {declared[True].sentence + 1}) and "
                       f"another denies (sentence {declared[False].sentence + 1})")
        return Stance(None, "", 0.0, tuple(reasons))
    side = totals[True] > totals[False]
    mine = [e for e in items if e.side == side]
    best = max(mine, key=lambda e: (e.weight, e.sentence))  # ties: the later sentence concludes
    confidence = STRONG_CONFIDENCE if best.strong else PLAIN_CONFIDENCE
    confidence = min(0.95, confidence + 0.05 * (len({e.sentence for e in mine}) - 1))
    if totals[not side] > 0:
        margin = (totals[side] - totals[not side]) / (totals[side] + totals[not side])
        confidence *= 0.5 + 0.5 * margin
        reasons.append(f"conflicting evidence (affirm {totals[True]:g} vs deny {totals[False]:g}):"
                       f" kept the {'affirming' if side else 'denying'} side, which weighs more"
                       " (emphasis and concluding sentences count extra)")
    hedge = _hedge(sents[best.sentence], langs, best.clauses)
    if hedge:
        confidence *= HEDGE_FACTOR
        reasons.append(f'hedged ("{hedge}")')
    a, b = sents[best.sentence].span
    return Stance(side, compact(text[a:b], 300), round(max(0.0, min(1.0, confidence)), 3),
                  tuple(reasons))
