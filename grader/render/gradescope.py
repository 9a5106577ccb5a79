"""Gradescope's results.json from a Result.

One test per question. ``extra_data`` carries {"question", "misconceptions", "status"}, plus
"needs_review": true when the score is provisional: reports, batch mode and outside tools read
these keys. Scores are Python floats; the file is
written as ASCII JSON without NaN, to a temporary name first and then moved into place, so a
reader never sees half a file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from grader.model import Result, Status
from grader.render.feedback import question_markdown, summary_markdown


def _float(x: float) -> float:
    x = float(x)
    return x if math.isfinite(x) else 0.0


def results_json(result: Result, show_expected: bool = True, execution_time: float | None = None) -> dict:
    tests = []
    for q in result.questions:
        extra = {
            "question": q.question_id,
            "misconceptions": [m.id for m in q.misconceptions],
            "status": q.status.value,
        }
        if q.needs_review:
            extra["needs_review"] = True
        tests.append({
            "score": _float(q.score),
            "max_score": _float(q.points),
            "status": "passed" if q.status is Status.CORRECT else "failed",
            "name": q.title,
            "name_format": "text",
            "number": q.number,
            "output": question_markdown(q, show_expected),
            "output_format": "md",
            "tags": list(q.tags),
            "visibility": "visible",
            "extra_data": extra,
        })
    data = {
        "score": _float(result.score),
        "output": summary_markdown(result),
        "output_format": "md",
        "test_output_format": "md",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"rubric": result.rubric_id, "submission": result.submission},
        "tests": tests,
    }
    if execution_time is not None:
        data["execution_time"] = int(round(execution_time))
    return data


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=True, allow_nan=False, indent=2, sort_keys=False)


def write_json(data: dict, path: Path) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps(data)
    fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
