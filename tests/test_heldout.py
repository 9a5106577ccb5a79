"""The held-out sets: submissions in layouts, wordings and mistakes the grader was not tuned on when they were
written, with a careful TA's grades in tests/fixtures/NAME/manifest.json (the agreement tool's format).

- heldout: 16 submissions in new label styles, readers and wordings; it requires every misconception of both
  rubrics somewhere.
- heldout2: 8 submissions with answers in code-cell docstrings and prints, HTML and blockquotes in Markdown, LaTeX
  description lists, flat "Answer 1..8" numbering, restated questions, footnotes, changed minds, skipped parts.
- heldout3: 8 submissions with dotted "Ex1.a" labels, an e-mail, "#### (c)" headings with printed answers, the LaTeX
  exam class, a user macro for the transpose, Matlab-style primes, Unicode subscripts, blank answers.
- heldout4: 8 submissions written the way ordinary students write homework.
- heldout5: 8 submissions with labels that count the handout's sections ("1.b)", "Problem 3" holding Q4), answers
  printed by numerical checks, pasted statements in LaTeX, Unicode math, French and Spanish, "EDIT:" corrections,
  answers out of order.
- heldout6: 8 submissions with a table of final answers above the derivations, German, Italian and Spanish labels
  and prose, numbers as words ("Question one", "Second part"), \\intertext in align, decimal commas, numpy lists
  and inv(…) in prose, answers after their code cells.
- heldout7: 8 submissions with claims then proofs (\\qedhere, \\boxed), HTML <details> blocks and "[1]" remarks,
  True/False verdicts on quoted claims, "(a) and (b)" answered together, Σ⁻¹ for Q, Portuguese, page separators and
  the part questions copied above the answers.
- heldout8: 8 ordinary submissions (the bulk of what a course receives: usual headings, verbose or terse, French,
  a non-native writer, plain text), ten different mistakes, a blank and two partial answers.
- heldout9: 8 more in each student's own voice: primes for transposes, printed outputs as answers, "[Q3]" labels, a
  revised answer ("wait, that's wrong"), a result stated only in words.
- heldout10: 8 in new layouts: a list of final answers at the end, question/solution environments of a LaTeX
  template, "Re Q1:" e-mail labels, Dutch and Polish, the parts restated in italics above "Answer:" lines, answers
  printed by sympy cells under bare labels, LaTeX paragraph labels with all of Problem 2 in one paragraph.
- heldout11: 8 ordinary submissions of varied ability: statements copied with point values, hedged plain text,
  derivations over several plain-text lines, answers out of order and "1(a) and 1(b)" answered together.
- heldout12: 8 in the forms real submissions take: Colab exports with "Réponse :" cells, task lists and
  blockquotes, LaTeX description items and enumitem labels, "Part 1 / a." numbering, German and Spanish.
- heldout13: 8 ordinary submissions written quickly by strong, average and weak students.
- heldout14: 8 of the kinds the shared corpus has, in new wording: tables with a justification column, answers as
  code comments, strike-outs in LaTeX, French, one-liners, "Final:" lines, Problem 2 first.
- heldout15: 8 messy real-world files: Google Docs pastes, Overleaf macros and \\label/\\eqref, template
  placeholders, paragraphs typed on one line, summaries first, renamed symbols.
- heldout16: 8 in more layouts: org-mode text, R Markdown chunks, itemize labels with a summary, Chinese and Japanese
  mixed labels, HTML in notebooks, tabular answers, flat "Answer N" numbering.
- heldout17: 8 reasoning-heavy answers: traps mentioned and rejected, second thoughts, double negatives, quoted
  claims refuted, hedges.
- heldout18: 8 of the corpus's kinds in new wording: Problem 2 first with "P2.a" headings, numpy "# ANSWER" comments,
  German and Spanish.
- heldout19: 8 ordinary submissions, each in its own notation.
- heldout20: 8 as a cross-section of a class (French sections, rushed notes, tables, code outputs, Italian).
- heldout21: 8 unusual layouts: answers before their numbers, one align* with \\text{(a)} rows, Roman numerals,
  formulas in words, unlabelled answers between rules.
- heldout22: 8 ordinary submissions: "Problem 1 (b)" labels, a German notebook, a long LaTeX derivation, Spanish
  bold labels, terse plain text, code outputs, a skipped part.
- heldout23: 8 with new habits: a word processor's Markdown export (escaped punctuation, Unicode math), numpy-first
  notebooks, Italian, the questions pasted before each answer, struck-out attempts and corrections, one-liners.
- heldout24: 8 ordinary submissions: a summary at the end, answers out of order, own notation, Portuguese and Dutch
  mixed with English, a numerical notebook whose answers are one bold sentence each, a weak attempt.
- heldout25: 8 from one imagined class: a filled-in template with a placeholder left, French, final answers first,
  long paragraphs, \\intertext, ASCII primes and inv(), "**Answer (b):**" cells after their code, two slips.
- heldout26: 8 ordinary submissions: broken English, "Exercise 1 / 1.1" numbering, "Solution:" under copied
  questions, bold vectors, a table of iterates, a notebook's summary dict, remarks on the statement's typo.
- heldout27: 8 written around mistakes: 20 misconceptions of 18 kinds in the students' own words, German.
- heldout28: 8 good students, nearly every answer right: alternative forms, tempting mistakes named and rejected,
  sanity checks in numbers, remarks on the typo, French and Spanish (a measure of false alarms).
- heldout29: 8 from the tail of a class: bulleted answers, MathJax delimiters, LaTeX macros and enumerate labels,
  Unicode plain text, "(c) and (d):" in one paragraph, Spanish (the freshest measure).

The sets measure how the grader generalises, so each one's thresholds (LEVELS) are the level the grader has
reached: they protect what works today. Raise them when the grader improves; a drop is a regression.
"""

