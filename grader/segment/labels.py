"""Question labels as students write them, and the units a label can start.

A label is read at the start of a text (a heading, a paragraph, a line of a paragraph, a code
comment, the first cell of a table row) after leading markup ("**", "#", "\\textbf{", "- "):

- a word and a number, maybe a sub-number or a part: "Problem 1", "Exercice 2 :", "Question 1 :", "Answer 3:",
  "Q1:", "Q1 a", "Q2c", "Exercise 2.b", "Problem 2, part (d)", "Task 3";
- a number with a part or a sub-number: "1a)", "1(b)", "**1a**", "1.a", "2.1" (a heading);
- a bare number closed by ".", ")" or ":": "1.", "1)", "**1.**"; a heading may hold the number alone
  ("## 2", "1 \\quad Calcul matriciel");
- a part alone: "(a)", "a)", "A)", "Part A", "Partie b", "(ii)", "a- " (not "a - b = 0"), and "c." in a
  heading or before what starts an answer ("c. The", not "a. an article");
- upper-case roman problem numbers ("I.", "II)", "IV -", "Exercice II") and numbers written like parts
  ("(1)", "[2]", "3°"; "(1)" alone on its line is an equation number);
- between problem and part, a dash, a comma or a word: "Exercise 1 — question (a)", "Problem 2, item c".

Rules framing a label ("=== Exercice 1 ===", "# ---- Problem 1, part (a) ----") are decoration.

``Label.own`` is what the label says, as a path: (1,), (1, "a"), (1, 2) or ("a",). Whether "1)" is
question 1, part (a) of the current problem or an item of a list inside an answer is not decided
here: that depends on the labels around it (grader.segment.assign).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from grader.model import ITEM_LABEL, Block, BlockKind
from grader.segment.docstrings import leading_docstrings

# Rule characters framing a label ("=== Exercice 1 ===", "# ---- Exercise 1, part (a) ----") are decoration.
# LaTeX spacing before a paragraph's label ("\\medskip\\noindent\\textbf{Question 1.}") is layout too.
_LEAD = re.compile(r"(?:[\s#>*_|]|\\textbf\{|\\textit\{|\\emph\{|\\item\b|[=-]{2,}|[-+•—](?=\s)"
                   r"|\[(?=\s*(?i:q|question|ex|exercise|exercice|problem|part)\.?\s*\d)"  # "[Q3] v | u"
                   r"|\\(?:noindent|medskip|bigskip|smallskip|par|indent)(?![A-Za-z])"
                   r"|\\[vh]space\*?\{[^{}]{0,20}\})*")

_WORD = re.compile(
    r"(problem|problème|probleme|exercise|exercice|exo|ex|question|task|tâche|tache|part|partie|q"
    r"|answer|réponse|reponse|solution"
    # German, Italian, Spanish: students write their labels in the language they write in
    r"|frage|aufgabe|teilaufgabe|teil|antwort|lösung|loesung|domanda|esercizio|problema|parte|risposta|soluzione"
    r"|pregunta|ejercicio|respuesta|solución|solucion"
    # Dutch, Polish, Swedish, Portuguese
    r"|vraag|opgave|antwoord|oplossing|deel|zadanie|pytanie|odpowiedź|odpowiedz|rozwiązanie|część|czesc"
    r"|fråga|uppgift|del|questão|questao|exercício|exercicio|resposta|solução|solucao"
    # Chinese and Japanese: question, exercise
    r"|问题|問題|习题|習題|练习|練習|题目|題目|問|题|題)"
    r"(?=[\s\d(.:#-])\.?\s*#?\s*",
    re.IGNORECASE,
)
_PART_WORDS = ("part", "partie", "teil", "parte", "deel", "część", "czesc", "del")
# "Question one", "Aufgabe zwei": a number written as a word, read only after a label word
_NUMBER_WORDS = {w: n for n, words in enumerate((
    "one un une eins uno una", "two deux zwei due dos", "three trois drei tre tres", "four quatre vier quattro cuatro",
    "five cinq fünf cinque cinco", "six sechs sei seis"), start=1) for w in words.split()}
_NUMBER_WORD = re.compile(r"([^\W\d_]+)(?![\w-])")
_NUMBER = re.compile(r"(\d{1,2})(?!\d|[.,]\d{2})")
_SUB = re.compile(r"[.\-](\d{1,2})(?=$|[\s:)*_.]|\\)(?!\.\d)")
_CONNECTOR_WORD = r"(?i:part|partie|teil|parte|deel|część|czesc|apartado|inciso|punto|alínea|alinea|question|item|q)\.?\s*"
_PART_AFTER_NUMBER = re.compile(  # on the label's line: "Question two.\nd det(X) = …" names no part (d)
    r"[^\S\n]*(?:(?:[.:,\-–][^\S\n]*)?(?:" + _CONNECTOR_WORD + r")(?:\(([a-hA-H])\)|([a-hA-H])(?:\)|\.(?=\s)|(?=[\s:)*_]|$)))"
    # after a colon or a dot the letter closes itself: "Q2: d det(X)/dX" is the differential, "Q2: b) …" a part
    r"|(?:[.:,\-–][^\S\n]*)(?:\(([a-hA-H])\)|([a-hA-H])(?:\)|\.(?=\s)|(?=[:*_]|$)))"
    r"|(?:\(([a-hA-H])\)|([a-hA-H])(?:\)|\.(?=\s)|(?=[\s:)*_]|$))))"
)
# "Exercise 1 — question (a)", "Problem 2 — (b)", "Problem 2 / b)": after a long dash or a slash the part is
# bracketed or named by a word
# ("Exercise 1 — a Gaussian vector" names no part).
_PART_AFTER_DASH = re.compile(
    r"\s*[—–/]\s*(?:" + _CONNECTOR_WORD + r"\(?([a-hA-H])\)?(?=[\s:.)*_]|$)|\(([a-hA-H])\)|([a-hA-H])(?:\)|\.(?=\s|$)))"
)  # "Part 1 / a." too
# Upper-case roman problem numbers, "I." to "XII", closed like a number ("II)", "IV -", "III:").
_ROMAN_NUMBER = re.compile(r"(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?!\w)")
_UPPER_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ROMAN_PART = re.compile(r"(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?:[.\-]\(?([a-h])\)?|[ \t]*\(([a-h])\))(?=[\s.:)*_]|$)")
# "(1)", "[1]", "1°" at the start of a line: a number label written like a part.
_NUMBER_BRACKET = re.compile(r"(?:\((\d{1,2})\)|\[(\d{1,2})\]|(\d{1,2})°\)?)(?=[\s*_:.]|$)")
# "P2.a", "#### P1": a problem number after a P; in a paragraph only with its part ("P2.a)", "P1 b:"), since
# "P1 = 0.3" there is a value
_P_LABEL = re.compile(r"([Pp])(?=\d{1,2}(?!\d))")
_P_LABEL_PART = re.compile(r"[Pp]\d{1,2}[.\s]?[a-h](?:[.):]|\s)")
_CJK_ORDINAL = re.compile(r"第\s*(\d{1,2})\s*(?:题|題|問|问|部分|部)")
# "(1a)", "[2.b]", "(1 c)": a number and its part in one bracket
_NUMBER_PART_BRACKET = re.compile(r"(?:\((\d{1,2})[.\s]?([a-hA-H])\)|\[(\d{1,2})[.\s]?([a-hA-H])\])(?=[\s*_:.]|$)")
# A label closed by a dash: "a- Non", "c - Oui", "1 - Trace", "IV - EM". "a - b = 0" and "1 - x" are math:
# with a blank before the dash, a word must follow it; without one, anything but an operator or a digit.
_DASH_CLOSE = re.compile(r"(?:(-|—)[ \t]+(?=[^\s=+\-*/^<>\d])|[ \t]+[-—][ \t]+(?=[^\W\d_]{2,}))")
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")
_PART_PAREN = re.compile(r"(?:(?:part|partie)\s+)?(?:\(([a-hA-H]|[ivx]{1,4})\)|([a-hA-H]|[ivx]{1,4})\))")
_PART_WORD = re.compile(r"(?:part|partie)\s+\(?([a-hA-H])\)?(?=[\s:.)*_]|$)", re.IGNORECASE)
# "(a) and (b).", "(a) & (b)": one answer for two parts
_ALSO_PART = re.compile(r"[^\S\n]*(?:and|&|et|und|y|e|,|\+)[^\S\n]*(?:\(([a-hA-H])\)|(\d{1,2})[.\s]?\(([a-hA-H])\)"
                        r"|(\d{1,2})\.?([a-hA-H])(?![A-Za-z])|\((\d{1,2})[.\s]?([a-hA-H])\))")
# ^ "(a) and (b)", "1(a) and 1(b)", "2c & 2d", "(1a) and (1b)"


def _also_parts(s: str, end: int, problem: int | None) -> tuple[list[str], int]:
    """The further parts one label names after its own ("(a) and (b)", "1(a) and 1(b)"), and where they end; a
    number with the part must be the label's own problem."""
    also = []
    while more := _ALSO_PART.match(s, end):
        number = more.group(2) or more.group(4) or more.group(6)
        if number is not None and (problem is None or int(number) != problem):
            break
        also.append(next(g for g in (more.group(1), more.group(3), more.group(5), more.group(7)) if g).lower())
        end = more.end()
    return also, end
