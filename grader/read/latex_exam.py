"""LaTeX's ``exam`` class, read as the sectioning the reader already knows.

Homework is often typed in the exam class: ``\\question[5] …`` numbers the questions, ``\\part …`` letters their
parts (``\\subpart`` numbers theirs in roman), and the student's answer sits in a ``solution`` environment under
the question's text. Each command becomes the heading LaTeX prints for it (``\\question`` → "Question 1",
``\\part`` → "(a)", ``\\subpart`` → "(i)", the rest of the line as the heading's words: the question's text, which is
never an answer), and ``\\begin{solution}`` a "Solution" heading, which sets aside what stands above it in the
region. Lines are rewritten in place, one for one, so every block keeps the line it came from.
"""

from __future__ import annotations

import re

_QUESTION = re.compile(r"^(\s*)\\(question|part|subpart|subsubpart)(?![A-Za-z])\s*(?:\[[^\]\n]{0,20}\])?\s*(.*)$")
_WRAPPERS = re.compile(r"^\s*\\(?:begin|end)\{(?:questions|parts|subparts|subsubparts)\}\s*$")
_SOLUTION = re.compile(r"\\begin\{(?:solution|solutionorbox|solutionorlines|solutionordottedlines)\}"
                       r"(?:\[[^\]\n]{0,20}\])?")
_END_SOLUTION = re.compile(r"\\end\{(?:solution|solutionorbox|solutionorlines|solutionordottedlines)\}")
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def uses_exam_class(text: str) -> bool:
    return "\\begin{questions}" in text or bool(re.search(r"\\documentclass(?:\[[^\]]*\])?\{exam\}", text))


def exam_as_sections(text: str) -> str:
    """``text`` with the exam class's questions, parts and solutions written as headings (see the module docs)."""
    if not uses_exam_class(text):
        return text
    counts = {"question": 0, "part": 0, "subpart": 0, "subsubpart": 0}
    out = []
    for line in text.split("\n"):
        if _WRAPPERS.match(line):
            out.append("")
            continue
        m = _QUESTION.match(line)
        if m:
            indent, kind, rest = m.groups()
            counts[kind] += 1
            for lower in ("part", "subpart", "subsubpart")[("question", "part", "subpart", "subsubpart").index(kind):]:
                if lower != kind:
                    counts[lower] = 0
            n = counts[kind]
            if kind == "question":
                title, command = f"Question {n}", "subsection"
            elif kind == "part":
                title, command = f"({chr(96 + n) if n <= 26 else n})", "subsubsection"
            else:
                title, command = f"({_ROMAN[n - 1] if n <= len(_ROMAN) else n})", "paragraph"
            rest = rest.replace("{", "(").replace("}", ")") if rest.count("{") != rest.count("}") else rest
            out.append(f"{indent}\\{command}*{{{title} {rest}}}".rstrip() if rest else f"{indent}\\{command}*{{{title}}}")
            continue
        line = _SOLUTION.sub("\\\\paragraph*{Solution}", line)
        out.append(_END_SOLUTION.sub("", line))
    return "\n".join(out)
