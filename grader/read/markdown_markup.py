"""Markdown markup that hides a student's text: blockquote markers, inline HTML, footnotes.

Students write Markdown the way it renders: a label quoted as "> <b>Question 1 a.</b>", a value
as "Q<sub>34</sub> = 0", a remark as a footnote "[^1]". Later stages read the text, so before the
Markdown is split into blocks each line (outside fenced code) is cleaned:

- blockquote markers ``>`` at the start of a line are dropped (the quoted text stays);
- struck-out text (``~~yes~~``, ``<del>…</del>``, ``<s>…</s>``) is dropped: the student took it back;
- ``<sub>x</sub>`` becomes ``_x`` (``_{xy}`` for more than one character), ``<sup>…</sup>`` ``^…``;
- ``<br>`` ends a line, block tags (``<p>``, ``<div>``, ``<h2>``, ``<li>`` …) end a paragraph, inline
  tags (``<b>``, ``<i>``, ``<strong>``, ``<em>``, ``<span>`` …) are dropped, their text kept;
- HTML entities (``&nbsp;``, ``&lt;``, ``&rArr;``, ``&#8722;``) become their characters;
- a footnote reference ``[^1]`` is dropped and its definition's text becomes a paragraph of its own
  after the paragraph that refers to it (a remark on that answer, not on the last one); the definition
  line ``[^1]: text`` is emptied. A definition no reference uses stays as prose where it is.

Every output line keeps the number of the input line it came from, so that block origins still
name the student's line.
"""

from __future__ import annotations

import html
import re

from grader.markup import STRUCK
from grader.textnorm import normalize

_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_SCRIPT = re.compile(r"<(sub|sup)\b[^<>\n]*>(.*?)</\1\s*>", re.IGNORECASE)
_BLOCK_TAGS = "p|div|h[1-6]|li|ul|ol|blockquote|hr|center|section|article|table|tr|details|summary|pre"
_BREAK = re.compile(rf"<(/?)(br|{_BLOCK_TAGS})\b[^<>\n]*?/?>", re.IGNORECASE)
_INLINE = re.compile(
    r"</?(?:b|i|u|em|strong|span|font|small|big|mark|code|tt|a|td|th|ins|kbd|var|cite|abbr)"
    r"\b[^<>\n]*?/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
_FOOTNOTE_DEF = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]{1,30})\]:[ \t]*(.*)$")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]{1,30})\](?!:)")
_HAS_MARKUP = re.compile(r"[<&>]|\[\^|~~")


def _script(m: re.Match) -> str:
    body = m.group(2).strip()
    mark = "_" if m.group(1).lower() == "sub" else "^"
    return f"{mark}{body}" if len(body) == 1 else f"{mark}{{{body}}}"


def _entity(m: re.Match) -> str:
    char = html.unescape(m.group(0))
    return " " if char == "\xa0" else char


def _pieces(line: str) -> list[str]:
    """The line cut at ``<br>`` (a new line) and block tags (an empty line between: a new paragraph);
    no empty line where a break only ends the line."""
    out: list[tuple[str, bool]] = [("", False)]
    pos = 0
    for m in _BREAK.finditer(line):
        out[-1] = (out[-1][0] + line[pos : m.start()], out[-1][1])
        if m.group(2).lower() == "br":
            out.append(("", True))
        else:
            out.extend([("", False), ("", False)])
        pos = m.end()
    out[-1] = (out[-1][0] + line[pos:], out[-1][1])
    kept: list[str] = []
    for text, from_break in out:
        if not text.strip() and (from_break or (kept and not kept[-1].strip())):
            continue
        kept.append(text)
    while len(kept) > 1 and not kept[-1].strip() and not kept[-2].strip():
        kept.pop()
    return kept or [""]


