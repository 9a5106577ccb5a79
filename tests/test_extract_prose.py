"""Table-driven tests of the prose extractors: tokens, sets, stance, phrases and variable pairs."""

import random

import pytest
from timing import growth, repeated

from grader.extract.phrases import find_all_phrases, find_phrase
from grader.extract.variables import find_variable_pairs
from grader.extract.sets import final_set, find_sets
from grader.extract.stance import Stance, extract_stance
from grader.extract.tokens import sentences, words
from grader.textnorm import normalize

# the names the gaussian-em rubric gives the set it asks for (its `called` parameter)
BLANKET = ("Markov blanket", "blanket", "MB", "couverture de Markov", "couverture", "M_i")

# --- seed 004 (gaussian-em), the answers as the student wrote them ------------------------------

SEED_1A = r"""#### **Solution**
Since the entry of $\sum_{34} = 0$, we can conclude that $X_3$ and $X_4$ have 0 covariance, and are thus **not correlated**.

$$
\Sigma = 
\begin{bmatrix}
0.71 & -0.43 & 0.43 & 0 \\
-0.43 & 0.46 & -0.26 & 0 \\
0.43 & -0.26 & 0.46 & 0 \\
0 & 0 & 0 & 0.2 \\
\end{bmatrix}
$$"""

SEED_1B = r"""Using the precision matrix $Q$ to verify the conditional dependence of $X_1$ and $X_2$, we can see that $Q_{34} = 0$. This indicates that $X_1$ and $X_2$ are **conditionally independent** given $X_1$ and $X_2$.

Thus, we can conclude that $Cov(X_3, X_4 \mid X_1, X_2) = 0$.

$$
Q = 
\begin{bmatrix}
5 & 3 & -3 & 0 \\
3 & 5 & 0 & 0 \\
-3 & 0 & 5 & 0 \\
0 & 0 & 0 & 5 \\
\end{bmatrix}
$$"""

SEED_1C = r"""Using the precision matrix, $Q$, we can find the Markov blanket by finding the minimal set of variables needed to make $X_2$ conditionally indpendent of the other variables.

Given 

$$
Q = 
\begin{bmatrix}
5 & 3 & -3 & 0 \\
3 & 5 & 0 & 0 \\
-3 & 0 & 5 & 0 \\
0 & 0 & 0 & 5 \\
\end{bmatrix}
$$

Since we are interested in $X_2$, we will evaluate the second row of $Q$, $[3,5,0,0]$.

- $Q_{21} = 3$, so $X_2$ is conditionally dependent on $X_1$.
- $Q_{23}$ and $Q_{24}$ both equal 0, so $X_2$ is conditionally independent of $X_3$ and $X_4$.

Thus, **the Markov blanket for $X_2$ is:**

$$ X_{M_2} = \{X_1\} $$"""

SEED_2B = """I think the EM algorithm **will** eventually converge to $\\mu_1 = \u22121$ and $\\mu_2 = 1$, coinciding with the two data points. Here is my reasoning:

There are exactly two points and exactly two distributions, with the distributions having different means ($\\mu$). This means that the distributions are **not** identical. Thus, naturally each point will coincide precisely with a distribution. Furthermore, the symmetry of the model, including the means and the data points, around 0 suggests that the model will converge nicely."""

# --- the phrase lists a checker would pass -------------------------------------------------------

CORR_AFFIRM = ["correlated", "corrél*", "dependent", "not independent", "covariance is nonzero",
               "nonzero covariance", "sigma_34 neq 0", "cov * neq 0", "conditionally correlated"]
CORR_DENY = ["uncorrelated", "not correlated", "independent", "indépendant*", "décorrél*",
             "0 covariance", "covariance is 0", "sigma_34 eq 0", "q_34 eq 0", "cov * eq 0"]
EM_AFFIRM = ["converge to mu_1 eq -1", "converge* to the data points", "converge* to -1",
             "coincid* with the * data points", "converge* vers les points", "converge* vers -1"]
EM_DENY = ["shrink* to 0", "converge* to 0", "tend* to 0", "tendent vers 0", "go to 0"]


def stance(text, affirm=CORR_AFFIRM, deny=CORR_DENY, bare_yes=True, **kw) -> Stance:
    return extract_stance(normalize(text), affirm, deny, bare_yes, **kw)