# "First part.", "Second question": a part numbered by an ordinal
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
_PART_ORDINAL = re.compile(r"(first|second|third|fourth|fifth|sixth|seventh|eighth)\s+(?:part|question)\b",
                           re.IGNORECASE)
_PART_DOT = re.compile(r"([a-h]|[ivx]{1,4})\.(?=\s|$)")
# In a paragraph "a." is a part only before what starts an answer, not a word: "a. an article" is not one.
_PART_DOT_TEXT = re.compile(r"([a-h]|[ivx]{1,4})\.(?=[*_]*\s+[A-Z0-9$\\(*])")  # "a. The …", "**a.** The …"
_PART_LETTER = re.compile(r"([a-h]|[ivx]{1,4})(?=[ \t]*[-—])")
_BARE_CLOSE = re.compile(r"\s*[.):](?=\s|$|\*|_)")
_POINTS = re.compile(r"\s*[\[(]\s*\d+(?:[.,]\d+)?\s*(?:points?|pts?|marks?)\s*[\])]", re.IGNORECASE)
_COMMENT = re.compile(r"\s*(?:#+|//|%+)\s?")


@dataclass(frozen=True)
class Label:
    """A question label read at the start of a text: problem number, part letter, what follows."""

    problem: int | None
    part: str | None
    rest: str  # the text after the label
    sub: int | None = None  # "2.1": the 1
    shape: str = ""  # "word", "number", "number-part", "number-sub", "part"
    written: str = ""  # the label as the student wrote it, for reports: "B)", "Question 1 :"
    also: tuple[str, ...] = ()  # "(a) and (b).": the further parts one answer serves

    @property
    def own(self) -> tuple:
        """The label as a path: (1,), (1, "a"), (1, 2), ("a",)."""
        path: tuple = () if self.problem is None else (self.problem,)
        if self.sub is not None:
            path += (self.sub,)
        if self.part is not None:
            path += (self.part,)
        return path

    @property
    def absolute(self) -> bool:
        """A label that names its problem and its part ("1(b)", "2.1", "Q1 a") stands on its own."""
        return self.problem is not None and (self.part is not None or self.sub is not None)


