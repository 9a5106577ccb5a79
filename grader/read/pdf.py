"""PDF submissions: the text layer of each page → the document model, with pypdf.  Nothing is rendered or OCR'd.

Why pypdf: it is pure Python with no required dependency, actively maintained, and hardened against hostile files
(limits on decompressed sizes, array and dictionary sizes, page-tree depth, content-stream parsing work, all set per
call through ``pypdf.apply_configuration``). pdfminer.six was compared on the same generated PDFs
(bench/bench_pdf.py): its layout analysis tore a typeset matrix into separate column boxes (bracket pieces, then
each column's entries) where the lines had to be rebuilt anyway, it took more than twice as long (0.53 s against
0.20 s for the whole read of ten pages in bench/bench_pdf.py) and it needs ``cryptography`` and ``charset-normalizer``.
pypdf's text visitor gives each run of text with its position and font, which is what grader.read.pdf_layout needs
to rebuild lines, subscripts and matrices; pypdf is imported only when a PDF is read.

What happens to a PDF, in order:

1. pypdf opens it (a damaged file is refused with what is wrong); an encrypted file is opened with the empty
   password, as viewers do for files that only restrict printing or copying; one that needs a password is
   refused with a message saying so. Every limit of grader.limits applies: the file size before it is opened, the
   page count before a page is read (pages past MAX_PDF_PAGES are not read, and said so), the text of one page
   (MAX_PAGE_CHARS), the size any stream may decompress to (MAX_STREAM_BYTES, against decompression bombs), and a
   time budget for the whole file (MAX_READ_SECONDS). A hostile structure (objects nested thousands deep, cycles)
   makes pypdf fail on that page or on the file, never hang: the page or the file is reported as damaged.
2. Each page's text runs (position, size, font) are collected; a page with next to no text but an image or
   drawing on it is a scan, a photo or handwriting: "page 3 has no text: it was scanned". Glyphs without a text
   form (private-use codes, control codes: a web font or a math font without a Unicode map) mean the math on that
   page did not survive; they are shown as U+FFFD and the page is named.
3. grader.read.pdf_layout turns the runs into lines and blocks.

What could not be read goes to ``Document.review`` as plain reasons (and to ``Document.notes``): the grade stage
marks "needs review" every question that did not get full marks, so nothing is scored wrong only because the grader
could not read it.
"""

from __future__ import annotations

import io
import logging
import math
import time

from grader.limits import env_count
from grader.model import Document
from grader.read import UnreadableSubmission
from grader.read.pdf_layout import Run, blocks_from_pages, page_lines
from grader.read.quiet import quiet

MAX_PDF_PAGES = 100
MAX_PAGE_CHARS = 100_000
MAX_STREAM_BYTES = 32 * 1024 * 1024
MAX_READ_SECONDS = 20
SCAN_TEXT_CHARS = 20  # a page with fewer characters than this and a picture on it is a scan
_PAINT = {b"Do", b"INLINE IMAGE", b"BI", b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"sh"}
_MONO = ("mono", "courier", "typewriter", "cmtt", "consol", "menlo", "inconsolata", "code", "fixed")
_BOLD = ("bold", "cmbx", "black", "heavy", "semibold", "demi")


def max_pdf_pages() -> int:
    return env_count("GRADER_MAX_PDF_PAGES", MAX_PDF_PAGES)


def _unreadable_char(c: str) -> bool:
    o = ord(c)
    return (o < 32 and c not in "\t\n\r") or 0xE000 <= o <= 0xF8FF or o == 0xFFFD or 0xF0000 <= o


def _ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] → "pages 2 to 4 and 7"; [3] → "page 3"."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    words = [f"{a}" if a == b else f"{a} to {b}" for a, b in spans]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return ("page " if numbers[1:] == [] else "pages ") + joined


def _configuration():
    import pypdf

    limit = MAX_STREAM_BYTES
    return pypdf.apply_configuration(
        maximum_declared_stream_length=limit, array_based_stream_maximum_output_length=limit,
        jbig2_maximum_output_length=limit, lzw_maximum_output_length=limit, run_length_maximum_output_length=limit,
        zlib_maximum_output_length=limit, brotli_maximum_output_length=limit, image_maximum_buffer_size=limit,
        stream_decoding_work_maximum_length=4 * limit, jbig2dec_binary=None,
    )


def _damaged(name: str, exc: BaseException) -> UnreadableSubmission:
    if isinstance(exc, RecursionError):
        why = "its objects are nested too deeply"
    else:
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]
    return UnreadableSubmission(f"{name!r} cannot be graded: it looks like a PDF file, but it is damaged ({why})")


def _open(data: bytes, name: str):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # pypdf raises many kinds on broken files (RecursionError too); all mean "damaged"
        raise _damaged(name, exc) from None
    if reader.is_encrypted:
        try:
            decrypted = reader.decrypt("")
        except DependencyError:
            raise UnreadableSubmission(
                f"{name!r} cannot be graded: the PDF is encrypted (AES) and the grader cannot decrypt it; "
                "save or print it again as a PDF without protection and upload that") from None
        except Exception as exc:  # FileNotDecryptedError, or a broken encryption dictionary
            raise _damaged(name, exc) from None
        if not decrypted:
            raise UnreadableSubmission(
                f"{name!r} cannot be graded: the PDF is protected by a password; upload it without one")
    return reader


