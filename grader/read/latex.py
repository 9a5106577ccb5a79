"""LaTeX → blocks, by reading the source; nothing is ever compiled, expanded or included.

- The preamble before ``\\begin{document}`` and everything after ``\\end{document}`` are dropped (a
  fragment without ``\\begin{document}`` is read whole).
- Comments (``%`` to the end of the line, not ``\\%``) are removed; a line holding only a comment
  disappears without ending the paragraph, as in TeX.
- ``\\part``, ``\\chapter`` and ``\\section`` (starred or not) → HEADING level 1, ``\\subsection`` 2,
  ``\\subsubsection`` 3, ``\\paragraph`` 4, ``\\subparagraph`` 5, when the command starts a line; the
  text is the title in braces (nested braces kept, a title may run over a few lines).
- Display math ``\\[ … \\]`` and ``$$ … $$`` anywhere in a line → MATH with the text between the
  delimiters; ``equation``, ``align``, ``gather``, ``multline``, ``eqnarray``, ``flalign``,
  ``alignat``, ``displaymath`` (and starred forms) → MATH keeping ``\\begin``/``\\end``, like the
  Markdown reader.  TeX forbids a blank line inside display math, so a delimiter still open at a
  blank line is kept as text.
- ``verbatim``, ``Verbatim``, ``lstlisting``, ``minted`` → CODE; ``comment`` environments are dropped
  (they do not appear in the compiled document).
- A numbered ``\\section`` (not starred) prints its number: its heading reads "2 Title", and a numbered
  ``\\subsection`` under it "2.1 Title", unless the title carries its own number ("Problem 2", "Q3").
- ``\\begin{itemize|enumerate|description}`` lines are structure only; each ``\\item`` starting a
  line opens a new PROSE block whose text drops the ``\\item`` and keeps an optional ``[label]``; an
  ``enumerate`` item without one starts with the label LaTeX prints for it, so that numbered answers
  keep their numbers: "1.", then "(a)", "i.", "A." in nested lists, or what the list's options say
  (``[(a)]``, ``[i.]``, enumitem's ``label=(\\alph*)``, ``start=3``, ``resume``; ``\\setlist`` and
  ``\\renewcommand{\\labelenumi}`` in the preamble set the default of a level).
- Everything else → PROSE paragraphs separated by blank lines, the LaTeX source kept as it is
  (``\\input``, ``\\include``, ``\\write18`` and every other macro stay plain text).

Origins are ``"line N"``, N the 1-based line in the file.  The text is normalised once, up front.
"""

from __future__ import annotations

import re

from grader.model import ITEM_LABEL, Block, BlockKind
from grader.read.latex_environments import environments_as_sections
from grader.read.latex_exam import exam_as_sections
from grader.read.latex_labels import DEFAULT_LABELS, list_options, preamble_labels, render
from grader.read.latex_macros import expand_shorthands
from grader.read.markdown import MAX_BLOCKS, find_unescaped, is_escaped
from grader.textgeom import bracket_pairs
from grader.textnorm import normalize

_SECTION = re.compile(
    r"\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?(?![A-Za-z])"
)
_LEVELS = {"part": 1, "chapter": 1, "section": 1, "subsection": 2, "subsubsection": 3, "paragraph": 4,
           "subparagraph": 5}
_MATH_ENVS = "equation|align|gather|multline|eqnarray|flalign|alignat|displaymath"
# Literal alternatives only: one pass, no backtracking.
_TOKEN = re.compile(r"\\\[|\$\$|\\begin\{(?:" + _MATH_ENVS + r")\*?\}|\\end\{document\}")
_VERBATIM = re.compile(r"\\begin\{(verbatim\*?|Verbatim|lstlisting|minted|comment)\}")
_LIST = re.compile(r"\\(begin|end)\{(itemize|enumerate|description)\}")
_ITEM = re.compile(r"\\item(?![A-Za-z])")
_NON_SPACE = re.compile(r"\S")
_BRACE = re.compile(r"\\.|[{}]")  # an escaped character (\{ does not count) or a brace
_STRUCTURE_PREFIXES = ("\\part", "\\chapter", "\\section", "\\subs", "\\paragraph", "\\subparagraph",
                       "\\begin", "\\end", "\\item")
_CLOSERS = {"\\[": "\\]", "$$": "$$"}
_MAX_TITLE_LINES = 5
_MAX_TITLE_CHARS = 2_000


