"""Markdown (and Jupyter markdown cells) → blocks.

Splitting rules, in the order a line is tried:

- fenced code (``` or ~~~, any indentation; unclosed runs to the end, as CommonMark renders it) → CODE,
  the text between the fences;
- ATX headings ``#``..``######`` → HEADING, level = number of ``#``.  A space after the ``#`` is not
  required: the classic notebook rendered ``#Problem 1`` as a heading, so students meant one;
- setext underlines (``===`` / ``---``, three or more) under a paragraph → HEADING level 1 / 2;
  a rule (``---``, ``***``, ``___``) anywhere else is dropped, the block after it marked ``role`` "after-rule" (answers
  separated by rules and nothing else are told apart by them: grader.segment.order);
- ``\\[`` or ``\\begin{env}`` (a math environment) at the start of a line → MATH.  For
  ``\\[ … \\]`` the text is what lies between the delimiters; for environments the
  ``\\begin``/``\\end`` lines are kept, so the aligned structure stays visible to the extractors;
- ``$$ … $$`` anywhere in a line (same line or spanning lines, with text before or after) → MATH with
  the text between the delimiters; the text around it becomes prose blocks of its own;
- everything else → PROSE paragraphs separated by blank lines (inline ``$…$`` stays in the text,
  list items stay in their paragraph, indented lines are not code).

Before splitting, blockquote markers, inline HTML and footnote marks are cleaned away, the text kept
(grader.read.markdown_markup): "> <b>Question 1 a.</b>" reads "Question 1 a."; so are the backslash escapes of a
word processor's export ("X\\_ij", "E\\[v \\| u\\]") in a file with no LaTeX.

A display-math delimiter that is never closed is kept as literal text.  A search for a closing
delimiter stops at the next heading or code fence, so a forgotten ``$$`` cannot swallow the following
questions.

Origins: with the default ``origin_prefix="line"`` every block gets ``"line N"`` (1-based line of its
first line, plus ``line_offset``).  Any other prefix (``"cell 3"``) is used as the origin of every block
as it is: a notebook cell is small enough that its number is what a reader looks for.

The whole text is put in normal form (grader.textnorm.normalize) once, before splitting; every block
text is a slice of that normalised text.  The splitter is a single pass over lines with ``str.find``
and no backtracking regular expressions, so its time is linear in the input.
"""

from __future__ import annotations

import re

from grader.model import AFTER_RULE, Block, BlockKind
from grader.read.markdown_markup import clean_markup, export_escapes_removed
from grader.textnorm import normalize

# Environments a line may open as display math.  MathJax (Jupyter, most Markdown viewers) renders a
# bare environment as math, so the matrix-like ones count too.
MATH_ENVIRONMENTS = frozenset(
    name + star
    for name in (
        "equation", "align", "aligned", "alignat", "alignedat", "gather", "gathered", "multline",
        "eqnarray", "flalign", "split", "displaymath", "cases", "array", "matrix", "pmatrix",
        "bmatrix", "Bmatrix", "vmatrix", "Vmatrix",
    )
    for star in ("", "*")
)

MAX_BLOCKS = 20_000  # past this, the rest of a file is kept as one prose block
_MAX_FRONT_MATTER_LINES = 100
_SPECIAL_FIRST = frozenset("`~#-*_=\\")
_NON_SPACE = re.compile(r"\S")


def blocks_from_markdown(text: str, origin_prefix: str = "line", line_offset: int = 0) -> list[Block]:
    """Split Markdown ``text`` into blocks (see the module docstring for the rules and origins)."""
    lines, numbers = clean_markup(export_escapes_removed(normalize(text).split("\n")))
    return _Splitter(lines, origin_prefix, line_offset, numbers).run()


def is_escaped(line: str, pos: int) -> bool:
    """True when the character at ``pos`` is preceded by an odd number of backslashes."""
    count = 0
    while pos > 0 and line[pos - 1] == "\\":
        count += 1
        pos -= 1
    return count % 2 == 1


def find_unescaped(line: str, token: str, start: int = 0) -> int:
    """Position of the first ``token`` at or after ``start`` not escaped by a backslash, or -1."""
    pos = line.find(token, start)
    while pos >= 0 and is_escaped(line, pos):
        pos = line.find(token, pos + 1)
    return pos


def _fence(stripped: str) -> tuple[str, int] | None:
    """The fence character and length when ``stripped`` opens a fenced code block."""
    char = stripped[0]
    count = len(stripped) - len(stripped.lstrip(char))
    if count < 3:
        return None
    # CommonMark: a backtick fence's info string has no backticks (otherwise it is inline code).
    if char == "`" and "`" in stripped[count:]:
        return None
    return char, count


def _closes_fence(stripped: str, fence: tuple[str, int]) -> bool:
    char, count = fence
    return len(stripped) >= count and stripped == char * len(stripped)