# --- tokens ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    (r"$\Sigma_{34}$", ["sigma_34"]),
    ("Σ_{34}", ["sigma_34"]),
    (r"$\sum_{34} = 0$", ["sum", "34", "eq", "0"]),  # a sum, unless the course reads \sum as a typo (below)
    ("Sigma34", ["sigma_34"]),
    ("Q_{34}, Q_34, Q34, Q_{3,4}", ["q_34"] * 4),
    ("X_3 X_{3} X3 x_3", ["x_3"] * 4),
    (normalize("X₃ 𝑋3"), ["x_3", "x_3"]),
    (r"$\mu_1$ μ1", ["mu_1", "mu_1"]),
    (r"$X_{M_2}$", ["x_m_2"]),
    (r"a \mid b | c", ["a", "given", "b", "given", "c"]),
    (r"\neq ≠ != \not=", ["neq"] * 4),
    (r"\perp ⊥ \perp\!\!\!\perp", ["indep"] * 3),
    (r"\not\perp", ["not", "indep"]),
    (r"\emptyset ∅ \varnothing", ["emptyset"] * 3),
    (r"\sum_{i=1}^n x_i", ["sum", "i", "eq", "1", "n", "x_i"]),
    (r"\frac{1}{2}", ["frac", "1", "2"]),
    ("μ_1 = -1, (-1+2), 1-2, .96", ["mu_1", "eq", "-1", "-1", "+", "2", "1", "2", "0.96"]),
    ("zero", ["0"]),
    ("corrélées", ["corrélées"]),
    ("l'algorithme n'est pas", ["le", "algorithme", "ne", "est", "pas"]),
    ("don't, can't, won't", ["do", "n't", "can", "n't", "will", "n't"]),
    ("l’algorithme n’est, don’t", ["le", "algorithme", "ne", "est", "do", "n't"]),
    (r"$\operatorname{Cov}(Y)$ \text{not}", ["cov", "y", "not"]),
])
def test_word_forms(text, expected):
    assert [t.text for t in words(text) if t.kind != "punct"] == expected


def test_a_course_typo_reads_a_command_as_a_letter_only_with_a_digit_index():
    typos = {"sum": "Sigma"}  # a rubric's settings.typos: students type \sum_{34} for \Sigma_{34}
    assert [t.text for t in words(r"$\sum_{34} = 0$", typos)] == ["sigma_34", "eq", "0"]
    assert [t.text for t in words(r"\sum_{i=1}^n x_i", typos) if t.kind != "punct"] == ["sum", "i", "eq", "1", "n",
                                                                                           "x_i"]


@pytest.mark.parametrize("text, emphasized", [
    ("are **not correlated** now", ["not", "correlated"]),
    ("__bold__ plain", ["bold"]),
    (r"\textbf{not} correlated", ["not"]),
    (r"\emph{independent} then \boxed{X_1}", ["independent", "x_1"]),
    ("**open but never closed\n\nnext", []),
    ("$a ** b$ and **c**", ["c"]),
])
def test_emphasis_is_recorded(text, emphasized):
    assert [t.text for t in words(text) if t.emphasized] == emphasized


def test_token_offsets_point_into_the_text():
    text = r"so $X_{3} \perp X_4$ and **Q34**"
    toks = words(text)
    assert [text[t.start:t.end] for t in toks] == ["so", "X_{3}", r"\perp", "X_4", "and", "Q34"]
    assert [t.math for t in toks] == [False, True, True, True, False, False]


def test_numbers_carry_values_and_plain_drops_accents():
    toks = words("0.71 corrélées -0.43")
    assert [t.value for t in toks] == [0.71, None, -0.43]
    assert toks[1].plain == "correlees"


@pytest.mark.parametrize("text, expected", [
    ("No. The means shrink to 0.", ["No.", "The means shrink to 0."]),
    ("Values 0.71 and -0.43, e.g. small. Next!", ["Values 0.71 and -0.43, e.g. small.", "Next!"]),
    ("#### **Solution**\nNo, they are not.", ["#### **Solution**", "No, they are not."]),
    ("one line\ngoes on\n\nnew paragraph", ["one line\ngoes on", "new paragraph"]),
    ("Reasons:\n- one\n- two", ["Reasons:", "- one", "- two"]),
    ("**Answer: No.** They are.", ["**Answer: No.**", "They are."]),
    ("   \n\n  ", []),
])
def test_sentences(text, expected):
    assert [text[a:b] for a, b in sentences(text)] == expected


# --- sets -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    (r"\{X_1\}", [{1}]),
    (r"$\{X_1\}$", [{1}]),
    (r"$\{X_1, X_3\}$", [{1, 3}]),
    ("{X1}", [{1}]),
    (r"$X_{M_2} = \{X_1\}$", [{1}]),
    (r"The Markov blanket of $X_2$ is $\{1\}$", [{1}]),
    (r"$\{1\}$ is a number", []),
    (r"$MB(X_4) = \emptyset$", [set()]),
    ("∅", [set()]),
    ("the empty set", [set()]),
    ("The Markov blanket of X_4 is the empty set", [set()]),
    ("the Markov blanket of X_2 is X_1", [{1}]),
    ("only X_1", [{1}]),
    ("MB(X_2) = X_1, X_3", [{1, 3}]),
    ("X_1 and X_3", [{1, 3}]),
    ("la couverture de Markov de X_2 est X_1", [{1}]),
    (r"$\lbrace X_2, X_4 \rbrace$", [{2, 4}]),
])
def test_find_sets(text, expected):
    assert [set(f.value) for f in find_sets(normalize(text), called=BLANKET)] == expected


