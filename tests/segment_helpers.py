"""Shared by the segmentation tests: a submission's regions and their answers (the rubric fixtures ``em`` and
``basic`` are in conftest.py)."""

from __future__ import annotations

from grader.read import read_text
from grader.segment import segment


def regions(text: str, rubric, name="a.md"):
    """The regions the segmenter gives a submission of ``text``."""
    return segment(read_text(text, name), rubric)


def answers(found) -> dict[str, str]:
    """Each found region's answer text, by question id."""
    return {q: r.text().strip() for q, r in found.items() if r.found}
