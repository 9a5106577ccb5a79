"""The grader's data types: frozen dataclasses with no I/O and no rendering.

The pipeline is  read → segment → extract → check → score → render,  and these types are what
flows between the stages:

- ``Document`` / ``Block``: what a reader made of a submission file (the only stage that knows
  file formats).
- ``Region``: the blocks the segmenter assigned to one question, the pasted statement set aside.
- ``Outcome``: what one checker concluded about one region.
- ``QuestionResult`` / ``Result``: scores and feedback, ready for any renderer.

Three kinds of failure stay separate (see ``Status``): a wrong answer, an answer the student did
not give or we could not read (theirs), and a fault of the grader (ours, never charged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class BlockKind(str, Enum):
    HEADING = "heading"
    PROSE = "prose"
    MATH = "math"  # display math, without its delimiters
    CODE = "code"  # source code (never run)
    OUTPUT = "output"  # text a notebook code cell printed or returned


ITEM_LABEL = "item label"
AFTER_RULE = "after-rule"  # Block.role of the first block after a horizontal rule (Markdown "---")


@dataclass(frozen=True)
class Block:
    """One block of a submission (a heading, a paragraph, display math, code or a code output) and where it came from."""

    kind: BlockKind
    text: str
    origin: str  # where it came from, for people: "line 12", "cell 4", "cell 4 output"
    level: int = 0  # heading level (1 = top); 0 for everything else
    tags: tuple[str, ...] = ()  # question ids attached by a template (notebook cell metadata)
    role: str = ""  # "statement": a template's own question text (tagged "statement:ID"), never an answer;
    # ITEM_LABEL: a paragraph that starts with a list item's own label ("\\item[1.1]"), set apart like a heading's


@dataclass(frozen=True)
class Document:
    """A submission as its reader made it: blocks in reading order, and what was repaired or skipped."""

    name: str  # the file name, for display
    format: str  # "markdown", "notebook", "latex", "pdf"
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()  # what the reader repaired or skipped, in words
    # What the reader could not read at all (a scanned page, math lost in a PDF), in words: the grade stage
    # marks "needs review" every question without full marks, since its answer may be in what was not read.
    review: tuple[str, ...] = ()

    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Region:
    """One question's part of a document."""

    question_id: str
    blocks: tuple[Block, ...]  # the answer, statement paste-ins removed
    statement_blocks: tuple[Block, ...] = ()  # pasted question text, kept for the record
    how: str = ""  # how the segmenter found it, e.g. 'heading "### (a)" under "Problem 1"'
    by_order: bool = False  # no label named the question: its answer was taken by the order of the answers

    @property
    def found(self) -> bool:
        return any(b.text.strip() for b in self.blocks)

    def text(self) -> str:
        """The answer as one string; display math is put back between $$ so extractors see it."""
        parts = []
        for b in self.blocks:
            parts.append(f"$$\n{b.text}\n$$" if b.kind is BlockKind.MATH else b.text)
        return "\n\n".join(parts)

    @property
    def origin(self) -> str:
        if not self.blocks:
            return ""
        first, last = self.blocks[0].origin, self.blocks[-1].origin
        return first if first == last else f"{first} to {last}"


class Status(str, Enum):
    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    NOT_FOUND = "not_found"  # the student gave no answer we could find
    UNREADABLE = "unreadable"  # an answer is there but could not be read
    GRADER_ERROR = "grader_error"  # our fault: never charged to the student


@dataclass(frozen=True)
class Outcome:
    """What one checker concluded.

    ``fraction`` is the share of the check's points earned (0..1). The same checkers serve as
    misconception detectors: a detector fires when its check passes in full (fraction 1), e.g. a
    pair check whose expected value is a wrong reference. ``evidence`` quotes the student's text
    the conclusion rests on; ``message`` says in words what was found.
    """

    fraction: float = 0.0
    message: str = ""
    evidence: str = ""
    found: bool = True  # False: nothing of the kind was in the answer
    readable: bool = True  # False: something was there but could not be parsed
    value: object = None  # what was extracted, for reports (a number, a matrix as lists, ...)
    confidence: float = 1.0  # how sure the checker is of its reading of the answer (not of its correctness)


@dataclass(frozen=True)
class CheckResult:
    """One check of a question: its points, what it earned, and why."""

    check_id: str
    points: float
    earned: float
    message: str
    evidence: str = ""
    status: Status = Status.CORRECT
    confidence: float = 1.0
    value: object = None  # what the checker read (Outcome.value): batch mode groups identical readings


@dataclass(frozen=True)
class MisconceptionHit:
    """A known mistake found in an answer, with its feedback, its deduction and the evidence."""

    id: str
    feedback: str
    deduction: float
    evidence: str = ""


@dataclass(frozen=True)
class Override:
    """A score course staff set by hand for one question (batch mode's gradebook); it replaces the grader's."""

    score: float
    by: str  # who set it
    note: str  # why, in their words
    at: str  # when (ISO 8601, UTC)
    grader_score: float | None  # what the grader gave (None: nothing of the submission could be graded)


@dataclass(frozen=True)
class QuestionResult:
    """One question graded: score, status and feedback, ready for any renderer."""

    question_id: str
    number: str
    title: str
    points: float
    score: float
    status: Status
    summary: str  # one line: why this score
    checks: tuple[CheckResult, ...] = ()
    misconceptions: tuple[MisconceptionHit, ...] = ()
    answer_excerpt: str = ""
    origin: str = ""
    how_found: str = ""
    tags: tuple[str, ...] = ()
    expected: str = ""  # the reference answer in words, shown per the rubric's settings
    grader_error: str = ""  # what went wrong inside the grader, for instructors only
    confidence: float = 1.0  # the least sure reading among the checks
    needs_review: bool = False  # a person should look: the score is provisional
    override: Override | None = None  # set when a person's score replaced the grader's


@dataclass(frozen=True)
class Result:
    """A graded submission: every question's result, how the file was read, and the rubric's render settings."""

    submission: str
    rubric_id: str
    rubric_title: str
    questions: tuple[QuestionResult, ...]
    notes: tuple[str, ...] = ()  # recognition, reader notes, warnings
    error: str = ""  # set when nothing could be graded
    # the rubric's render settings, read by every renderer: when the reference answers are shown (visible,
    # after_due_date, after_published, hidden) and when students see the feedback (Gradescope's visibility)
    show_expected: str = "visible"
    feedback_visibility: str = "visible"

    @property
    def score(self) -> float:
        return round(sum(q.score for q in self.questions), 4)

    @property
    def max_score(self) -> float:
        return round(sum(q.points for q in self.questions), 4)

    @property
    def graded(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class Found:
    """A value an extractor found in text, with where it was."""

    value: object
    start: int
    end: int
    snippet: str  # the text it came from, trimmed for display
    emphasized: bool = False  # bold, boxed or otherwise marked as the final answer
    extra: dict = field(default_factory=dict, compare=False, hash=False)