def test_find_sets_reports_form_label_and_snippet():
    (f,) = find_sets(r"Thus $X_{M_2} = \{X_1\}$.")
    assert (f.extra["form"], f.extra["label"], f.snippet) == ("braces", "x_m_2", r"\{X_1\}")
    (g,) = find_sets("the Markov blanket of X_2 is X_1", called=BLANKET)
    assert (g.extra["form"], g.extra["of"]) == ("blanket", 2)


@pytest.mark.parametrize("text, called, expected", [
    # a statement under a name is read only for the names the caller gives
    ("the Markov blanket of X_2 is X_1", (), []),
    ("the Markov blanket of X_2 is X_1", ("Markov blanket",), [{1}]),
    ("the blanket of X_2 is X_1", ("Markov blanket",), []),  # a name matches whole
    ("the support of X_2 is X_1 and X_3", ("support",), [{1, 3}]),
    ("La Couverture de Markov de X_2 est X_1", ("couverture de Markov",), [{1}]),
    ("the couverture de X_2 is X_1", ("couverture de Markov",), []),
    # a label letter makes a sentence with bare indices in braces a set of variables
    (r"$M_2 = \{1\}$", (), []),
    (r"$M_2 = \{1\}$", ("M_i",), [{1}]),
    (r"$N_2 = \{1, 3\}$", ("X_{N_i}",), [{1, 3}]),
])
def test_find_sets_names_come_from_the_caller(text, called, expected):
    assert [set(f.value) for f in find_sets(normalize(text), called=called)] == expected


@pytest.mark.parametrize("text, expected", [
    # a list of variables stops at a colon or a brace: the set after it is read as written
    (r"Markov blanket of $X_2$: $\{X_1\}$.", {1}),
    ("- $Q_{24} = 0$ → no edge\n\n" r"Markov blanket of $X_2$: $\{X_1\}$.", {1}),
    (r"The neighbours of $X_2$: $\{X_1, X_3\}$", {1, 3}),
    (r"Couverture de Markov de $X_2$ : $\{X_1\}$.", {1}),
])
def test_a_set_after_a_colon_is_not_swallowed_by_a_list(text, expected):
    f = final_set(normalize(text), "X", frozenset({2}), called=BLANKET)
    assert f is not None and set(f.value) == expected and f.extra["form"] == "braces"


@pytest.mark.parametrize("text, expected, form", [
    # variables alone at the head of a sentence: an answer given bare
    ("X1 (the only neighbour of X2 in the graph of Q)", {1}, "lone"),
    ("$X_1$.", {1}, "lone"),
    ("- $X_1$ and $X_3$", {1, 3}, "lone"),
    # "is the only": the variable is the set
    ("$X_1$ is the only neighbour.", {1}, "only"),
    ("Dans la ligne 2 de Q, $X_1$ est le seul voisin de $X_2$.", {1}, "only"),
    # a list closed by "only" / "alone" / "seulement" / "uniquement", in prose or after a lead-in
    ("X_3 only. Row 1 of the matrix (4, 0, 2, 0) has one other non-zero entry.", {3}, "only"),
    ("$X_4$ alone (the rest of its row is zero).", {4}, "only"),
    ("The neighbours: X_1 and X_4 uniquement.", {1, 4}, "only"),
    ("C'est X_3 seulement, car Q_13 = 0.", {3}, "only"),
    # a lone list after "just", "simply" or "answer:"
    ("Just X_3.", {3}, "lone"),
    ("Réponse : X_1 et X_4.", {1, 4}, "lone"),
])
def test_bare_and_only_answers(text, expected, form):
    f = final_set(normalize(text), "X", frozenset({2}))
    assert f is not None and set(f.value) == expected and f.extra["form"] == form


@pytest.mark.parametrize("text", [
    "X_1 is correlated with X_2.",  # a sentence about the variables, not a set given bare
    "We look at X_1 and X_3 in Sigma.",
    "X_3 only depends on X_1 through Q.",  # "only" opens a verb phrase: no set
    "Just X_3 matters here.",
])
def test_variables_in_a_statement_are_no_bare_answer(text):
    assert final_set(normalize(text), "X", frozenset({2})) is None