def _part_letter(token: str) -> str | None:
    token = token.lower()
    if token in _ORDINALS:
        return "abcdefgh"[_ORDINALS.index(token)]
    if token in _ROMAN:
        return "abcdefgh"[_ROMAN.index(token)]
    return token if len(token) == 1 and "a" <= token <= "h" else None


def _number_at(s: str, pos: int, word: bool) -> tuple[int, int, bool] | None:
    """(value, end, closed) of a problem number at ``pos``: "2", "II" (closed, or after a word), "(1)", "[1]",
    "1°"; ``closed`` when the number's own brackets close it."""
    bracket = _NUMBER_BRACKET.match(s, pos)
    if bracket:
        return int(next(g for g in bracket.groups() if g)), bracket.end(), True
    number = _NUMBER.match(s, pos)
    if number:
        return int(number.group(1)), number.end(), False
    roman = _ROMAN_NUMBER.match(s, pos)
    if roman and (word or _BARE_CLOSE.match(s, roman.end()) or _DASH_CLOSE.match(s, roman.end())):
        return _UPPER_ROMAN.index(roman.group(1)) + 1, roman.end(), False
    spelled = _NUMBER_WORD.match(s, pos) if word else None
    if spelled and spelled.group(1).lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[spelled.group(1).lower()], spelled.end(), False
    return None


