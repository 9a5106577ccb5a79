"""Finding the answer file in a submission folder: the documented order, what is ignored, the words."""

from __future__ import annotations

import os

import pytest

from grader.read.locate import find_answer_file, shown


def make(folder, files: dict[str, bytes]):
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder


@pytest.mark.parametrize("names,chosen", [
    (["a.md", "b.tex", "c.ipynb", "d.txt", "e.pdf"], "c.ipynb"),
    (["a.md", "b.tex", "d.txt", "e.pdf"], "b.tex"),
    (["a.txt", "b.md", "answers"], "b.md"),
    (["a.pdf", "answers.txt"], "answers.txt"),
    (["answers", "Answers.PDF"], "Answers.PDF"),  # other files: by name
    (["HW.IPYNB", "hw.md"], "HW.IPYNB"),  # the suffix is compared without case
    (["z.md", "a.md"], "a.md"),
    (["sub/a.ipynb", "b.ipynb"], "b.ipynb"),  # the top of the folder first
    (["sub/a.ipynb", "b.md"], "sub/a.ipynb"),  # ...but the kind decides before the depth
])
def test_preference_order(tmp_path, names, chosen):
    choice = find_answer_file(make(tmp_path, {n: b"some answer" for n in names}))
    assert choice.path == tmp_path / chosen
    assert choice.note.startswith(f"Graded `{chosen}` out of {len(names)} files")
    assert "notebooks (.ipynb), LaTeX (.tex), Markdown (.md), plain text (.txt)" in choice.note


def test_an_empty_file_comes_after_a_non_empty_one(tmp_path):
    choice = find_answer_file(make(tmp_path, {"hw.ipynb": b"", "hw.md": b"answer"}))
    assert choice.path == tmp_path / "hw.md"
    assert "not graded: `hw.ipynb`" in choice.note


def test_a_single_file_is_named_without_the_order(tmp_path):
    choice = find_answer_file(make(tmp_path, {"anything.dat": b"x"}))
    assert choice.path == tmp_path / "anything.dat" and choice.note == "Graded `anything.dat`."


def test_ignored_entries_are_never_candidates(tmp_path):
    outside = make(tmp_path / "outside", {"secret.ipynb": b"{}"})
    sub = make(tmp_path / "sub", {
        "results.json": b"{}", "run_autograder": b"#!/bin/sh", "setup.sh": b"#!/bin/sh",
        ".hidden.ipynb": b"{}", ".ipynb_checkpoints/hw-checkpoint.ipynb": b"{}",
        "__MACOSX/hw.ipynb": b"\x00", "real.txt": b"answer",
    })
    (sub / "link.ipynb").symlink_to(outside / "secret.ipynb")
    (sub / "linkdir").symlink_to(outside, target_is_directory=True)
    choice = find_answer_file(sub)
    assert choice.path == sub / "real.txt"
    reasons = {e.relpath: e.ignored for e in choice.entries}
    assert reasons["link.ipynb"] == reasons["linkdir"] == "a symbolic link, not followed"
    assert reasons["results.json"] == reasons["setup.sh"] == "a name the autograder reserves"
    assert reasons[".ipynb_checkpoints/"] == "hidden" and reasons["__MACOSX/"] == "a macOS archive folder"
    assert not any("secret" in e.relpath or "checkpoint" in e.relpath.split("/")[-1] for e in choice.entries)


def test_a_symlinked_submission_folder_is_not_followed(tmp_path):
    real = make(tmp_path / "real", {"hw.md": b"answer"})
    (tmp_path / "submission").symlink_to(real, target_is_directory=True)
    choice = find_answer_file(tmp_path / "submission")
    assert choice.path is None and "the submission folder is empty" in choice.note


def test_nothing_gradable_lists_what_was_there(tmp_path):
    make(tmp_path, {"results.json": b"{}", ".DS_Store": b"x"})
    os.mkfifo(tmp_path / "pipe")
    choice = find_answer_file(tmp_path)
    assert choice.path is None
    assert choice.note.startswith("No gradable file found: it held ")
    assert "`pipe` (not a regular file)" in choice.note and "`.DS_Store` (hidden)" in choice.note


def test_an_empty_folder_says_so(tmp_path):
    choice = find_answer_file(tmp_path)
    assert choice.path is None and choice.entries == ()
    assert "No gradable file found: the submission folder is empty" in choice.note


def test_file_names_are_shown_escaped_and_cut():
    assert shown("a\nb") == "a\\u000ab"
    assert shown("bad\udcffbyte") == "bad\\xffbyte"  # an undecodable byte as os.listdir returns it
    assert shown("é" * 200).endswith("…") and len(shown("é" * 200)) == 80
    assert shown("hw.ipynb") == "hw.ipynb"


def test_a_newline_in_a_name_does_not_reach_the_note_raw(tmp_path):
    make(tmp_path, {"hw\nfake line.md": b"answer"})
    choice = find_answer_file(tmp_path)
    assert "\n" not in choice.note and "hw\\u000afake line.md" in choice.note