@pytest.mark.parametrize("text, exclude, expected, form", [
    (SEED_1C, frozenset(), {1}, "braces"),
    (r"First $\{X_1, X_3\}$, but the answer is **$\{X_1\}$**. Then $\{X_3\}$ was a typo.",
     frozenset(), {1}, "braces"),
    (r"I first wrote $\{X_1, X_3\}$. Corrected: $\{X_1\}$", frozenset(), {1}, "braces"),
    ("The Markov blanket of X_2 is X_1 and X_3.", frozenset(), {1, 3}, "blanket"),
    ("X_2 is independent of X_3 and X_4 given X_1", frozenset({2}), {1}, "given"),
    ("X_2 is independent of X_4 given X_1 and X_2", frozenset({2}), {1}, "given"),
    ("X_2 is independent of X_4 given X_1 and X_2", frozenset(), {1, 2}, "given"),
    (r"The blanket is $\{X_1, X_2\}$", frozenset({2}), {1, 2}, "braces"),
    ("MB(X_4) = ∅", frozenset(), set(), "empty"),
    # the variables set apart by "⊥" or "independent of" after the blanket are no answer
    (r"$$MB(X_2) = \{X_1\}, \qquad X_2 \perp \{X_3, X_4\} \mid X_1.$$", frozenset(), {1}, "braces"),
    (r"The blanket is $\{X_1\}$: $X_2$ is independent of $\{X_3, X_4\}$ given $X_1$.", frozenset(), {1}, "braces"),
    (r"$X_2 \perp \{X_3, X_4\} \mid X_1$", frozenset(), {3, 4}, "braces"),  # nothing else: read as written
])
def test_final_set(text, exclude, expected, form):
    f = final_set(normalize(text), "X", exclude, called=BLANKET)
    assert f is not None and set(f.value) == expected and f.extra["form"] == form


@pytest.mark.parametrize("text", ["", "X_1 and X_3 are neighbours in Q.", "no set here"])
def test_final_set_none(text):
    assert final_set(text) is None


# --- stance ---------------------------------------------------------------------------------------

CORR = (CORR_AFFIRM, CORR_DENY)
EM = (EM_AFFIRM, EM_DENY)


@pytest.mark.parametrize("text, lists, bare_yes, expected", [
    ("No, they are not correlated", CORR, True, False),
    ("uncorrelated", CORR, True, False),
    ("X_3 and X_4 are **not correlated**", CORR, True, False),
    ("Yes, X3 and X4 are conditionally independent given X1 and X2", CORR, None, False),
    ("I think the EM algorithm **will** eventually converge to μ1 = −1 and μ2 = 1", EM, True, True),
    ("No. The means shrink to 0", EM, True, False),
    ("Non, l'algorithme ne converge pas vers les points", EM, None, False),
    ("les moyennes tendent vers 0", EM, None, False),
    ("l'algorithme ne converge pas vers -1 et 1 : les moyennes tendent vers 0", EM, None, False),
    ("Non, X3 et X4 ne sont pas corrélées", CORR, None, False),
    ("oui, elles sont corrélées", CORR, None, True),
    ("they are independent, not correlated", CORR, None, False),
    ("They are not independent.", CORR, None, True),
    ("EM will not converge to the data points.", EM, None, False),
    ("It is not true that they are not correlated.", CORR, None, True),
    ("No they are not correlated", CORR, True, False),
    ("No correlation between X3 and X4.", (["correlation"], []), None, False),
    ("Yes.", ([], []), True, True),
    ("Yes.", ([], []), False, False),
    ("**No**", ([], []), True, False),
    ("**Answer: No.** They are uncorrelated.", CORR, True, False),
    (r"\textbf{Answer:} No. Since $\Sigma_{34}=0$ they are uncorrelated.", CORR, True, False),
    (r"$\Sigma_{34} = 0$ so the answer is clear.", CORR, None, False),
    (r"$Cov(X_3, X_4 \mid X_1, X_2) = 0$", CORR, None, False),
    ("X_3 and X_4 are correlated. Looking at Σ, they are **uncorrelated**.", CORR, None, False),
    (SEED_1A, CORR, True, False),
    (SEED_1B, CORR, None, False),
    (SEED_2B, EM, True, True),
])
def test_stance_value(text, lists, bare_yes, expected):
    assert stance(text, *lists, bare_yes).value is expected


@pytest.mark.parametrize("text, expected", [
    # an opinion that fills its clause answers the question as a bare yes or no would
    ("I don't think so.", False),
    ("I do not think so: the variance is fixed.", False),
    ("Answer: I don't believe so.", False),
    ("I think so, each component takes one point.", True),
    ("I think not.", False),
    ("Not at all.", False),
    ("Je ne pense pas. La variance est fixée à 1.", False),
    ("Non, je ne pense pas.", False),
    ("Je ne crois pas : la variance est grande.", False),
    ("Je pense que oui.", True),
    ("Je pense que non.", False),
    ("Pas du tout.", False),
])
def test_an_opinion_is_a_bare_answer(text, expected):
    result = stance(text, [], [], True)
    assert result.value is expected and any("bare" in r for r in result.reasons)


