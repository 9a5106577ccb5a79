"""The 42 hostile and broken submissions of shared/BAD_INPUTS.md, generated into a temporary folder.

``all_cases()`` lists (number, slug, generator); a case with several forms (a PDF and a PNG renamed .ipynb)
has one generator per form. A generator writes the submission and returns a ``Case``: what the student
must be told, which questions it may cost and how (every other question keeps its full marks), and how
to grade it: in this process (``via="file"``) or through the real ``run_autograder`` on a submission
folder (``via="autograder"``), for what only the finder or the supervisor can show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .bases import BASIC_NUMBERS, GAUSSIAN_NUMBERS, gaussian_cells, gaussian_markdown, notebook

ALL = "*"  # in Case.affected: every question


@dataclass
class Case:
    submission: Path  # the file to grade, or the submission folder for via="autograder"
    says: str  # a fragment of what the student is shown (results.json's outputs)
    affected: dict[str, tuple[float, str]] = field(default_factory=dict)  # number -> (score, status)
    rubric: str = "gaussian-em"
    via: str = "file"
    env: dict[str, str] = field(default_factory=dict)
    instructors: str = ""  # a fragment of the autograder's stdout, which only instructors see
    never: tuple[Path, ...] = ()  # files a payload would create if anything ran it
    payload: str = ""  # student text that must never be compiled or run
    raising_checker: str = ""  # a checker the harness makes raise while this case is graded
    graded_twice: bool = False  # grade again and compare the results byte for byte

    @property
    def numbers(self) -> tuple[str, ...]:
        return BASIC_NUMBERS if self.rubric == "basic-knowledge" else GAUSSIAN_NUMBERS


CASES: list[tuple[int, str, Callable[[Path], Case]]] = []


def case(number: int, slug: str):
    def register(make):
        CASES.append((number, slug, make))
        return make
    return register


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def submission_folder(tmp: Path) -> Path:
    folder = tmp / "autograder" / "submission"
    folder.mkdir(parents=True)
    return folder


def unreadable(says: str, **kw) -> dict:
    return dict(says=says, affected={ALL: (0.0, "unreadable")}, **kw)


def all_cases() -> list[tuple[int, str, Callable[[Path], Case]]]:
    """Every case, by number; the generators live in cases_files.py (1-25) and cases_text.py (26-42)."""
    from . import cases_files, cases_text  # noqa: F401  (importing them registers their cases)

    return sorted(CASES, key=lambda c: c[0])


GOOD_MD = gaussian_markdown().encode()
GOOD_NB = notebook(gaussian_cells())
TOTAL = "**Total: 40 / 40**"