def blocks_from_latex(text: str) -> list[Block]:
    """Split LaTeX source into blocks (see the module docstring for the rules); the student's argument-free
    shorthands (``\\newcommand{\\T}{\\intercal}``) are expanded first (grader.read.latex_macros), and the exam class's
    questions, parts and solutions and the question environments of other templates read as headings
    (grader.read.latex_exam, grader.read.latex_environments)."""
    text = environments_as_sections(exam_as_sections(expand_shorthands(text)))
    return _Splitter(normalize(text).split("\n")).run()


# A title that carries its own number: LaTeX's would only repeat it ("2 Problem 2").
_NUMBERED_TITLE = re.compile(
    r"[\W_]*(?:(?:problem|problème|exercise|exercice|question|task|part|partie|exo|ex|q)\.?\s*(?:\d|[IVX]+\b)|"
    r"\d|[IVX]+\b|\(?[a-hivx]{1,4}\))", re.IGNORECASE)


def _strip_comment(line: str) -> str:
    pos = find_unescaped(line, "%")
    return line if pos < 0 else line[:pos]


_INTERTEXT = re.compile(r"\\(?:intertext|shortintertext)\s*\{")
_ENV_HEAD = re.compile(r"\\begin\{([^{}]+)\}(\{[^{}]*\})?")


def _intertext_pieces(text: str) -> list[tuple[BlockKind, str]]:
    """An ``align`` with ``\\intertext{…}`` is equations, a sentence, more equations: the sentence is prose between
    two displays, each in the environment again (so "also" in the sentence is no factor of an equation)."""
    head = _ENV_HEAD.match(text)
    if head is None or not _INTERTEXT.search(text):
        return [(BlockKind.MATH, text)]
    env, tail = head.group(0), f"\\end{{{head.group(1)}}}"
    body = text[head.end() : len(text) - len(tail)] if text.endswith(tail) else text[head.end() :]
    pieces: list[tuple[BlockKind, str]] = []
    pos = 0
    for m in _INTERTEXT.finditer(body):
        if m.start() < pos:
            continue  # inside the previous sentence
        closing = bracket_pairs(body[m.end() - 1 :])[0].get(0)
        if closing is None:
            break  # never closed: the rest stays one display
        if body[pos : m.start()].strip():
            pieces.append((BlockKind.MATH, f"{env}{body[pos:m.start()].rstrip()}\n{tail}"))
        sentence = body[m.end() : m.end() - 1 + closing].strip()
        if sentence:
            pieces.append((BlockKind.PROSE, sentence))
        pos = m.end() + closing
    if body[pos:].strip():
        pieces.append((BlockKind.MATH, f"{env}{body[pos:].rstrip()}\n{tail}"))
    return pieces or [(BlockKind.MATH, text)]


