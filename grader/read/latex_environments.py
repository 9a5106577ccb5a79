"""Question environments, read as the sectioning the reader already knows.

Many LaTeX templates put each question in an environment of its own, ``\\begin{question} … \\end{question}``
(or ``problem``, ``exercise``, ``exercice``, …), defined in the preamble with ``\\newtheorem`` or
``\\newenvironment``, and the answer in a ``solution`` (or ``answer``) environment after it. LaTeX prints the
question as "Question 3." in front of its text; the reader does the same: each ``\\begin{NAME}`` of such an
environment becomes the heading "Question N" (the environment's printed name, its own count, an optional title
``[…]`` after the number and the rest of the line: the question's text, never an answer), and ``\\begin{solution}``
a "Solution" heading, which sets aside the question's text above it in the region. Lines are rewritten in place,
one for one, so every block keeps the line it came from. The exam class has its own commands
(grader.read.latex_exam).
"""

from __future__ import annotations

import re

# The printed name of an environment that holds a question, when the preamble does not say it otherwise; the
# names are label words of grader.segment.labels.
_QUESTION_NAMES = {
    "question": "Question", "problem": "Problem", "exercise": "Exercise", "exercice": "Exercice", "exo": "Exercice",
    "task": "Task", "frage": "Frage", "aufgabe": "Aufgabe", "ejercicio": "Ejercicio", "esercizio": "Esercizio",
    "problema": "Problema",
}
_ANSWER_NAMES = ("solution", "answer", "reponse", "réponse", "sol", "loesung", "lösung", "antwort", "respuesta",
                 "soluzione", "risposta")
# \newtheorem{question}{Question}, \newtheorem{exo}[theorem]{Exercice}, \newtheorem*{q}{Question}
_NEWTHEOREM = re.compile(r"\\newtheorem\*?\s*\{([A-Za-z]+)\}\s*(?:\[([A-Za-z]+)\])?\s*\{([^{}\n]{1,30})\}")
_BEGIN = re.compile(r"^(\s*)\\begin\{([A-Za-zé]+)\*?\}\s*(?:\[([^\]\n]{0,60})\])?\s*(.*)$")
_END = re.compile(r"\\end\{([A-Za-zé]+)\*?\}")


def _printed_names(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """(environment → printed name, environment → the environment whose counter it shares), from the preamble's
    \\newtheorem lines and the usual names."""
    names = dict(_QUESTION_NAMES)
    shared: dict[str, str] = {}
    for m in _NEWTHEOREM.finditer(text):
        env, counter, printed = m.groups()
        word = printed.strip().split()[0] if printed.strip() else ""
        if word.lower() in _QUESTION_NAMES:  # a theorem-like environment printed "Question", "Exercice", …
            names[env] = word
            if counter:
                shared[env] = counter
        elif env in names:  # \newtheorem{problem}{Theorem}: not a question after all
            del names[env]
    return names, shared


def environments_as_sections(text: str) -> str:
    """``text`` with its question environments written as headings and its solutions as "Solution" headings (see
    the module docstring); a file without question environments is returned as it is."""
    if "\\begin{" not in text:
        return text
    names, shared = _printed_names(text)
    found = {m.group(1) for m in re.finditer(r"\\begin\{([A-Za-zé]+)\*?\}", text)} & set(names)
    if not found:
        return text
    counts: dict[str, int] = {}
    out = []
    for line in text.split("\n"):
        m = _BEGIN.match(line)
        if m and m.group(2) in found:
            indent, env, title, rest = m.groups()
            counter = shared.get(env, env)
            counts[counter] = counts.get(counter, 0) + 1
            words = " ".join(w for w in (title, _END.sub("", rest)) if w and w.strip())
            words = words.replace("{", "(").replace("}", ")") if words.count("{") != words.count("}") else words
            heading = f"{names[env]} {counts[counter]} {words}".rstrip()
            out.append(f"{indent}\\subsection*{{{heading}}}")
            continue
        if m and m.group(2).lower() in _ANSWER_NAMES:
            rest = m.group(4)
            out.append(f"{m.group(1)}\\paragraph*{{Solution}} {_END.sub('', rest)}".rstrip())
            continue
        out.append(_END.sub(lambda e: "" if e.group(1) in found or e.group(1).lower() in _ANSWER_NAMES
                            else e.group(), line))
    return "\n".join(out)