def _inline(text: str) -> str:
    struck = STRUCK.sub("", text)
    if struck != text:  # no double blank where the struck words were
        text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", struck.lstrip(" ") if not text[:1].isspace() else struck)
    text = _SCRIPT.sub(_script, text)
    text = _INLINE.sub("", text)
    return _ENTITY.sub(_entity, text)


def _footnotes(lines: list[str], code: list[bool]) -> dict[str, str]:
    """Footnote definitions that some reference uses, by name; their lines are emptied."""
    found: dict[str, tuple[int, str]] = {}
    for i, line in enumerate(lines):
        m = None if code[i] else _FOOTNOTE_DEF.match(line)
        if m and m.group(1) not in found:
            found[m.group(1)] = (i, m.group(2).strip())
    if not found:
        return {}
    used = {name for i, line in enumerate(lines) if not code[i] and not _FOOTNOTE_DEF.match(line)
            for name in _FOOTNOTE_REF.findall(line)}
    texts: dict[str, str] = {}
    for name, (i, text) in found.items():
        if name in used:
            texts[name] = text
            lines[i] = ""
        else:
            lines[i] = text
    return texts


def _in_code(lines: list[str]) -> list[bool]:
    flags: list[bool] = []
    fence = ""
    for line in lines:
        stripped = _QUOTE.sub("", line).strip()
        if fence:
            flags.append(True)
            if stripped.startswith(fence) and stripped == stripped[0] * len(stripped):
                fence = ""
            continue
        for char in "`~":
            if stripped.startswith(char * 3):
                fence = char * (len(stripped) - len(stripped.lstrip(char)))
        flags.append(bool(fence))
    return flags


# A word processor's Markdown export ("File → Download → Markdown") escapes every punctuation mark Markdown could
# read: "X\_ij", "E\[v \| u\]", "# **1\. Matrix calculus**". In a file without any math delimiter or LaTeX command
# those backslashes are CommonMark escapes (the rendered text has none), not LaTeX's "\[" opening display math.
_EXPORT_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_EXPORT_MARK = re.compile(r"\\[_*.#]")
_LATEX_MARK = re.compile(r"\$|\\[A-Za-z]{2,}")


def export_escapes_removed(lines: list[str]) -> list[str]:
    """The lines without the backslash escapes of a word processor's export (see above); other files as they are,
    and fenced code always as it is."""
    if sum(len(_EXPORT_MARK.findall(line)) for line in lines) < 2 or any(_LATEX_MARK.search(line) for line in lines):
        return lines
    code = _in_code(lines)
    return [line if code[i] else _EXPORT_ESCAPE.sub(r"\1", line) for i, line in enumerate(lines)]


def clean_markup(lines: list[str]) -> tuple[list[str], list[int]]:
    """The lines without blockquote markers, inline HTML and footnote marks (see the module docstring),
    and for each output line the index of the input line it comes from."""
    if not any(_HAS_MARKUP.search(line) for line in lines):
        return lines, list(range(len(lines)))
    lines = list(lines)
    code = _in_code(lines)
    notes = _footnotes(lines, code)
    out: list[str] = []
    numbers: list[int] = []
    waiting: list[tuple[str, int]] = []  # footnotes referenced in the paragraph, shown after it

    def show_notes() -> None:
        for note, at in waiting:
            out.extend(["", _inline(note), ""])
            numbers.extend([at, at, at])
        waiting.clear()

    for i, line in enumerate(lines):
        if waiting and (code[i] or not line.strip()):
            show_notes()
        if code[i] or not _HAS_MARKUP.search(line):
            out.append(line)
            numbers.append(i)
            continue
        cleaned = _QUOTE.sub("", line)
        for name in _FOOTNOTE_REF.findall(cleaned):
            if notes.get(name):
                waiting.append((normalize(notes.pop(name)), i))
        cleaned = _FOOTNOTE_REF.sub("", cleaned)
        for piece in _pieces(cleaned):
            text = _inline(piece)
            out.append(normalize(text) if text != piece else text)
            numbers.append(i)
    show_notes()
    return out, numbers