def _atx(stripped: str) -> tuple[int, str] | None:
    """(level, title) when ``stripped`` is an ATX heading."""
    level = len(stripped) - len(stripped.lstrip("#"))
    if not 1 <= level <= 6:
        return None
    title = stripped[level:].strip()
    body = title.rstrip("#")
    if body != title and (not body or body[-1] in " \t"):
        title = body.strip()  # a closing "###" sequence is decoration
    return level, title


def _rule_char(stripped: str) -> str:
    """'-', '*', '_' or '=' when the line is made of three or more of one of them (spaces allowed
    between '-', '*', '_'), else ''."""
    char = stripped[0]
    if char not in "-*_=":
        return ""
    compact = stripped.replace(" ", "").replace("\t", "") if char != "=" else stripped
    if len(compact) >= 3 and compact.count(char) == len(compact):
        return char
    return ""


def _is_break_line(stripped: str) -> bool:
    """Lines that end a search for a closing math delimiter: headings and code fences."""
    if not stripped:
        return False
    if stripped[0] == "#":
        return _atx(stripped) is not None
    return stripped[0] in "`~" and _fence(stripped) is not None


def _begin_env(stripped: str) -> str | None:
    """The environment name when ``stripped`` starts with ``\\begin{<math environment>}``."""
    if not stripped.startswith("\\begin{"):
        return None
    end = stripped.find("}", 7)
    if end < 0:
        return None
    name = stripped[7:end]
    return name if name in MATH_ENVIRONMENTS else None


