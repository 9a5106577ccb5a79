"""The HTML feedback page the single-file command writes (``--html``); see grader/render/report.py."""

from __future__ import annotations

from pathlib import Path

from grader.model import Result
from grader.render.report import render_report, write_report


def render_html(result: Result, show_expected: bool | None = None) -> str:
    return render_report(result, show_expected)


def write_html(result: Result, path: Path, show_expected: bool | None = None) -> None:
    write_report(result, path, show_expected)
