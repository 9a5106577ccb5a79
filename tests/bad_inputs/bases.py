"""Good submissions the bad-input cases start from, and the writers that turn them into files.

Each hostile case corrupts one part of a submission that otherwise earns full marks, so a test can
check both that the part is handled and that every other question is still graded. Everything is
built in memory from the texts below: no large file is committed.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass

# gaussian-em, full marks (40 / 40). Keys are question numbers as results.json writes them.
GAUSSIAN = {
    "1.a": r"No. The covariance entry $\Sigma_{34} = 0$, so $X_3$ and $X_4$ are **uncorrelated** (and, being "
           "jointly\nGaussian, independent).",
    "1.b": r"No: they are not conditionally correlated. $Q_{34} = 0$ and $\{X_1, X_2\}$ are all the other "
           "variables, so\n"
           r"$X_3 \perp X_4 \mid X_1, X_2$ and $\mathrm{Cov}(X_3, X_4 \mid X_1, X_2) = 0$.",
    "1.c": r"Row 2 of the precision matrix $Q$ is $[3, 5, 0, 0]$: only $Q_{21} \neq 0$. The Markov blanket of "
           r"$X_2$ is $\{X_1\}$.",
    "1.d": "With $A = \\begin{bmatrix} 1 & 0 & 0 & 1 \\\\ 0 & 1 & 0 & -1 \\end{bmatrix}$,\n\n$$\n"
           "\\mathrm{Cov}(Y) = A \\Sigma A^\\top = \\begin{bmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{bmatrix}\n$$",
    "2.a": r"The responsibilities are $\gamma_{11} \approx 0.98$ and $\gamma_{21} \approx 0.02$, so" "\n"
           r"$\mu_1 = \frac{0.98 \cdot (-1) + 0.02 \cdot 1}{0.98 + 0.02} = -0.96$ and $\mu_2 = 0.96$.",
    "2.b": r"No. With symmetric means the EM update is $m \leftarrow \tanh(m)$, whose only fixed point is 0: "
           r"the means converge to $\mu_1 = \mu_2 = 0$, slowly.",
    "2.c": r"Both responsibilities are 1/2, so $\mu_1 = \mu_2 = 0$ after one step, and it stays there.",
    "2.d": r"K-means assigns $-1$ to the first centre and $1$ to the second: the fixed point is $\mu_1 = -1$, "
           r"$\mu_2 = 1$.",
}
GAUSSIAN_NUMBERS = tuple(GAUSSIAN)
PROBLEMS = {"1": "Problem 1: Gaussian Multivariate", "2": "Problem 2: Expectation Maximization"}
TITLE = "Homework: Gaussian graphical models and EM"

# basic-knowledge, full marks (25 / 25).
BASIC = {
    "1": r"$$\frac{\partial \operatorname{Tr}(XA)}{\partial X} = %s$$" % "A^T",
    "2": r"$$\frac{\partial \det(X)}{\partial X} = \det(X) X^{-T}$$",
    "3": r"$$v|u \sim \mathcal{N}(\mu + J(u - L\mu - m), K - JLK)$$" "\n\n"
         r"where $J = K L^T (\Sigma + L K L^T)^{-1}$.",
    "4": r"Here $f(z) = \log p(x, z \mid \theta)$ is the complete-data log-likelihood, and "
         r"$Z = \int e^{f(z)} dz = p(x \mid \theta)$, so $\log Z = \log p(x \mid \theta)$ is the log-likelihood. "
         r"The optimal $q$ is the posterior, $q(z) = p(z \mid x, \theta)$. For any $q$ the bound "
         r"$E_q[\log p(x, z \mid \theta)] + H(q) \le \log p(x \mid \theta)$ is a lower bound (the ELBO, by "
         r"Jensen). The E-step maximises the bound over $q$ and the M-step maximises it over $\theta$.",
}
BASIC_NUMBERS = ("1", "2", "3.mean", "3.cov", "4")
Q1_FORM = r"$$\frac{\partial \operatorname{Tr}(XA)}{\partial X} = %s$$"


def gaussian_markdown(**answers: str) -> str:
    """The full-marks Markdown answer, with the parts named (``_2a="…"``) replaced."""
    parts = _answers(answers)
    lines = [f"# {TITLE}"]
    for number in GAUSSIAN_NUMBERS:
        problem, letter = number.split(".")
        if letter == "a":
            lines.append(f"# {PROBLEMS[problem]}")
        lines += [f"## ({letter})", parts[number]]
    return "\n\n".join(lines) + "\n"


def basic_markdown(**answers: str) -> str:
    parts = {**BASIC, **{k.lstrip("_"): v for k, v in answers.items()}}
    return "\n\n".join(f"**Question {n} :**\n\n{parts[n]}" for n in BASIC) + "\n"


def gaussian_latex(**answers: str) -> str:
    """The same answers as a LaTeX document: \\section* per problem, \\subsection* per part."""
    parts = _answers(answers)
    body = []
    for number in GAUSSIAN_NUMBERS:
        problem, letter = number.split(".")
        if letter == "a":
            body.append(f"\\section*{{{PROBLEMS[problem]}}}")
        text = re.sub(r"\*\*(.+?)\*\*", r"\\textbf{\1}", parts[number])
        text = re.sub(r"\$\$\n(.*?)\n\$\$", r"\\[\n\1\n\\]", text, flags=re.S)
        body += [f"\\subsection*{{({letter})}}", text]
    return ("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
            f"\\title{{{TITLE}}}\n\\maketitle\n\n" + "\n\n".join(body) + "\n\\end{document}\n")


def _answers(answers: dict[str, str]) -> dict[str, str]:
    """``_2a`` → ``2.a``: keyword names cannot hold a dot."""
    renamed = {f"{k.lstrip('_')[0]}.{k.lstrip('_')[1:]}": v for k, v in answers.items()}
    unknown = set(renamed) - set(GAUSSIAN)
    assert not unknown, unknown
    return {**GAUSSIAN, **renamed}


# --- notebooks ---------------------------------------------------------------------------------


def markdown_cell(source: object, **extra: object) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source, **extra}


def code_cell(source: object, outputs: list | None = None, **extra: object) -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": source,
            "outputs": outputs or [], **extra}


def stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def gaussian_cells(**answers: str) -> list[dict]:
    """A heading cell and an answer cell per part, as a course template has them, plus a setup cell."""
    parts = _answers(answers)
    cells = [markdown_cell(f"# {TITLE}"), code_cell("import numpy as np", [stream("numpy ready\n")])]
    for number in GAUSSIAN_NUMBERS:
        problem, letter = number.split(".")
        if letter == "a":
            cells.append(markdown_cell(f"# {PROBLEMS[problem]}"))
        cells += [markdown_cell(f"## ({letter})"), markdown_cell(parts[number])]
    return cells


def answer_cell_index(cells: list[dict], number: str) -> int:
    """The position of the answer cell of question ``number`` in gaussian_cells()."""
    problem, letter = number.split(".")
    seen_problem = None
    for i, cell in enumerate(cells):
        source = cell.get("source")
        if source == f"# {PROBLEMS[problem]}":
            seen_problem = problem
        elif seen_problem == problem and source == f"## ({letter})":
            return i + 1
    raise KeyError(number)


def notebook(cells: list, **top: object) -> dict:
    nb = {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
    nb.update(top)
    return nb


def notebook_v3(cells: list[dict]) -> dict:
    """nbformat 3: cells inside a worksheet, code under "input", headings as heading cells."""
    old = []
    for cell in cells:
        source = cell["source"]
        heading = re.fullmatch(r"(#+) (.*)", source) if cell["cell_type"] == "markdown" else None
        if heading:
            old.append({"cell_type": "heading", "level": len(heading.group(1)), "metadata": {},
                        "source": heading.group(2)})
        elif cell["cell_type"] == "code":
            outputs = [{"output_type": "stream", "stream": "stdout", "text": o["text"]} for o in cell["outputs"]]
            old.append({"cell_type": "code", "input": source, "language": "python", "metadata": {},
                        "collapsed": False, "prompt_number": 1, "outputs": outputs})
        else:
            old.append(dict(cell))
    return {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [{"cells": old,
                                                                                       "metadata": {}}]}


def dumps(nb: object) -> bytes:
    return json.dumps(nb, indent=1).encode("ascii")


# --- zips, written byte by byte so that headers can lie ------------------------------------------


@dataclass(frozen=True)
class ZipEntry:
    name: str
    payload: bytes  # as stored in the archive (already deflated when method is 8)
    size: int  # the uncompressed size the headers declare
    crc: int
    method: int = 8
    mode: int = 0o100644  # Unix mode, in the high half of external_attr
    flags: int = 0x800  # bit 11: UTF-8 name; bit 0: encrypted


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def entry(name: str, data: bytes, **changes: object) -> ZipEntry:
    """An honest entry; ``changes`` (size, mode, flags, ...) make it lie or change its kind."""
    fields = {"payload": deflate(data), "size": len(data), "crc": zlib.crc32(data), **changes}
    return ZipEntry(name, **fields)


def zeros_entry(name: str, size: int) -> ZipEntry:
    """``size`` (a multiple of 1 MB) zero bytes in about size/1000 bytes: each megabyte deflates, after a
    full flush, to the same bytes, so a 1 GB bomb is built in milliseconds rather than compressed."""
    block = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size >> 20
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return ZipEntry(name, segment * count + b"\x03\x00", count << 20, crc)  # 03 00: an empty final block


def write_zip(entries: list[ZipEntry]) -> bytes:
    """A zip archive; ZIP64 end records when there are more entries than the classic record counts."""
    out, central = bytearray(), bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, e.flags, e.method, 0, 0x21, e.crc, len(e.payload),
                           e.size, len(name), 0) + name + e.payload
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x0314, 20, e.flags, e.method, 0, 0x21, e.crc,
                               len(e.payload), e.size, len(name), 0, 0, 0, 0, e.mode << 16, offset) + name
    start, count = len(out), len(entries)
    out += central
    if count > 0xFFFF:
        record = len(out)
        out += struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(central), start)
        out += struct.pack("<4sLQL", b"PK\x06\x07", 0, record, 1)
        count = 0xFFFF
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return bytes(out)
