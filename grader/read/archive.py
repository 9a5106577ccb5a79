"""Zip submissions: the answer file is taken from inside the archive, in memory, within a byte budget.

Nothing is extracted to disk: entries are read into memory, so a hostile name (``../../etc/passwd``, ``/tmp/x``,
``C:\\x``) or a symlink entry can never write or point anywhere. What a zip may cost is checked before anything
is decompressed, then again while decompressing, because each of these is a known attack:

1. the entry count in the end-of-central-directory record (a zip of 100 000 entries is refused before ``zipfile``
   builds 100 000 records), and again once ``zipfile`` has read the central directory (the record can lie);
2. the total size the central directory declares (``GRADER_MAX_ZIP_MB``): a 1 MB zip that expands to 1 GB is
   refused without decompressing a byte;
3. per entry: names that point outside the archive, symbolic links (the Unix mode in ``external_attr``),
   encrypted entries, zips inside the zip (never expanded), entries larger than the file limit and entries
   compressed more than MAX_RATIO to 1 are never read, and the student is told which and why; hidden files,
   ``__MACOSX`` and the autograder's reserved names are skipped as grader/read/locate.py skips them;
4. the chosen entry is decompressed in chunks against a running budget (the smaller of the file limit and what
   is left of the zip budget), so a zip whose headers understate its content still stops at the budget.

The answer file is chosen with locate.py's order (notebook, LaTeX, Markdown, text, other; shallower; by name) and
read with grader.read.read_bytes, so a file in a zip is graded exactly as the same file uploaded alone. Every
refusal is an UnreadableSubmission whose message names the problem.
"""

from __future__ import annotations

import dataclasses
import io
import stat
import struct
import zipfile

# The submission-folder rules are reused, not copied, so a zip and a folder choose the same file.
from grader.read.locate import ORDER_WORDS, Entry, ignored_reason, list_names, rank
from grader.read.locate import shown as _shown
from grader.limits import env_bytes, env_count
from grader.model import Document
from grader.read import ZIP_MAGIC, UnreadableSubmission, max_file_bytes, read_bytes
from grader.read import _size  # one wording of sizes in every reader message

MAX_ZIP_BYTES = 100 * 1024 * 1024  # room for a notebook at the file limit and its PDF export
MAX_ZIP_ENTRIES = 1000
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # small entries are exempt from the ratio guard: short repetitive text compresses well
CHUNK = 64 * 1024
LISTED = 5  # names quoted per kind of skipped entry before "and N more"
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_EOCD_SEARCH = 22 + 65535  # the record and the longest comment a zip may end with

# Why an entry was not read: (singular, plural) predicates, so a note reads "entry 'a' is ..." or
# "entries 'a', 'b' are ...".
OUTSIDE = ("points outside the archive: ignored", "point outside the archive: ignored")
LINK = ("is a symbolic link: not followed", "are symbolic links: not followed")
ENCRYPTED = ("is encrypted: not read", "are encrypted: not read")
NESTED = ("is a zip inside the zip: not expanded", "are zips inside the zip: not expanded")
RATIO = (f"is compressed more than {MAX_RATIO} to 1, as zip bombs are: not read",
         f"are compressed more than {MAX_RATIO} to 1, as zip bombs are: not read")
TOO_BIG = ("is larger than the {limit} limit for a submission file: not read",
           "are larger than the {limit} limit for a submission file: not read")
DAMAGED = ("could not be decompressed ({detail}): not read", "could not be decompressed: not read")


def max_zip_bytes() -> int:
    return env_bytes("GRADER_MAX_ZIP_MB", MAX_ZIP_BYTES)


def max_zip_entries() -> int:
    return env_count("GRADER_MAX_ZIP_ENTRIES", MAX_ZIP_ENTRIES)


def _damaged(name: str, why: str) -> UnreadableSubmission:
    return UnreadableSubmission(
        f"{name!r} cannot be graded: it looks like a zip archive, but it is damaged or cut off ({why})"
    )


def _declared_entries(data: bytes) -> int | None:
    """The entry count of the end-of-central-directory record (or of its ZIP64 twin, which zips of more
    than 65 535 entries need), read without parsing the directory; None when there is no such record."""
    at = data.rfind(_EOCD, max(0, len(data) - _EOCD_SEARCH))
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, at + 10)[0]
    if count != 0xFFFF or at < 20 or data[at - 20 : at - 16] != _ZIP64_LOCATOR:
        return count
    record = struct.unpack_from("<Q", data, at - 12)[0]
    if record + 40 > len(data) or data[record : record + 4] != _ZIP64_EOCD:
        return None  # zipfile reads it, or says the zip is damaged; the count is checked again after
    return struct.unpack_from("<Q", data, record + 32)[0]


