"""Answers that change their mind: struck-out text never counts, a later correction is the final word."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.extract.answer import Answer
from grader.extract.revisions import blank_struck, correction_starts
from grader.grade import grade_document
from grader.model import Block, BlockKind, Region
from grader.read import read_submission
from grader.rubric import load_rubric

HERE = Path(__file__).parent / "fixtures" / "revisions"
# file -> (question, expected fraction of its points)
EXPECTED = {
    "struck_verdict.md": ("1a", 1.0),
    "correction_line.txt": ("1a", 1.0),
    "edit_line.md": ("1a", 1.0),
    "but_actually.md": ("1a", 1.0),
    "struck_value.md": ("2a", 1.0),
}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("gaussian-em")


def question(name: str, qid: str, rubric):
    return next(q for q in grade_document(read_submission(HERE / name), rubric).questions if q.question_id == qid)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_final_word_is_graded(name, rubric):
    qid, fraction = EXPECTED[name]
    q = question(name, qid, rubric)
    assert q.score == pytest.approx(fraction * q.points) and not q.needs_review, q.summary


def test_two_stated_answers_without_a_correction_are_still_a_contradiction(rubric):
    q = question("still_contradictory.md", "1a", rubric)
    assert q.score < q.points and q.needs_review


@pytest.mark.parametrize("text, kept", [
    ("~~yes~~ no", "no"),
    ("<del>yes</del> no", "no"),
    ("<s>yes</s> no", "no"),
    ("\\sout{yes} no", "no"),
    ("a ~~~ fence ~~~ b", "a ~~~ fence ~~~ b"),
])
def test_struck_text_is_blanked_with_offsets_kept(text, kept):
    out = blank_struck(text)
    assert len(out) == len(text) and out.split() == kept.split()


def test_the_answer_text_has_no_struck_words_but_code_keeps_its_tildes():
    region = Region("1a", (Block(BlockKind.PROSE, "~~yes~~ no", "line 1"),
                           Block(BlockKind.CODE, "s = '~~kept~~'", "line 2")))
    text = Answer.from_region(region).text
    assert "yes" not in text and "no" in text.split() and "~~kept~~" in text
    assert text.startswith(" " * 8 + "no")  # offsets kept


@pytest.mark.parametrize("text, found", [
    ("Yes. Correction: no.", True), ("Yes. EDIT: no.", True), ("Yes, but actually no.", True),
    ("Oui. Correction : non.", True), ("Yes. Actually, no.", True), ("This is a correct answer.", False),
    ("The edit distance: 3", False),
])
def test_correction_markers(text, found):
    assert bool(correction_starts(text)) is found
