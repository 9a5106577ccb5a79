"""The metadata a template notebook puts on its cells, read for the segmenter.

``python -m grader template`` writes, and any course's own notebook may use:

- tags ``"question:1a"`` or ``"answer:1a"``, or metadata ``{"grader": {"question": "1a"}}`` (or a list of ids): the
  cell belongs to question 1a (several ids: to each of them, e.g. a mean and a covariance answered together);
- tag ``"statement:1a"`` or ``{"grader": {"statement": "1a"}}``: the cell holds question 1a's text. Its blocks get
  the id too, so a question's region starts at its statement (an answer written in a new cell right under the
  statement is found), and ``Block.role`` "statement", so that text is set aside, not graded;
- ``{"grader": {"placeholder": "*Your answer here.*"}}``: the lines of the placeholder (compared stripped) are
  removed from the cell's source. An answer cell the student left untouched reads as empty, so the question gets
  "no answer found" rather than a grade for the placeholder; an answer typed under the placeholder line is read.
"""

from __future__ import annotations

from grader.textnorm import normalize

QUESTION_TAG_PREFIXES = ("question", "answer")
STATEMENT = "statement"


def _id(value: object) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return normalize(str(value).strip())
    return None


def question_tags(metadata: object) -> tuple[tuple[str, ...], str]:
    """(question ids, role) of a cell: the role is "statement" for a statement cell, else ""."""
    if not isinstance(metadata, dict):
        return (), ""
    found: list[str] = []
    role = ""
    marks: list[tuple[str, object]] = []
    tags = metadata.get("tags")
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, str):
                key, sep, value = tag.partition(":")
                if sep:
                    marks.append((key.strip().lower(), value))
    grader = metadata.get("grader")
    if isinstance(grader, dict):
        marks.extend((key, grader.get(key)) for key in ("question", STATEMENT) if key in grader)
    for key, value in marks:
        if key not in QUESTION_TAG_PREFIXES and key != STATEMENT:
            continue
        for qid in filter(None, map(_id, value if isinstance(value, list) else [value])):
            found.append(qid)
            role = role or (STATEMENT if key == STATEMENT else "")
    return tuple(dict.fromkeys(found)), role


def without_placeholder(source: str, metadata: object) -> str:
    """``source`` without the lines of the cell's placeholder; unchanged when the cell declares none."""
    grader = metadata.get("grader") if isinstance(metadata, dict) else None
    placeholder = grader.get("placeholder") if isinstance(grader, dict) else None
    if not isinstance(placeholder, str):
        return source
    lines = {line.strip() for line in placeholder.splitlines() if line.strip()}
    if not lines:
        return source
    return "\n".join(line for line in source.split("\n") if line.strip() not in lines)
