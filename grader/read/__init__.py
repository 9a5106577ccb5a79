"""The read stage: a submission file → Document (blocks of heading, prose, math, code, output).

The format is sniffed from the content; the file name only breaks ties:

- a JSON object with a "cells", "worksheets" or "nbformat" key → notebook (a file named .ipynb is
  always given to the notebook reader, which says precisely why it is not a notebook when it is not);
- ``\\documentclass`` or ``\\begin{document}`` at the start of a line → LaTeX; ``\\section`` or
  ``\\subsection`` at the start of a line → LaTeX too, unless the text also has Markdown ``#`` headings
  (then the extension decides: .tex → LaTeX, anything else → Markdown);
- anything else → Markdown (.md, .txt, no extension; a .tex file with none of the markers → LaTeX).

Bytes are checked before they are decoded: too big (MAX_FILE_BYTES, or GRADER_MAX_FILE_MB in the
environment) and empty files are refused without reading them; a zip (sniffed by its "PK\x03\x04"
magic, whatever its name) is opened by grader.read.archive, which reads the answer file inside it
within a byte budget; a PDF (its "%PDF" header) is read by grader.read.pdf, from its text layer,
unless it is named .ipynb (then it is "not a notebook"); an image, other archive or binary file is
refused with what it looks like.  Text is UTF-8 (a BOM is dropped), UTF-16/32 with a BOM, or UTF-16 without one when its NUL
pattern shows it; invalid UTF-8 is decoded with U+FFFD replacements and a note.

Every refusal is an UnreadableSubmission whose str() is the message for the student. Every limit is
documented in grader/limits.py.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import stat
from pathlib import Path

from grader.limits import env_bytes
from grader.model import Document

# A notebook with a 50 MB output must still be graded (its outputs are cut when read): measured at
# 60 MB, reading and grading take under 3 s and 320 MB, inside the autograder worker's 512 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
NOTEBOOK_SUFFIXES = (".ipynb",)
ZIP_MAGIC = b"PK\x03\x04"


class UnreadableSubmission(Exception):
    """A submission file that cannot be read; str(exc) says why, in words for the student."""


def max_file_bytes() -> int:
    """The size limit in bytes: GRADER_MAX_FILE_MB when it is a positive number, else the default."""
    return env_bytes("GRADER_MAX_FILE_MB", MAX_FILE_BYTES)


def _size(n: int) -> str:
    if n >= 1024 * 1024 * 1024:
        return f"{n / (1024 * 1024 * 1024):.3g} GB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{n / 1024:.3g} KB" if n >= 1024 else f"{n} bytes"


def _too_big(name: str, size: int, limit: int) -> UnreadableSubmission:
    return UnreadableSubmission(
        f"{name!r} is {_size(size)}, more than the {_size(limit)} limit for a submission "
        "file; it was not read"
    )


def read_submission(path: Path) -> Document:
    """Read one submission file.  Raises UnreadableSubmission with a message for the student."""
    path = Path(path)
    name = path.name
    limit = max_file_bytes()
    try:
        info = path.stat()
    except OSError as exc:
        raise UnreadableSubmission(f"{name!r} could not be opened ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO or a device could block for ever.
        raise UnreadableSubmission(f"{name!r} is not a regular file")
    if info.st_size > limit:
        raise _too_big(name, info.st_size, limit)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise UnreadableSubmission(f"{name!r} could not be read ({exc.strerror or exc})") from None
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> Document:
    """Read a submission given as bytes (a file's content, an archive member)."""
    limit = max_file_bytes()
    if len(data) > limit:
        raise _too_big(name, len(data), limit)
    if not data:
        raise UnreadableSubmission("the file is empty")
    if data.startswith(ZIP_MAGIC):
        from grader.read.archive import read_zip  # only zips pay for zipfile

        return read_zip(data, name)
    kind = sniff_binary(data)
    if kind == PDF_KIND and not name.lower().endswith(NOTEBOOK_SUFFIXES):
        from grader.read.pdf import read_pdf  # only PDFs pay for pypdf

        return read_pdf(data, name)
    if kind:
        if name.lower().endswith(NOTEBOOK_SUFFIXES):
            raise UnreadableSubmission(f"{name!r} is not a notebook: it looks like {kind}")
        raise UnreadableSubmission(
            f"{name!r} cannot be graded: it looks like {kind}, not a notebook, Markdown, LaTeX or PDF file"
        )
    text, notes = decode_bytes(data)
    doc = read_text(text, name)
    return dataclasses.replace(doc, notes=tuple(notes) + doc.notes) if notes else doc


def read_text(text: str, name: str, fmt: str | None = None) -> Document:
    """Read submission text.  ``fmt`` ("markdown", "notebook", "latex") skips format detection."""
    from grader.read.markdown import MAX_BLOCKS

    text = text.removeprefix("\ufeff")  # a BOM left by a caller that decoded the bytes itself
    fmt = fmt or detect_format(text, name)
    if fmt == "notebook":
        from grader.read.notebook import read_notebook  # nbformat is imported only for notebooks

        return read_notebook(text, name)
    if fmt == "latex":
        from grader.read.latex import blocks_from_latex

        blocks = blocks_from_latex(text)
    elif fmt == "markdown":
        from grader.read.markdown import blocks_from_markdown

        blocks = blocks_from_markdown(text)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    notes: tuple[str, ...] = ()
    if not text.strip():
        notes = ("the file holds only blank space",)
    elif len(blocks) > MAX_BLOCKS:
        notes = (f"the file has more than {MAX_BLOCKS:,} parts; everything after the first "
                 f"{MAX_BLOCKS:,} was kept as one block of text",)
    return Document(name=name, format=fmt, blocks=tuple(blocks), notes=notes)


# --- format detection ------------------------------------------------------------------------

_NOTEBOOK_KEY = re.compile(r'"(?:cells|worksheets|nbformat)"\s*:')
_LATEX_STRONG = re.compile(r"^[ \t]*\\(?:documentclass|begin\{document\})", re.M)
_LATEX_WEAK = re.compile(r"^[ \t]*\\(?:sub){0,2}section\b", re.M)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]", re.M)


