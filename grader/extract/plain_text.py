"""Formulas typed as plain text: which part of a line or a sentence is the formula, and the words that label it.

``prose(side)``: a side holds words, so it is prose, not an expression ("because" would parse as a product; a
Greek letter's or an operator's name is no word: "Sigma^-1", "trace(XA)"). ``plain_side(side)``: the value of a
line's last side and the words before it — a note in brackets after it is dropped ("A^T (the transpose of A)"),
words before a colon or a verb label it ("Answer: A^T", "The gradient is A^T", "La moyenne a posteriori vaut …").
``plain_clauses(line)``: a line cut before "where", "with", "où", "avec" (a definition after the result) and at
";". ``plain_value(side, greek)``: the value in the parser's grammar (numpy forms, bare function names, spelled
Greek letters). ``PLAIN_LEAD`` is the connective a clause's left side may start with ("where J").
"""

from __future__ import annotations

import re

from grader.mathexpr.plain import code_forms, spelled_greek
from grader.mathexpr.spoken import spoken_forms
from grader.textgeom import GREEK_NAMES, bracket_pairs, split_top_pattern

__all__ = ["BARE_FUNCTION", "MAX_NORMALISED", "PLAIN_LEAD", "plain_clauses", "plain_side", "plain_value", "prose",
           "said_in_symbols"]

# Words in undelimited text: a line holding one is prose, not an expression ("because" parses as a product).
_PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[a-z]{4,}|(?i:\b(?:is|the|and|so|we|by|of|to|it|be|as|an|or)\b)")
# "… is A^T", "… vaut …": the verb before a formula in a sentence typed without math
_PLAIN_VERB = re.compile(r"(?i:\b(?:is|are|equals?|gives?|becomes?|yields?|reads|vaut|valent|est|sont|donne|devient|"
                         r"soit|namely|i\.e\.|write it as|written as))\s+(?:(?i:just|simply|then|simplement|donc|alors)\s+)?")
# a definition after the result on the same line: "…, where J = …", "… with J = …", "… où J = …"
_CLAUSE = re.compile(r",?\s+(?=(?:where|with|où|avec)\s)|;")
PLAIN_LEAD = re.compile(r"^\s*(?:where|with|où|avec|and|et|so|hence|thus|donc|then|puis)\s+", re.IGNORECASE)
_MATH_WORDS = GREEK_NAMES | {"trace", "operatorname"}
_WORD = re.compile(r"[^\W\d_]{3,}")
# Function names typed without their backslash ("det(X)", "Tr(XA)") would read as products of letters; before a
# bracket they are the functions (a value's LaTeX is rewritten; offsets and snippets keep the student's text).
BARE_FUNCTION = re.compile(r"(?<![\\A-Za-z])(det|tr|Tr|trace|adj|Cof|cof|com|exp|log)(?=\s*(?:\\left\s*)?\()")
MAX_NORMALISED = 2000  # longer values are refused by the parser anyway


def prose(side: str) -> bool:
    """A word in undelimited text (a Greek letter's or an operator's name is not one: "Sigma^-1", "trace(XA)")."""
    return any(m.group() not in _MATH_WORDS for m in _PROSE_WORD.finditer(side))


# "C_ij", "X_12" typed without braces: a double index, which LaTeX would read as C_i followed by j
_DOUBLE_INDEX = re.compile(r"_([ijklmn]{2}|\d{2})(?![A-Za-z0-9])")


def plain_value(side: str, greek) -> str:
    """An undelimited value in the grammar: code forms, bare function names, double indices and spelled Greek
    letters."""
    if len(side) > MAX_NORMALISED:
        return side
    value = _DOUBLE_INDEX.sub(r"_{\1}", BARE_FUNCTION.sub(r"\\operatorname{\1}", code_forms(side)))
    return spelled_greek(value, greek) if greek else value


