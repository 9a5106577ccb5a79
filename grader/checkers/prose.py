"""Checkers for answers in words: a yes/no stance, the reasons cited, the variables named.

Patterns use the phrase language of grader.extract.phrases ("sigma_34 eq 0", "converg* to 0",
"x_3|x_4 ? independent"), matched on the answer's token stream in linear time.
"""

from __future__ import annotations

from grader.checkers.registry import Param, checker
from grader.extract.answer import Answer
from grader.model import Outcome

# How sure a reading is (compared with the rubric's review_below, 0.6 by default).
CONTRADICTION_CONFIDENCE = 0.3  # two verdicts of equal weight
NO_VERDICT_CONFIDENCE = 0.4  # prose with no recognisable yes or no
MISSING_PHRASE_CONFIDENCE = 0.7


@checker(
    "stance",
    affirm=Param("str-list", doc="patterns that assert the proposition the question asks about"),
    deny=Param("str-list", doc="patterns that deny it"),
    expected=Param("bool", doc="true when the right answer affirms the proposition"),
    bare_yes=Param("bool|null", required=False, default=None,
                   doc="what a bare 'Yes' means: true affirms, false denies, null: ambiguous, ignored"),
)
def check_stance(answer: Answer, *, affirm, deny, expected, bare_yes) -> Outcome:
    """The answer's verdict on a yes/no question, with negation and the question's polarity."""
    stance = answer.stance(affirm, deny, bare_yes)
    if stance.value is None:
        # An answer with no verdict, or two, is one a person should read.
        # extract_stance always gives reasons; only one of them says the verdicts contradict each other
        contradictory = any(r.startswith("contradictory") for r in stance.reasons)
        why = "contradictory verdicts" if contradictory else "no clear verdict"
        confidence = CONTRADICTION_CONFIDENCE if contradictory else NO_VERDICT_CONFIDENCE
        return Outcome(0.0, f"Found {why}.", stance.evidence, value=None, confidence=confidence)
    right = stance.value == expected
    return Outcome(1.0 if right else 0.0, "", stance.evidence, value=stance.value, confidence=stance.confidence)


@checker(
    "mentions",
    patterns=Param("str-list", doc="phrase patterns; any one found is enough"),
    negated=Param("bool|null", required=False, default=False,
                  doc="false: only affirmative uses count; true: only negated ones; null: either"),
    also=Param("str-list", required=False, default=(),
               doc="when given, one of these must be found too (an idea with two halves, e.g. both EM steps)"),
    unless=Param("str-list", required=False, default=(),
                 doc="an affirmative use of one of these makes the check fail (the idea named, then contradicted)"),
)
def check_mentions(answer: Answer, *, patterns, negated, also=(), unless=()) -> Outcome:
    """Passes when the answer uses one of the phrases (a reason cited, a concept named)."""
    first = _found(answer, patterns, negated)
    second = _found(answer, also, negated) if also else first
    if first is not None and second is not None:
        # "a lower bound ... I mean an upper bound": the contradicting phrase withholds the credit
        against = _found(answer, unless, False) if unless else None
        if against is not None:
            return Outcome(0.0, "", against.snippet, value=against.pattern)
        snippet = first.snippet if second is first else f"{first.snippet} … {second.snippet}"
        return Outcome(1.0, "", snippet, value=first.pattern)
    # Patterns can miss a paraphrase: a missing reason is less certain than a found one.
    return Outcome(0.0, "", found=True, confidence=MISSING_PHRASE_CONFIDENCE)


def _found(answer: Answer, patterns, negated):
    for found in answer.phrases(patterns):
        if found.asked:  # "Converge a mu1 = -1, mu2 = 1?": the question asked again says nothing of the answer's
            continue
        if negated is None or found.negated == negated:
            return found
    return None


@checker(
    "wrong_variables",
    pair=Param("int-set", doc="the indices of the pair the question is about"),
    given=Param("int-set", doc="the indices of the conditioning set"),
    symbol=Param("str", required=False, default="x", doc="the variables' letter"),
)
def check_wrong_variables(answer: Answer, *, pair, given, symbol) -> Outcome:
    """Passes when the answer names another pair, or conditions on the pair itself.

    A detector: "X1 and X2 are conditionally independent given X1 and X2" for a question about
    (X3, X4) given (X1, X2).
    """
    want_pair = frozenset(pair)  # `given` is part of the declaration; conditioning on the pair is what fires
    for found in answer.variable_pairs(symbol.lower()):
        if found.example:  # "for instance Cov(X2, X3 | X4) ≠ 0": another pair, to make a point
            continue
        named, cond = found.pair, found.given
        if named != want_pair:
            return Outcome(1.0, f"Names the pair {_names(named)} instead of {_names(want_pair)}.", found.snippet)
        if cond is not None and cond & want_pair:
            return Outcome(1.0, f"Conditions on {_names(cond)}.", found.snippet)
    return Outcome(0.0, "")


def _names(indices: frozenset) -> str:
    return ", ".join(f"X{i}" for i in sorted(indices))