@pytest.mark.parametrize("text", [
    "I think so the means go to the points",  # "so" starts a clause here: no bare answer
    "Je ne pense pas que ce soit vrai",  # the opinion has a proposition after it
    "I don't think the variance matters.",
])
def test_an_opinion_with_a_proposition_is_no_bare_answer(text):
    assert stance(text, [], [], True).value is None


def test_an_opinion_is_ignored_when_yes_or_no_is_ambiguous():
    result = stance("I don't think so.", [], [], None)
    assert result.value is None and any("ambiguous" in r for r in result.reasons)


def test_a_negated_opinion_before_the_proposition_negates_it():
    assert stance("Je ne pense pas qu'EM converge vers les points.", *EM, True).value is False


@pytest.mark.parametrize("text, bare_yes", [
    ("Yes.", None),
    ("They are uncorrelated but dependent.", True),
    ("Nothing relevant here.", True),
    ("", True),
])
def test_stance_none(text, bare_yes):
    result = stance(text, bare_yes=bare_yes)
    assert result.value is None and result.confidence == 0.0 and result.reasons


def test_contradiction_is_named_in_reasons():
    result = stance("They are uncorrelated but dependent.")
    assert any("contradictory" in r for r in result.reasons)


@pytest.mark.parametrize("text", [
    # two stated answers that disagree: a bare yes/no or an emphasized verdict on each side
    "yes, X_3 and X_4 are correlated\n\nSince Σ_34 = 0, **X_3 and X_4 are uncorrelated**.",
    "No.\n\nLooking at the printout again, they are **correlated**.",
    "**Correlated.** Σ_34 = 0 means that they are **uncorrelated**.",
])
def test_two_stated_answers_that_disagree_are_a_contradiction(text):
    result = stance(normalize(text), *CORR, True)
    assert result.value is None and result.confidence == 0.0
    assert any(r.startswith("contradictory") for r in result.reasons)


def test_a_mention_against_a_stated_answer_is_no_contradiction():
    # the plain mention is outweighed, not a second answer
    result = stance("One could think X_3 and X_4 are correlated. No: Σ_34 = 0, so they are **uncorrelated**.",
                    *CORR, True)
    assert result.value is False


@pytest.mark.parametrize("text, expected", [
    # a negation does not reach into an aside in brackets, nor does the aside's own negation reach out of it
    ("They are not correlated (Σ_34 = 0).", False),
    ("X_3 and X_4 are not (as far as I can tell) correlated.", False),
    ("They are correlated (not independent).", True),
    ("Elles ne sont pas corrélées (Sigma_34 = 0).", False),
    ("Not correlated: Cov(X_3, X_4) = 0.", False),  # a function's bracket is no aside
])
def test_negation_and_asides_in_brackets(text, expected):
    assert stance(text, *CORR, True).value is expected


def test_conflict_prefers_emphasis_and_lowers_confidence():
    clean = stance("Looking at Σ, they are **uncorrelated**.")
    mixed = stance("X_3 and X_4 are correlated. Looking at Σ, they are **uncorrelated**.")
    assert mixed.value is False and mixed.confidence < clean.confidence
    assert any("conflicting" in r for r in mixed.reasons)
    assert "uncorrelated" in mixed.evidence


def test_hedge_lowers_confidence_but_keeps_value():
    sure = stance("They are correlated.")
    hedged = stance("I think they are probably correlated.")
    french = stance("Je pense qu'elles sont corrélées.")
    assert sure.value is hedged.value is french.value is True
    assert hedged.confidence < sure.confidence and french.confidence < sure.confidence
    assert any("hedged" in r for r in hedged.reasons)


def test_bare_yes_none_is_reported_as_ignored():
    result = stance("Yes, X3 and X4 are conditionally independent given X1 and X2", bare_yes=None)
    assert any("ignored" in r for r in result.reasons)
    assert "independent" in result.evidence


def test_seed_2b_is_hedged_affirmation_with_evidence():
    result = stance(SEED_2B, EM_AFFIRM, EM_DENY, True)
    assert result.value is True and 0 < result.confidence < 0.9
    assert result.evidence.startswith("I think the EM algorithm")


def test_lang_hint_limits_bare_words():
    assert stance("Si.", [], [], True, lang_hint="fr").value is True
    assert stance("Si.", [], [], True).value is None
    assert stance("Oui.", [], [], True, lang_hint="en").value is None


def test_stance_is_frozen_dataclass_with_bounded_confidence():
    result = stance(SEED_1A)
    assert 0.0 <= result.confidence <= 1.0 and isinstance(result.reasons, tuple)
    with pytest.raises(AttributeError):
        result.value = True  # type: ignore[misc]


