"""The class summary for the course staff: what the class got wrong and what needs a person.

From the batch's results: the distribution of totals and of each question's scores, every
misconception with how often it fired and two or three anonymised examples, the review queue
(answers marked "needs review", grader errors, submissions that could not be graded) and the
questions with the lowest averages. Rendered to summary.html with Jinja2 (autoescaped) and inline
SVG charts (grader/batch/svg.py), as self-contained as the students' reports.

Examples are anonymised because the page is meant to be shown (in a lecture, to other TAs): emails,
long digit runs (student numbers), "Name: …"-style lines and every name, email and id known from
Gradescope's metadata are replaced, then the answer is cut to EXAMPLE_CHARS around the words the
misconception was detected in.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch import svg
from grader.batch.run import Graded
from grader.model import Status
from grader.render.feedback import points

EXAMPLES = 3
MAX_TRIES = 40  # answers looked at per misconception for distinct examples
EXAMPLE_CHARS = 160
LOWEST = 3
REDACTED = "[removed]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# student numbers: six digits or more, not part of a decimal (0.9640001) or a grouped number
_LONG_NUMBER = re.compile(r"(?<![\w.,])\d{6,}(?!\w|[.,]\d)")
_LABELLED = re.compile(r"(?im)\b(name|student(?: name| id| number)?|author|sid|net ?id|e-?mail|matricule|nom|prénom)"
                       r"(\s*[:=]\s*)[^\n;,$]{1,60}")


@dataclass
class QuestionStats:
    rubric: str
    id: str
    number: str
    title: str
    points: float
    scores: list[float] = field(default_factory=list)
    full: int = 0
    zero: int = 0
    not_found: int = 0
    review: int = 0
    misconceptions: Counter = field(default_factory=Counter)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def mean_fraction(self) -> float:
        return self.mean / self.points if self.points else 0.0

    @property
    def chart(self):
        return svg.histogram(svg.question_bins(self.scores, self.points), f"Scores on {self.title}",
                             width=360, height=170)


@dataclass
class MisconceptionStats:
    id: str
    question: QuestionStats
    feedback: str
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class ReviewItem:
    graded: Graded
    kind: str  # why it is queued, in two or three words
    question: str  # the question's title, "" for the whole submission
    reason: str
    note: str = ""


@dataclass
class ClassSummary:
    title: str
    submissions: int
    graded: int
    totals: list[float]
    max_score: float
    questions: list[QuestionStats]
    misconceptions: list[MisconceptionStats]
    review: list[ReviewItem]
    notes: list[str]
    # the staff's views (roster.py) and what moved since the previous run (changes.py)
    columns: list[str] = field(default_factory=list)
    roster: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    changes: object = None
    overridden: int = 0  # questions whose score a person set

    @property
    def by_name(self) -> list:
        from grader.batch.roster import by_name

        return by_name(self.roster)

    @property
    def by_total(self) -> list:
        from grader.batch.roster import by_total

        return by_total(self.roster)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals) if self.totals else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.totals) if self.totals else 0.0

    @property
    def lowest(self) -> list[QuestionStats]:
        answered = [q for q in self.questions if q.scores]
        return sorted(answered, key=lambda q: (q.mean_fraction, q.number))[:LOWEST]

    @property
    def total_chart(self):
        return svg.histogram(svg.score_bins(self.totals, self.max_score), "Distribution of total scores")

    @property
    def average_chart(self):
        rows = [(q.title, q.mean_fraction, f"{q.mean:.2f} / {points(q.points)}") for q in self.questions]
        return svg.hbars(rows, "Average score per question", 1.0)

    @property
    def misconception_chart(self):
        rows = [(m.id, m.count, f"{m.count} ({m.count / max(self.graded, 1):.0%})") for m in self.misconceptions]
        return svg.hbars(rows, "How often each misconception fired", max((m.count for m in self.misconceptions),
                                                                         default=1))


@dataclass(frozen=True)
class People:
    """What identifies the students: single words (name parts, ids) and whole names with short parts."""

    words: frozenset[str]  # casefolded
    names: re.Pattern | None  # "Li Na": parts too short to remove on their own


_WORD = re.compile(r"\w+(?:['.-]\w+)*")  # "O'Neil", "Jean-Luc" and "0.0042" are one word each


def known_people(graded: list[Graded]) -> People | None:
    """Every name part (3 letters or more), name, email and id from Gradescope's metadata."""
    words, short_names = set(), []
    for g in graded:
        for item in g.submission.people:
            parts = item.split()
            words.update(p.casefold() for p in parts if len(p) >= 3 or p.isdigit())
            if len(parts) > 1 and any(len(p) < 3 for p in parts):
                short_names.append(r"\s+".join(re.escape(p) for p in parts))
    if not words and not short_names:
        return None
    names = re.compile(r"(?<!\w)(?:" + "|".join(short_names) + r")(?!\w)", re.IGNORECASE) if short_names else None
    return People(frozenset(words), names)