# "1) a.", "2) (b)": a number closed by its bracket, then a part that has its own closer (not "1) a vector")
_PART_AFTER_CLOSE = re.compile(r"[^\S\n]*\)[^\S\n]*(?:\(([a-hA-H])\)|([a-hA-H])(?:\)|\.(?=\s|$)))")


def _part_after(s: str, end: int) -> tuple[str | None, int]:
    part = _PART_AFTER_NUMBER.match(s, end) or _PART_AFTER_DASH.match(s, end) or _PART_AFTER_CLOSE.match(s, end)
    if part and any(part.groups()):
        return next(g for g in part.groups() if g).lower(), part.end()
    return None, end


def parse_label(text: str, *, heading: bool) -> Label | None:
    """Read a question label at the start of ``text``; None when it does not start with one."""
    return _parse_label(text, heading)


@lru_cache(maxsize=4096)  # the lines of a long block repeat ("x = 1" a thousand times), and a Label is frozen
def _parse_label(text: str, heading: bool) -> Label | None:
    head = text[:160]
    start = _LEAD.match(head).end()
    s = head[start:]
    word = _WORD.match(s) or (_P_LABEL.match(s) if heading or _P_LABEL_PART.match(s) else None)
    pos = word.end() if word else 0
    ordinal = _CJK_ORDINAL.match(s, pos)  # "第1問", "第 2 题": the number between its two characters
    if ordinal:
        return Label(int(ordinal.group(1)), None, _rest(text, start + ordinal.end()), None, "word",
                     _written(text, start, start + ordinal.end()))
    roman = _ROMAN_PART.match(s, pos)  # "I.a", "II.c", "II (b)": a roman problem number and its part
    if roman:
        value = _UPPER_ROMAN.index(roman.group(1)) + 1
        letter = next(g for g in roman.groups()[1:] if g).lower()
        return Label(value, letter, _rest(text, start + roman.end()), None, "number-part",
                     _written(text, start, start + roman.end()))
    both = _NUMBER_PART_BRACKET.match(s, pos)
    if both:
        value, letter = (g for g in both.groups() if g)
        also, end = _also_parts(s, both.end(), int(value))
        return Label(int(value), letter.lower(), _rest(text, start + end), None, "number-part",
                     _written(text, start, start + end), tuple(also))
    number = _number_at(s, pos, bool(word))
    if number and not (word and word.group(1).lower() in _PART_WORDS and _PART_WORD.match(s)):
        value, end, closed = number
        sub = _SUB.match(s, end) if (heading or word) and not closed else None
        letter, part_end = _part_after(s, sub.end() if sub else end) if not closed else (None, end)
        if word:
            shape = "word"
        elif letter:
            shape = "number-part"
        elif sub:
            shape = "number-sub"
        else:
            close = _BARE_CLOSE.match(s, end) or _DASH_CLOSE.match(s, end)
            if close:
                end = close.end()
            elif closed:
                if not (heading or s[end:].strip(" *_:.")):
                    return None  # "(1)" alone on a line: an equation number
            elif not (heading and (end == len(s) or s[end] in " \t\\")):
                return None  # "2 points", "10 iterations": a number, not a label
            shape = "number"
        if sub:
            end = sub.end()
        also: list[str] = []
        if letter:
            also, end = _also_parts(s, part_end, value)
        return Label(value, letter, _rest(text, start + end), int(sub.group(1)) if sub else None,
                     shape, _written(text, start, start + end), tuple(also))
    for pattern in (_PART_WORD, _PART_ORDINAL, _PART_PAREN, _PART_LETTER, _PART_DOT if heading else _PART_DOT_TEXT):
        part = pattern.match(s, 0 if pattern in (_PART_WORD, _PART_ORDINAL) else pos)
        if part:
            end = part.end()
            if pattern is _PART_LETTER:
                close = _DASH_CLOSE.match(s, end)
                if not close:
                    continue
                end = close.end()
            letter = _part_letter(next(g for g in part.groups() if g))
            if letter is None:
                continue
            also, end = _also_parts(s, end, None) if pattern is _PART_PAREN else ([], end)
            return Label(None, letter, _rest(text, start + end), None, "part",
                         _written(text, start, start + end), tuple(also))
    return None


# What separates a label from its text: blanks, bold marks, a colon, a closing bracket, a dash — but not the minus
# of a negative number ("2d) -1 and 1" answers -1 and 1).
_SEPARATOR = re.compile(r"^(?:[\s*_:.)}\]—]|-(?![\d.]))+")