# --- phrases --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, patterns, value, negated", [
    ("X_3 and X_4 are not correlated", ["correlated"], "correlated", True),
    ("they are correlated", ["correlated"], "correlated", False),
    ("Non, X3 et X4 ne sont pas corrélées", ["correlees"], "correlees", True),
    ("it is not true that they are not correlated", ["correlated"], "correlated", False),
    ("neither correlated nor dependent", ["dependent"], "dependent", True),
    ("not correlated and independent", ["independent"], "independent", False),
    ("not zero, since they are correlated", ["correlated"], "correlated", False),
    ("aren't correlated", ["correlated"], "correlated", True),
    ("l'algorithme ne converge pas vers les points", ["converge vers les points"],
     "converge vers les points", True),
    (r"$Cov(X_3, X_4 \mid X_1, X_2) = 0$", ["cov x_3 x_4 given * eq 0"],
     "cov x_3 x_4 given * eq 0", False),
    (r"$Cov(X_3, X_4 \mid X_1, X_2) = 0$", ["cov * eq 0"], "cov * eq 0", False),
    ("Q_{34} = 0", ["q_34 ? 0"], "q_34 ? 0", False),
    ("the means tend to zero", ["tend|shrink|go to 0"], "tend|shrink|go to 0", False),
    ("X_3 = 0", ["x_* eq 0"], "x_* eq 0", False),
    ("μ_1 = -1.0", ["mu_1 eq -1"], "mu_1 eq -1", False),
    ("EM will eventually converge to the data points", ["will converge to the data points"],
     "will converge to the data points", False),
    ("Σ34 = 0", ["$\\Sigma_{34} = 0$"], "$\\Sigma_{34} = 0$", False),
    (r"$Cov(X_3, X_4 \mid X_1, X_2) = 0$", ["Cov(X_3, X_4 | X_1, X_2) = 0"],
     "Cov(X_3, X_4 | X_1, X_2) = 0", False),
])
def test_find_phrase(text, patterns, value, negated):
    found = find_phrase(normalize(text), patterns)
    assert found is not None and found.value == value and found.extra["negated"] is negated


@pytest.mark.parametrize("text, patterns", [
    (r"$Cov(X_3, X_4 \mid X_1, X_2) = 0$", ["cov *2 eq 0"]),
    ("Q_34 0", ["q_34 ? 0"]),
    ("cov is large, but 0", ["cov * 0"]),
    ("independent", ["dependent"]),
    ("anything", []),
    ("anything", ["", "   ", "*"]),
])
def test_find_phrase_none(text, patterns):
    assert find_phrase(text, patterns) is None


def test_a_short_label_and_its_colon_open_no_clause():
    # "M-step: θ = argmax …": the colon labels what follows, so a pattern spans it; after a verdict it still ends
    # the clause, so the "no" of "No: they are independent" does not negate "independent"
    assert find_all_phrases("M-step: $\\theta = \\arg\\max_\\theta F$", ["m step * max*"])
    assert not find_all_phrases("The update of the M-step, as in the lecture: we maximise", ["m step * max*"])
    hit = find_all_phrases("No: given X_1, they are independent.", ["independent"])[0]
    assert hit.extra["negated"] is False


def test_find_all_phrases_prefers_longer_and_reports_offsets():
    text = "They are **not correlated**; X_1 is correlated."
    hits = find_all_phrases(text, ["correlated", "not correlated"])
    assert [h.value for h in hits] == ["not correlated", "correlated"]
    assert text[hits[0].start:hits[0].end] == "not correlated" and hits[0].emphasized
    assert hits[1].emphasized is False and hits[1].extra["negated"] is False


@pytest.mark.parametrize("text, expected", [
    ("X_1 and X_2 are conditionally independent given X_1 and X_2", [({1, 2}, {1, 2})]),
    ("Cov(X_3, X_4 | X_1, X_2) = 0", [({3, 4}, {1, 2})]),
    (r"$Cov(X_3, X_4 \mid X_1, X_2) = 0$", [({3, 4}, {1, 2})]),
    ("the conditional dependence of X_1 and X_2", [({1, 2}, None)]),
    ("X_3 ⊥ X_4 | X_1, X_2", [({3, 4}, {1, 2})]),
    (r"$X_3 \perp\!\!\!\perp X_4 \mid X_1, X_2$", [({3, 4}, {1, 2})]),
    ("X3 and X4 are independent given X1 and X2", [({3, 4}, {1, 2})]),
    ("X_2 is conditionally dependent on X_1", [({1, 2}, None)]),
    ("X_2 is conditionally independent of X_3 and X_4", []),
    ("X_1 and X_2 are both equal to 5", []),
    # the list after "condition on …" is the conditioning set, not the pair the answer is about
    ("since we condition on all remaining variables (X_1, X_2) the conditional covariance is 0", []),
    ("conditioning on X_3, the variables X_1 and X_2 are correlated", [({1, 2}, None)]),
    ("ils ne sont pas non plus corrélés conditionnellement à X_1, X_2", []),
    ("the covariances of X_4 with X_1, X_2 are zero", []),  # the other side of a relation, no pair
    ("X3 et X4 sont indépendantes sachant X1 et X2", [({3, 4}, {1, 2})]),
    ("Cov(X_3, X_4) = 0", [({3, 4}, None)]),
])
def test_find_variable_pairs(text, expected):
    values = [f.value for f in find_variable_pairs(normalize(text))]
    assert [(set(p), None if c is None else set(c)) for p, c in values] == expected


