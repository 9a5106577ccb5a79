"""The read stage: format sniffing, decoding, refusals, and block splitting for each format."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.model import BlockKind
from grader.read import UnreadableSubmission, read_submission, read_text
from grader.read.latex import blocks_from_latex
from grader.read.markdown import blocks_from_markdown
from grader.read.notebook import MAX_OUTPUT_CHARS, read_notebook

H, P, M, C, O = BlockKind.HEADING, BlockKind.PROSE, BlockKind.MATH, BlockKind.CODE, BlockKind.OUTPUT
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def shape(blocks):
    return [(b.kind, b.text, b.origin, b.level) for b in blocks]


def notebook(*cells, version=4, metadata=None) -> dict:
    return {"nbformat": version, "nbformat_minor": 5, "metadata": metadata or {}, "cells": list(cells)}


def md_cell(source, **metadata) -> dict:
    return {"cell_type": "markdown", "metadata": metadata, "source": source}


def code_cell(source, outputs=(), **metadata) -> dict:
    return {"cell_type": "code", "metadata": metadata, "source": source, "execution_count": 1,
            "outputs": list(outputs)}


# --- Markdown ------------------------------------------------------------------------------------

MARKDOWN_CASES = {
    "headings and paragraphs": (
        "# Problem 1\n\nFirst line\nsecond line\n\n### (a)\nAnswer here",
        [(H, "Problem 1", "line 1", 1), (P, "First line\nsecond line", "line 3", 0),
         (H, "(a)", "line 6", 3), (P, "Answer here", "line 7", 0)],
    ),
    "closing hashes and no space after #": (
        "## Title ##\n#Problem 2",
        [(H, "Title", "line 1", 2), (H, "Problem 2", "line 2", 1)],
    ),
    "$$ on one line": (
        "Intro\n\n$$x = 1$$\nafter",
        [(P, "Intro", "line 1", 0), (M, "x = 1", "line 3", 0), (P, "after", "line 4", 0)],
    ),
    "$$ over several lines": (
        "$$\n\\Sigma = \n\\begin{bmatrix} 1 \\end{bmatrix}\n$$",
        [(M, "\\Sigma = \n\\begin{bmatrix} 1 \\end{bmatrix}", "line 1", 0)],
    ),
    "$$ with text before and after on its line": (
        "such that\nwhere $$M_i$$ denotes the rest",
        [(P, "such that\nwhere", "line 1", 0), (M, "M_i", "line 2", 0),
         (P, "denotes the rest", "line 2", 0)],
    ),
    "two formulas on consecutive lines": (
        "$$Y_1 = X_1$$ \n$$Y_2 = X_2$$",
        [(M, "Y_1 = X_1", "line 1", 0), (M, "Y_2 = X_2", "line 2", 0)],
    ),
    "\\[ \\] display math": (
        "Text\n\\[\nx^2\n\\] and more",
        [(P, "Text", "line 1", 0), (M, "x^2", "line 2", 0), (P, "and more", "line 4", 0)],
    ),
    "environment keeps begin and end": (
        "\\begin{align*}\na &= 1 \\\\\nb &= 2\n\\end{align*}",
        [(M, "\\begin{align*}\na &= 1 \\\\\nb &= 2\n\\end{align*}", "line 1", 0)],
    ),
    "fenced code, backticks and tildes": (
        "```python\nx = 1  # $$ not math\n```\n~~~\n# not a heading\n~~~",
        [(C, "x = 1  # $$ not math", "line 1", 0), (C, "# not a heading", "line 4", 0)],
    ),
    "rules dropped": (
        "a\n\n---\n\nb\n\n***\n___",
        [(P, "a", "line 1", 0), (P, "b", "line 5", 0)],
    ),
    "setext headings": (
        "Title\n=====\n\nSub\n---",
        [(H, "Title", "line 1", 1), (H, "Sub", "line 4", 2)],
    ),
    "bold label stays prose with inline math": (
        "**Question 1 :** Let  $A$  and  $X$  be matrices",
        [(P, "**Question 1 :** Let  $A$  and  $X$  be matrices", "line 1", 0)],
    ),
    "html layout tags go, an image stays prose": (
        '<center>\n    <img width="60%" src="2d.png" />\n</center>',
        [(P, '<img width="60%" src="2d.png" />', "line 2", 0)],
    ),
    "unclosed $$ stays text and stops at a heading": (
        "cost $$ 5\n\n# Next",
        [(P, "cost $$ 5", "line 1", 0), (H, "Next", "line 3", 1)],
    ),
    "escaped dollars are not math": (
        "price \\$$5 and \\$$6",
        [(P, "price \\$$5 and \\$$6", "line 1", 0)],
    ),
    "empty $$ $$ is an empty formula": (
        "$$ $$",
        [(M, "", "line 1", 0)],
    ),
    "unicode is normalised": (
        "X₃ − 0.5 and Aᵀ",
        [(P, "X_3 - 0.5 and A^T", "line 1", 0)],
    ),
}


@pytest.mark.parametrize("text, expected", MARKDOWN_CASES.values(), ids=MARKDOWN_CASES.keys())
def test_markdown_blocks(text, expected):
    assert shape(blocks_from_markdown(text)) == expected


@pytest.mark.parametrize(
    "kwargs, origins",
    [
        ({}, ["line 1", "line 3"]),
        ({"line_offset": 10}, ["line 11", "line 13"]),
        ({"origin_prefix": "cell 3"}, ["cell 3", "cell 3"]),
    ],
)
def test_markdown_origins(kwargs, origins):
    assert [b.origin for b in blocks_from_markdown("# A\n\nb", **kwargs)] == origins


@pytest.mark.parametrize(
    "text",
    [
        "$\\`~#*-_[]{}% \n" * 150_000,  # every special character on short lines
        "$$a" * 400_000,  # one long line of formulas
        "\\[\n" * 500_000,  # openers that never close
        "\\begin{align}\n" * 150_000,
        "x" * 2_000_000 + "$$",
    ],
    ids=["odd characters", "many $$", "unclosed \\[", "unclosed begin", "long line"],
)
def test_markdown_is_linear(text):
    started = time.perf_counter()
    blocks_from_markdown(text)
    assert time.perf_counter() - started < 3.0


# --- LaTeX ---------------------------------------------------------------------------------------

LATEX_DOC = r"""\documentclass{article}
\usepackage{amsmath}
\section{In the preamble, so dropped}
\begin{document}
\section*{Problem 1: Gaussian Multivariate}
\subsection*{(a) Are $X_3$ and {$X_4$} correlated?}
\textbf{No}, 100\% sure. % a comment
% a comment line does not end the paragraph
Next line.
\[
  \Sigma_{34} = 0 % comment inside math
\]
\begin{align*}
a &= b \\[2pt]
c &= d
\end{align*}
\begin{itemize}
  \item[(i)] First $y$
  \item Second
