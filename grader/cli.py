"""Command line: `python -m grader SUBMISSION [options]` grades one file; `python -m grader
COMMAND ...` runs one of COMMANDS. Each command's module is imported only when it runs, so a
plain grade pays for none of them.

Exit codes: 0 when the submission was graded (whatever its score), 1 when nothing could be graded
(unreadable file, homework not recognised), 2 for a usage or rubric error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from grader import __version__

# command name → "module:function" taking the remaining arguments and returning an exit code
COMMANDS = {
    "check-rubric": "grader.cli:check_rubric_command",
    "batch": "grader.batch.command:batch_command",
    "build-autograder": "grader.gradescope.build:main",
    "checkers": "grader.cli:checkers_command",
    "template": "grader.authoring.template:template_command",
    "selftest": "grader.authoring.selftest:selftest_command",
    "override": "grader.batch.override:override_command",
    "export": "grader.batch.export:export_command",
}


def _grade_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade a written math submission (notebook, Markdown or LaTeX). "
        f"Other commands: {', '.join(COMMANDS)} (see python -m grader COMMAND --help).",
    )
    p.add_argument("submission", type=Path, help="the student's file (.ipynb, .md, .txt, .tex)")
    p.add_argument("--rubric", help="homework name (a file stem in rubrics/) or a rubric file; "
                   "without it the homework is recognised from the submission")
    p.add_argument("--json", type=Path, metavar="PATH", help="write Gradescope's results.json here")
    p.add_argument("--html", type=Path, metavar="PATH", help="write an HTML feedback page here")
    p.add_argument("--quiet", action="store_true", help="do not print the table")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def _grade(argv: list[str]) -> int:
    args = _grade_parser().parse_args(argv)
    if args.submission.is_dir():  # a class's folder: batch grades it, one report per student
        import shlex

        print(f"{args.submission} is a folder; to grade every submission in it, run\n"
              f"  python -m grader batch {shlex.quote(str(args.submission))} --out OUT", file=sys.stderr)
        return 2
    from grader import pipeline
    from grader.rubric import RubricError

    started = time.monotonic()
    try:
        result = pipeline.grade(args.submission, args.rubric)
    except RubricError as exc:
        print(f"rubric error: {exc}", file=sys.stderr)
        return 2
    for note in result.notes:  # a rubric that does not fit the submission: said where a script sees it too
        if note.startswith("Warning: "):
            print(note, file=sys.stderr)
    if not args.quiet:
        from grader.render.terminal import table

        print(table(result))
    if args.json:
        from grader.render.gradescope import results_json, write_json

        write_json(results_json(result, execution_time=time.monotonic() - started), args.json)
    if args.html:
        from grader.render.html import write_html

        write_html(result, args.html)
    return 0 if result.graded else 1


def check_rubric_command(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m grader check-rubric",
                                description="Validate rubric files (checkers, parameters, references).")
    p.add_argument("rubrics", nargs="+", help="rubric files or names")
    p.add_argument("--compile", action="store_true",
                   help="also write each valid rubric's compiled copy (.compiled/NAME.json beside it), which a cold "
                        "grade reads instead of parsing the YAML while the file is unchanged")
    args = p.parse_args(argv)
    from grader.rubric import RubricError, load_rubric
    from grader.rubric_files import compile_rubric_file, compiled_path, read_compiled

    failed = 0
    for name in args.rubrics:
        try:
            rubric = load_rubric(name)
        except RubricError as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            failed += 1
            continue
        n_checks = sum(len(q.checks) for q in rubric.questions)
        n_misc = sum(len(q.misconceptions) for q in rubric.questions)
        print(f"ok   {rubric.path}: {rubric.id}, {len(rubric.questions)} questions, "
              f"{n_checks} checks, {n_misc} misconceptions, {sum(q.points for q in rubric.questions):g} points")
        if args.compile:
            written = compile_rubric_file(rubric.path)
            print(f"     compiled to {written}" if written else
                  "     not compiled: its data cannot be written as JSON unchanged (the YAML is read instead)")
        elif compiled_path(rubric.path).is_file() and read_compiled(rubric.path) is None:
            print(f"     note: {compiled_path(rubric.path)} is out of date and is ignored; "
                  "run check-rubric --compile to refresh it")
    return 2 if failed else 0


def checkers_command(argv: list[str]) -> int:
    """Print every registered checker with its parameters, as the Markdown of the rubric guide."""
    argparse.ArgumentParser(prog="python -m grader checkers",
                            description="List the checkers rubrics can use, as Markdown.").parse_args(argv)
    from grader.checkers import registry

    for name, spec in registry.all_checkers().items():
        print(f"### `{name}`\n\n{spec.doc}\n")
        if spec.params:
            print("| parameter | type | required | default | meaning |\n|---|---|---|---|---|")
            for pname, p in spec.params.items():
                default = "" if p.required else f"`{p.default!r}`"
                print(f"| `{pname}` | {p.type} | {'yes' if p.required else 'no'} | {default} | {p.doc} |")
        print()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        module, function = COMMANDS[argv[0]].split(":")
        return getattr(importlib.import_module(module), function)(argv[1:])
    return _grade(argv)
