"""Time reading a 10-page PDF (target: at most 0.3 s), with pypdf as the grader reads it and, for comparison,
with pdfminer.six's text extraction when it is installed.

The PDF is generated (tests/pdf_writer.py): ten pages of the bundled example's answers set the way pdfLaTeX sets
them (scripts as lowered runs, matrices from bracket pieces). Run: .venv/bin/python bench/bench_pdf.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pdf_writer import make_pdf, typeset  # noqa: E402

TARGET_S = 0.3


def ten_pages() -> bytes:
    text = (ROOT / "examples" / "gaussian-em-sample.md").read_text(encoding="utf-8")
    pages = []
    while len(pages) < 10:
        pages += typeset(text, "latex")
    return make_pdf(pages[:10])


def timed(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    data = ten_pages()
    start = time.perf_counter()
    from grader.read import read_bytes

    doc = read_bytes(data, "bench.pdf")  # the first read pays for importing pypdf
    first = time.perf_counter() - start
    assert doc.blocks and not doc.review
    median = timed(lambda: read_bytes(data, "bench.pdf"))
    verdict = "met" if median <= TARGET_S else "missed"
    print(f"10-page PDF ({len(data) // 1024} KB, {len(doc.blocks)} blocks): read in {median * 1000:.0f} ms "
          f"(median of 7), target ≤ {TARGET_S * 1000:.0f} ms ({verdict}); first read with the pypdf import "
          f"{first * 1000:.0f} ms")
    import pypdf

    plain = timed(lambda: [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages])
    print(f"  pypdf extract_text alone: {plain * 1000:.0f} ms")
    try:
        import logging

        from pdfminer.high_level import extract_text
    except ImportError:
        print("  pdfminer.six: not installed (pip install pdfminer.six to compare)")
        return
    logging.disable(logging.WARNING)
    miner = timed(lambda: extract_text(io.BytesIO(data)), repeat=3)
    print(f"  pdfminer.six extract_text: {miner * 1000:.0f} ms")


if __name__ == "__main__":
    main()
