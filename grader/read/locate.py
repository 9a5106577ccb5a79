"""Find the student's answer file in a Gradescope submission folder, whatever it is called.

Students upload one file or several (a notebook and its PDF export, a .tex and its .md notes), in
the folder's top level or inside subfolders. The choice is made by a documented order and said
in words, so a student who uploaded two files learns which one was graded:

1. non-empty files before empty ones;
2. by kind: notebooks (.ipynb), then LaTeX (.tex), then Markdown (.md), then plain text (.txt), then PDF
   (.pdf: a PDF is usually made from one of the others, whose source grades better than its text layer), then
   any other file (the reader sniffs the content, so a Markdown file named ``answers`` works);
3. the shallower path (a file at the top before one in a subfolder);
4. the name, alphabetically, so the same upload always gives the same choice.

Never considered, and listed as ignored: symbolic links (never followed, files or folders: one
could point anywhere on the grading machine), hidden files and folders (``.DS_Store``,
``.ipynb_checkpoints``), ``__MACOSX`` folders, and the autograder's own names (``results.json``,
``run_autograder``, ``setup.sh``), which a student may upload to confuse the grader. Nothing here
writes to the folder: it is only listed and lstat-ed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

PREFERENCE = (".ipynb", ".tex", ".md", ".txt", ".pdf")  # any other suffix ranks after these
ORDER_WORDS = ("when there are several files, non-empty ones come first, then notebooks (.ipynb), LaTeX (.tex), "
               "Markdown (.md), plain text (.txt), PDF (.pdf) and other files in that order, then the file nearest the top "
               "of the folder, then the first by name")
RESERVED = {"results.json", "run_autograder", "setup.sh"}
IGNORED_FOLDERS = {"__MACOSX"}
LISTED = 30  # how many entries a message names before it says "and N more"
NAME_CHARS = 80


@dataclass(frozen=True)
class Entry:
    relpath: str  # relative to the submission folder, with "/" separators
    size: int = 0
    ignored: str = ""  # why it is not a candidate, in words; "" for a candidate


@dataclass(frozen=True)
class Choice:
    path: Path | None  # the file to grade, None when there is none
    entries: tuple[Entry, ...]  # everything seen, candidates and ignored
    note: str  # what was chosen and why, or why nothing was


def shown(name: str) -> str:
    """A file name safe to print: control characters and undecodable bytes escaped, long names cut."""
    def escape(match: re.Match) -> str:
        code = ord(match.group())
        # os.listdir turns undecodable bytes into lone surrogates U+DC80..U+DCFF (surrogateescape)
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    text = re.sub(r"[\x00-\x1f\x7f\ud800-\udfff]", escape, name)
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def rank(entry: Entry) -> tuple:
    suffix = Path(entry.relpath).suffix.lower()
    kind = PREFERENCE.index(suffix) if suffix in PREFERENCE else len(PREFERENCE)
    return (entry.size == 0, kind, entry.relpath.count("/"), entry.relpath)


def ignored_reason(name: str, mode: int, is_dir: bool) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link, not followed"
    if name.startswith("."):
        return "hidden"
    if is_dir and name in IGNORED_FOLDERS:
        return "a macOS archive folder"
    if not is_dir and name in RESERVED:
        return "a name the autograder reserves"
    if not is_dir and not stat.S_ISREG(mode):
        return "not a regular file"
    return ""


def scan(folder: Path) -> tuple[Entry, ...]:
    """Every entry under ``folder`` (depth first, sorted), without following any link."""
    entries: list[Entry] = []

    def walk(directory: Path, prefix: str) -> None:
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            entries.append(Entry(prefix.rstrip("/") or ".", ignored=f"could not be listed ({exc.strerror})"))
            return
        for name in names:
            path = directory / name
            try:
                info = path.lstat()
            except OSError:
                continue  # vanished while listing
            is_dir = stat.S_ISDIR(info.st_mode)
            reason = ignored_reason(name, info.st_mode, is_dir)
            if is_dir and not reason:
                walk(path, f"{prefix}{name}/")
            elif is_dir or reason:
                entries.append(Entry(f"{prefix}{name}" + ("/" if is_dir else ""), ignored=reason))
            else:
                entries.append(Entry(f"{prefix}{name}", info.st_size))

    if folder.is_dir() and not folder.is_symlink():
        walk(folder, "")
    return tuple(entries)


def list_names(entries, limit: int = LISTED) -> str:
    names = [f"`{shown(e.relpath)}`" + (f" ({e.ignored})" if e.ignored else "") for e in entries[:limit]]
    if len(entries) > limit:
        names.append(f"and {len(entries) - limit} more")
    return ", ".join(names)


def find_answer_file(folder: Path) -> Choice:
    """The file to grade in a submission folder, with the reason for the choice in words."""
    folder = Path(folder)
    entries = scan(folder)
    candidates = sorted((e for e in entries if not e.ignored), key=rank)
    if not candidates:
        held = f"it held {list_names(entries)}" if entries else "the submission folder is empty"
        return Choice(None, entries, f"No gradable file found: {held}. Upload your answers as a notebook "
                                     "(.ipynb), LaTeX (.tex), Markdown (.md), text (.txt) or PDF (.pdf) file.")
    best = candidates[0]
    if len(candidates) == 1:
        return Choice(folder / best.relpath, entries, f"Graded `{shown(best.relpath)}`.")
    return Choice(folder / best.relpath, entries,
                  f"Graded `{shown(best.relpath)}` out of {len(candidates)} files ({ORDER_WORDS}); "
                  f"not graded: {list_names(candidates[1:])}.")