\end{itemize}
\begin{verbatim}
x = 1 % kept
\end{verbatim}
\input{/etc/passwd} \write18{ls}
\subsubsection{Deep}
\paragraph{Para}
text \[ never closed

last
\end{document}
ignored after the end
"""


def test_latex_layout():
    assert shape(blocks_from_latex(LATEX_DOC)) == [
        (H, "Problem 1: Gaussian Multivariate", "line 5", 1),
        (H, "(a) Are $X_3$ and {$X_4$} correlated?", "line 6", 2),
        (P, "\\textbf{No}, 100\\% sure. \nNext line.", "line 7", 0),
        (M, "\\Sigma_{34} = 0", "line 10", 0),
        (M, "\\begin{align*}\na &= b \\\\[2pt]\nc &= d\n\\end{align*}", "line 13", 0),
        (P, "(i) First $y$", "line 18", 0),
        (P, "Second", "line 19", 0),
        (C, "x = 1 % kept", "line 21", 0),
        (P, "\\input{/etc/passwd} \\write18{ls}", "line 24", 0),
        (H, "Deep", "line 25", 3),
        (H, "Para", "line 26", 4),
        (P, "text \\[ never closed", "line 27", 0),
        (P, "last", "line 29", 0),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("\\section{A}\nx₃ $$y$$",
         [(H, "1 A", "line 1", 1), (P, "x_3", "line 2", 0), (M, "y", "line 2", 0)]),
        ("\\section{Title over\n two lines} rest",
         [(H, "1 Title over two lines", "line 1", 1), (P, "rest", "line 2", 0)]),
        ("\\begin{equation}\nE = mc^2\n\\end{equation}",
         [(M, "\\begin{equation}\nE = mc^2\n\\end{equation}", "line 1", 0)]),
        ("\\begin{align*}\na &= b\n\\intertext{so, with $c$ fixed,}\nb &= c\n\\end{align*}",
         [(M, "\\begin{align*}\na &= b\n\\end{align*}", "line 1", 0), (P, "so, with $c$ fixed,", "line 1", 0),
          (M, "\\begin{align*}\nb &= c\n\\end{align*}", "line 1", 0)]),
    ],
    ids=["fragment without a preamble", "multi-line title", "equation", "intertext between equations"],
)
def test_latex_fragments(text, expected):
    assert shape(blocks_from_latex(text)) == expected


# --- notebooks -----------------------------------------------------------------------------------

def test_notebook_v4_cells_outputs_and_tags():
    nb = notebook(
        md_cell(["# Problem 1\n", "X₃ is $$x=1$$"], tags=["question:1a", "other"]),
        code_cell("print(1)\n2", [
            {"output_type": "stream", "name": "stdout", "text": ["1\n"]},
            {"output_type": "stream", "name": "stdout", "text": "still 1\n"},
            {"output_type": "stream", "name": "stderr", "text": "Warning\n"},
            {"output_type": "execute_result", "execution_count": 1, "metadata": {},
             "data": {"text/plain": "2", "text/latex": "$2$"}},
            {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}},
            {"output_type": "error", "ename": "E", "evalue": "bad", "traceback": []},
        ], grader={"question": "1b"}),
        {"cell_type": "raw", "metadata": {"tags": ["answer:2"]}, "source": "raw text"},
    )
    doc = read_text(json.dumps(nb), "hw.ipynb")
    assert doc.format == "notebook"
    assert [(b.kind, b.text, b.origin, b.tags) for b in doc.blocks] == [
        (H, "Problem 1", "cell 1", ("1a",)),
        (P, "X_3 is", "cell 1", ("1a",)),
        (M, "x=1", "cell 1", ("1a",)),
        (C, "print(1)\n2", "cell 2", ("1b",)),
        (O, "1\nstill 1", "cell 2 output", ("1b",)),
        (O, "$2$", "cell 2 output", ("1b",)),
        (P, "raw text", "cell 3", ("2",)),
    ]


def test_notebook_v3_is_converted():
    nb = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "markdown", "source": "The answer is 1"},
        {"cell_type": "code", "input": "print(1)", "language": "python",
         "outputs": [{"output_type": "stream", "stream": "stdout", "text": "1\n"}]},
    ]}]}
    doc = read_text(json.dumps(nb), "old.ipynb")
    assert shape(doc.blocks) == [(P, "The answer is 1", "cell 1", 0), (C, "print(1)", "cell 2", 0),
                                 (O, "1", "cell 2 output", 0)]


@pytest.mark.parametrize(
    "source, expected_text, note",
    [(7, "7", "number"), (["a = ", 5, None], "a = 5", "not text")],
    ids=["int source", "list holding an int"],
)
def test_notebook_odd_sources(source, expected_text, note):
    nb = notebook(md_cell(source), md_cell("fine"))
    doc = read_notebook(json.dumps(nb), "hw.ipynb")
    assert [b.text for b in doc.blocks] == [expected_text, "fine"]
    assert any(note in n and "cell 1" in n for n in doc.notes)


def test_notebook_deep_metadata_still_read():
    deep: dict = {}
    node = deep
    for _ in range(500):
        node["k"] = {}
        node = node["k"]
    nb = notebook(md_cell("# Q1\n\nanswer 42"), metadata=deep)
    doc = read_notebook(json.dumps(nb), "hw.ipynb")
    assert [b.text for b in doc.blocks] == ["Q1", "answer 42"]


@pytest.mark.parametrize("version, word", [(99, "99"), ("4", "'4'"), (None, "does not say")])
def test_notebook_odd_versions_are_read_with_a_note(version, word):
    nb = notebook(md_cell("answer 3"))
    if version is None:
        del nb["nbformat"]
    else:
        nb["nbformat"] = version
    doc = read_notebook(json.dumps(nb), "hw.ipynb")
    assert [b.text for b in doc.blocks] == ["answer 3"]
    assert any(word in n for n in doc.notes)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[]", "not a notebook: its JSON is an empty list"),
        ("null", "not a notebook: its JSON is null"),
        ('{"metadata": {}}', "has no list of cells"),
        ("# Problem 1\nnot json", "it is not JSON"),
        ('{"cells": [1,}', "broken at line 1"),
    ],
)
def test_notebook_refusals(text, message):
    with pytest.raises(UnreadableSubmission, match=message):
        read_notebook(text, "hw.ipynb")


@pytest.mark.parametrize("cut", [40, 75])
def test_truncated_notebook_names_the_byte(cut):
    data = json.dumps(notebook(md_cell("a long enough markdown source"))).encode()
    with pytest.raises(UnreadableSubmission) as info:
        read_notebook(data[:cut], "hw.ipynb")
    assert "ends in the middle of its JSON" in str(info.value)
    assert f"byte {cut}" in str(info.value)


def test_notebook_warnings_are_silent_and_ids_unused(capfd):
    cells = [dict(md_cell(f"part {i}"), id="same") for i in range(3)] + [md_cell(5)]
    doc = read_notebook(json.dumps(notebook(*cells)), "hw.ipynb")
    assert [b.text for b in doc.blocks] == ["part 0", "part 1", "part 2", "5"]
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_long_output_is_cut():
    long_text = "9" * (MAX_OUTPUT_CHARS + 50)
    nb = notebook(code_cell("x", [{"output_type": "stream", "name": "stdout", "text": long_text}]))
    doc = read_notebook(json.dumps(nb), "hw.ipynb")
    assert len(doc.blocks[1].text) == MAX_OUTPUT_CHARS
    assert any("were cut" in n for n in doc.notes)


def test_markdown_does_not_import_nbformat():
    code = ("import sys; from grader.read import read_text; read_text('# a', 'a.md'); "
            "print('nbformat' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"


# --- files: sniffing, decoding, refusals ---------------------------------------------------------

NB_JSON = json.dumps(notebook(md_cell("# Q\n\nX₃"))).encode()

FILE_CASES = {
    "markdown .txt": ("hw.txt", b"# Q\n\nX\xe2\x82\x83", "markdown", ["Q", "X_3"]),
    "notebook saved as .txt": ("hw.txt", NB_JSON, "notebook", ["Q", "X_3"]),
    "latex saved as .txt": ("hw.txt", b"\\section*{Q}\nX", "latex", ["Q", "X"]),
    "latex document as .md": ("hw.md", b"\\documentclass{article}\n\\begin{document}\nX\n\\end{document}",
                              "latex", ["X"]),
    "markdown mentioning \\section": ("hw.md", b"# Q\n\\section is a LaTeX command", "markdown",
                                      ["Q", "\\section is a LaTeX command"]),
    "UTF-8 BOM markdown": ("hw.md", codecs.BOM_UTF8 + b"# Q\n\nX", "markdown", ["Q", "X"]),
    "UTF-8 BOM notebook": ("hw.ipynb", codecs.BOM_UTF8 + NB_JSON, "notebook", ["Q", "X_3"]),
    "UTF-16 with BOM": ("hw.md", "# Q\n\nX₃".encode("utf-16"), "markdown", ["Q", "X_3"]),
    "UTF-16 notebook": ("hw.ipynb", NB_JSON.decode().encode("utf-16"), "notebook", ["Q", "X_3"]),
    "UTF-16 without BOM": ("hw.md", "# Q\n\nX".encode("utf-16-le"), "markdown", ["Q", "X"]),
}


@pytest.mark.parametrize("name, data, fmt, texts", FILE_CASES.values(), ids=FILE_CASES.keys())
def test_files_are_sniffed_and_decoded(tmp_path, name, data, fmt, texts):
    path = tmp_path / name
    path.write_bytes(data)
    doc = read_submission(path)
    assert (doc.format, [b.text for b in doc.blocks]) == (fmt, texts)
    assert doc.notes == ()


def test_invalid_utf8_is_replaced_with_a_note(tmp_path):
    path = tmp_path / "hw.md"
    path.write_bytes(b"caf\xe9 answer 3")
    doc = read_submission(path)
    assert doc.blocks[0].text == "caf\ufffd answer 3"
    assert any("not valid UTF-8" in n and "offset 3" in n for n in doc.notes)


REFUSALS = {
    "empty": ("hw.md", b"", "the file is empty"),
    "PDF renamed .ipynb": ("hw.ipynb", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
                           "'hw.ipynb' is not a notebook: it looks like a PDF file"),
    "PNG renamed .ipynb": ("hw.ipynb", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                           "not a notebook: it looks like a PNG image"),
    "zip as .md": ("hw.md", b"PK\x03\x04\x14\x00\x00\x00", "cannot be graded: it looks like a zip archive"),
    "binary with NULs": ("hw.txt", bytes(range(256)) * 4, "looks like a binary file"),
    "markdown named .ipynb": ("hw.ipynb", b"# Problem 1\n\nx = 3", "not a notebook: it is not JSON"),
}


@pytest.mark.parametrize("name, data, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_refusals(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableSubmission) as info:
        read_submission(path)
    assert message in str(info.value)


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_MAX_FILE_MB", "1")
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * (3 * 1024 * 1024 // 2))
    opened = []
    real_open = Path.open

    def spy_open(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy_open)
    with pytest.raises(UnreadableSubmission, match=r"is 1\.5 MB, more than the 1 MB limit"):
        read_submission(path)
    assert opened == []
    monkeypatch.setenv("GRADER_MAX_FILE_MB", "2")
    assert len(read_submission(path).blocks[0].text) == 3 * 1024 * 1024 // 2


def test_stray_nul_bytes_are_removed(tmp_path):
    path = tmp_path / "hw.md"
    path.write_bytes(b"answer\x00 42")
    doc = read_submission(path)
    assert doc.blocks[0].text == "answer 42"
    assert any("NUL" in n for n in doc.notes)


@pytest.mark.parametrize("seed", ["000_ad4f4366d0b67e76.txt", "004_2c6ebea7288b07f1.txt"])
def test_seed_submissions_read(seed):
    path = SEEDS / seed
    if not path.exists():
        pytest.skip(f"{path} is absent")
    doc = read_submission(path)
    kinds = {b.kind for b in doc.blocks}
    assert doc.format == "markdown"
    assert {H, P, M} <= kinds
    assert all(b.text == b.text.strip() and b.origin.startswith("line ") for b in doc.blocks)