def _rest(text: str, pos: int) -> str:
    rest = _SEPARATOR.sub("", text[pos:]).strip()
    first, newline, others = rest.partition("\n")
    rest = (_without_closing_emphasis(text[:pos], _without_trailing_rule(first)) + newline + others).strip()
    points = _POINTS.match(rest)
    return _SEPARATOR.sub("", rest[points.end():]) if points else rest


def _without_trailing_rule(line: str) -> str:
    """The line without the rule that closes a framed label ("(gaussienne) ===" → "(gaussienne)")."""
    body = line.rstrip(" \t")
    for chars, least in (("=#—-", 2), ("*", 3)):
        core = body.rstrip(chars)
        if len(body) - len(core) >= least and (not core or core[-1] in " \t"):  # "***bold***" is no rule
            return core.rstrip(" \t")
    return line


def _without_closing_emphasis(before: str, line: str) -> str:
    """The label's line without the marks that close the emphasis opened before the label ("*(1a) Are …?*")."""
    opened = re.match(r"\s*([*_]+)", before)
    marks = opened.group(1) if opened else ""
    return line[: -len(marks)].rstrip() if marks and line.endswith(marks) and not line.endswith(marks + marks[0]) \
        else line


def _written(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split()).strip(" *_")[:40]


def without_points(text: str) -> str:
    """The text without point values ("[5 points]", "(2 pts)") that a pasted statement carries."""
    return _POINTS.sub(" ", text)


# --- units -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A block, or the piece of one, that may start a question; ``where`` says what kind of place
    its label is in ("heading", "label", "code comment", "table row")."""

    block: Block
    label: Label | None
    where: str
    title: bool = False  # a short line standing alone in plain text: it reads as a heading


def line_origin(block: Block, offset: int) -> str:
    m = re.fullmatch(r"line (\d+)", block.origin)
    return f"line {int(m.group(1)) + offset}" if m and offset else block.origin


# A header cell that names the column of results, and one of reasons: "| Question | Answer | Justification |"
_ANSWER_COLUMN = re.compile(r"[\s*_]*(?i:answers?|final(?: answer)?|results?|réponses?|reponses?|résultats?|antwort|ergebnis"
                            r"|respuestas?|risposta|resposta|valeur|value)[\s*_:]*")


def _cells(line: str) -> list[str]:
    """The cells of a table row, split at the bars outside math ("$v|u$" and "\\|" stay in their cell)."""
    cells, current, math = [], [], False
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    for k, c in enumerate(body):
        if c == "$" and (k == 0 or body[k - 1] != "\\"):
            math = not math
        if c == "|" and not math and (k == 0 or body[k - 1] != "\\"):
            cells.append("".join(current).strip())
            current = []
            continue
        current.append(c)
    return cells + ["".join(current).strip()]


def _table_units(block: Block, lines: list[str]) -> list[Unit] | None:
    """A Markdown table with one row per question ("| 1(a) | No | Σ34 = 0 |"): one unit per row, the
    label from the first cell and the other cells as the answer, one per line. When the header names a column of
    answers beside others (a justification), the answer's cell is read as emphasized: the row's stated answer."""
    rows = [(i, line) for i, line in enumerate(lines) if line.strip().startswith("|")]
    # a table has its header's rule ("|---|---|"); bars around numbers on lines of their own are a matrix drawn
    # in ASCII ("| 0.91  -0.63 |")
    if len(rows) < 2 or not any(re.fullmatch(r"\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?", line.strip())
                                for _, line in rows):
        return None
    units: list[Unit] = []
    labelled = 0
    answer_column = None
    for n, (i, line) in enumerate(rows):
        cells = _cells(line)
        if all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):
            continue
        label = parse_label(cells[0], heading=True) if cells else None
        if n == 0 and label is None:  # the header
            answer_column = next((k for k, c in enumerate(cells) if k and _ANSWER_COLUMN.fullmatch(c)), None)
            if answer_column is not None and len(cells) < 3:
                answer_column = None
        if label and answer_column is not None and answer_column < len(cells) and cells[answer_column] \
                and "*" not in cells[answer_column]:
            cells[answer_column] = f"**{cells[answer_column]}**"  # the student's stated answer, as a bold one is
        text = "\n".join(c for c in cells[1:] if c) if label else line.strip()
        piece = replace(block, text=text, origin=line_origin(block, i))
        if label:
            labelled += 1
            label = replace(label, rest=text)
        units.append(Unit(piece, label, "table row"))
    return units if labelled >= 2 else None


_MATH_MARKS = re.compile(r"[=$\\^_{}<>|]")
_TITLE_WORD = re.compile(r"[^\W\d_]{2,}")


def is_title_line(text: str) -> bool:
    """A short line of words that starts with a capital and has no math and no sentence end: "Dérivée de la
    trace", "EM and the log-partition function"."""
    text = text.strip()
    if "\n" in text or not 3 <= len(text) <= 70 or text[-1] in ".,;" or _MATH_MARKS.search(text) \
            or not text[0].isupper():
        return False
    return 1 <= len(_TITLE_WORD.findall(text)) <= 8


