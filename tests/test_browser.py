"""The report and the class summary in a real browser: headless Chromium loads each page from
disk, takes a screenshot, and any console message fails the test (a script error, a resource the
Content-Security-Policy blocked, a fetch attempt).

Needs Debian's ``chromium`` package (or GRADER_CHROMIUM=/path/to/chrome); skipped, with a message
saying so, when no browser is installed. Set GRADER_SCREENSHOTS=DIR to keep the screenshots.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from grader.cli import main
from grader.grade import grade_document
from grader.read import read_text
from grader.render.report import write_report
from grader.rubric import load_rubric
from test_batch import make_class
from test_report import EXAMPLE, HOSTILE_ANSWER, assert_inert

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SIZE = (1100, 2200)


def _browser() -> str | None:
    named = os.environ.get("GRADER_CHROMIUM")
    if named:
        return named
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


BROWSER = _browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="Chromium is not installed (Debian: apt-get install chromium, or set GRADER_CHROMIUM): "
           "the reports were not checked in a browser",
)


def screenshot(page: Path, shot: Path, size: tuple[int, int] = SIZE) -> list[str]:
    """Load ``page`` in headless Chromium, write a PNG screenshot; return the console messages."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [
            BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # a page that tries the network fails loudly
            f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}", page.resolve().as_uri(),
        ]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-2000:]
    keep = os.environ.get("GRADER_SCREENSHOTS")
    if keep and shot.exists():
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    return [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) pixel bytes of a PNG file."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def assert_real_page(shot: Path) -> None:
    width, height, pixels = png_pixels(shot)
    assert (width, height) == SIZE
    assert shot.stat().st_size > 20_000, "an almost blank screenshot"
    assert len(set(pixels)) > 64, "too few distinct values for a page of text, badges and math"


def test_student_report_renders_without_console_errors(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("## (a)") + len("## (a)")
    hostile = text[:start] + "\n\n" + HOSTILE_ANSWER + "\n\n" + text[text.index("## (b)"):]
    result = grade_document(read_text(hostile, "hostile <script>.md"), load_rubric("gaussian-em"))
    page = tmp_path / "report.html"
    write_report(result, page, show_expected=True, student="Ada <b>Lovelace</b>")
    assert_inert(page.read_text(encoding="utf-8"))
    shot = tmp_path / "student-report.png"
    assert screenshot(page, shot) == []
    assert_real_page(shot)


def test_class_summary_renders_without_console_errors(tmp_path):
    make_class(tmp_path / "class", 40)
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "class"), "--out", str(out), "--rubric", "gaussian-em", "--workers", "1",
                 "--quiet"]) == 0
    shot = tmp_path / "class-summary.png"
    assert screenshot(out / "summary.html", shot) == []
    assert_real_page(shot)


def test_console_errors_are_caught(tmp_path):
    """The check above can fail: a page with a script error, and one that tries to load an image."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><title>x</title><p>x</p><script>undefinedFunction()</script>", encoding="utf-8")
    messages = screenshot(page, tmp_path / "broken.png", (400, 300))
    assert any("undefinedFunction" in m for m in messages)
    fetching = tmp_path / "fetching.html"
    fetching.write_text('<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
                        '<title>x</title><img src="https://example.com/x.png">', encoding="utf-8")
    assert any("example.com" in m for m in screenshot(fetching, tmp_path / "fetching.png", (400, 300)))
