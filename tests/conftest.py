"""Shared test plumbing: statistics that tests record and the run's summary prints."""

from __future__ import annotations

import pytest

_REVIEW_STATS: dict[str, tuple[int, int]] = {}


@pytest.fixture
def review_stats() -> dict[str, tuple[int, int]]:
    """Tests record (answers marked 'needs review', answers graded) per fixture set."""
    return _REVIEW_STATS


def pytest_terminal_summary(terminalreporter):
    if _REVIEW_STATS:
        terminalreporter.section("answers marked 'needs review'")
        for name, (flagged, total) in sorted(_REVIEW_STATS.items()):
            terminalreporter.write_line(f"{name}: {flagged} of {total} ({flagged / max(total, 1):.1%})")


@pytest.fixture(scope="module")
def em():
    """The gaussian-em rubric."""
    from grader.rubric import load_rubric

    return load_rubric("gaussian-em")


@pytest.fixture(scope="module")
def basic():
    """The basic-knowledge rubric."""
    from grader.rubric import load_rubric

    return load_rubric("basic-knowledge")
