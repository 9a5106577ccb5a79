"""Values stated in the variables' order without their names, and the homework's concluding words (``cues``)."""

import pytest

from grader.checkers.values import check_values
from grader.extract.answer import Answer
from grader.extract.assignments import find_assignments
from grader.extract.positional import cue_pattern, positional_values

CUES = ("fixed point", "converge*", "point fixe")
MU = {"mu1": ["\\mu_1", "mu1"], "mu2": ["\\mu_2", "mu2"]}


SUBJECTS = ("means", "centres", "moyennes")


def read(text, count=2, cues=CUES, subjects=()):
    return [f.value for f in positional_values(text, count, cue_pattern(tuple(cues)), cue_pattern(tuple(subjects)))]


@pytest.mark.parametrize("text, expected", [
    # the values alone, at the head of a sentence or a line
    ("0 and 0 (every responsibility is 1/2, so both means are the data average).", (0.0, 0.0)),
    ("-1 and 1.", (-1.0, 1.0)),
    ("−1, 1", (-1.0, 1.0)),
    ("- 0 et 0", (0.0, 0.0)),
    ("Answer: $0$ and $0$.", (0.0, 0.0)),
    ("**-1 and 1**", (-1.0, 1.0)),
    ("→ 1/2 and 1/2", (0.5, 0.5)),
    # a pronoun subject and a verb
    ("They become 0 and 0.", (0.0, 0.0)),
    ("Both are 0.", (0.0, 0.0)),
    ("They are both 0, since every responsibility is 1/2.", (0.0, 0.0)),
    ("Both means converge to 0.", (0.0, 0.0)),
    ("Les deux moyennes deviennent 0.", (0.0, 0.0)),
    ("Elles valent -1 et 1 respectivement.", (-1.0, 1.0)),
    ("Tous les deux valent 0.", (0.0, 0.0)),
    # a cue of the caller's
    ("The fixed point is -1 and 1.", (-1.0, 1.0)),
    ("The fixed point of EM is 0 and 0.", (0.0, 0.0)),
    ("**Fixed point:** 0 and 0", (0.0, 0.0)),
    ("Point fixe : -1 et 1.", (-1.0, 1.0)),
    ("Le point fixe est 0 et 0.", (0.0, 0.0)),
    ("EM converges to 0 and 0.", (0.0, 0.0)),
    ("K-means converges after one step to -1 and 1.", (-1.0, 1.0)),
])
def test_a_statement_in_order(text, expected):
    assert read(text) == [expected]


@pytest.mark.parametrize("text", [
    "-1 and 1 are the data points.",  # the numbers are a subject
    "The responsibilities are 0.98 and 0.02 for x_1.",  # a qualified pair, and no pronoun subject
    "They are 0.98 and 0.02 for the first point.",
    "They start at 2 and 2.",  # where the algorithm starts
    "Initially 2 and 2.",
    "From 2 and 2, both move.",
    "$\\gamma = 0.98$ and $0.02$",  # a value of another quantity
    "they are 0.5 and 1.5 times larger",
    "$$0 and 0$$",  # display math has names or vectors
    "Both are 0.5, 0.5 and 0.5.",  # three values for two variables
    "They are 0.",  # one value, not said of both
    "The answer involves 0 and 0 somewhere.",  # not at the head of the sentence
    "The means move to 0 and 0.",  # "the means" is no pronoun, and no cue is given here
])
def test_no_statement_in_order(text):
    assert read(text, cues=()) == []


@pytest.mark.parametrize("text, expected", [
    ("The means become 0 and 0.", (0.0, 0.0)),
    ("K-means: the centres move to -1 and 1, then nothing changes.", (-1.0, 1.0)),
    ("Les moyennes deviennent -1 et 1.", (-1.0, 1.0)),
    ("The responsibilities are 0.98 and 0.02, so the means become -0.96 and 0.96.", (-0.96, 0.96)),
])
def test_the_callers_subjects(text, expected):
    assert read(text, cues=(), subjects=SUBJECTS) == [expected]
    assert read(text, cues=(), subjects=()) == []


