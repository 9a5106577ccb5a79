"""A PDF page's positioned text runs → lines → blocks (headings, prose, math, code).

grader.read.pdf collects the runs (a piece of text, where it starts, its font size, whether its font is monospace or
bold); this module, which knows nothing of PDF files, turns them into the document model:

- Runs whose baselines are within about half a font size of each other form one line, read left to right. A run
  smaller than the line's text and raised or lowered is a script: 𝑋 then a lowered "3" is ``X_3``, Σ then a
  raised "−1" is ``Σ^{-1}``. Without that geometry (a PDF that gives "𝑋3" as one run), a mathematical-alphabet
  letter followed by digits is taken as subscripted, and a letter followed by "−1" (U+2212) as inverted.
- A matrix typeset with bracket pieces (⎡ ⎢ ⎣ … ⎤ ⎥ ⎦, or ⎛ ⎜ ⎝ … ⎞ ⎟ ⎠) becomes ``\\begin{bmatrix} a & b \\\\ c & d
  \\end{bmatrix}`` (``pmatrix``) on the line of its axis, after what stands before it ("Cov(Y) ="); two or more
  rows of numbers in aligned columns next to a "... =" become one too (a matrix whose brackets were drawn as lines).
  grader.extract.matrices reads both.
- Headings are recognised from their text and size: a line in a larger font than the page's text, a line in bold
  that is a question label, a line that is only a label ("Problem 1", "(a)", "Question 2:"), or a numbered
  section whose title is a label ("1.0.1 (a)" as nbconvert prints a notebook's "### (a)"; the section number is
  dropped, "(a)" kept). A line that starts with a label and goes on with an answer stays prose, but starts a
  paragraph: the segmenter reads the label there.
- Lines in a monospace font are CODE (nbconvert prints code and its outputs so); everything else is PROSE,
  paragraphs split at a vertical gap larger than the usual line spacing. Bold runs inside prose are written
  ``**…**`` so that a bold final answer counts as emphasised, as in the source. A word hyphenated at the end of
  a line is joined again, and a page number alone at the top or bottom of a page is dropped.

Every text goes through grader.textnorm.normalize, so 𝑋 → X, µ → μ, − → -. Origins are "page N, line M".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from grader.model import Block, BlockKind
from grader.textnorm import normalize

LEFT_PIECES = {"⎡": "b", "⎢": "b", "⎣": "b", "⎛": "p", "⎜": "p", "⎝": "p"}
RIGHT_PIECES = {"⎤": "b", "⎥": "b", "⎦": "b", "⎞": "p", "⎟": "p", "⎠": "p"}
_TOPS, _BOTTOMS = set("⎡⎛⎤⎞"), set("⎣⎝⎦⎠")
_NUMBER = re.compile(r"[-−+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-−+]?\d+)?")
_LABEL_ONLY = re.compile(
    r"(?:(?:problem|question|exercise|exo|part|partie|q)\s*\.?\s*#?\s*\d{0,2}\s*(?:\(?[a-h]\)?)?"
    r"|\(?[a-h]\)|\d{1,2}\s*\(?[a-h]\)|\(?[a-h]\)\s*\.?)[\s.:)\-]*",
    re.IGNORECASE,
)
_LABEL_START = re.compile(
    r"(?:(?:problem|question|exercise|exo|part|partie|q)\s*\.?\s*#?\s*\d|\(?[a-hA-H]\)|\(?[a-h]\)|\d{1,2}\s*\([a-h]\))",
    re.IGNORECASE,
)
_SECTION_NUMBER = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,4})\s+(?=\S)")
_PAGE_FURNITURE = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|https?://\S+|file:///\S+", re.IGNORECASE)
_MATH_ALNUM_DIGITS = re.compile(r"([\U0001D400-\U0001D7FF])(\d+)")
_INVERSE = re.compile(r"(?<=[A-Za-zΑ-Ωα-ω\U0001D400-\U0001D7FF)])\u2212(1)(?![\d.])")
_HYPHENATED = re.compile(r"[a-z]{2}-$")
# A formula in running text, as the source had it between $…$: names with scripts (μ_1, Σ_{34}, X_3), numbers and
# relations, with at least one "=".  Marked so that the extractors read "μ_1 = μ_2 = 0" as the chain it is.
_NAME = r"(?:[A-Za-zΑ-Ωα-ω](?:_(?:\w|\{\w{1,4}\}))(?:\^(?:\w|\{[^{}$\s]{1,6}\}))?|[Α-Ωα-ω])"
_TERM = rf"(?:{_NAME}|-?\d+(?:\.\d+)?)"
_FORMULA = re.compile(rf"(?<![\w$])({_TERM}(?:\s?(?:=|≈|≠)\s?{_TERM})+)(?![\w$])")


@dataclass
class Run:
    x: float
    y: float
    size: float
    text: str
    mono: bool = False
    bold: bool = False
    math: bool = False  # a matrix this module built: its line is display math


@dataclass
class Line:
    y: float
    size: float
    text: str
    runs: list[Run] = field(default_factory=list)
    mono: bool = False
    bold: bool = False
    math: bool = False


# --- runs → lines -----------------------------------------------------------------------------------------------


def _width(run: Run) -> float:
    """A run's width when the font's metrics are not at hand: half an em per character."""
    return 0.5 * run.size * len(run.text)


def _group_lines(runs: list[Run]) -> list[list[Run]]:
    groups: list[tuple[float, float, list[Run]]] = []  # reference y, reference size, runs
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if groups:
            ref_y, ref_size, members = groups[-1]
            if abs(run.y - ref_y) <= 0.45 * max(ref_size, run.size):
                members.append(run)
                if run.size > ref_size * 1.05:  # the line's own text sets the baseline, not a script above it
                    groups[-1] = (run.y, run.size, members)
                continue
        groups.append((run.y, run.size, [run]))
    return [members for _, _, members in groups]


def _script_text(text: str, mark: str) -> str:
    text = text.strip()
    return f"{mark}{text}" if len(text) == 1 else f"{mark}{{{text}}}"


def _scripts(cluster: list[Run], base_y: float) -> str:
    """Scripts that follow one another: X_{34}, X_1^2, or a fraction when a raised and a lowered part overlap
    (a numerator set over its denominator): \\frac{a}{b}."""
    ups = [r for r in cluster if r.y > base_y]
    downs = [r for r in cluster if r.y < base_y]
    joined = lambda rs: " ".join("".join(r.text for r in rs).split())  # noqa: E731
    if ups and downs:
        up_end = max(r.x + _width(r) for r in ups)
        if min(r.x for r in downs) < up_end - 0.5 * downs[0].size:
            return f"\\frac{{{joined(ups)}}}{{{joined(downs)}}}"
    out = []
    for group in (downs, ups) if downs and downs[0] is cluster[0] else (ups, downs):
        if group:
            out.append(_script_text(joined(group), "_" if group is downs else "^"))
    return "".join(out)


def _assemble(runs: list[Run]) -> Line:
    """One line's text from its runs, left to right, scripts written _{…} / ^{…} and bold runs **…**."""
    runs = sorted(runs, key=lambda r: r.x)
    sizes: Counter = Counter()
    for r in runs:
        sizes[round(r.size, 1)] += len(r.text.strip())
    total = sum(sizes.values()) or 1
    # The line's own size: the largest that carries a fair share of its text (a fraction's small numerator and
    # denominator may hold more characters than the text around them).
    base_size = max((s for s in sizes if sizes[s] >= 0.2 * total), default=max(sizes))
    base = [r for r in runs if abs(r.size - base_size) < 0.15]
    base_y = sorted(r.y for r in base)[len(base) // 2]
    texts = [r for r in runs if not r.math]
    all_bold = bool(texts) and all(r.bold for r in texts)
    pieces: list[tuple[str, bool]] = []
    cluster: list[Run] = []  # consecutive scripts, written out together
    prev: Run | None = None
    for r in runs + [None]:
        script = (r is not None and not r.math and r.size <= 0.85 * base_size
                  and abs(r.y - base_y) >= 0.12 * base_size and r.text.strip())
        if script:
            cluster.append(r)
            continue
        if cluster:
            bold = pieces[-1][1] if pieces else False  # a script keeps the style of what it is attached to
            pieces.append((_scripts(cluster, base_y), bold))
            prev, cluster = cluster[-1], []
        if r is None:
            break
        piece = r.text
        if prev is not None and pieces and not piece[:1].isspace() and not pieces[-1][0][-1:].isspace():
            if r.x - prev.x > _width(prev) + 0.3 * max(prev.size, r.size):
                piece = " " + piece
        pieces.append((piece, r.bold and not all_bold and not r.math and bool(r.text.strip())))
        prev = r
    parts: list[str] = []
    bold_open = False
    for piece, bold in pieces:
        if bold and not bold_open:
            stripped = piece.lstrip()
            parts.append(piece[: len(piece) - len(stripped)] + "**" + stripped)
        elif bold_open and not bold:
            before = parts[-1]
            parts[-1] = before.rstrip()
            space = " " if before != parts[-1] and not piece[:1].isspace() else ""
            parts.append("**" + space + piece)
        else:
            parts.append(piece)
        bold_open = bold
    if bold_open:
        parts[-1] = parts[-1].rstrip() + "**"
    text = "".join(parts)
    text = _MATH_ALNUM_DIGITS.sub(lambda m: m.group(1) + _script_text(m.group(2), "_"), text)
    text = _INVERSE.sub("^{-1}", text)
    mono = all(r.mono for r in texts) and bool(texts)
    text = text.strip() if mono else " ".join(text.split())  # code keeps its spacing
    return Line(base_y, base_size, text, runs, mono=mono, bold=all_bold, math=any(r.math for r in runs))


# --- matrices ---------------------------------------------------------------------------------------------------


def _cells(row: list[Run]) -> list[str]:
    tokens = " ".join(_assemble(row).text.split()).split(" ")
    cells: list[str] = []
    for token in tokens:
        if cells and cells[-1] in ("-", "−", "+"):
            cells[-1] += token  # "−" and "0.43" set as two runs
        else:
            cells.append(token)
    return [c for c in cells if c]


def _bmatrix(rows: list[list[str]], kind: str = "b") -> str:
    body = " \\\\ ".join(" & ".join(row) for row in rows)
    return f"\\begin{{{kind}matrix}} {body} \\end{{{kind}matrix}}"


def _brackets(pieces: list[Run], table: dict[str, str]) -> list[tuple[float, float, float, str, list[Run]]]:
    """Stacks of pieces at one x: (x, top y, bottom y, kind, pieces), each from a top piece down to a bottom one."""
    found = []
    pieces = sorted(pieces, key=lambda r: (round(r.x), -r.y))
    used: set[int] = set()
    for i, top in enumerate(pieces):
        if i in used or top.text.strip() not in _TOPS:
            continue
        stack, last = [top], top
        for j in range(i + 1, len(pieces)):
            p = pieces[j]
            if j in used or abs(p.x - top.x) > 1.5 or last.y - p.y > 2.2 * max(p.size, last.size):
                continue
            stack.append(p)
            last = p
            if p.text.strip() in _BOTTOMS:
                used.update(pieces.index(s) for s in stack)
                found.append((top.x, top.y, p.y, table[top.text.strip()], stack))
                break
    return found


def _matrices(runs: list[Run]) -> list[Run]:
    """Replace each bracket-piece matrix by one math run holding it as LaTeX."""
    lefts = [r for r in runs if r.text.strip() in LEFT_PIECES]
    rights = [r for r in runs if r.text.strip() in RIGHT_PIECES]
    if not lefts or not rights:
        return runs
    taken: set[int] = set()
    made = []
    right_stacks = _brackets(rights, RIGHT_PIECES)
    for x, top, bottom, kind, stack in _brackets(lefts, LEFT_PIECES):
        closing = [s for s in right_stacks if s[0] > x and abs(s[1] - top) < 2 and abs(s[2] - bottom) < 2]
        if not closing:
            continue
        rx, _, _, _, rstack = min(closing, key=lambda s: s[0])
        size = max(p.size for p in stack)
        inside = [r for r in runs if x < r.x < rx and bottom - 0.5 * size <= r.y <= top + 0.5 * size
                  and id(r) not in taken and r.text.strip() not in LEFT_PIECES and r.text.strip() not in RIGHT_PIECES]
        rows = [_cells(group) for group in _group_lines(inside)]
        rows = [row for row in rows if row]
        if not rows:
            continue
        taken.update(id(r) for r in inside + stack + rstack)
        axis = [r for r in runs if r.x < x and bottom - 0.5 * size <= r.y <= top + 0.5 * size and id(r) not in taken]
        y = axis[-1].y if axis else (top + bottom) / 2
        made.append(Run(x, y, size, _bmatrix(rows, kind), math=True))
    if not made:
        return runs
    return [r for r in runs if id(r) not in taken] + made


def _numbers_after_lead(line: Line) -> tuple[str, list[str], float] | None:
    """(lead, numbers, x of the first number) when a line is an optional "… =" followed by two or more numbers."""
    tokens = line.text.split()
    k = len(tokens)
    while k > 0 and _NUMBER.fullmatch(tokens[k - 1]):
        k -= 1
    numbers = tokens[k:]
    lead = " ".join(tokens[:k])
    if len(numbers) < 2 or (lead and not lead.endswith("=")):
        return None
    first = next((r.x for r in sorted(line.runs, key=lambda r: r.x) if _NUMBER.match(r.text.strip())), None)
    return (lead, numbers, first) if first is not None else None


def _aligned_rows(lines: list[Line]) -> list[Line]:
    """Rows of numbers in aligned columns beside a "… =" lead → one math line holding a bmatrix."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        rows, lead, j, width, x0 = [], "", i, None, None
        while j < len(lines) and not lines[j].mono:
            if lines[j].text.endswith("=") and not _numbers_after_lead(lines[j]) and rows and not lead:
                lead = lines[j].text  # the lead on the axis, between two rows
                j += 1
                continue
            found = _numbers_after_lead(lines[j])
            if not found or (width is not None and (len(found[1]) != width or abs(found[2] - x0) > 3)):
                break
            if found[0]:
                if lead:
                    break
                lead = found[0]
            width, x0 = len(found[1]), found[2]
            rows.append(found[1])
            j += 1
        if len(rows) >= 2 and lead and not lines[j - 1].text.endswith("="):
            first = lines[i]
            text = normalize(f"{lead} {_bmatrix(rows)}")
            out.append(Line(first.y, first.size, text, [], math=True))
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def page_lines(runs: list[Run]) -> list[Line]:
    """The lines of one page, top to bottom (see the module docstring)."""
    runs = [r for r in runs if r.text.strip()]
    runs = _matrices(runs)
    lines = [_assemble(group) for group in _group_lines(runs)]
    for line in lines:
        line.text = normalize(line.text)
        if not line.math and not line.mono and "=" in line.text:
            line.text = _FORMULA.sub(lambda m: f"${m.group(1)}$" if re.search(_NAME, m.group(1)) else m.group(1),
                                     line.text)
    return _aligned_rows([line for line in lines if line.text])


# --- lines → blocks ---------------------------------------------------------------------------------------------


def _heading(line: Line, body_size: float) -> tuple[int, str] | None:
    """(level, title) when a line is a heading."""
    text = line.text.strip("* ")
    if not text or len(text) > 150 or line.mono or line.math:
        return None
    section = _SECTION_NUMBER.match(text)
    if section and _LABEL_START.match(text, section.end()):
        return section.group(1).count(".") + 1, text[section.end():]
    bigger = line.size >= 1.12 * body_size
    if bigger:
        return (1 if line.size >= 1.6 * body_size else 2 if line.size >= 1.3 * body_size else 3), text
    if _LABEL_ONLY.fullmatch(text) or (line.bold and _LABEL_START.match(text) and len(text) <= 80):
        return 3, text
    return None


def _furniture(lines: list[Line]) -> list[Line]:
    """A page number (or a browser's URL line) alone at the top or the bottom of a page is not the student's."""
    while lines and _PAGE_FURNITURE.fullmatch(lines[-1].text):
        lines = lines[:-1]
    while lines and _PAGE_FURNITURE.fullmatch(lines[0].text):
        lines = lines[1:]
    return lines


def body_size(pages: list[list[Line]]) -> float:
    sizes: Counter = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    return max(sizes, key=lambda s: (sizes[s], -s)) if sizes else 10.0


def blocks_from_pages(pages: list[list[Line]]) -> list[Block]:
    """Blocks of a document from its pages' lines (page numbers count from 1)."""
    size = body_size(pages)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, 1):
        lines = _furniture(lines)
        gaps = [a.y - b.y for a, b in zip(lines, lines[1:]) if 0 < a.y - b.y]
        leading = sorted(gaps)[len(gaps) // 2] if gaps else size * 1.2
        para: list[str] = []
        para_kind = BlockKind.PROSE
        para_origin = ""
        prev: Line | None = None

        def flush() -> None:
            nonlocal para
            if para:
                blocks.append(Block(para_kind, "\n".join(para), para_origin))
                para = []

        for index, line in enumerate(lines, 1):
            origin = f"page {number}, line {index}"
            heading = _heading(line, size)
            if heading:
                flush()
                if blocks and blocks[-1].kind is BlockKind.HEADING and prev is not None and prev.size == line.size \
                        and prev.y - line.y <= 1.6 * line.size and not _heading_is_label(line.text):
                    last = blocks[-1]  # a title that runs over two lines
                    blocks[-1] = Block(BlockKind.HEADING, f"{last.text} {heading[1]}", last.origin, level=last.level)
                else:
                    blocks.append(Block(BlockKind.HEADING, heading[1], origin, level=heading[0]))
                prev = line
                continue
            if line.math:
                flush()
                blocks.append(Block(BlockKind.MATH, line.text, origin))
                prev = line
                continue
            kind = BlockKind.CODE if line.mono else BlockKind.PROSE
            gap = prev is not None and prev.y - line.y > 1.45 * leading
            new = (not para or kind is not para_kind or gap or (kind is BlockKind.PROSE and _LABEL_START.match(line.text)))
            if new:
                flush()
                para_kind, para_origin = kind, origin
                para = [line.text]
            elif kind is BlockKind.PROSE and _HYPHENATED.search(para[-1]) and line.text[:1].islower():
                para[-1] = para[-1][:-1] + line.text  # "uncorre-" + "lated"
            else:
                para.append(line.text)
            prev = line
        flush()
    return blocks


def _heading_is_label(text: str) -> bool:
    return bool(_LABEL_START.match(text) or _SECTION_NUMBER.match(text))
