"""PDFs that are encrypted, damaged or built to hang or exhaust the grader: each gets a clear message or is read
within the limits of grader.limits, and the work stops at a limit, never at the machine's."""

from __future__ import annotations

import io
import time
import zlib

import pytest

from pdf_writer import Page, make_pdf, serialize
from grader.read import UnreadableSubmission, read_bytes
from grader.read import pdf as pdf_reader

TEXT_PAGE = Page().add(72, 700, "Problem 1 (a) No, they are uncorrelated.")


def unreadable(data: bytes, name: str = "hw.pdf") -> str:
    with pytest.raises(UnreadableSubmission) as exc:
        read_bytes(data, name)
    return str(exc.value)


def encrypted(user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([TEXT_PAGE]))))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page(content: bytes, extra: str = "") -> bytes:
    """A PDF whose single page has ``content`` as its (uncompressed) content stream."""
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
              f"<< /Length {len(content)}{extra} >>\nstream\n".encode() + content + b"\nendstream"]
    return serialize(bodies, 1)


def test_a_password_protected_pdf_is_refused_with_a_message():
    assert unreadable(encrypted("secret", "owner")) == (
        "'hw.pdf' cannot be graded: the PDF is protected by a password; upload it without one")


def test_a_pdf_that_only_restricts_copying_is_read():
    doc = read_bytes(encrypted("", "owner"), "hw.pdf")
    assert "No, they are uncorrelated." in doc.text()


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>",  # cut off after one object
    b"%PDF-1.4 fake",
    b"%PDF-1.7\n" + bytes(range(256)) * 40,
], ids=["cut-off", "header-only", "garbage"])
def test_a_damaged_pdf_is_refused_with_a_message(data):
    message = unreadable(data)
    assert message.startswith("'hw.pdf' cannot be graded: ") and "PDF" in message


def test_a_truncated_real_pdf_is_refused_or_read_but_never_crashes():
    data = make_pdf([TEXT_PAGE] * 3)
    for cut in (len(data) // 3, len(data) // 2, len(data) - 30):
        try:
            doc = read_bytes(data[:cut], "hw.pdf")
        except UnreadableSubmission as exc:
            assert "cannot be graded" in str(exc)
        else:
            assert doc.format == "pdf"


def test_a_pdf_renamed_ipynb_is_still_not_a_notebook():
    assert unreadable(make_pdf([TEXT_PAGE]), "hw.ipynb") == "'hw.ipynb' is not a notebook: it looks like a PDF file"


def test_a_decompression_bomb_stops_at_the_stream_limit():
    packer = zlib.compressobj(9)
    chunk = b"0 0 m " * (1 << 16)
    bomb = b"".join(packer.compress(chunk) for _ in range(200)) + packer.flush()  # ~80 MB of operators
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
              f"<< /Length {len(bomb)} /Filter /FlateDecode >>\nstream\n".encode() + bomb + b"\nendstream",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    started = time.monotonic()
    doc = read_bytes(serialize(bodies, 1), "bomb.pdf")
    assert time.monotonic() - started < 60  # a guard against a hang, not a speed target
    assert doc.review == ("page 1 could not be read: the PDF is damaged there",)


def test_deeply_nested_objects_do_not_exhaust_the_stack():
    nested = b"[" * 50_000 + b"]" * 50_000
    data = one_page(b"BT /F1 10 Tf 72 700 Td " + nested + b" TJ ET")
    try:
        doc = read_bytes(data, "deep.pdf")
    except UnreadableSubmission as exc:
        assert "cannot be graded" in str(exc)
    else:
        assert doc.format == "pdf"
    deep_catalog = serialize([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>",
                              b"<< /Type /Pages /Kids [] /Count 0 >>"], 1)
    assert "cannot be graded" in unreadable(deep_catalog)


def test_a_huge_declared_stream_length_is_not_trusted():
    data = one_page(b"BT ET", extra=" /Filter /FlateDecode /DL 999999999999")
    data = data.replace(b"/Length 5", b"/Length 999999999999")
    try:
        doc = read_bytes(data, "long.pdf")
    except UnreadableSubmission as exc:
        assert "cannot be graded" in str(exc)
    else:
        assert doc.blocks == ()


def test_pages_past_the_limit_are_not_read_and_said_so(monkeypatch):
    monkeypatch.setenv("GRADER_MAX_PDF_PAGES", "2")
    pages = [Page().add(72, 700, f"Text of page {n}.") for n in (1, 2, 3)]
    doc = read_bytes(make_pdf(pages), "long.pdf")
    assert doc.text() == "Text of page 1.\n\nText of page 2."
    assert doc.review == ("page 3 was not read: a PDF submission may have at most 2 pages",)


def test_text_past_the_per_page_limit_is_not_read(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 40)
    page = Page()
    for k in range(10):
        page.add(72, 700 - 14 * k, f"line {k} of a long page")
    doc = read_bytes(make_pdf([page]), "long.pdf")
    assert "line 0" in doc.text() and "line 9" not in doc.text()
    assert doc.review == ("page 1 has more than 40 characters of text; the rest was not read",)


def test_a_pdf_with_no_pages_is_refused():
    data = serialize([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"], 1)
    assert unreadable(data) == "'hw.pdf' cannot be graded: the PDF has no pages"
