"""The gradebook: every batch run into OUT and every score a person set, in ``OUT/gradebook.sqlite``.

SQLite from the standard library: one file, no server, readable with any SQLite client. What it
holds (schema version ``SCHEMA``, kept in ``PRAGMA user_version``):

- ``runs``: when, which grader (version and a digest of its code), the ``--rubric`` given, the folder;
- ``rubrics``: per run, each homework met, with the SHA-256 of its rubric and solutions files;
- ``submissions`` / ``submitters``: per run, each submission's file (and its SHA-256), status,
  total, and the people Gradescope's metadata names (name, sid, email);
- ``scores``: per run, submission and question: the grader's score, the score that stands (a
  person's, when one is set), status, misconceptions, needs_review and the reading key (what the
  checkers read, see roster.py);
- ``overrides``: the scores course staff set, one per submission and question, with who, when and
  why; ``override_log``: every set and clear, never deleted.

A run is written in one transaction (``executemany``, not a commit per row): a run killed midway
leaves the gradebook as the previous run left it, and a reader never sees half a run. Writers also
hold OUT's lock (outdir.py). A gradebook from a newer grader (a higher schema version) is refused
rather than misread; older ones are migrated forward in a transaction.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch.discover import Submitter

FILE_NAME = "gradebook.sqlite"
SCHEMA = 1

# MIGRATIONS[k] takes a gradebook from version k to k + 1
MIGRATIONS = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        grader_version TEXT NOT NULL,
        grader_digest TEXT NOT NULL,
        rubric_option TEXT NOT NULL,
        folder TEXT NOT NULL
    );
    CREATE TABLE rubrics (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        rubric_id TEXT NOT NULL,
        title TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        max_score REAL NOT NULL,
        PRIMARY KEY (run_id, rubric_id)
    );
    CREATE TABLE submissions (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        submission TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        rubric_id TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT NOT NULL,
        total REAL,
        max_score REAL NOT NULL,
        report TEXT NOT NULL,
        PRIMARY KEY (run_id, submission)
    );
    CREATE TABLE submitters (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        submission TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        sid TEXT NOT NULL,
        email TEXT NOT NULL,
        PRIMARY KEY (run_id, submission, position)
    );
    CREATE TABLE scores (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        submission TEXT NOT NULL,
        question TEXT NOT NULL,
        position INTEGER NOT NULL,
        rubric_id TEXT NOT NULL,
        title TEXT NOT NULL,
        points REAL NOT NULL,
        grader_score REAL,
        score REAL,
        status TEXT NOT NULL,
        misconceptions TEXT NOT NULL,
        needs_review INTEGER NOT NULL,
        reading TEXT NOT NULL,
        overridden INTEGER NOT NULL,
        PRIMARY KEY (run_id, submission, question)
    );
    CREATE TABLE overrides (
        submission TEXT NOT NULL,
        question TEXT NOT NULL,
        score REAL NOT NULL,
        note TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        grader_score REAL,
        PRIMARY KEY (submission, question)
    );
    CREATE TABLE override_log (
        id INTEGER PRIMARY KEY,
        submission TEXT NOT NULL,
        question TEXT NOT NULL,
        action TEXT NOT NULL,
        score REAL,
        note TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
]
assert len(MIGRATIONS) == SCHEMA


class GradebookError(Exception):
    """The gradebook file cannot be used (not a gradebook, a newer schema, a damaged file)."""


@dataclass(frozen=True)
class ScoreRow:
    submission: str
    question: str
    position: int
    rubric_id: str
    title: str
    points: float
    grader_score: float | None  # None when nothing of the submission could be graded
    score: float | None  # the score that stands: a person's when overridden
    status: str
    misconceptions: tuple[str, ...]
    needs_review: bool
    reading: str
    overridden: bool


@dataclass(frozen=True)
class SubmissionRow:
    submission: str
    position: int
    name: str
    source: str
    sha256: str
    rubric_id: str
    status: str  # graded, unreadable, timeout, crash
    error: str
    total: float | None  # None when nothing was graded
    max_score: float
    report: str
    submitters: tuple[Submitter, ...] = ()


@dataclass(frozen=True)
class RubricRow:
    rubric_id: str
    title: str
    sha256: str
    max_score: float


@dataclass
class RunRecord:
    started_at: str
    finished_at: str
    grader_version: str
    grader_digest: str
    rubric_option: str
    folder: str
    rubrics: dict[str, RubricRow] = field(default_factory=dict)
    submissions: dict[str, SubmissionRow] = field(default_factory=dict)
    scores: dict[tuple[str, str], ScoreRow] = field(default_factory=dict)
    id: int = 0


@dataclass(frozen=True)
class OverrideRow:
    submission: str
    question: str
    score: float
    note: str
    by: str
    at: str
    sha256: str  # the file's SHA-256 when the score was set: a later change of the file is flagged
    grader_score: float | None  # None when nothing of the submission could be graded


class Gradebook:
    """One open gradebook. Use as a context manager; every write is one transaction."""

    def __init__(self, path: Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise GradebookError(f"{self.path} does not exist: run `python -m grader batch` into this folder first")
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise GradebookError(f"{self.path} is not a usable gradebook ({exc})") from None

    @classmethod
    def in_folder(cls, out: Path, create: bool = True) -> Gradebook:
        return cls(Path(out) / FILE_NAME, create)

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA:
            raise GradebookError(f"{self.path} was written by a newer grader (schema {version}; this one reads "
                                 f"up to {SCHEMA}): upgrade the grader or use another output folder")
        if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise GradebookError(f"{self.path} is an SQLite file but not a gradebook; move it out of the way")
        if version == SCHEMA:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for step in range(version, SCHEMA):
                for statement in filter(str.strip, MIGRATIONS[step].split(";")):
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # --- runs ------------------------------------------------------------------------------------

    def record_run(self, run: RunRecord) -> int:
        """Store a whole run in one transaction; return its id."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            cur = db.execute(
                "INSERT INTO runs (started_at, finished_at, grader_version, grader_digest, rubric_option, folder) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (run.started_at, run.finished_at, run.grader_version, run.grader_digest, run.rubric_option, run.folder))
            rid = cur.lastrowid
            db.executemany("INSERT INTO rubrics VALUES (?, ?, ?, ?, ?)",
                           [(rid, r.rubric_id, r.title, r.sha256, r.max_score) for r in run.rubrics.values()])
            db.executemany("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(rid, s.submission, s.position, s.name, s.source, s.sha256, s.rubric_id, s.status,
                             s.error, s.total, s.max_score, s.report) for s in run.submissions.values()])
            db.executemany("INSERT INTO submitters VALUES (?, ?, ?, ?, ?, ?)",
                           [(rid, s.submission, k, p.name, p.sid, p.email) for s in run.submissions.values()
                            for k, p in enumerate(s.submitters)])
            db.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(rid, c.submission, c.question, c.position, c.rubric_id, c.title, c.points,
                             c.grader_score, c.score, c.status, json.dumps(list(c.misconceptions)),
                             int(c.needs_review), c.reading, int(c.overridden)) for c in run.scores.values()])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        run.id = rid
        return rid

    def run_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM runs ORDER BY id")]

    def last_run(self) -> RunRecord | None:
        ids = self.run_ids()
        return self.load_run(ids[-1]) if ids else None

    def load_run(self, rid: int) -> RunRecord:
        db = self.db
        row = db.execute("SELECT started_at, finished_at, grader_version, grader_digest, rubric_option, folder "
                         "FROM runs WHERE id = ?", (rid,)).fetchone()
        if row is None:
            raise GradebookError(f"{self.path} has no run {rid}")
        run = RunRecord(*row, id=rid)
        for r in db.execute("SELECT rubric_id, title, sha256, max_score FROM rubrics WHERE run_id = ?", (rid,)):
            run.rubrics[r[0]] = RubricRow(*r)
        people: dict[str, list[Submitter]] = {}
        for sub, name, sid, email in db.execute(
                "SELECT submission, name, sid, email FROM submitters WHERE run_id = ? ORDER BY submission, position",
                (rid,)):
            people.setdefault(sub, []).append(Submitter(name, sid, email))
        for r in db.execute("SELECT submission, position, name, source, sha256, rubric_id, status, error, total, "
                            "max_score, report FROM submissions WHERE run_id = ? ORDER BY position", (rid,)):
            run.submissions[r[0]] = SubmissionRow(*r, submitters=tuple(people.get(r[0], ())))
        for r in db.execute("SELECT submission, question, position, rubric_id, title, points, grader_score, score, "
                            "status, misconceptions, needs_review, reading, overridden FROM scores "
                            "WHERE run_id = ? ORDER BY submission, position", (rid,)):
            run.scores[(r[0], r[1])] = ScoreRow(*r[:9], tuple(json.loads(r[9])), bool(r[10]), r[11], bool(r[12]))
        return run

    # --- overrides -------------------------------------------------------------------------------

    def overrides(self) -> dict[tuple[str, str], OverrideRow]:
        rows = self.db.execute("SELECT submission, question, score, note, by, at, sha256, grader_score "
                               "FROM overrides ORDER BY submission, question")
        return {(r[0], r[1]): OverrideRow(*r) for r in rows}

    def set_override(self, o: OverrideRow) -> None:
        self._write([
            ("INSERT OR REPLACE INTO overrides VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             (o.submission, o.question, o.score, o.note, o.by, o.at, o.sha256, o.grader_score)),
            ("INSERT INTO override_log (submission, question, action, score, note, by, at) "
             "VALUES (?, ?, 'set', ?, ?, ?, ?)", (o.submission, o.question, o.score, o.note, o.by, o.at)),
        ])

    def clear_override(self, submission: str, question: str, by: str, at: str, note: str = "") -> bool:
        """Remove a person's score; False when there was none."""
        exists = self.db.execute("SELECT 1 FROM overrides WHERE submission = ? AND question = ?",
                                 (submission, question)).fetchone()
        if not exists:
            return False
        self._write([
            ("DELETE FROM overrides WHERE submission = ? AND question = ?", (submission, question)),
            ("INSERT INTO override_log (submission, question, action, score, note, by, at) "
             "VALUES (?, ?, 'clear', NULL, ?, ?, ?)", (submission, question, note, by, at)),
        ])
        return True

    def override_log(self) -> list[tuple]:
        return list(self.db.execute("SELECT submission, question, action, score, note, by, at FROM override_log "
                                    "ORDER BY id"))

    def _write(self, statements: list[tuple[str, tuple]]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for sql, args in statements:
                self.db.execute(sql, args)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
