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
   None: the question makes a bare yes/no ambiguous, so it is ignored).
2. A sentence gives at most one piece of evidence per side, weighted 1, plus 3 when it is
   emphasized (bold, boxed, or a bold word such as **will** right before it), plus 1 when the
   sentence concludes (thus, therefore, hence, conclude, donc, ainsi …), plus 0.5 for the first
   and the last sentence.
3. The side with the larger total wins; equal totals are a contradiction (value None).
4. Confidence: 0.9 when the deciding evidence is emphasized, concluding, a bare answer or in the
   first/last sentence, else 0.75; +0.05 per further agreeing sentence (at most 0.95); times
   (0.5 + 0.5 × margin) when the other side has evidence too; times 0.75 when the deciding
   sentence hedges (I think, probably, might, seems, je pense, peut-être …).

``lang_hint`` ("en" or "fr") limits the bare answer words and hedges to that language; None takes
both. Negation is always read in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.textgeom import compact

from .phrases import Sentence, leading_answer, match_patterns, parse_sentences
from .tokens import Token

__all__ = ["Stance", "extract_stance"]

STRONG_CONFIDENCE = 0.9
PLAIN_CONFIDENCE = 0.75
HEDGE_FACTOR = 0.75
EMPHASIS_WEIGHT = 3.0
CONCLUSION_WEIGHT = 1.0
EDGE_WEIGHT = 0.5  # first or last sentence

_YES = {"en": ("yes", "yeah", "yep"), "fr": ("oui", "si")}
_NO = {"en": ("no", "nope"), "fr": ("non",)}
_HEDGE_WORDS = {
    "en": frozenset("probably maybe perhaps might may likely possibly seems seem presumably"
                    " guess".split()),
    "fr": frozenset("probablement semble semblerait sembleraient peutetre possiblement"
                    " vraisemblablement".split()),
}
_HEDGE_PAIRS = {
    "en": frozenset({("i", "think"), ("i", "believe"), ("i", "suppose"), ("not", "sure")}),
    "fr": frozenset({("je", "pense"), ("je", "crois"), ("peut", "etre"), ("sans", "doute"),
                     ("il", "semble")}),
}
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
    labels: list[str]


def _languages(lang_hint: str | None) -> tuple[str, ...]:
    hint = (lang_hint or "").lower()[:2]
    return (hint,) if hint in ("en", "fr") else ("en", "fr")


def _hedge(sent: Sentence, langs: tuple[str, ...]) -> str | None:
    ct = sent.content
    for k, tok in enumerate(ct):
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


def _bare_answer(sent: Sentence, langs: tuple[str, ...]) -> Token | None:
    """The bare yes/no word opening the sentence, in one of ``langs``."""
    word = leading_answer(sent)
    if word is None or not any(word.plain in _YES[g] + _NO[g] for g in langs):
        return None
    return None if word.plain == "si" and langs != ("fr",) else word  # "si" is "if" elsewhere


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
    edges = {filled[0], filled[-1]}
    reasons: list[str] = []
    found: dict[tuple[int, bool], _Evidence] = {}

    concluding = {si: _concludes(sents[si]) for si in filled}

    def add(si: int, side: bool, emphasized: bool, bare: bool, label: str) -> None:
        concl = concluding[si]
        weight = (1.0 + EMPHASIS_WEIGHT * emphasized + CONCLUSION_WEIGHT * concl
                  + EDGE_WEIGHT * (si in edges))
        strong = emphasized or concl or bare or si in edges
        old = found.get((si, side))
        if old is None:
            found[(si, side)] = _Evidence(side, weight, si, strong, [label])
        else:
            old.weight, old.strong = max(old.weight, weight), old.strong or strong
            old.labels.append(label)

    for si in filled:
        word = _bare_answer(sents[si], langs)
        if word is None:
            continue
        answer = word.plain in _YES["en"] + _YES["fr"]
        if bare_yes is None:
            reasons.append(f'ignored a bare "{word.text}": yes/no is ambiguous for this question')
        else:
            add(si, answer == bare_yes, word.emphasized, True, f'bare "{word.text}"')
    for m in match_patterns(sents, affirm + deny):
        side = (m.index < len(affirm)) != m.negated
        label = f'"{compact(text[m.start:m.end], 80)}"' + " (negated)" * m.negated
        add(m.sentence, side, m.emphasized, False, label + " (emphasized)" * m.emphasized)

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
    hedge = _hedge(sents[best.sentence], langs)
    if hedge:
        confidence *= HEDGE_FACTOR
        reasons.append(f'hedged ("{hedge}")')
    a, b = sents[best.sentence].span
    return Stance(side, compact(text[a:b], 300), round(max(0.0, min(1.0, confidence)), 3),
                  tuple(reasons))