class _Splitter:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        # Lines without their comments, computed once: a search for a closing delimiter looks at
        # lines again.  Verbatim environments read the raw lines instead.
        self.codes = [_strip_comment(line) if "%" in line else line for line in lines]
        self.blocks: list[Block] = []
        self.para: list[str] = []
        self.para_line = 0
        self.item_label = ""
        self.item_own = False  # the item's label is its own ("\\item[1.1]"): a label set apart, as a heading's
        self.para_role = ""
        self.lists: list[list] = []  # open lists: [kind, items so far, label template]
        self.last_count: dict[int, int] = {}  # enumerate level -> items of the last list closed there
        self.level_labels: dict[int, str] = {}
        self.sections = [0, 0]  # the section and subsection counters
        self.numbered_section = False  # the current section's heading shows its number
        self.dead_until: dict[str, int] = {}
        self.stop = len(lines)

    def comment_only(self, i: int) -> bool:
        code, line = self.codes[i], self.lines[i]
        return code is not line and not code.strip() and bool(line.strip())

    def add(self, kind: BlockKind, text: str, index: int, level: int = 0, role: str = "") -> None:
        self.blocks.append(Block(kind=kind, text=text, origin=f"line {index + 1}", level=level, role=role))

    def para_add(self, index: int, text: str) -> None:
        if not self.para:
            if self.item_label:
                text = f"{self.item_label} {text.lstrip()}"
                self.item_label = ""
                self.para_role = ITEM_LABEL if self.item_own else ""
            else:
                self.para_line = index
        self.para.append(text)

    def flush(self) -> None:
        if self.item_label:  # an item with no text of its own (say, only display math)
            self.para_add(self.para_line, "")
        if self.para:
            text = "\n".join(self.para).strip()
            if text:
                self.add(BlockKind.PROSE, text, self.para_line, role=self.para_role)
            self.para = []
            self.para_role = ""

    def body_start(self) -> tuple[int, int]:
        for i in range(len(self.lines)):
            pos = self.codes[i].find("\\begin{document}")
            if pos >= 0:
                return i, pos + len("\\begin{document}")
        return 0, 0

    def run(self) -> list[Block]:
        codes, lines, blocks = self.codes, self.lines, self.blocks
        i, col = self.body_start()
        if i or col:
            self.level_labels = preamble_labels(lines[:i + 1])
        while i < self.stop:
            if len(blocks) >= MAX_BLOCKS:
                self.keep_rest(i, col)
                break
            if col:
                i, col = self.inline(i, col)
                continue
            code = codes[i]
            if not code and code is lines[i]:  # an empty line
                if self.para or self.item_label:
                    self.flush()
                i += 1
                continue
            if "\\" not in code and "$$" not in code:
                # No command and no delimiter: plain text, a blank line, or a comment line.
                if code.strip():
                    self.para_add(i, code)
                elif code is lines[i] or not lines[i].strip():
                    if self.para or self.item_label:
                        self.flush()
                i += 1
                continue
            pos = _NON_SPACE.search(code).start()
            if code.startswith(_STRUCTURE_PREFIXES, pos):
                found = self.structure(i, code, pos)
                if found is not None:
                    i, col = found
                    continue
            i, col = self.inline(i, 0)
        self.flush()
        return self.blocks

    def keep_rest(self, i: int, col: int) -> None:
        """Past MAX_BLOCKS the rest of the body is one prose block (see grader.read.markdown)."""
        self.flush()
        rest = "\n".join([self.codes[i][col:], *self.codes[i + 1 : self.stop]]).strip()
        if rest:
            self.add(BlockKind.PROSE, rest, i)

    def structure(self, i: int, code: str, pos: int) -> tuple[int, int] | None:
        """Commands that only count at the start of a line; where to continue, or None."""
        m = _SECTION.match(code, pos)
        if m:
            return self.heading(i, m)
        m = _VERBATIM.match(code, pos)
        if m:
            return self.verbatim(i, m)
        m = _LIST.match(code, pos)
        if m:
            self.flush()
            end = m.end()
            if m.group(1) == "begin":
                kind = m.group(2)
                level = sum(k == "enumerate" for k, *_ in self.lists) + (kind == "enumerate")
                template, start, resume = None, None, False
                if code.startswith("[", end):  # options: a label, a start, resume
                    close = code.find("]", end)
                    if close >= 0:
                        template, start, resume = list_options(code[end + 1 : close])
                        end = close + 1
                count = start - 1 if start is not None else (self.last_count.get(level, 0) if resume else 0)
                self.lists.append([kind, count, template or self.level_labels.get(level)])
            elif self.lists:
                kind, count, _ = self.lists.pop()
                if kind == "enumerate":
                    self.last_count[sum(k == "enumerate" for k, *_ in self.lists) + 1] = count
            return self.after(i, end)
        m = _ITEM.match(code, pos)
        if m:
            self.flush()
            end = m.end()
            label = ""
            rest = _NON_SPACE.search(code, end)
            if rest and code[rest.start()] == "[":
                close = code.find("]", rest.start())
                if close > 0:
                    label = code[rest.start() + 1 : close].strip()
                    end = close + 1
            own = bool(label)
            if self.lists and not label:  # an item with its own label does not step the counter
                self.lists[-1][1] += 1
                kind, count, template = self.lists[-1]
                if kind == "enumerate":
                    level = sum(k == "enumerate" for k, *_ in self.lists)
                    template = template or DEFAULT_LABELS[min(level, 4) - 1]
                    label = render(template, count)
            # The item's text may start on this line or the next; the label goes in front of it.
            self.para_line = i
            self.item_label = label
            self.item_own = own
            return self.after(i, end)
        return None

    def heading(self, i: int, m: re.Match) -> tuple[int, int] | None:
        codes = self.codes
        code = codes[i]
        brace = _NON_SPACE.search(code, m.end())
        if brace and code[brace.start()] == "[":  # \section[short title]{title}
            close = code.find("]", brace.start())
            brace = _NON_SPACE.search(code, close + 1) if close >= 0 else None
        if not brace or code[brace.start()] != "{":
            return None
        # The title may run over a few lines: follow the brace depth line by line, within limits,
        # so that an unclosed brace costs a bounded amount of work.
        j, col, depth, budget = i, brace.start() + 1, 1, _MAX_TITLE_CHARS
        pieces = []
        while True:
            line = codes[j]
            for t in _BRACE.finditer(line, col, min(len(line), col + budget)):
                if t.group() == "{":
                    depth += 1
                elif t.group() == "}":
                    depth -= 1
                    if depth == 0:
                        pieces.append(line[col : t.start()])
                        self.flush()
                        title = self.numbered(m, " ".join(" ".join(pieces).split()))
                        if title:
                            self.add(BlockKind.HEADING, title, i, level=_LEVELS[m.group(1)])
                        return self.after(j, t.end())
            budget -= len(line) - col
            pieces.append(line[col:])
            j, col = j + 1, 0
            if budget <= 0 or j >= self.stop or j - i > _MAX_TITLE_LINES or not codes[j].strip() \
                    or _SECTION.match(codes[j].lstrip()):
                return None

    def numbered(self, m: re.Match, title: str) -> str:
        """The title as LaTeX prints it: a numbered section shows its number (see the module docstring)."""
        command, starred = m.group(1), m.group(0).endswith("*")
        if command not in ("section", "subsection") or starred:
            return title
        if command == "section":
            self.sections = [self.sections[0] + 1, 0]
            self.numbered_section = not _NUMBERED_TITLE.match(title)
            return f"{self.sections[0]} {title}" if self.numbered_section else title
        self.sections[1] += 1
        if self.numbered_section and self.sections[0] and not _NUMBERED_TITLE.match(title):
            return f"{self.sections[0]}.{self.sections[1]} {title}"
        return title

    def verbatim(self, i: int, m: re.Match) -> tuple[int, int]:
        self.flush()
        env = m.group(1)
        closer = f"\\end{{{env}}}"
        first = self.lines[i][m.end() :]
        if env == "minted" and first.lstrip().startswith("{"):
            first = first[first.find("}") + 1 :]  # the language argument
        elif env == "lstlisting" and first.lstrip().startswith("["):
            first = first[first.find("]") + 1 :]  # the options
        body: list[str] = []
        j = i
        line = first
        while True:
            pos = line.find(closer)
            if pos >= 0:
                body.append(line[:pos])
                break
            body.append(line)
            j += 1
            if j >= self.stop:
                break
            line = self.lines[j]  # raw: '%' is literal inside verbatim
        text = "\n".join(body).strip("\n")
        if env != "comment" and text.strip():
            self.add(BlockKind.CODE, text, i)
        return j + 1, 0

    def after(self, j: int, col: int) -> tuple[int, int]:
        if col >= 0 and _NON_SPACE.search(self.codes[j], col):
            return j, col
        return j + 1, 0

    def find_closer(self, i: int, start: int, closer: str) -> tuple[int, int] | None:
        """Where ``closer`` occurs from (i, start) on, before a blank line or the end of the body."""
        if self.dead_until.get(closer, -1) > i:
            return None
        pos = find_unescaped(self.codes[i], closer, start)
        j = i
        while pos < 0:
            j += 1
            if j >= self.stop or (not self.codes[j].strip() and not self.comment_only(j)):
                self.dead_until[closer] = j
                return None
            pos = find_unescaped(self.codes[j], closer)
        return j, pos

    def math_text(self, i: int, start: int, j: int, end: int) -> str:
        if i == j:
            return self.codes[i][start:end].strip()
        middle = [self.codes[k] for k in range(i + 1, j) if not self.comment_only(k)]
        return "\n".join([self.codes[i][start:], *middle, self.codes[j][:end]]).strip()

    def inline(self, i: int, start: int) -> tuple[int, int]:
        """Line i from ``start`` is paragraph text, possibly holding display math."""
        code = self.codes[i]
        dead_until = self.dead_until
        pos = start
        while True:
            m = _TOKEN.search(code, pos)
            if m is None:
                break
            token = m.group(0)
            if m.start() and code[m.start() - 1] == "\\" and is_escaped(code, m.start()):
                pos = m.start() + 1  # '\\[2pt]' is a line break, '\\$$' a dollar sign
                continue
            if token == "\\end{document}":
                self.para_text(i, code[start : m.start()])
                self.stop = i + 1
                return self.stop, 0
            closer = _CLOSERS.get(token) or "\\end{" + token[7:]
            found = None if dead_until.get(closer, -1) > i else self.find_closer(i, m.end(), closer)
            if found is None:
                pos = m.end()  # never closed: the delimiter is ordinary text
                continue
            j, end = found
            if token.startswith("\\begin"):  # environments keep their \begin and \end
                text = self.math_text(i, m.start(), j, end + len(closer))
            else:
                text = self.math_text(i, m.end(), j, end)
            self.para_text(i, code[start : m.start()])
            self.flush()
            for kind, piece in _intertext_pieces(text) if token.startswith("\\begin") else [(BlockKind.MATH, text)]:
                self.add(kind, piece, i)
            return self.after(j, end + len(closer))
        self.para_text(i, code[start:] if start else code)
        return i + 1, 0

    def para_text(self, i: int, text: str) -> None:
        if text.strip():
            self.para_add(i, text)
