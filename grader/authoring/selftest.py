"""``python -m grader selftest``: every rubric against its own model answer and its own template.

For each rubric (all of ``rubrics/``, or the names and files given):

1. ``rubric``: it loads and validates (what ``check-rubric`` does);
2. ``model answer``: ``solutions/model_answers/ID.*`` (beside the rubric's folder, like its solutions module; the
   ``--answers`` folder instead) earns every point of every question and fires no misconception: a detector that
   fires on the model answer would fire on good students too;
3. ``filled template``: the template notebook with each question's part of the model answer in its answer cell
   grades the same, full marks (the template's cell tags lead the grader to every answer);
4. ``empty template``: the untouched template scores 0 with "no answer found" on every question (its statements and
   placeholders are never graded).

It prints one row per check and the reasons of every failure; the exit code is 0 only when every check passes, 1
otherwise, 2 for a usage error. CI runs it before the tests (.ci/run).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.model import BlockKind, Document, Result, Status
from grader.rubric import Rubric

ANSWER_SUFFIXES = (".md", ".ipynb", ".tex", ".txt")


@dataclass(frozen=True)
class Row:
    rubric: str
    check: str
    ok: bool
    detail: str
    problems: tuple[str, ...] = ()  # one line per failing question


def answers_dir_for(rubric_path: Path) -> Path:
    """``solutions/model_answers`` beside the rubric's folder (``rubrics/../solutions/model_answers``)."""
    return rubric_path.resolve().parent.parent / "solutions" / "model_answers"


def find_model_answer(rubric: Rubric, folder: Path) -> Path | None:
    """``ID.md`` (or .ipynb, .tex, .txt) in ``folder``; the rubric file's stem when no file has the id."""
    for name in dict.fromkeys((rubric.id, rubric.path.stem)):
        for suffix in ANSWER_SUFFIXES:
            path = folder / f"{name}{suffix}"
            if path.is_file():
                return path
    return None


def answers_by_question(doc: Document, rubric: Rubric) -> dict[str, str]:
    """Each question's answer in ``doc`` as Markdown, found by the segmenter (what a student would paste into the
    question's answer cell): display math between ``$$``, code and printed output in fences."""
    from grader.segment import segment

    out = {}
    for qid, region in segment(doc, rubric).items():
        parts = []
        for block in region.blocks:
            if block.kind is BlockKind.MATH:
                parts.append(f"$$\n{block.text}\n$$")
            elif block.kind in (BlockKind.CODE, BlockKind.OUTPUT):
                parts.append(f"```\n{block.text}\n```")
            else:
                parts.append(block.text)
        out[qid] = "\n\n".join(parts)
    return out


def _line(q) -> str:
    fired = f" [{', '.join(m.id for m in q.misconceptions)}]" if q.misconceptions else ""
    return f"{q.number} {q.score:g}/{q.points:g} ({q.status.value}){fired}: {q.summary}"


def _full_marks(result: Result) -> tuple[str, ...]:
    problems = []
    for q in result.questions:
        if q.score < q.points - 1e-9 or q.status is not Status.CORRECT:
            problems.append(_line(q))
        elif q.misconceptions:
            problems.append(f"{q.number}: misconception {', '.join(m.id for m in q.misconceptions)} fires on a "
                            "right answer")
    if result.error:
        problems.insert(0, result.error)
    return tuple(problems)


def _no_answers(result: Result) -> tuple[str, ...]:
    problems = []
    for q in result.questions:
        if q.score != 0 or q.status is not Status.NOT_FOUND or not q.summary.startswith("No answer found"):
            problems.append(_line(q))
    if result.error:
        problems.insert(0, result.error)
    return tuple(problems)


def _score(result: Result) -> str:
    return f"{result.score:g}/{result.max_score:g}"


def selftest_rubric(name: str, answers_dir: Path | None = None) -> list[Row]:
    """The four checks of one rubric (only the first when it does not load)."""
    from grader.authoring.template import write_template
    from grader.grade import grade_document
    from grader import pipeline
    from grader.read import UnreadableSubmission, read_submission
    from grader.rubric import RubricError, load_rubric

    try:
        rubric = load_rubric(name)
    except RubricError as exc:
        lines = str(exc).splitlines()
        return [Row(Path(name).stem, "rubric", False, lines[0], tuple(line.strip() for line in lines[1:]))]
    rid = rubric.id
    rows = [Row(rid, "rubric", True, f"{len(rubric.questions)} questions, "
                f"{sum(q.points for q in rubric.questions):g} points")]
    folder = answers_dir or answers_dir_for(rubric.path)
    model = find_model_answer(rubric, folder)
    with tempfile.TemporaryDirectory(prefix="grader-selftest-") as tmp:
        if model is None:
            others = ", ".join(ANSWER_SUFFIXES[1:])
            rows.append(Row(rid, "model answer", False, f"no {rid}.md (or {others}) in {folder}"))
        else:
            try:
                doc = read_submission(model)
            except UnreadableSubmission as exc:
                rows.append(Row(rid, "model answer", False, f"{model.name}: {exc}"))
            else:
                result = grade_document(doc, rubric)
                problems = _full_marks(result)
                rows.append(Row(rid, "model answer", not problems, f"{_score(result)} ({model.name})", problems))
                filled = write_template(rubric, Path(tmp) / f"{rid}-filled.ipynb", answers_by_question(doc, rubric))
                result = pipeline.grade(filled, str(rubric.path))
                problems = _full_marks(result)
                rows.append(Row(rid, "filled template", not problems, _score(result), problems))
        empty = write_template(rubric, Path(tmp) / f"{rid}.ipynb")
        result = pipeline.grade(empty, str(rubric.path))
        problems = _no_answers(result)
        found = sum(q.status is Status.NOT_FOUND for q in result.questions)
        rows.append(Row(rid, "empty template", not problems,
                        f"{_score(result)}, no answer found for {found} of {len(result.questions)}", problems))
    return rows


def format_rows(rows: list[Row]) -> str:
    width = max([len("rubric")] + [len(r.rubric) for r in rows])
    lines = [f"{'rubric':<{width}}  {'check':<15}  result  detail"]
    for r in rows:
        lines.append(f"{r.rubric:<{width}}  {r.check:<15}  {'ok' if r.ok else 'FAIL':<6}  {r.detail}")
        lines.extend(f"{'':<{width}}  {'':<15}          - {p}" for p in r.problems)
    return "\n".join(lines)


def selftest_command(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m grader selftest",
                                description="Grade every model answer (full marks required) and every empty template "
                                "(0 with 'no answer found' required), and validate every rubric.")
    p.add_argument("rubrics", nargs="*", help="rubric names or files (default: every rubric in rubrics/)")
    p.add_argument("--answers", type=Path, metavar="DIR",
                   help="the folder of model answers (default: solutions/model_answers beside the rubrics' folder)")
    args = p.parse_args(argv)
    from grader.rubric_files import available_rubrics

    names = args.rubrics or [str(path) for path in available_rubrics().values()]
    if not names:
        print("no rubric files found", file=sys.stderr)
        return 1
    rows = [row for name in names for row in selftest_rubric(name, args.answers)]
    print(format_rows(rows))
    failed = sum(not r.ok for r in rows)
    print(f"{len(rows) - failed} of {len(rows)} checks passed" + ("" if not failed else f"; {failed} failed"))
    return 1 if failed else 0