def test_seed_1b_names_the_wrong_pair_and_the_right_one():
    values = [f.value for f in find_variable_pairs(SEED_1B)]
    assert (frozenset({1, 2}), frozenset({1, 2})) in values
    assert (frozenset({3, 4}), frozenset({1, 2})) in values
    assert (frozenset({1, 2}), None) in values


# --- hostile input --------------------------------------------------------------------------------

ADVERSARIAL = [repeated("a", 10000, "!"), repeated(" ", 4000, "x"), repeated("$", 10000), repeated("\\", 10000),
               repeated("X_", 5000), repeated("X_{", 3000), repeated("{", 5000), repeated("**", 5000),
               repeated("not ", 2500), repeated("a.", 5000), repeated(". ", 5000), repeated("X_1 and ", 1200),
               repeated("\\textbf{", 3000), repeated("-1", 5000)]

EXTRACTORS = {
    "words": lambda t: words(t),
    "sentences": sentences,
    "find_sets": lambda t: find_sets(t, called=BLANKET),
    "final_set": lambda t: final_set(t, called=BLANKET),
    "find_phrase": lambda t: find_phrase(t, CORR_AFFIRM + CORR_DENY),
    "find_all_phrases": lambda t: find_all_phrases(t, EM_AFFIRM + EM_DENY),
    "find_variable_pairs": find_variable_pairs,
    "extract_stance": lambda t: extract_stance(t, CORR_AFFIRM, CORR_DENY, True),
}


@pytest.mark.parametrize("name", sorted(EXTRACTORS))
@pytest.mark.parametrize("hostile", ADVERSARIAL, ids=lambda h: h.label)
def test_adversarial_input_takes_linear_time(name, hostile):
    assert growth(EXTRACTORS[name], hostile) is None
    EXTRACTORS[name](hostile.text())  # and finishes


def test_random_input_never_raises():
    rnd = random.Random(20240601)
    pieces = list("aXx_{}\\$*|=,. \n013-()!?'") + [
        "\\{", "\\}", "\\perp", "**", "not ", "ne ", "pas ", "given ", "blanket ", "cov(",
        "\\textbf{", "Σ", "∅", "⊥", "é", "n't", "l'", "\ud800", "\x00", "Yes", "No"]
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 50)))
        for fn in EXTRACTORS.values():
            fn(text)
        assert isinstance(extract_stance(text, ["a"], ["x_1"], None), Stance)


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_non_text_input_is_empty(bad):
    assert words(bad) == [] and sentences(bad) == [] and find_sets(bad) == []
    assert find_phrase(bad, ["a"]) is None and final_set(bad) is None
    assert extract_stance(bad, ["a"], ["b"], True).value is None


def test_a_hedge_only_weakens_the_clause_it_is_in():
    sure = stance("Intuitively one might expect them to reach the points, but the means go to 0.", *EM, True)
    hedged = stance("The means might go to 0.", *EM, True)
    assert sure.value is False and hedged.value is False
    assert hedged.confidence < sure.confidence
    assert not any("hedged" in r for r in sure.reasons) and any("hedged" in r for r in hedged.reasons)


@pytest.mark.parametrize("text,pairs", [
    ("so no, they are not conditionally correlated given $X_1, X_2$.", []),  # a conditioning set, not a pair
    ("X_1 and X_2 are conditionally independent given X_1 and X_2", [(frozenset({1, 2}), frozenset({1, 2}))]),
    ("X3 and X4 are independent given X1, X2", [(frozenset({3, 4}), frozenset({1, 2}))]),
])
def test_variables_right_after_given_are_the_conditioning_set(text, pairs):
    assert [f.value for f in find_variable_pairs(text)] == pairs


@pytest.mark.parametrize("text", [
    "$X_4$ is independent of the whole vector $(X_1, X_2, X_3)$.",
    "$X_4 \\perp (X_1, X_2, X_3)$, so nothing changes.",
    "X_1, X_2 and X_3 are correlated with each other.",
])
def test_a_list_of_three_variables_holds_no_pair(text):
    assert find_variable_pairs(normalize(text)) == []


def test_a_quoted_claim_judged_true_or_false_is_a_stated_answer():
    affirm, deny = ["correlated"], ["uncorrelated", "not correlated", "independent"]
    assert extract_stance('"X3 and X4 are correlated": **False**. Σ34 = 0.', affirm, deny, True).value is False
    assert extract_stance('"X3 and X4 are uncorrelated": True.', affirm, deny, True).value is False
    assert extract_stance('« X3 et X4 sont corrélées » : vrai', affirm + ["correlees"], deny, True).value is True