def _prose_units(block: Block, plain: bool = False) -> list[Unit]:
    lines = block.text.split("\n")
    table = _table_units(block, lines)
    if table is not None:
        return table
    own = block.role == ITEM_LABEL  # a list item's own label is set apart, as a heading's is
    if plain and len(lines) == 1:
        label = parse_label(block.text, heading=own)
        return [Unit(block, label, "label", is_title_line(label.rest if label else block.text))]
    starts = [0] + [i for i in range(1, len(lines)) if parse_label(lines[i], heading=False)]
    units = []
    for i, text in _runs(lines, starts):
        text = text.strip()
        if not text:
            continue
        piece = block if len(starts) == 1 else replace(block, text=text, origin=line_origin(block, i))
        units.append(Unit(piece, parse_label(text, heading=own and i == 0), "label"))
    return units


def _runs(lines: list[str], starts: list[int]):
    """(first line, text) of each run of ``lines`` from one start to the next."""
    for k, i in enumerate(starts):
        yield i, "\n".join(lines[i : starts[k + 1] if k + 1 < len(starts) else len(lines)])


_ANSWER_MARK = re.compile(r"(?:solution|answer|réponse|reponse)s?\s*:", re.IGNORECASE)


def _comment_answers(lines: list[str]) -> str:
    """The answer a student wrote in comments of code ("# Réponse : A^T", "# a) non, …", continued on
    the comment lines below it), as prose: what the code prints is not the answer."""
    out: list[str] = []
    keep = False
    for line in lines:
        m = _COMMENT.match(line)
        if not (m and line.lstrip()[:1] in "#/%"):
            keep = False
            continue
        text = line[m.end():].strip()
        label = parse_label(text, heading=False)
        if label is not None:
            text = label.rest
        if _ANSWER_MARK.match(text) or (label is not None and text):
            keep = True
        elif not text:
            keep = False
        if keep and text:
            out.append(text)
    return "\n".join(out)


def _code_units(block: Block) -> list[Unit]:
    """A code cell split at comment lines that start with a label ("# Q1a: …", "# b) Réponse : …");
    the comment keeps its text without the label. A leading docstring that starts with a label reads as
    such a comment."""
    lines, heads = leading_docstrings(block.text.split("\n"), lambda text: parse_label(text, heading=False) is not None)
    cuts: list[tuple[int, Label]] = []
    for i, line in enumerate(lines):
        m = _COMMENT.match(line)
        if m and line.lstrip()[:1] in "#/%":
            label = parse_label(line[m.end():], heading=False)
            if label:
                cuts.append((i, label))
    if not cuts:
        return [Unit(block, None, "code")]
    units = []
    starts = [heads.get(i, i) for i, _ in cuts]  # a docstring's unit starts at its def line
    if starts[0] > 0:
        head = "\n".join(lines[: starts[0]]).strip("\n")
        if head.strip():
            units.append(Unit(replace(block, text=head), None, "code"))
    for k, (i, label) in enumerate(cuts):
        end = starts[k + 1] if k + 1 < len(cuts) else len(lines)
        first = f"# {label.rest}" if label.rest else ""
        text = "\n".join([*lines[starts[k] : i], first, *lines[i + 1 : end]]).strip("\n")
        units.append(Unit(replace(block, text=text), label, "code comment"))
    return units