@pytest.mark.parametrize("text, expected", [
    # decimal commas when they give as many values as asked, commas between values otherwise
    ("Les moyennes valent -0,71 et 0,71.", (-0.71, 0.71)),
    ("Elles deviennent 0,5, 0,5.", (0.5, 0.5)),
    ("Les centres deviennent -1,1.", (-1.0, 1.0)),
    # a "when" before the subject
    ("After one step the means become -0.71 and 0.71.", (-0.71, 0.71)),
    ("Après une itération, les moyennes valent -0,71 et 0,71.", (-0.71, 0.71)),
    ("At the next iteration, the centres are -1 and 1.", (-1.0, 1.0)),
])
def test_decimal_commas_and_a_when_before_the_subject(text, expected):
    assert read(text, cues=(), subjects=SUBJECTS) == [expected]


def test_a_when_that_says_where_it_starts_is_still_a_start():
    assert read("At the first iteration, starting from 2 and 2, the means are 2 and 2.", cues=(),
                subjects=SUBJECTS) == []


def test_a_concluding_clause_is_read_as_a_sentence():
    assert read("We get 0.98 and 0.02; so both are 0.") == [(0.0, 0.0)]
    assert read("Les responsabilités valent 1/2, donc les deux valent 0.") == [(0.0, 0.0)]


def test_cues_are_the_callers():
    assert read("The fixed point is -1 and 1.", cues=()) == []
    assert read("The limit is -1 and 1.", cues=("limit",)) == [(-1.0, 1.0)]
    assert cue_pattern(()) is None


def test_one_value_for_every_variable_needs_both_or_all():
    assert read("Both are 0.", count=3) == [(0.0, 0.0, 0.0)]
    assert read("0, 1 and 2.", count=3) == [(0.0, 1.0, 2.0)]
    assert read("0 and 1.", count=1) == []  # one variable: the checker reads a lone number itself


def values(text, expected=(0.0, 0.0), cues=CUES, subjects=SUBJECTS):
    return check_values(Answer.from_text(text), variables=MU, expected=list(expected), tol=1e-6, vector=["mu"],
                        cues=list(cues), subjects=list(subjects))


def test_the_checker_reads_values_in_order_when_none_is_named():
    outcome = values("0 and 0 (all responsibilities are 1/2, so both means are the data average).")
    assert outcome.fraction == 1.0 and outcome.value == {"mu1": 0.0, "mu2": 0.0}
    assert values("-1 and 1", expected=(-1, 1)).fraction == 1.0
    assert values("1 and -1", expected=(-1, 1)).fraction == 0.0  # the order is the variables'


def test_the_checker_prefers_named_values_and_the_last_emphasized_statement():
    assert values("They become 2 and 2. Then $\\mu_1 = \\mu_2 = 0$.").value == {"mu1": 0.0, "mu2": 0.0}
    assert values("**0 and 0**. Then they are 1 and 1.").value == {"mu1": 0.0, "mu2": 0.0}
    assert values("They are 1 and 1. Then they become 0 and 0.").value == {"mu1": 0.0, "mu2": 0.0}


def test_no_statement_in_order_leaves_the_answer_unread():
    outcome = values("The responsibilities are 0.98 and 0.02 for x_1.")
    assert outcome.fraction == 0.0 and not outcome.found


def test_cues_mark_a_concluding_statement():
    text = "Fixed point $\\mu_1 = -1$. Fixed point $\\mu_1 = 1$."
    plain = find_assignments(text, MU)
    cued = find_assignments(text, MU, cues=("fixed point",))
    assert [f.extra["concluding"] for f in plain] == [False, False]
    assert [f.extra["concluding"] for f in cued] == [True, True]
    assert [f.extra["concluding"] for f in find_assignments("Thus $\\mu_1 = 1$.", MU)] == [True]


def test_concluding_statements_that_disagree_are_noted_only_with_the_cue():
    text = "The fixed point is $\\mu_1 = -1$, $\\mu_2 = 1$. We get $\\mu_1 = 0$. The fixed point is $\\mu_1 = 0.5$."
    assert not values(text, cues=()).message.count("disagree")
    assert "disagree" in values(text).message


def test_zero_written_as_a_word():
    from grader.extract.positional import cue_pattern, positional_values

    text = "The M-step puts each mean at the average of the data, so both means end up at zero after a single update."
    assert [f.value for f in positional_values(text, 2, None, cue_pattern(("means",)))] == [(0.0, 0.0)]
