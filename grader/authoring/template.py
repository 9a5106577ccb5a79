"""Student notebooks built from a rubric: ``python -m grader template --rubric NAME -o FILE.ipynb``.

The notebook holds, in order:

- a title cell: ``# TITLE`` and how to answer;
- for each question, a statement cell (Markdown ``## TITLE`` and the rubric's ``statement``), tagged
  ``statement:ID`` with metadata ``{"grader": {"statement": ID}}``, and an answer cell holding ``PLACEHOLDER``,
  tagged ``answer:ID`` with metadata ``{"grader": {"question": ID, "placeholder": PLACEHOLDER}}``. Questions with
  the same ``locate`` and ``statement`` (a posterior's mean and covariance) share one statement and one answer cell,
  tagged with each of their ids.

What the grader does with these marks (grader.read.template_cells, grader.segment): every cell after a question's
statement belongs to that question until the next tagged cell, so an answer is found when the student writes in
the answer cell, splits it, adds cells under it, or moves it (the tags move with it); the statement is never graded
as an answer; an answer cell left as the placeholder reads as empty, so the question gets "no answer found".

Cell ids are fixed (``title``, ``statement-N``, ``answer-N``) so that building a template twice gives the same file.
nbformat is imported only when a notebook is built.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from grader.rubric import Question, Rubric

PLACEHOLDER = "*Your answer here.*"
INSTRUCTIONS = (
    "Write each answer in the cell under its question, in place of " + PLACEHOLDER + " Use Markdown and LaTeX "
    "(`$…$`, `$$…$$`, `bmatrix`). You may split that cell, add cells under it or move it: a cell you add belongs to "
    "the question above it. Do not remove the questions' cells or their tags."
)
_NON_ALNUM = re.compile(r"[\W_]+")


def question_groups(rubric: Rubric) -> list[list[Question]]:
    """The rubric's questions in order, those sharing one ``locate`` and ``statement`` in one group."""
    groups: list[list[Question]] = []
    for q in rubric.questions:
        same = next((g for g in groups if g[0].locate == q.locate and g[0].statement == q.statement), None)
        if same is not None:
            same.append(q)
        else:
            groups.append([q])
    return groups


def _label(q: Question) -> str:
    if q.locate.problem is not None:
        return f"{q.locate.problem}{q.locate.part or ''}"
    return _NON_ALNUM.sub("", q.number).lower()


def heading(q: Question) -> str:
    """``TITLE`` when the title already names the question ("1(a) …", "Q1 …"), else ``NUMBER TITLE``."""
    first_word = _NON_ALNUM.sub("", q.title.split()[0] if q.title.split() else "").lower()
    return q.title if _label(q) and _label(q) in first_word else f"{q.number} {q.title}"


def _cell(source: str, cell_id: str, tags: list[str], grader: dict):
    from nbformat import v4

    metadata = {"tags": tags, "grader": grader} if tags else {}
    return v4.new_markdown_cell(source, id=cell_id, metadata=metadata)


def build_template(rubric: Rubric, answers: dict[str, str] | None = None):
    """The template notebook (an nbformat NotebookNode). ``answers`` ({question id: Markdown}) fills answer cells
    instead of the placeholder: a filled template, as a student would hand it in (used by selftest and tests)."""
    from nbformat import v4

    answers = answers or {}
    cells = [_cell(f"# {rubric.title}\n\n{INSTRUCTIONS}", "title", [], {})]
    for n, group in enumerate(question_groups(rubric), 1):
        ids = [q.id for q in group]
        statement = group[0].statement.strip()
        title = " / ".join(heading(q) for q in group)
        cells.append(_cell(f"## {title}\n\n{statement}".strip(), f"statement-{n}",
                           [f"statement:{i}" for i in ids], {"statement": ids if len(ids) > 1 else ids[0]}))
        # a group's questions share one region, so their answers are usually one text: written once
        texts = list(dict.fromkeys(answers[i] for i in ids if answers.get(i, "").strip()))
        grader = {"question": ids if len(ids) > 1 else ids[0], "placeholder": PLACEHOLDER}
        cells.append(_cell("\n\n".join(texts) or PLACEHOLDER, f"answer-{n}", [f"answer:{i}" for i in ids], grader))
    nb = v4.new_notebook(cells=cells)
    nb.metadata.update({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "grader": {"rubric": rubric.id},
    })
    return nb


def write_template(rubric: Rubric, path: Path, answers: dict[str, str] | None = None) -> Path:
    """Build, validate and write the template; returns ``path``."""
    import nbformat

    nb = build_template(rubric, answers)
    nbformat.validate(nb)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        nbformat.write(nb, handle)
    return path


def template_command(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m grader template",
                                description="Write a student notebook for a homework: its title, each question's "
                                "statement and a tagged answer cell the grader finds first.")
    p.add_argument("--rubric", required=True, help="homework name (a file stem in rubrics/) or a rubric file")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.ipynb", help="the notebook to write")
    args = p.parse_args(argv)
    from grader.rubric import RubricError, load_rubric

    try:
        rubric = load_rubric(args.rubric)
    except RubricError as exc:
        print(f"rubric error: {exc}", file=sys.stderr)
        return 2
    try:
        write_template(rubric, args.output)
    except OSError as exc:
        print(f"cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    groups = question_groups(rubric)
    print(f"wrote {args.output}: {rubric.title}, {len(rubric.questions)} questions in {len(groups)} answer cells")
    return 0