def test_the_question_asked_again_is_no_evidence():
    text = ("Conditionally correlated given X1, X2?\nI think no: Sigma_34 = 0, so cov(X3, X4 | X1, X2) = 0: not "
            "conditionally correlated.")
    result = extract_stance(text, ["correlated"], ["not correlated", "uncorrelated"], True)
    assert result.value is False


@pytest.mark.parametrize("text,value", [
    ("Nie. S34 = 0 ; cov(X3, X4) = 0.", False),  # Polish
    ("Nee, want de covariantie is nul.", False),  # Dutch
    ("Ja, sie sind korreliert.", True),  # German
    ("Tak, jest zero.", True),
    ("Nein.", False),
])
def test_a_bare_yes_or_no_in_more_languages(text, value):
    assert stance(text).value is value


def test_those_words_are_bare_answers_only_when_no_language_is_named():
    assert stance("Nie. S34 = 0.", lang_hint="en").value is None


@pytest.mark.parametrize("text,value", [
    ("X3 and X4 correlated? False (Sigma_34 = 0)", False),
    ("X3 and X4 correlated? **True**", True),
    ("Are X3 and X4 correlated? They are uncorrelated.", False),  # the question asked again, then the answer
])
def test_a_question_judged_right_after_it_is_a_claim(text, value):
    assert stance(text).value is value


def test_a_gap_never_passes_over_a_word_of_likeness():
    assert not find_all_phrases("log Z is probably similar to the log likelihood.", ["log z is * log likelihood"])
    assert find_all_phrases("log Z is really the log likelihood.", ["log z is * log likelihood"])
    assert find_all_phrases("log Z is similar to the log likelihood.", ["log z * similar *3 likelihood"])


def test_unicode_operators_read_as_their_commands():
    assert [t.text for t in words("Z = ∫ p(x, z) dz")][2] == "int"
    assert find_all_phrases("Z = ∫ exp(f(z)) dz = ∫ p(x, z | θ) dz", ["z eq int * p x z"])


def test_over_in_more_languages_for_the_maximisations():
    from grader.rubric import load_rubric
    from grader.grade import grade_question
    from grader.model import Block, BlockKind, Region

    q4 = load_rubric("basic-knowledge").question("q4")
    text = ("f(z) = log p(x, z | θ). Der E-Schritt maximiert über q bei festem θ, der M-Schritt maximiert über θ "
            "bei festem q.")
    result = grade_question(q4, Region("q4", (Block(BlockKind.PROSE, text, "line 1"),), (), "test"))
    steps = next(c for c in result.checks if c.check_id == "e-m-steps")
    assert steps.earned == steps.points and "em-logz.no-e-m-mapping" not in {m.id for m in result.misconceptions}


def test_the_answer_is_no_mid_sentence_is_a_bare_answer_that_negates_nothing():
    text = "Since Q_34 = 0 we have cov = 0, the answer is no they are not conditionally correlated."
    affirm, deny = ["conditionally correlated"], ["not conditionally correlated", "cov * eq 0"]
    assert stance(text, affirm, deny, True).value is False


def test_a_quoted_question_then_its_answer():
    assert stance('"Are X3 and X4 correlated?" No. Sigma_34 = 0.').value is False


@pytest.mark.parametrize("text,value", [
    ("One might think EM converges to -1 and 1 because there are two points. It does not: the means go to 0.", False),
    ("I first thought the means might collapse to 0, but no: each mean converges to its data point, -1 and 1.", True),
])
def test_what_someone_might_think_is_no_claim_of_the_student(text, value):
    assert stance(text, EM_AFFIRM + ["converg* to * data point"], EM_DENY + ["collapse*"], True).value is value


def test_an_opinion_after_but_is_a_bare_answer():
    assert stance("I'm not 100% sure, but I think yes.", EM_AFFIRM, EM_DENY, True).value is True


def test_a_spanish_or_italian_yes_with_its_accent():
    assert stance("Sí. Están correlacionadas.").value is True
    assert stance("Sì, sono correlate.").value is True
    assert stance("Si.", lang_hint="en").value is None  # without its accent, "si" is "if" outside French


def test_words_in_text_inside_math_are_prose_and_a_row_ends_them():
    text = ("$$\\text{So no: EM does not converge to } (-1,1);\\ \\mu_1,\\mu_2 \\to 0\\\\\n"
            "\\text{and } \\tanh(1) = 0.76 \\neq 1.$$")
    assert stance(text, EM_AFFIRM + ["converg* to *3 -1 1"], EM_DENY, True).value is False
    assert not [t for t in words("$$\\text{does not}$$") if t.math]