def detect_format(text: str, name: str) -> str:
    """"notebook", "latex" or "markdown" for ``text`` (see the module docstring)."""
    suffix = Path(name).suffix.lower()
    head = text.lstrip()[:1]
    if suffix in NOTEBOOK_SUFFIXES:
        return "notebook"
    if head == "{" and _NOTEBOOK_KEY.search(text):
        return "notebook"
    if _LATEX_STRONG.search(text):
        return "latex"
    if _LATEX_WEAK.search(text):
        if suffix == ".tex" or not _ATX_HEADING.search(text):
            return "latex"
        return "markdown"
    return "latex" if suffix in (".tex", ".latex", ".ltx") else "markdown"


# --- bytes → text ----------------------------------------------------------------------------

PDF_KIND = "a PDF file"
_MAGIC = (
    (b"%PDF", PDF_KIND),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a zip archive (or a Word, Excel or OpenDocument file)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
)
_SAMPLE = 8192
# Bytes that do not occur in text: C0 controls other than tab, newlines, form feed and escape.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte (for Latin text)."""
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0 : 2 * half : 2].count(0), sample[1 : 2 * half : 2].count(0)
    if odd >= 0.6 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.6 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def sniff_binary(data: bytes) -> str | None:
    """What a non-text file looks like ("a PDF file"), or None for text."""
    head = data[:16].lstrip(b" \t\r\n")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "an image or video file (HEIC, MP4)"
    if _bom(data) or _utf16_without_bom(data[:_SAMPLE]):
        return None
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if b"\x00" in sample:
        # A few stray NULs in otherwise good text are dropped by normalize(); many, or NULs with
        # invalid UTF-8 around them, mean a binary file.
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
            valid = True
        except UnicodeDecodeError:
            valid = False
        if not valid or controls > 0.1 * len(sample):
            return "a binary file, not text"
    elif controls > 0.3 * len(sample):
        return "a binary file, not text"
    return None


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Text of ``data`` and notes on what was repaired."""
    notes: list[str] = []
    found = _bom(data)
    if found:
        encoding, skip = found
        body = data[skip:]
    else:
        encoding = _utf16_without_bom(data[:_SAMPLE]) or "utf-8"
        body = data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        text = body.decode(encoding, errors="replace")
        label = "UTF-8" if encoding == "utf-8" else encoding.upper()
        offset = exc.start + (found[1] if found else 0)
        notes.append(
            f"the file is not valid {label} (first bad byte at offset {offset}); "
            "characters that could not be read were replaced by \ufffd"
        )
    if "\x00" in text:
        notes.append("NUL characters in the file were removed")
    return text, notes