from __future__ import annotations

import pytest
from heldout_sets import assert_graded_without_error, assert_manifest_matches, case_path, cases, grade_all, totals

from grader.rubric import load_rubric

# set: (cases, question-instances, required misconception reports,
#       agreeing at least, required reported at least, false alarms at most)
LEVELS = {
    "heldout": (16, 104, 50, 104, 50, 0),
    "heldout2": (8, 52, 28, 52, 28, 0),
    "heldout3": (8, 52, 13, 52, 13, 0),
    "heldout4": (8, 52, 10, 52, 10, 0),
    "heldout5": (8, 52, 14, 52, 14, 0),
    "heldout6": (8, 52, 11, 52, 11, 0),
    "heldout7": (8, 52, 15, 52, 15, 0),
    "heldout8": (8, 52, 11, 52, 11, 0),
    "heldout9": (8, 52, 10, 52, 10, 0),
    "heldout10": (8, 52, 11, 52, 11, 0),
    "heldout11": (8, 52, 11, 52, 11, 0),
    "heldout12": (8, 52, 11, 52, 11, 0),
    "heldout13": (8, 52, 11, 52, 11, 0),
    "heldout14": (8, 52, 12, 52, 12, 0),
    "heldout15": (8, 52, 12, 52, 12, 0),
    "heldout16": (8, 52, 11, 51, 11, 0),
    "heldout17": (8, 52, 10, 52, 10, 0),
    "heldout18": (8, 52, 12, 52, 12, 0),
    "heldout19": (8, 52, 11, 52, 11, 0),
    "heldout20": (8, 52, 10, 52, 10, 0),
    "heldout21": (8, 52, 12, 52, 12, 0),
    "heldout22": (8, 52, 11, 52, 11, 0),
    "heldout23": (8, 52, 10, 52, 10, 0),
    "heldout24": (8, 52, 11, 52, 11, 0),
    "heldout25": (8, 52, 10, 52, 10, 0),
    "heldout26": (8, 52, 10, 52, 10, 0),
    "heldout27": (8, 52, 20, 52, 20, 0),
    "heldout28": (8, 52, 3, 52, 3, 0),
    "heldout29": (8, 52, 10, 52, 10, 0),
}
ALL = [(name, case) for name in LEVELS for case in cases(name)]


@pytest.fixture(scope="module")
def graded():
    return {name: grade_all(name) for name in LEVELS}


@pytest.mark.parametrize("name", LEVELS)
def test_the_manifest_names_existing_files_and_real_questions(name, graded):
    found = cases(name)
    assert len(found) == LEVELS[name][0]
    assert {c["rubric"] for c in found} == {"gaussian-em", "basic-knowledge"}
    if name not in ("heldout", "heldout2"):
        assert sorted(c["rubric"] for c in found) == ["basic-knowledge"] * 4 + ["gaussian-em"] * 4
    if name == "heldout3":
        assert {c["format"] for c in found} == {"md", "txt", "ipynb", "tex"}
        assert all(case_path(name, c).suffix == "." + c["format"] for c in found)
    assert_manifest_matches(name, graded[name])


@pytest.mark.parametrize("name,case", ALL, ids=[f"{n}/{c['file'].split(':', 1)[1]}" for n, c in ALL])
def test_nothing_crashes(name, case, graded):
    assert_graded_without_error(case, graded[name][case["file"]])


@pytest.mark.parametrize("name", LEVELS)
def test_agreement_with_the_ta_stays_at_todays_level(name, graded):
    _, n_questions, n_required, agree_at_least, fired_at_least, alarms_at_most = LEVELS[name]
    agree, questions, fired, required, false_alarms = totals(cases(name), graded[name])
    assert (questions, required) == (n_questions, n_required)
    assert agree >= agree_at_least, f"agreement {agree}/{questions}"
    assert fired >= fired_at_least, f"must-fire recall {fired}/{required}"
    assert false_alarms <= alarms_at_most, f"false alarms {false_alarms}"


def test_every_misconception_is_required_somewhere():
    """The first set exercises the whole misconception catalogue of both rubrics, not only the easy ids."""
    required = {i for case in cases("heldout") for ids in case["fire"].values() for i in ids}
    for name in ("gaussian-em", "basic-knowledge"):
        declared = {m.id for q in load_rubric(name).questions for m in q.misconceptions}
        assert declared <= required, sorted(declared - required)