class _Splitter:
    def __init__(self, lines: list[str], origin_prefix: str, line_offset: int,
                 numbers: list[int] | None = None) -> None:
        self.lines = lines
        self.numbers = numbers  # the input line of each line (markup cleaning may split a line)
        self.prefix = origin_prefix
        self.offset = line_offset
        self.blocks: list[Block] = []
        self.para: list[str] = []
        self.para_line = 0
        self.after_rule = False  # a horizontal rule was just dropped: the next block starts after it
        # For asymmetric delimiters (\[ … \], \begin … \end): the line before which a failed search
        # already proved there is no closer, so repeated unclosed openers are not rescanned.
        self.dead_until: dict[str, int] = {}

    def origin(self, index: int) -> str:
        if self.prefix == "line":
            line = self.numbers[index] if self.numbers is not None and index < len(self.numbers) else index
            return f"line {line + 1 + self.offset}"
        return self.prefix

    def add(self, kind: BlockKind, text: str, index: int, level: int = 0) -> None:
        role, self.after_rule = (AFTER_RULE if self.after_rule else ""), False
        self.blocks.append(Block(kind=kind, text=text, origin=self.origin(index), level=level, role=role))

    def para_add(self, index: int, text: str) -> None:
        if not self.para:
            self.para_line = index
        self.para.append(text)

    def flush(self) -> None:
        if self.para:
            text = "\n".join(self.para).strip()
            if text:
                self.add(BlockKind.PROSE, text, self.para_line)
            self.para = []

    def run(self) -> list[Block]:
        lines, n, blocks = self.lines, len(self.lines), self.blocks
        i = self.front_matter()
        col = 0
        while i < n:
            if len(blocks) >= MAX_BLOCKS:
                self.keep_rest(i, col)
                break
            if col:
                i, col = self.inline(i, col)
                continue
            line = lines[i]
            stripped = line.strip() if line else line
            if not stripped:
                if self.para:
                    self.flush()
                i += 1
                continue
            first = stripped[0]
            if first not in _SPECIAL_FIRST and "$$" not in line:
                # Plain text, by far the most common line: straight into the paragraph.
                if not self.para:
                    self.para_line = i
                self.para.append(line)
                i += 1
                continue
            if first == "\\" and self.dead_until.get("\\]", -1) > i and stripped.startswith("\\["):
                pass  # an earlier search showed this \[ has no closer
            elif first in "`~":
                fence = _fence(stripped)
                if fence:
                    self.flush()
                    i = self.code(i, fence)
                    continue
            elif first == "#":
                heading = _atx(stripped)
                if heading:
                    self.flush()
                    if heading[1]:
                        self.add(BlockKind.HEADING, heading[1], i, level=heading[0])
                    i += 1
                    continue
            elif first in "-*_=":
                if self.rule_or_underline(i, stripped):
                    i += 1
                    continue
            elif first == "\\":
                if stripped.startswith("\\["):
                    found = self.delimited(i, line.find("\\["), "\\[", "\\]")
                    if found:
                        i, col = found
                        continue
                else:
                    env = _begin_env(stripped)
                    if env:
                        found = self.delimited(i, line.find("\\begin{"), "", f"\\end{{{env}}}")
                        if found:
                            i, col = found
                            continue
            if "$$" in line:
                i, col = self.inline(i, 0)
            else:
                self.para_add(i, line)
                i += 1
        self.flush()
        return self.blocks

    def keep_rest(self, i: int, col: int) -> None:
        """Past MAX_BLOCKS the rest of the text is one prose block: no real submission gets there,
        and a flood of tiny blocks would only slow every later stage."""
        self.flush()
        rest = "\n".join([self.lines[i][col:], *self.lines[i + 1 :]]).strip()
        if rest:
            self.add(BlockKind.PROSE, rest, i)

    def front_matter(self) -> int:
        """A YAML header (``---`` … ``---``) on the first line is kept as one prose block, so that a
        student's name stays visible and its closing ``---`` is not taken for a setext underline."""
        lines = self.lines
        if not lines or lines[0].strip() != "---":
            return 0
        for j in range(1, min(len(lines), _MAX_FRONT_MATTER_LINES)):
            stripped = lines[j].strip()
            if stripped in ("---", "...") and j > 1:
                text = "\n".join(lines[1:j]).strip()
                if text:
                    self.add(BlockKind.PROSE, text, 0)
                return j + 1
            yaml_like = ":" in stripped or stripped.startswith("-") or lines[j][:1] in " \t"
            if stripped and not yaml_like:
                return 0
        return 0

    def rule_or_underline(self, i: int, stripped: str) -> bool:
        char = _rule_char(stripped)
        if not char:
            return False
        underline = char in "=-" and " " not in stripped and "\t" not in stripped
        if underline and self.para:
            title = " ".join(part.strip() for part in self.para).strip()
            start = self.para_line
            self.para = []
            if title:
                self.add(BlockKind.HEADING, title, start, level=1 if char == "=" else 2)
            return True
        if char == "=":
            return False  # a row of '=' with nothing above it is ordinary text
        self.flush()
        self.after_rule = True
        return True

    def code(self, i: int, fence: tuple[str, int]) -> int:
        lines, n = self.lines, len(self.lines)
        j = i + 1
        while j < n and not _closes_fence(lines[j].strip(), fence):
            j += 1
        body = "\n".join(lines[i + 1 : j]).strip("\n")
        if body.strip():
            self.add(BlockKind.CODE, body, i)
        return j + 1

    def find_closer(self, i: int, start: int, closer: str) -> tuple[int, int] | None:
        """Where ``closer`` occurs from (i, start) on, or None when a heading, a fence or the end of
        the text comes first."""
        lines, n = self.lines, len(self.lines)
        if self.dead_until.get(closer, -1) > i:
            return None
        pos = find_unescaped(lines[i], closer, start)
        j = i
        while pos < 0:
            j += 1
            if j >= n or _is_break_line(lines[j].strip()):
                self.dead_until[closer] = j
                return None
            pos = find_unescaped(lines[j], closer)
        return j, pos

    def math_text(self, i: int, start: int, j: int, end: int) -> str:
        lines = self.lines
        if i == j:
            return lines[i][start:end].strip()
        parts = [lines[i][start:], *lines[i + 1 : j], lines[j][:end]]
        return "\n".join(parts).strip()

    def delimited(self, i: int, pos: int, opener: str, closer: str) -> tuple[int, int] | None:
        """Display math opened at (i, pos) by ``\\[`` (opener given, left out of the text) or by a
        ``\\begin`` (opener empty, environment kept).  Returns where to continue, or None when the
        opener is never closed."""
        body_start = pos + len(opener)
        found = self.find_closer(i, body_start, closer)
        if found is None:
            return None
        j, end = found
        self.flush()
        text_end = end if opener else end + len(closer)
        self.add(BlockKind.MATH, self.math_text(i, body_start, j, text_end), i)
        return self.after(j, end + len(closer))

    def after(self, j: int, col: int) -> tuple[int, int]:
        """Continue on line j at ``col`` when text follows a closing delimiter there."""
        # A search, not a slice: a long line holding many formulas must not be copied per formula.
        if _NON_SPACE.search(self.lines[j], col):
            return j, col
        return j + 1, 0

    def inline(self, i: int, start: int) -> tuple[int, int]:
        """Line i from ``start`` is paragraph text, possibly holding ``$$`` display math."""
        line = self.lines[i]
        pos = find_unescaped(line, "$$", start)
        closing = self.find_closer(i, pos + 2, "$$") if pos >= 0 else None
        if closing is None:
            rest = line[start:] if start else line
            if rest.strip():
                self.para_add(i, rest)
            return i + 1, 0
        before = line[start:pos]
        if before.strip():
            self.para_add(i, before)
        self.flush()
        j, end = closing
        self.add(BlockKind.MATH, self.math_text(i, pos + 2, j, end), i)
        return self.after(j, end + 2)
