"""The roster and the answer groups of the class summary: the staff's two ways through a class.

The roster is one row per submission (total, each question's score, what needs review, who set a
score by hand, a link to the report), printed twice — by name and by total — so it reads without
any script to sort it.

Answer groups gather, per question, the answers the grader read the same way: the same set, the
same pair of numbers, the same stance. The *reading key* of an answer is built from what each check
extracted (``CheckResult.value``) and the misconceptions that fired, written canonically (numbers
to six significant digits, whitespace collapsed) so that "0.30" and "0.3" fall together and two
runs give the same key. A TA can then look at one reading once and, if the grader got it wrong, set
the score of the whole group (``python -m grader override``) instead of opening every report.
Groups include the answers that matched no misconception and the ones no check could read.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from grader.batch.run import Graded
from grader.model import QuestionResult, Status
from grader.render.feedback import points

MAX_VALUE_CHARS = 120  # a reading is shown in a table cell: long derivations are cut
MEMBERS_SHOWN = 60  # links per group; the rest are counted

_STATUS_WORDS = {Status.NOT_FOUND: "not found", Status.UNREADABLE: "not readable", Status.GRADER_ERROR: "grader error",
                 Status.WRONG: "nothing read", Status.PARTIAL: "nothing read", Status.CORRECT: "nothing read"}


def canonical(value, depth: int = 0) -> str:
    """A value as deterministic text: equal readings give equal text, whatever their spelling."""
    if depth > 4:
        return "…"
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = f"{value:.6g}"
        return "0" if text in ("-0", "0") else text
    if isinstance(value, str):
        text = " ".join(value.split())
        return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(canonical(v, depth + 1) for v in value[:50]) + (", …" if len(value) > 50 else "") + ")"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canonical(v, depth + 1) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {canonical(v, depth + 1)}" for k, v in sorted(value.items(), key=str)) + "}"
    tolist = getattr(value, "tolist", None)  # a numpy value
    if callable(tolist):
        return canonical(tolist(), depth + 1)
    return type(value).__name__  # never str(): an object's repr can hold its address


def reading(q: QuestionResult) -> tuple[tuple[str, str], ...]:
    """(check id, what it read) for each check, then ("misconceptions", ids) when any fired."""
    if q.status in (Status.NOT_FOUND, Status.GRADER_ERROR) or (not q.checks and q.status is Status.UNREADABLE):
        return (("answer", _STATUS_WORDS[q.status]),)
    parts = [(c.check_id, canonical(c.value) if c.value is not None else _STATUS_WORDS[c.status]) for c in q.checks]
    if q.misconceptions:
        parts.append(("misconceptions", ", ".join(sorted(m.id for m in q.misconceptions))))
    return tuple(parts)


def reading_key(q: QuestionResult) -> str:
    return "; ".join(f"{name}={shown}" for name, shown in reading(q))


# --- the roster ----------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str  # the score, or "" when there is none
    review: bool = False
    overridden: bool = False


@dataclass
class RosterRow:
    graded: Graded
    student: str
    cells: list[Cell]
    total: float | None
    max_score: float
    review: list[str]  # question ids a person should look at
    overridden: list[str]  # question ids whose score a person set


def _natural(text: str) -> list:
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", text.casefold()) if t]


def roster(graded: list[Graded], columns: list[tuple[str, str]]) -> list[RosterRow]:
    from grader.batch.csv_out import total_of

    rows = []
    for g in graded:
        res = g.result
        by_key = {(res.rubric_id, q.question_id): q for q in res.questions}
        cells = []
        for key in columns:
            q = by_key.get(key)
            if q is None or (res.error and q.override is None):
                cells.append(Cell(""))
            else:
                cells.append(Cell(points(q.score), q.needs_review, q.override is not None))
        review = [q.question_id for q in res.questions if q.needs_review or q.status is Status.GRADER_ERROR]
        rows.append(RosterRow(g, g.submission.name or g.submission.id, cells, total_of(res), res.max_score, review,
                              [q.question_id for q in res.questions if q.override is not None]))
    return rows


def by_name(rows: list[RosterRow]) -> list[RosterRow]:
    return sorted(rows, key=lambda r: (_natural(r.student), _natural(r.graded.submission.id)))


def by_total(rows: list[RosterRow]) -> list[RosterRow]:
    """Highest total first; submissions with no total (nothing graded) last."""
    return sorted(rows, key=lambda r: (r.total is None, -(r.total or 0.0), _natural(r.student)))


# --- answer groups -------------------------------------------------------------------------------


@dataclass
class AnswerGroup:
    reading: tuple[tuple[str, str], ...]
    members: list[tuple[Graded, QuestionResult]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def scores(self) -> list[tuple[str, int]]:
        """Each score in the group with how many got it (one, unless a person set some)."""
        counts = Counter(q.score for _, q in self.members)
        return [(points(s), n) for s, n in sorted(counts.items(), key=lambda kv: -kv[0])]

    @property
    def review(self) -> int:
        return sum(q.needs_review for _, q in self.members)

    @property
    def overridden(self) -> int:
        return sum(q.override is not None for _, q in self.members)

    @property
    def misconceptions(self) -> bool:
        return any(name == "misconceptions" for name, _ in self.reading)

    @property
    def shown(self) -> list[tuple[Graded, QuestionResult]]:
        return self.members[:MEMBERS_SHOWN]


@dataclass
class QuestionGroups:
    rubric: str
    id: str
    title: str
    points: float
    groups: list[AnswerGroup]

    @property
    def answers(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def shared(self) -> list[AnswerGroup]:
        return [g for g in self.groups if g.count > 1]

    @property
    def single(self) -> list[AnswerGroup]:
        return [g for g in self.groups if g.count == 1]


def answer_groups(graded: list[Graded]) -> list[QuestionGroups]:
    """Per question (in rubric order), its answers grouped by reading, the largest group first."""
    questions: dict[tuple[str, str], QuestionGroups] = {}
    groups: dict[tuple[str, str], dict[tuple, AnswerGroup]] = {}
    for g in graded:
        if g.result.error:
            continue
        for q in g.result.questions:
            key = (g.result.rubric_id, q.question_id)
            if key not in questions:
                questions[key] = QuestionGroups(key[0], q.question_id, q.title, q.points, [])
                groups[key] = {}
            r = reading(q)
            groups[key].setdefault(r, AnswerGroup(r)).members.append((g, q))
    for key, qg in questions.items():
        qg.groups = sorted(groups[key].values(), key=lambda a: (-a.count, a.reading))
    return list(questions.values())
