"""The limits table (grader/limits.py) against the code and README, and the zip reader's own rules."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from grader.limits import LIMITS, env_bytes, env_count, markdown_table
from grader.read import UnreadableSubmission, read_bytes

from .bases import GAUSSIAN, entry, gaussian_markdown, write_zip

README = Path(__file__).resolve().parents[2] / "README.md"
GOOD = gaussian_markdown().encode()


@pytest.mark.parametrize("limit", LIMITS, ids=[limit.name for limit in LIMITS])
def test_each_documented_default_is_the_code_s(limit):
    assert limit.constant() == limit.default


def test_readme_shows_the_table():
    section = README.read_text(encoding="utf-8").split("## Limits", 1)[1].split("\n## ", 1)[0]
    assert markdown_table() in section


@pytest.mark.parametrize("raw, expected", [("2", 2 * 2**20), ("0.5", 2**19), ("", 7), ("-1", 7), ("nan", 7),
                                           ("inf", 7), ("lots", 7)])
def test_sizes_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("GRADER_TEST_MB", raw)
    assert env_bytes("GRADER_TEST_MB", 7) == expected


def test_zip_entry_limit_is_configurable(monkeypatch):
    data = write_zip([entry("answers.md", GOOD)] + [entry(f"n{i}.txt", b"x") for i in range(4)])
    assert read_bytes(data, "hw.zip").format == "markdown"
    monkeypatch.setenv("GRADER_MAX_ZIP_ENTRIES", "3")
    assert env_count("GRADER_MAX_ZIP_ENTRIES", 1000) == 3
    with pytest.raises(UnreadableSubmission, match="holds 5 entries, more than the 3 a zip submission may hold"):
        read_bytes(data, "hw.zip")


def test_zip_budget_is_configurable(monkeypatch):
    data = write_zip([entry("answers.md", GOOD), entry("data.csv", b"1,2,3\n" * 200_000)])
    monkeypatch.setenv("GRADER_MAX_ZIP_MB", "1")
    with pytest.raises(UnreadableSubmission, match=r"the zip expands to more than 1 MB \(1\.15 MB\)"):
        read_bytes(data, "hw.zip")


def test_answer_file_in_a_zip_over_the_file_limit_is_not_read(monkeypatch):
    monkeypatch.setenv("GRADER_MAX_FILE_MB", "0.5")
    data = write_zip([entry("answers.ipynb", b"{" + b" " * 600_000 + b"}"), entry("answers.md", GOOD)])
    doc = read_bytes(data, "hw.zip")
    assert doc.name == "hw.zip/answers.md"
    assert "entry 'answers.ipynb' is larger than the 512 KB limit for a submission file: not read" in doc.notes


def test_headers_that_understate_a_size_stop_at_the_budget(monkeypatch):
    # the central directory says 100 bytes; zipfile stops there and the CRC gives the lie away
    data = write_zip([entry("answers.md", GOOD, size=100)])
    with pytest.raises(UnreadableSubmission, match=r"entry 'answers.md' could not be decompressed \(Bad CRC-32"):
        read_bytes(data, "hw.zip")


def test_windows_zip_backslashes_and_no_unix_mode():
    data = write_zip([entry("hw\\answers.md", GOOD, mode=0), entry("..\\..\\evil.md", b"x", mode=0)])
    doc = read_bytes(data, "hw.zip")
    assert doc.name == "hw.zip/hw/answers.md"
    assert "entry '..\\..\\evil.md' points outside the archive: ignored" in doc.notes


def test_many_skipped_entries_make_one_note():
    links = [entry(f"l{i}.md", b"/etc/passwd", mode=stat.S_IFLNK | 0o777) for i in range(8)]
    doc = read_bytes(write_zip(links + [entry("answers.md", GOOD)]), "hw.zip")
    assert ("entries 'l0.md', 'l1.md', 'l2.md', 'l3.md', 'l4.md' and 3 more are symbolic links: not followed"
            in doc.notes)


def test_hidden_and_macos_entries_are_skipped_quietly():
    data = write_zip([entry("__MACOSX/._answers.ipynb", b"\x00\x05"), entry(".answers.ipynb", b"{}"),
                      entry("results.json", b"{}"), entry("answers.md", GOOD)])
    doc = read_bytes(data, "hw.zip")
    assert doc.name == "hw.zip/answers.md" and doc.notes[0] == "Graded `answers.md` from the zip `hw.zip`."
    assert len(doc.notes) == 1


@pytest.mark.parametrize("names, kind", [(["[Content_Types].xml", "word/document.xml"], "a Word document"),
                                         (["mimetype", "META-INF/manifest.xml"], "an OpenDocument file")])
def test_office_files_are_named(names, kind):
    data = write_zip([entry(n, b"<x/>") for n in names])
    with pytest.raises(UnreadableSubmission, match=f"it looks like {kind}, not a notebook"):
        read_bytes(data, "hw.docx")


@pytest.mark.parametrize("entries, message", [
    ([], "'hw.zip' cannot be graded: it looks like an empty zip archive"),  # its end record alone
    ([entry("folder/", b"")], "it holds only folders, hidden files or names the autograder reserves"),
    ([entry("a.zip", b"PK\x03\x04")], "no gradable file found in the zip 'hw.zip': entry 'a.zip' is a zip inside"),
])
def test_nothing_to_grade(entries, message):
    with pytest.raises(UnreadableSubmission) as refused:
        read_bytes(write_zip(entries), "hw.zip")
    assert message in str(refused.value)


def test_a_zip_is_graded_like_the_file_alone():
    from grader.grade import grade_document
    from grader.rubric import load_rubric

    rubric = load_rubric("gaussian-em")
    alone = grade_document(read_bytes(GOOD, "answers.md"), rubric)
    zipped = grade_document(read_bytes(write_zip([entry("answers.md", GOOD)]), "hw.zip"), rubric)
    assert [(q.score, q.summary) for q in zipped.questions] == [(q.score, q.summary) for q in alone.questions]
    assert alone.score == 5 * len(GAUSSIAN)