def plain_side(side: str) -> tuple[str, str]:
    """The value of a line's last side, and the words before it: a note in brackets after it is dropped
    ("A^T (the transpose of A)"), words before a colon are its label ("Answer: A^T"), and so are words ending with
    a verb ("The gradient is A^T", "La moyenne a posteriori vaut …"); words after a comma describe the value before it
("adj(X)^T, the transpose of the adjugate")."""
    side = _without_unopened(_without_note(side).rstrip(" .,;")).rstrip(" .,;")  # "… = mu + J(u - m).)" ends a remark
    head, colon, tail = side.rpartition(": ")
    if colon and tail.strip() and _WORD.search(head) and not prose(code_forms(tail)):
        return tail.strip(), head
    if prose(side):
        for m in _PLAIN_VERB.finditer(side):  # the leftmost verb whose tail is a formula: the longest formula
            tail = side[m.end():]
            if tail.strip() and not prose(code_forms(tail)):
                return tail.strip(), side[: m.start()]
        value, comma, note = side.partition(", ")  # "adj(X)^T, the transpose of the adjugate": a value, then words
        if comma and value.strip() and not prose(code_forms(value)) and prose(note):
            return value.strip(), ""
    return side.strip(), ""


def said_in_symbols(line: str) -> str:
    """``line`` with its formulas said in words written in symbols (grader.mathexpr.spoken), except in a note in
    brackets at its end: "A^T (the transpose of A)" keeps its note in words, which says what the value is."""
    body = line.rstrip()
    kept = _without_note(body)
    if kept != body and kept.strip() and not _OPERATOR_BEFORE.search(kept):
        return spoken_forms(kept) + line[len(kept):]
    return spoken_forms(line)


# "… times (u minus L mu minus m)": a bracket after an operator is its operand, not a note
_OPERATOR_BEFORE = re.compile(r"(?:\b(?:times|plus|minus|by|of|inverse|transpose)|[-+*/=(^])\s*\Z", re.IGNORECASE)


def _without_unopened(side: str) -> str:
    """``side`` without the closing brackets at its end that it never opened (those of a remark around it)."""
    while side.endswith((")", "]")) and side.count(side[-1]) > side.count("(" if side[-1] == ")" else "["):
        side = side[:-1].rstrip(" .,;")
    return side


def _without_note(side: str) -> str:
    """``side`` without a note in brackets at its end that holds words ("A^T (the transpose of A)", "… (= the cofactor
    matrix of X)"): the note says what the value is; its own "=" starts no equation."""
    pairs, unmatched = bracket_pairs(side, "([", ")]")
    if unmatched is not None and side[unmatched] in "([" and prose(side[unmatched + 1:]) and \
            side[:unmatched].strip():  # "K - J L K^T  (K^T is just K, since a": a remark going on to the next line
        return side[:unmatched]
    end = len(side.rstrip(" .,;"))
    if end and side[end - 1] in ")]":
        opener = next((o for o, c in pairs.items() if c == end - 1), None)
        if opener is not None and prose(side[opener + 1 : end - 1]):
            return side[:opener]
    return side


def plain_clauses(line: str) -> list[str]:
    """A plain line cut before "where", "with", "où", "avec" (a definition after the result) and at ";", a note in
    brackets at its end left out. A long line of prose (a paragraph typed as one line) is first cut into its
    sentences and their comma clauses: "…, we find that the derivative is A^T, the transpose of A, and …"."""
    if len(line) > PROSE_LINE:
        pieces = [c for sentence in _SENTENCE_BREAK.split(line) for c in split_top_pattern(sentence, _COMMA)]
        return [c for piece in pieces if len(piece) <= MAX_NORMALISED
                for c in split_top_pattern(_without_note(piece), _CLAUSE) if c.strip()]
    if len(line) > MAX_NORMALISED:
        return [line]
    return [c for c in split_top_pattern(_without_note(line), _CLAUSE) if c.strip()]


PROSE_LINE = 200  # longer lines are paragraphs typed on one line
_SENTENCE_BREAK = re.compile(r"(?<=[^\s.\d])\.\s+(?=[A-Za-z(])")
_COMMA = re.compile(r",\s+|\s+and\s+(?=(?:in|so|then|the|this|we|it|for)\s)")  # "…, and in the same way …"