def _outside(path: str) -> bool:
    parts = path.split("/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in parts


def _office_kind(names: set[str]) -> str | None:
    """Word, Excel and OpenDocument files are zips: say what they are rather than open them."""
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "a Word document"
        if any(n.startswith("xl/") for n in names):
            return "an Excel workbook"
        return "a Microsoft Office file"
    if "mimetype" in names and any(n.startswith("META-INF/") for n in names):
        return "an OpenDocument file"
    return None


class _Skipped:
    """Skipped entries grouped by reason, in order of first appearance, for one note per reason."""

    def __init__(self) -> None:
        self.by_reason: dict[tuple[str, str], list[str]] = {}

    def add(self, reason: tuple[str, str], path: str) -> None:
        self.by_reason.setdefault(reason, []).append(path)

    def notes(self) -> list[str]:
        out = []
        for (one, many), paths in self.by_reason.items():
            quoted = [f"'{_shown(p)}'" for p in paths[:LISTED]]
            if len(paths) == 1:
                out.append(f"entry {quoted[0]} {one}")
                continue
            more = f" and {len(paths) - LISTED} more" if len(paths) > LISTED else ""
            out.append(f"entries {', '.join(quoted)}{more} {many}")
        return out


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    limit = max_zip_entries()
    declared = _declared_entries(data)
    if declared is not None and declared > limit:
        raise UnreadableSubmission(
            f"{name!r} holds {declared:,} entries, more than the {limit:,} a zip submission may hold; "
            "it was not opened"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # zipfile raises many kinds on hostile headers; all mean "damaged"
        raise _damaged(name, str(exc)[:120] or type(exc).__name__) from None
    count = len(archive.infolist())
    if count > limit:
        raise UnreadableSubmission(
            f"{name!r} holds {count:,} entries, more than the {limit:,} a zip submission may hold; "
            "it was not opened"
        )
    return archive


def _candidates(archive: zipfile.ZipFile, skipped: _Skipped) -> list[tuple[Entry, zipfile.ZipInfo]]:
    """(locate Entry, ZipInfo) for every entry that may be graded, best first (locate.py's order)."""
    file_limit = max_file_bytes()
    found = []
    for info in archive.infolist():
        path = info.filename.replace("\\", "/")  # a zip made on Windows may use backslashes
        if not path.strip("/"):
            continue
        if _outside(path):
            skipped.add(OUTSIDE, info.filename)
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            skipped.add(LINK, info.filename)
            continue
        if info.is_dir():
            continue
        parts = path.strip("/").split("/")
        file_mode = mode if stat.S_IFMT(mode) else stat.S_IFREG  # zips made on Windows carry no Unix mode
        reasons = [ignored_reason(p, stat.S_IFDIR, True) for p in parts[:-1]]
        if any(reasons) or ignored_reason(parts[-1], file_mode, False):
            continue  # hidden, __MACOSX, reserved names: skipped quietly, as in a submission folder
        if info.flag_bits & 0x1:
            skipped.add(ENCRYPTED, info.filename)
        elif path.lower().endswith(".zip"):
            skipped.add(NESTED, info.filename)
        elif info.file_size > file_limit:
            skipped.add((TOO_BIG[0].format(limit=_size(file_limit)), TOO_BIG[1].format(limit=_size(file_limit))),
                        info.filename)
        elif info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            skipped.add(RATIO, info.filename)
        else:
            found.append((Entry("/".join(parts), info.file_size), info))
    found.sort(key=lambda pair: rank(pair[0]))
    return found


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes | None:
    """The entry's bytes, or None past ``budget`` (the headers understated its size)."""
    chunks, total = [], 0
    with archive.open(info) as handle:
        while chunk := handle.read(CHUNK):
            total += len(chunk)
            if total > budget:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def read_zip(data: bytes, name: str) -> Document:
    """Grade the answer file inside a zip submission given as bytes (see the module docstring)."""
    archive = _open(data, name)
    with archive:
        infos = archive.infolist()
        office = _office_kind({i.filename for i in infos})
        if office:
            raise UnreadableSubmission(
                f"{name!r} cannot be graded: it looks like {office}, not a notebook, Markdown, LaTeX or PDF file"
            )
        declared = sum(i.file_size for i in infos)
        zip_budget = max_zip_bytes()
        if declared > zip_budget:
            raise UnreadableSubmission(
                f"{name!r} cannot be graded: the zip expands to more than {_size(zip_budget)} "
                f"({_size(declared)}); it was not extracted"
            )
        skipped = _Skipped()
        candidates = _candidates(archive, skipped)
        spent = 0
        for position, (entry, info) in enumerate(candidates):
            budget = min(max_file_bytes(), zip_budget - spent)
            try:
                content = _read_entry(archive, info, budget)
            except Exception as exc:  # a bad CRC, a corrupt stream, an unknown method: this entry only
                detail = str(exc)[:120] or type(exc).__name__
                skipped.add((DAMAGED[0].format(detail=detail), DAMAGED[1]), info.filename)
                continue
            if content is None:
                raise UnreadableSubmission(
                    f"{name!r} cannot be graded: '{_shown(info.filename)}' in the zip expands to more than "
                    f"{_size(budget)}, more than its header said; the zip was not extracted"
                )
            spent += len(content)
            if content[:4] in (ZIP_MAGIC, _EOCD):  # a zip, or an empty one, inside the zip
                skipped.add(NESTED, info.filename)
                continue
            doc = read_bytes(content, f"{name}/{entry.relpath}")
            notes = [_choice_note(name, entry, [e for e, _ in candidates if e is not entry], position)]
            notes += skipped.notes()
            return dataclasses.replace(doc, notes=tuple(notes) + doc.notes)
    raise UnreadableSubmission(_nothing_note(name, skipped, len(infos)))


def _choice_note(name: str, chosen: Entry, others: list[Entry], position: int) -> str:
    head = f"Graded `{_shown(chosen.relpath)}` from the zip `{_shown(name)}`"
    if not others:
        return head + "."
    skipped = " (the files before it could not be read)" if position else ""
    return f"{head}, out of {len(others) + 1} files{skipped} ({ORDER_WORDS}); not graded: {list_names(others)}."


def _nothing_note(name: str, skipped: _Skipped, count: int) -> str:
    reasons = skipped.notes()
    if reasons and set(skipped.by_reason) == {ENCRYPTED}:
        return (f"{name!r} cannot be graded: its files are encrypted (password-protected); "
                "upload the zip without a password, or the answer file alone")
    if reasons:
        return f"no gradable file found in the zip {name!r}: " + "; ".join(reasons)
    held = "it is empty" if not count else "it holds only folders, hidden files or names the autograder reserves"
    return f"no gradable file found in the zip {name!r}: {held}"