class _Page:
    """What the visitors collect from one page."""

    def __init__(self, fonts: dict) -> None:
        self.runs: list[Run] = []
        self.chars = 0
        self.painted = 0
        self.cut = False
        self.unreadable = 0
        self.fonts = fonts
        self.space = False

    def font(self, font_dict) -> tuple[bool, bool]:
        key = id(font_dict)
        if key not in self.fonts:
            base = ""
            try:
                base = str(font_dict.get("/BaseFont", "")) if font_dict is not None else ""
            except Exception:
                pass
            base = base.split("+")[-1].lower()
            self.fonts[key] = (any(m in base for m in _MONO), any(b in base for b in _BOLD))
        return self.fonts[key]

    def text(self, text: str, cm, tm, font_dict, font_size) -> None:
        if not text or self.cut:
            return
        if not text.strip():
            self.space = self.space or "\n" not in text  # a space run: the next run starts with a space
            return
        self.chars += len(text)
        if self.chars > MAX_PAGE_CHARS:
            self.cut = True
            return
        bad = sum(1 for c in text if _unreadable_char(c))
        if bad:
            # A font without a Unicode map: its other codes decode to letters at random, so the run says nothing.
            self.unreadable += bad
            text = " \ufffd "
        a, b, c, d, e, f = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                            tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3],
                            tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
        if abs(b) > 0.1 * abs(a) + 1e-9 or abs(c) > 0.1 * abs(d) + 1e-9:
            return  # rotated text: a watermark or a figure's axis label
        size = abs(font_size * d) if font_size else abs(d)
        if not math.isfinite(size) or not math.isfinite(e) or not math.isfinite(f) or size <= 0:
            return
        mono, bold = self.font(font_dict)
        if self.space and not text[:1].isspace():
            text = " " + text
        self.space = False
        self.runs.append(Run(e, f, size, text, mono, bold))

    def operator(self, op, args, cm, tm) -> None:
        if op in _PAINT:
            self.painted += 1


def _decode_contents(page) -> None:
    """Decompress the page's content streams once, so that a stream past MAX_STREAM_BYTES raises here: text
    extraction would swallow the error and report an empty page instead of a damaged one."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    for stream in contents if isinstance(contents, list) else [contents]:
        stream = stream.get_object() if stream is not None else None
        if hasattr(stream, "get_data"):
            stream.get_data()


def _read_page(page, fonts: dict) -> _Page:
    _decode_contents(page)
    seen = _Page(fonts)
    page.extract_text(visitor_text=seen.text, visitor_operand_before=seen.operator)
    return seen


def read_pdf(data: bytes, name: str) -> Document:
    """Read a PDF submission (see the module docstring)."""
    notes: list[str] = []
    review: list[str] = []
    with quiet(logging.getLogger("pypdf")), _configuration():  # pypdf's notes on what it repaired
        reader = _open(data, name)
        try:
            count = len(reader.pages)
        except Exception as exc:
            raise _damaged(name, exc) from None
        if count == 0:
            raise UnreadableSubmission(f"{name!r} cannot be graded: the PDF has no pages")
        limit = max_pdf_pages()
        if count > limit:
            review.append(f"{_ranges(list(range(limit + 1, count + 1)))} "
                          f"{'was' if count == limit + 1 else 'were'} not read: a PDF submission may have at most "
                          f"{limit} pages")
        scanned, blank, damaged, cut, lost, late = [], [], [], [], [], []
        pages = []
        fonts: dict = {}
        started = time.monotonic()
        for index in range(min(count, limit)):
            number = index + 1
            if time.monotonic() - started > MAX_READ_SECONDS:
                late = list(range(number, min(count, limit) + 1))
                break
            try:
                seen = _read_page(reader.pages[index], fonts)
            except Exception:
                damaged.append(number)
                pages.append([])
                continue
            text_chars = sum(len(r.text.strip()) for r in seen.runs)
            if text_chars < SCAN_TEXT_CHARS:
                (scanned if seen.painted else blank).append(number)
            if seen.cut:
                cut.append(number)
            if seen.unreadable >= 3:
                lost.append(number)
            pages.append(page_lines(seen.runs))
    if scanned:
        review.append(f"{_ranges(scanned)} {'has' if len(scanned) == 1 else 'have'} no text: "
                      f"{'it was' if len(scanned) == 1 else 'they were'} scanned or photographed, and the grader "
                      "does not read handwriting or images")
    if lost:
        review.append(f"the math on {_ranges(lost)} did not survive in the PDF's text (its symbols have no text "
                      "form); upload the notebook or LaTeX source to have it graded")
    if damaged:
        review.append(f"{_ranges(damaged)} could not be read: the PDF is damaged there")
    if cut:
        review.append(f"{_ranges(cut)} {'has' if len(cut) == 1 else 'have'} more than {MAX_PAGE_CHARS:,} "
                      "characters of text; the rest was not read")
    if late:
        review.append(f"{_ranges(late)} {'was' if len(late) == 1 else 'were'} not read: reading the PDF took "
                      f"longer than {MAX_READ_SECONDS} s")
    if blank and len(blank) == len(pages):
        notes.append("the PDF has no text at all")
    blocks = blocks_from_pages(pages)
    return Document(name=name, format="pdf", blocks=tuple(blocks), notes=tuple(notes + review), review=tuple(review))
