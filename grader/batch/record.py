"""A batch run as the gradebook stores it, with what it depends on: the files, the rubrics, the grader.

Each dependency is hashed (SHA-256) so that the next run can say why a score moved: the student's
file (its bytes), the rubric (its YAML and its solutions module, where the reference values come
from) and the grader (its version and a digest of its own code and templates: a fix between two
runs changes scores without any version bump).
"""

from __future__ import annotations

import hashlib
import importlib.util
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import grader
from grader.batch.gradebook import RubricRow, RunRecord, ScoreRow, SubmissionRow
from grader.batch.roster import reading_key
from grader.batch.run import Graded

CHUNK = 1 << 20


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def file_sha256(path: Path) -> str:
    """The file's SHA-256; "" for a folder (nothing to grade) or a file that cannot be read."""
    path = Path(path)
    if not path.is_file():
        return ""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while block := fh.read(CHUNK):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


@lru_cache(maxsize=1)
def grader_digest() -> str:
    """SHA-256 over the grader's own code and templates, in a fixed order."""
    root = Path(grader.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".j2") and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _solutions_file(rubric) -> Path | None:
    if not rubric.solutions:
        return None
    beside = rubric.path.resolve().parent.parent / "solutions" / f"{rubric.solutions}.py"
    if beside.is_file():
        return beside
    try:
        spec = importlib.util.find_spec(f"solutions.{rubric.solutions}")
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin else None


def rubric_sha256(rubric) -> str:
    """SHA-256 of the rubric file and its solutions module (the reference answers)."""
    digest = hashlib.sha256()
    for path in (rubric.path, _solutions_file(rubric)):
        if path is not None and Path(path).is_file():
            digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _rubric(name: str):
    from grader.rubric import load_rubric

    try:
        return load_rubric(name)
    except Exception:  # a rubric that graded this run and vanished since: record it without a hash
        return None


def build_run(graded: list[Graded], started_at: str, rubric_option: str | None, folder: Path) -> RunRecord:
    run = RunRecord(started_at=started_at, finished_at=now(), grader_version=grader.__version__,
                    grader_digest=grader_digest(), rubric_option=rubric_option or "",
                    folder=str(Path(folder).resolve()))
    from grader.batch.csv_out import total_of

    for position, g in enumerate(graded):
        res, sub = g.result, g.submission
        if res.rubric_id and res.rubric_id not in run.rubrics:
            rubric = _rubric(rubric_option or res.rubric_id)
            run.rubrics[res.rubric_id] = RubricRow(res.rubric_id, res.rubric_title,
                                                   rubric_sha256(rubric) if rubric else "", res.max_score)
        run.submissions[sub.id] = SubmissionRow(
            sub.id, position, sub.name, sub.source, file_sha256(sub.path), res.rubric_id, g.failure or "graded",
            res.error, total_of(res), res.max_score, g.report, sub.submitters)
        for k, q in enumerate(res.questions):
            mine = None if res.error else (q.override.grader_score if q.override else q.score)
            stands = q.score if q.override or not res.error else None
            run.scores[(sub.id, q.question_id)] = ScoreRow(
                sub.id, q.question_id, k, res.rubric_id, q.title, q.points, mine, stands, q.status.value,
                tuple(m.id for m in q.misconceptions), q.needs_review, reading_key(q), q.override is not None)
    return run
