"""Find the submissions in a folder: one file or one sub-folder per student, or Gradescope's export.

Gradescope's "Export Submissions" zip unpacks to a folder holding ``submission_metadata.yml`` and
one ``submission_<id>`` folder per submission (sometimes inside one more folder). The YAML is
written by Ruby, so its keys carry colons::

    submission_123456:
      :submitters:
      - :name: Ada Lovelace
        :sid: '0042'
        :email: ada@example.edu
      :created_at: 2024-03-01 10:00:00.000000000 -08:00

It is read with PyYAML's safe loader (``yaml.safe_load``'s, the C one when present: ten times faster
on a class of 300); a file that does not parse costs the names only (a note says so),
never the grading.

In a folder of student folders, the answer file is the one a grader can read: a notebook first,
then LaTeX, Markdown, text (the largest when there are several of a kind). A folder with no such
file still becomes a submission, so the staff see it in the review queue with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.read.locate import find_answer_file
from grader.rubric_files import safe_yaml

METADATA = "submission_metadata.yml"
SKIPPED_NAMES = {METADATA, "submission_metadata.json", "__MACOSX", ".ipynb_checkpoints", "__pycache__"}
MAX_ID_CHARS = 80


@dataclass(frozen=True)
class Submitter:
    """One person of a submission, as Gradescope's metadata lists them (``:name:``, ``:sid:``, ``:email:``)."""

    name: str = ""
    sid: str = ""
    email: str = ""


@dataclass(frozen=True)
class Submission:
    id: str  # unique in the batch and safe as a file name: the report is reports/<id>.html
    path: Path  # the file to grade (a folder when it holds nothing gradable)
    name: str = ""  # the student's name(s), from Gradescope's metadata
    source: str = ""  # where it was found, relative to the batch folder, for the staff
    people: tuple[str, ...] = ()  # names, emails and student ids: removed from anonymised snippets
    problem: str = ""  # why there is nothing to grade (an empty folder)
    submitters: tuple[Submitter, ...] = ()  # each person of the submission (a group has several)

    @property
    def sid(self) -> str:
        return ";".join(p.sid for p in self.submitters if p.sid)

    @property
    def email(self) -> str:
        return ";".join(p.email for p in self.submitters if p.email)


@dataclass
class Discovery:
    submissions: list[Submission]
    layout: str  # "gradescope export" or "folder"
    notes: list[str] = field(default_factory=list)


def safe_id(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")[:MAX_ID_CHARS]
    return cleaned or "submission"


def _natural(text: str) -> list:
    """Sort key: student10 after student9."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text)]


def _visible(name: str) -> bool:
    return not name.startswith((".", "~$")) and name not in SKIPPED_NAMES


def _answer_file(folder: Path) -> Path | None:
    """The same choice as run_autograder's (grader/read/locate.py): never a symbolic link, a hidden
    or reserved file; notebooks first, then LaTeX, Markdown, text."""
    return find_answer_file(folder).path


def _unique(ids: set[str], wanted: str) -> str:
    candidate, n = wanted, 2
    while candidate.lower() in ids:
        candidate, n = f"{wanted}-{n}", n + 1
    ids.add(candidate.lower())
    return candidate


def _get(entry: dict, key: str):
    """Ruby's ``:name:`` key reads as ":name" in YAML; plain "name" is accepted too."""
    for variant in (f":{key}", key, f":{key}:"):
        if variant in entry:
            return entry[variant]
    return None


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def read_metadata(path: Path) -> tuple[dict[str, tuple[str, tuple[str, ...], tuple[Submitter, ...]]], list[str]]:
    """{folder name: (display name, (names, emails, ids), submitters)} from Gradescope's metadata, and notes."""
    import yaml

    try:
        data = safe_yaml(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, yaml.YAMLError) as exc:
        return {}, [f"{path.name} could not be read ({type(exc).__name__}); students are named by folder"]
    if not isinstance(data, dict):
        return {}, [f"{path.name} does not list submissions; students are named by folder"]
    found = {}
    for key, entry in data.items():
        submitters = _get(entry, "submitters") if isinstance(entry, dict) else None
        names, people, who = [], [], []
        for person in submitters if isinstance(submitters, list) else []:
            if not isinstance(person, dict):
                continue
            name, email, sid = (_text(_get(person, k)) for k in ("name", "email", "sid"))
            names.append(name)
            people += [name, email, sid]
            who.append(Submitter(name, sid, email))
        found[str(key)] = (", ".join(n for n in names if n), tuple(p for p in people if p), tuple(who))
    return found, []


def _export_root(folder: Path) -> Path | None:
    if (folder / METADATA).is_file():
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and _visible(p.name)]
    if len(inner) == 1 and (inner[0] / METADATA).is_file():  # the zip's own top folder
        return inner[0]
    return None


def discover(folder: Path, exclude: Path | None = None) -> Discovery:
    """The submissions in ``folder``, in natural order of their names. ``exclude``: the output folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder")
    root = _export_root(folder)
    metadata, notes = read_metadata(root / METADATA) if root else ({}, [])
    base = root or folder
    skip = exclude.resolve() if exclude else None
    entries = sorted((p for p in base.iterdir() if _visible(p.name) and (skip is None or p.resolve() != skip)),
                     key=lambda p: _natural(p.name))
    ids: set[str] = set()
    found = []
    for entry in entries:
        name, people, who = metadata.get(entry.name, ("", (), ()))
        if entry.is_dir():
            answer = _answer_file(entry)
            path = answer or entry
            problem = "" if answer else "the folder holds no file"
            stem = entry.name
        elif entry.is_file():
            path, problem, stem = entry, "", entry.stem
        else:
            continue  # sockets, broken links: nothing to read
        source = str(path.relative_to(folder))
        found.append(Submission(_unique(ids, safe_id(stem)), path, name, source, people, problem, who))
    missing = sorted(set(metadata) - {e.name for e in entries}, key=_natural)
    if missing:
        notes.append(f"{len(missing)} submission(s) listed in {METADATA} have no folder: {', '.join(missing[:10])}")
    return Discovery(found, "gradescope export" if root else "folder", notes)
