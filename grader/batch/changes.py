"""What changed since the previous run into OUT: ``OUT/changes.csv`` and the summary's section.

Scores are compared as grades.csv shows them (a person's score where one is set). Each changed
score says why, from what the gradebook recorded about both runs: ``rubric changed`` (the rubric
or its solutions module, by SHA-256), ``homework changed`` (another rubric was recognised),
``file changed`` (the student's file), ``grader changed`` (its version or code), ``score set by a
person`` / ``person's score cleared`` / ``person's score changed``, and a change of status
(``timeout`` → ``graded``). A change none of these explains is listed as ``no recorded cause``
rather than hidden. Submissions that arrived or left are one ``total`` row each.

changes.csv columns: submission, name, question, old_score, new_score, why (``;``-separated).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch.gradebook import RunRecord

HEADER = ["submission", "name", "question", "old_score", "new_score", "why"]
SHOWN = 200  # changes listed in the summary; changes.csv has all of them


@dataclass(frozen=True)
class Change:
    submission: str
    name: str
    question: str  # a question id, or "total" for a submission that arrived or left
    old: float | None
    new: float | None
    why: tuple[str, ...]
    report: str = ""


@dataclass
class ChangeReport:
    previous_at: str  # when the previous run finished
    previous_version: str
    changes: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    removed_reports: int = 0

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return Counter(w for c in self.changes for w in c.why).most_common()

    @property
    def moved(self) -> int:
        """Question scores that moved in submissions present in both runs."""
        return sum(c.question != "total" for c in self.changes)

    @property
    def moved_submissions(self) -> int:
        return len({c.submission for c in self.changes if c.question != "total"})

    @property
    def shown(self) -> list[Change]:
        return self.changes[:SHOWN]


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > 1e-9


def _causes(old: RunRecord, new: RunRecord, sid: str) -> list[str]:
    """Why anything of submission ``sid`` may have moved, in the order a TA would check."""
    a, b = old.submissions[sid], new.submissions[sid]
    why = []
    if a.rubric_id != b.rubric_id:
        why.append("homework changed")
    elif b.rubric_id and old.rubrics.get(a.rubric_id) and new.rubrics.get(b.rubric_id) \
            and old.rubrics[a.rubric_id].sha256 != new.rubrics[b.rubric_id].sha256:
        why.append("rubric changed")
    if a.sha256 != b.sha256:
        why.append("file changed")
    if (old.grader_version, old.grader_digest) != (new.grader_version, new.grader_digest):
        why.append("grader changed")
    if a.status != b.status:
        why.append(f"{a.status} → {b.status}")
    return why


def _by_submission(run: RunRecord) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for (sid, q), row in run.scores.items():
        out.setdefault(sid, {})[q] = row
    return out


def compare(old: RunRecord | None, new: RunRecord) -> ChangeReport | None:
    """The changes from ``old`` to ``new``; None when there is no previous run."""
    if old is None:
        return None
    report = ChangeReport(old.finished_at, old.grader_version)
    now_by, then_by = _by_submission(new), _by_submission(old)
    for sid, sub in new.submissions.items():
        if sid not in old.submissions:
            report.added.append(sid)
            report.changes.append(Change(sid, sub.name, "total", None, sub.total, ("new submission",), sub.report))
            continue
        causes = _causes(old, new, sid)
        mine, before = now_by.get(sid, {}), then_by.get(sid, {})
        for q in list(mine) + [q for q in before if q not in mine]:
            a, b = before.get(q), mine.get(q)
            old_score, new_score = a.score if a else None, b.score if b else None
            if not _differs(old_score, new_score):
                continue
            why = []
            if a and b and a.overridden != b.overridden:
                why.append("score set by a person" if b.overridden else "person's score cleared")
            elif a and b and a.overridden and b.overridden:
                why.append("person's score changed")
            why += causes
            if a is None or b is None:
                why.append("question added to the rubric" if a is None else "question no longer in the rubric")
            report.changes.append(Change(sid, sub.name, q, old_score, new_score,
                                         tuple(why) or ("no recorded cause",), sub.report))
    for sid, sub in old.submissions.items():
        if sid not in new.submissions:
            report.removed.append(sid)
            report.changes.append(Change(sid, sub.name, "total", sub.total, None, ("no longer in the folder",)))
    return report


def table(report: ChangeReport | None) -> list[list]:
    out: list[list] = [list(HEADER)]
    for c in report.changes if report else ():
        out.append([c.submission, c.name, c.question, "" if c.old is None else c.old,
                    "" if c.new is None else c.new, ";".join(c.why)])
    return out


def write_changes(report: ChangeReport | None, path: Path) -> None:
    """changes.csv, with the same protection against formulas as grades.csv (a header only on a first run)."""
    from grader.batch.csv_out import write_table

    write_table(table(report), path)