def anonymise(text: str, people: People | None = None, limit: int = EXAMPLE_CHARS) -> str:
    # Only the first `limit` characters are kept; cutting well past them first bounds the scans
    # (the e-mail pattern backtracks on long runs of word characters) without splitting a name or
    # address that the kept part ends in.
    text = text[: 4 * limit + 200]
    text = _EMAIL.sub(REDACTED, text)
    text = _LABELLED.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
    if people is not None:
        # a set lookup per word: one alternation of a whole class's names would be slow on long answers
        text = _WORD.sub(lambda m: REDACTED if m.group().casefold() in people.words else m.group(), text)
        if people.names is not None:
            text = people.names.sub(REDACTED, text)
    text = _LONG_NUMBER.sub(REDACTED, text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _review_items(g: Graded) -> list[ReviewItem]:
    if g.result.error:
        kind = {"timeout": "timed out", "crash": "grader failed"}.get(g.failure, "could not be read")
        return [ReviewItem(g, kind, "", g.result.error)]
    items = []
    for q in g.result.questions:
        if q.status is Status.GRADER_ERROR:
            items.append(ReviewItem(g, "grader error", q.title, q.grader_error or q.summary))
        elif q.needs_review:
            items.append(ReviewItem(g, "needs review", q.title, q.summary, f"read with {q.confidence:.0%} confidence"))
    return items


def example(excerpt: str, evidence: str, people: People | None) -> str:
    """An anonymised snippet of the answer, centred on the evidence when the answer contains it."""
    text = " ".join(anonymise(excerpt, people, limit=len(excerpt) + 1).split())
    found = " ".join(anonymise(evidence, people, limit=len(evidence) + 1).split()) if evidence else ""
    at = text.find(found) if found else -1
    if at < 0 or len(text) <= EXAMPLE_CHARS:
        return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1].rstrip() + "…"
    start = max(0, min(at - (EXAMPLE_CHARS - len(found)) // 2, len(text) - EXAMPLE_CHARS))
    snippet = text[start:start + EXAMPLE_CHARS]
    return ("…" if start else "") + snippet.strip() + ("…" if start + EXAMPLE_CHARS < len(text) else "")


def summarise(graded: list[Graded], notes: list[str] | None = None, changes=None) -> ClassSummary:
    ok = [g for g in graded if not g.result.error]
    rubrics = Counter(g.result.rubric_id for g in ok)
    main = rubrics.most_common(1)[0][0] if rubrics else ""
    title = next((g.result.rubric_title for g in ok if g.result.rubric_id == main), "") or "Batch"
    notes = list(notes or [])
    if len(rubrics) > 1:
        others = ", ".join(f"{r} ({n})" for r, n in rubrics.items() if r != main)
        notes.append(f"Submissions were recognised as more than one homework; the totals chart counts '{main}' only, "
                     f"the question statistics count all of them (others: {others}).")
    people = known_people(graded)
    questions: dict[tuple[str, str], QuestionStats] = {}
    misconceptions: dict[tuple[str, str], MisconceptionStats] = {}
    seen_examples: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for g in ok:
        for q in g.result.questions:
            key = (g.result.rubric_id, q.question_id)
            stats = questions.setdefault(key, QuestionStats(key[0], q.question_id, q.number, q.title, q.points))
            stats.scores.append(q.score)
            stats.full += q.score >= q.points - 1e-9
            stats.zero += q.score <= 1e-9
            stats.not_found += q.status is Status.NOT_FOUND
            stats.review += q.needs_review
            for hit in q.misconceptions:
                stats.misconceptions[hit.id] += 1
                m = misconceptions.setdefault((key[0], hit.id), MisconceptionStats(hit.id, stats, hit.feedback))
                m.count += 1
                seen = seen_examples.setdefault((key[0], hit.id), set())
                raw = (q.answer_excerpt, hit.evidence)
                if len(m.examples) < EXAMPLES and raw not in seen and len(seen) < MAX_TRIES:
                    seen.add(raw)  # the same answer twice is one example, and costs one anonymisation
                    shown = example(q.answer_excerpt or hit.evidence, hit.evidence, people)
                    if shown and shown not in m.examples:
                        m.examples.append(shown)
    main_results = [g.result for g in ok if g.result.rubric_id == main]
    review = [item for g in graded for item in _review_items(g)]
    review.sort(key=lambda item: (not item.graded.result.error, 0 if item.kind == "grader error" else 1))
    from grader.batch import roster
    from grader.batch.csv_out import headers, question_columns

    columns = question_columns(graded)
    return ClassSummary(
        title=title, submissions=len(graded), graded=len(ok), totals=[r.score for r in main_results],
        max_score=main_results[0].max_score if main_results else 0.0, questions=list(questions.values()),
        misconceptions=sorted(misconceptions.values(), key=lambda m: (-m.count, m.id)), review=review, notes=notes,
        columns=headers(columns), roster=roster.roster(graded, columns), groups=roster.answer_groups(graded),
        changes=changes, overridden=sum(q.override is not None for g in graded for q in g.result.questions),
    )


def render_summary(summary: ClassSummary) -> str:
    from grader.render.report import template

    return template("summary.html.j2").render(s=summary)


def write_summary(graded: list[Graded], path: Path, notes: list[str] | None = None, changes=None) -> ClassSummary:
    from grader.batch.outdir import write_text_atomic

    summary = summarise(graded, notes, changes)
    write_text_atomic(path, render_summary(summary))
    return summary
