"""Cases 1-25 of shared/BAD_INPUTS.md: files and folders, archives, notebooks."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from .bases import (answer_cell_index, code_cell, dumps, entry, gaussian_cells, markdown_cell, notebook,
                    notebook_v3, stream, write_zip, zeros_entry)
from .corpus import ALL, GOOD_MD, GOOD_NB, TOTAL, Case, case, submission_folder, unreadable, write


# --- files and folders ---------------------------------------------------------------------------

@case(1, "empty-submission-folder")
def empty_folder(tmp):
    folder = submission_folder(tmp)
    write(folder, ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(folder, "__MACOSX/._hw.md", b"\x00\x05\x16\x07")
    return Case(folder, "No gradable file found: it held `.DS_Store` (hidden), `__MACOSX/` (a macOS archive folder)",
                {ALL: (0.0, "unreadable")}, via="autograder")


@case(2, "notebook-and-its-pdf")
def two_candidates(tmp):
    folder = submission_folder(tmp)
    write(folder, "hw.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + b"0" * 5000)
    write(folder, "hw.ipynb", dumps(GOOD_NB))
    return Case(folder, "Graded `hw.ipynb` out of 2 files (when there are several files, non-empty ones come first, "
                "then notebooks (.ipynb)", via="autograder", instructors="not graded: `hw.pdf`")


@case(3, "zero-byte-file")
def zero_bytes(tmp):
    return Case(write(tmp, "hw.ipynb", b""), **unreadable("the file is empty"))


@case(4, "300-MB-file")
def huge_file(tmp):
    path = tmp / "hw.ipynb"
    with path.open("wb") as handle:
        handle.truncate(300 * 2**20)  # sparse: 300 MB on paper, nothing on disk
    return Case(path, **unreadable("'hw.ipynb' is 300 MB, more than the 64 MB limit for a submission file; "
                                   "it was not read"))


@case(5, "pdf-renamed-ipynb")
def pdf_as_notebook(tmp):
    return Case(write(tmp, "hw.ipynb", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>"),
                **unreadable("'hw.ipynb' is not a notebook: it looks like a PDF file"))


@case(5, "png-renamed-ipynb")
def png_as_notebook(tmp):
    return Case(write(tmp, "hw.ipynb", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
                **unreadable("'hw.ipynb' is not a notebook: it looks like a PNG image"))


@case(6, "planted-results-scripts-symlink")
def planted_files(tmp):
    folder = submission_folder(tmp)
    marker = tmp / "script-ran"
    script = f"#!/bin/sh\ntouch {marker}\n"
    write(folder, "hw.md", GOOD_MD)
    write(folder, "results.json", json.dumps({"score": 1000.0, "tests": []}))
    for name in ("run_autograder", "setup.sh"):
        write(folder, name, script).chmod(0o755)
    secret = write(tmp / "outside", "full-marks.ipynb", dumps(notebook([markdown_cell("# stolen")])))
    (folder / "aaa.ipynb").symlink_to(secret)  # would be chosen first (a notebook) if links were followed
    return Case(folder, "Graded `hw.md`.", via="autograder", never=(marker,),
                instructors="aaa.ipynb  ignored: a symbolic link, not followed")


@case(7, "newline-unicode-long-file-name")
def odd_file_name(tmp):
    folder = submission_folder(tmp)
    write(folder, "réponses\n" + "x" * 230 + ".md", GOOD_MD)  # 243 bytes: near the 255-byte file-name limit
    return Case(folder, "Graded `réponses\\u000a" + "x" * 65 + "…`.", via="autograder")


@case(7, "300-character-name-in-a-zip")
def odd_zip_member_name(tmp):
    name = "answers/" + "é" * 150 + "\n" + "y" * 138 + ".md"  # zip entries have no 255-byte limit
    assert len(name) == 300
    data = write_zip([entry(name, GOOD_MD)])
    return Case(write(tmp, "hw.zip", data), "Graded `answers/" + "é" * 71 + "…` from the zip `hw.zip`.")


# --- archives ------------------------------------------------------------------------------------

@case(8, "zip-bomb-1MB-to-1GB")
def zip_bomb(tmp):
    data = write_zip([entry("answers.md", GOOD_MD), zeros_entry("answers.ipynb", 2**30)])
    assert len(data) < 1.1 * 2**20
    return Case(write(tmp, "hw.zip", data), **unreadable(
        "'hw.zip' cannot be graded: the zip expands to more than 100 MB (1 GB); it was not extracted"))


@case(8, "entry-compressed-like-a-bomb")
def ratio_bomb(tmp):
    data = write_zip([entry("answers.md", GOOD_MD), zeros_entry("answers.ipynb", 10 * 2**20)])
    return Case(write(tmp, "hw.zip", data),
                "entry 'answers.ipynb' is compressed more than 100 to 1, as zip bombs are: not read")


@case(9, "path-traversal-entries")
def traversal(tmp):
    data = write_zip([entry("../../etc/passwd", b"root::0:0::/root:/bin/sh\n"),
                      entry("/tmp/grader-owned.ipynb", dumps(GOOD_NB)),
                      entry("C:\\Windows\\evil.ipynb", dumps(GOOD_NB)),
                      entry("hw/answers.md", GOOD_MD)])
    return Case(write(tmp / "in", "hw.zip", data),
                "entries '../../etc/passwd', '/tmp/grader-owned.ipynb', 'C:\\Windows\\evil.ipynb' point outside "
                "the archive: ignored", never=(Path("/tmp/grader-owned.ipynb"), tmp / "etc"))


@case(10, "symlink-entries")
def symlink_entries(tmp):
    data = write_zip([entry("answers.ipynb", b"/etc/passwd", mode=stat.S_IFLNK | 0o777),
                      entry("answers.md", GOOD_MD)])
    return Case(write(tmp, "hw.zip", data), "entry 'answers.ipynb' is a symbolic link: not followed")


@case(11, "truncated-zip")
def truncated_zip(tmp):
    data = write_zip([entry("answers.md", GOOD_MD)])
    return Case(write(tmp, "hw.zip", data[: len(data) // 2]), **unreadable(
        "'hw.zip' cannot be graded: it looks like a zip archive, but it is damaged or cut off"))


@case(11, "encrypted-zip")
def encrypted_zip(tmp):
    data = write_zip([entry("answers.md", GOOD_MD, flags=0x801)])
    return Case(write(tmp, "hw.zip", data), **unreadable(
        "'hw.zip' cannot be graded: its files are encrypted (password-protected)"))


@case(11, "zip-whose-headers-lie")
def lying_zip(tmp):
    data = write_zip([entry("answers.md", GOOD_MD, size=100), entry("notes.txt", b"see answers.md")])
    return Case(write(tmp, "hw.zip", data), "entry 'answers.md' could not be decompressed (Bad CRC-32",
                {ALL: (0.0, "not_found")})


@case(12, "100000-entries")
def many_entries(tmp):
    empty = entry("x", b"")
    data = write_zip([entry("answers.md", GOOD_MD)] + [
        type(empty)(f"f/{i}.txt", empty.payload, 0, empty.crc) for i in range(100_000)])
    return Case(write(tmp, "hw.zip", data), **unreadable(
        "'hw.zip' holds 100,001 entries, more than the 1,000 a zip submission may hold; it was not opened"))


@case(12, "zip-inside-a-zip")
def nested_zip(tmp):
    inner = write_zip([entry("answers.ipynb", dumps(GOOD_NB))])
    data = write_zip([entry("inner.zip", inner), entry("answers", inner), entry("answers.md", GOOD_MD)])
    return Case(write(tmp, "hw.zip", data), "entry 'inner.zip' is a zip inside the zip: not expanded")


# --- notebooks -----------------------------------------------------------------------------------

@case(13, "truncated-json")
def truncated_notebook(tmp):
    cells = gaussian_cells()
    trace = "".join(f"step {t}: mu = ({-0.964 / (1 + t / 9):.6f}, {0.964 / (1 + t / 9):.6f})\n" for t in range(60))
    cells.insert(2, code_cell("for t in range(60):\n    print(f'step {t}: mu = {em_step(t)}')", [stream(trace)]))
    data = dumps(notebook(cells))
    assert len(data) > 5000
    cut = 4096
    while data[cut - 1 : cut] in (b" ", b"\n"):
        cut -= 1
    return Case(write(tmp, "hw.ipynb", data[:cut]), **unreadable(
        f"'hw.ipynb' is cut off: the notebook ends in the middle of its JSON at byte {cut}"))


@case(14, "utf8-bom")
def bom_notebook(tmp):
    return Case(write(tmp, "hw.ipynb", b"\xef\xbb\xbf" + dumps(GOOD_NB)), TOTAL)


@case(15, "invalid-utf8")
def invalid_utf8(tmp):
    data = dumps(GOOD_NB).replace(b"# Homework", b"# \xff\xfeHomework", 1)
    return Case(write(tmp, "hw.ipynb", data), "the file is not valid UTF-8 (first bad byte at offset")


@case(15, "utf16-with-bom")
def utf16_notebook(tmp):
    return Case(write(tmp, "hw.ipynb", dumps(GOOD_NB).decode().encode("utf-16")), TOTAL)


@case(15, "utf16-without-bom")
def utf16_no_bom(tmp):
    return Case(write(tmp, "hw.ipynb", dumps(GOOD_NB).decode().encode("utf-16-le")), TOTAL)


@case(16, "top-level-list")
def top_level_list(tmp):
    return Case(write(tmp, "hw.ipynb", b"[]"), **unreadable("'hw.ipynb' is not a notebook: its JSON is an empty list"))


@case(16, "top-level-null")
def top_level_null(tmp):
    return Case(write(tmp, "hw.ipynb", b"null"), **unreadable("'hw.ipynb' is not a notebook: its JSON is null"))


@case(17, "nbformat-3")
def format_3(tmp):
    return Case(write(tmp, "hw.ipynb", dumps(notebook_v3(gaussian_cells()))), TOTAL)


@case(18, "nbformat-99")
def format_99(tmp):
    return Case(write(tmp, "hw.ipynb", dumps({**GOOD_NB, "nbformat": 99})),
                "the notebook says it is format version 99, which the grader does not know")


@case(18, "nbformat-as-text")
def format_text(tmp):
    return Case(write(tmp, "hw.ipynb", dumps({**GOOD_NB, "nbformat": "4"})),
                "the notebook gives its format version as the text '4'")


@case(19, "int-and-list-with-int-sources")
def odd_sources(tmp):
    cells = gaussian_cells()
    cells[0] = markdown_cell(["# Homework: Gaussian graphical models and EM", 3])
    cells.insert(1, markdown_cell(2024))
    return Case(write(tmp, "hw.ipynb", dumps(notebook(cells))), "a cell source that was a number was read as text")


@case(20, "metadata-500-deep")
def deep_metadata(tmp):
    deep: dict = {}
    node = deep
    for _ in range(500):
        node["k"] = {}
        node = node["k"]
    return Case(write(tmp, "hw.ipynb", dumps(notebook(gaussian_cells(), metadata=deep))), TOTAL)


@case(20, "metadata-100000-deep")
def deeper_metadata(tmp):
    text = dumps(notebook(gaussian_cells(), metadata={})).decode()
    deep = '{"k":' * 100_000 + "{}" + "}" * 100_000
    text = text.replace('"metadata": {}', f'"metadata": {deep}', 1)  # the notebook's own, the first key
    return Case(write(tmp, "hw.ipynb", text), **unreadable("'hw.ipynb' cannot be read: its JSON is nested too deeply"))


@case(21, "200000-cells")
def many_cells(tmp):
    cells = gaussian_cells() + [code_cell("x = 1")] * 200_000
    # past 20 000 blocks the rest is one block of text, which lands in the last question's region
    return Case(write(tmp, "hw.ipynb", json.dumps(notebook(cells), separators=(",", ":"))),
                "the notebook has more than 20,000 parts; the text of cells", {"2.d": (0.0, "unreadable")})


@case(22, "50-MB-output")
def huge_output(tmp):
    cells = gaussian_cells()
    cells.insert(2, code_cell("print(A)", [stream("0.25 " * (10 * 2**20))]))
    return Case(write(tmp, "hw.ipynb", dumps(notebook(cells))), "outputs longer than 100,000 characters were cut")


@case(23, "duplicate-cell-ids")
def duplicate_ids(tmp):
    cells = [dict(c, id="same-id") for c in gaussian_cells()]
    return Case(write(tmp, "hw.ipynb", dumps(notebook(cells))), TOTAL)


@case(24, "fake-test-output-and-nbgrader-points")
def fake_outputs(tmp):
    cells = gaussian_cells(_2b="Yes: with two points and two components, each mean converges to one of the data "
                               r"points, $\mu_1 = -1$ and $\mu_2 = 1$.")
    at = answer_cell_index(cells, "2.b")
    cells[at]["metadata"] = {"nbgrader": {"grade": True, "grade_id": "q2b", "points": 5, "solution": True}}
    cells.insert(at + 1, code_cell("grade()", [stream("All tests passed!\nScore: 5/5 points\n")],
                                   metadata={"nbgrader": {"grade": True, "points": 5, "grade_id": "t2b"}}))
    return Case(write(tmp, "hw.ipynb", dumps(notebook(cells))), "With two points and two components the means do NOT",
                {"2.b": (0.0, "wrong")})


@case(25, "answer-cell-deleted")
def deleted_answer(tmp):
    cells = gaussian_cells()
    del cells[answer_cell_index(cells, "1.c")]
    return Case(write(tmp, "hw.ipynb", dumps(notebook(cells))), "No answer found for 1(c)",
                {"1.c": (0.0, "not_found")})


@case(25, "answer-cell-replaced-by-code")
def answer_replaced_by_code(tmp):
    cells = gaussian_cells()
    at = answer_cell_index(cells, "1.c")
    cells[at] = code_cell("Q = np.array([[5, 3, -3, 0], [3, 5, 0, 0], [-3, 0, 5, 0], [0, 0, 0, 5]])\nnp.linalg.inv(Q)")
    return Case(write(tmp, "hw.ipynb", dumps(notebook(cells))), "No set of variables found.", {"1.c": (0.0, "wrong")})


@case(25, "answer-cell-switched-to-code-type")
def answer_switched_to_code(tmp):
    # the student's words are still there, only the cell type changed: they are read (never run)
    cells = gaussian_cells()
    at = answer_cell_index(cells, "1.c")
    cells[at] = code_cell(cells[at]["source"])
    return Case(write(tmp, "hw.ipynb", dumps(notebook(cells))), "Read {X1}. Right set.")