def units_of(blocks: tuple[Block, ...] | list[Block]) -> list[Unit]:
    """The document as units: headings, paragraphs split at lines that start with a label, table rows,
    code split at labelled comments; math and outputs as they are. In a document without headings, a
    paragraph of one short line is a title (``Unit.title``). An answer written in a code
    cell's comments follows the cell's outputs as prose."""
    units: list[Unit] = []
    pending: list[Unit] = []  # answers in comments, waiting for the end of their cell's outputs
    plain = not any(block.kind is BlockKind.HEADING for block in blocks)  # titles are lines of text
    for block in blocks:
        if pending and not (block.kind is BlockKind.OUTPUT and block.origin.startswith(pending[0].block.origin)):
            units.extend(pending)
            pending = []
        if block.kind is BlockKind.HEADING:
            units.append(Unit(block, parse_label(block.text, heading=True), "heading"))
        elif block.kind is BlockKind.PROSE:
            units.extend(_prose_units(block, plain))
        elif block.kind is BlockKind.CODE:
            for unit in _code_units(block):
                units.append(unit)
                answer = _comment_answers(unit.block.text.split("\n"))
                if answer:
                    if pending:
                        units.extend(pending)
                    pending = [Unit(Block(BlockKind.PROSE, answer, block.origin), None, "")]
        elif block.kind is BlockKind.OUTPUT:
            units.extend(_output_units(block))
        elif block.kind is BlockKind.MATH:
            units.extend(_math_units(block))
        else:
            units.append(Unit(block, None, ""))
    return units + pending


# "\text{(a)}\quad & …" opening a row of an align: the parts of a problem answered in one display
_MATH_ROW_LABEL = re.compile(r"\s*(?:\\begin\{[A-Za-z]+\*?\}\s*)?&?\s*\\(?:text|textbf|mathrm|mathbf)\s*\{\s*"
                             r"(\(?[a-h]\)|\(?\d{1,2}[a-h]?\)?[.)]?)\s*\}(?:\s*\\q?quad|\s*\\[,;:! ])*\s*&?")
# the display's own environment, around its rows (a matrix's pmatrix inside a row is the row's)
_MATH_ENVIRONMENT = re.compile(r"\s*\\(?:begin|end)\{(?:align|alignat|gather|equation|eqnarray|flalign|multline)\*?\}\s*")


def _math_units(block: Block) -> list[Unit]:
    """A display whose rows start with part labels (``\\text{(a)}\\quad & …``) as one labelled unit per part, each
    its rows as math; any other display as it is."""
    rows = re.split(r"(?<=\\\\)(?:\[[^\]\n]{0,10}\])?\s*\n", block.text)
    starts = [k for k, row in enumerate(rows) if _MATH_ROW_LABEL.match(row)]
    if len(starts) < 2:
        return [Unit(block, None, "")]
    units = [Unit(replace(block, text="\n".join(rows[: starts[0]])), None, "")] if starts[0] else []
    for n, k in enumerate(starts):
        body = "\n".join(rows[k : starts[n + 1] if n + 1 < len(starts) else len(rows)])
        m = _MATH_ROW_LABEL.match(body)
        label = parse_label(m.group(1), heading=True)
        body = _MATH_ENVIRONMENT.sub(" ", body[m.end():]).strip()
        piece = replace(block, text=body)
        units.append(Unit(piece, replace(label, rest=body) if label else None, "label" if label else ""))
    return units


MAX_OUTPUT_LINES = 2000  # a longer printout is read as it is
_OUTPUT_LABELS = ("number-part",)  # "2a) after one step: …"; a bare "1)" may number a printout, "Q2." repeat a comment


def _output_units(block: Block) -> list[Unit]:
    """What a code cell printed, split at lines that start with a question's label ("2a) after one iteration: mu1 =
    -0.964028 …"): a notebook whose printed lines are the answers."""
    lines = block.text.split("\n")
    if len(lines) > MAX_OUTPUT_LINES:
        return [Unit(block, None, "")]
    starts = [i for i, line in enumerate(lines)
              if (label := parse_label(line, heading=False)) is not None and label.shape in _OUTPUT_LABELS]
    if not starts:
        return [Unit(block, None, "")]
    units = [] if starts[0] == 0 else [Unit(replace(block, text="\n".join(lines[: starts[0]])), None, "")]
    for _, text in _runs(lines, starts):  # a label's rest is all the lines of its run
        units.append(Unit(replace(block, text=text), parse_label(text, heading=False), "output"))
    return units
