"""Compiled rubric copies: read instead of the YAML only while the YAML is unchanged, and never change a grade."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_lazy_imports import modules_after

from grader.grade import grade_document
from grader.read import read_text
from grader.rubric import load_rubric
from grader.rubric_files import compile_rubric_file, compiled_path, read_compiled, read_yaml, safe_yaml

ROOT = Path(__file__).resolve().parents[1]
RUBRICS = sorted((ROOT / "rubrics").glob("*.yaml"))


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_the_committed_compiled_copies_are_up_to_date(path):
    # a rubric edited without recompiling is still graded right (from its YAML), only more slowly
    assert read_compiled(path) == safe_yaml(path.read_text(encoding="utf-8")), (
        f"{compiled_path(path)} is out of date: run python -m grader check-rubric --compile {path}")


def _course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(ROOT / "rubrics", folder / "rubrics", ignore=shutil.ignore_patterns(".compiled"))
    shutil.copytree(ROOT / "solutions", folder / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    return folder / "rubrics" / "gaussian-em.yaml"


def test_a_stale_copy_is_ignored_and_the_yaml_read(tmp_path):
    rubric = _course(tmp_path)
    assert compile_rubric_file(rubric) == compiled_path(rubric)
    assert read_compiled(rubric) is not None
    rubric.write_text(rubric.read_text().replace("title: Gaussian graphical models and EM", "title: Edited"))
    assert read_compiled(rubric) is None  # made from other text: never read
    assert read_yaml(rubric)["title"] == "Edited"
    assert load_rubric(str(rubric)).title == "Edited"


def test_a_broken_copy_is_ignored(tmp_path):
    rubric = _course(tmp_path)
    compile_rubric_file(rubric)
    compiled_path(rubric).write_text("{not json")
    assert read_compiled(rubric) is None and read_yaml(rubric)["id"] == "gaussian-em"


def test_grades_are_the_same_from_the_copy_and_from_the_yaml(tmp_path):
    rubric = _course(tmp_path)
    doc = read_text((ROOT / "examples" / "gaussian-em-sample.md").read_text(), "sample.md")
    from_yaml = grade_document(doc, load_rubric(str(rubric)))
    compile_rubric_file(rubric)
    os.utime(rubric, (rubric.stat().st_atime, rubric.stat().st_mtime + 5))  # loaded again, now from the copy
    from_copy = grade_document(doc, load_rubric(str(rubric)))
    assert read_compiled(rubric) is not None and from_copy == from_yaml


def test_a_cold_grade_with_compiled_rubrics_imports_no_yaml(tmp_path):
    loaded = modules_after("examples/gaussian-em-sample.md", "--json", str(tmp_path / "r.json"), "--quiet")
    assert not any(m == "yaml" or m.startswith("yaml.") for m in loaded)


def test_check_rubric_compiles_and_says_when_a_copy_is_stale(tmp_path, capsys):
    from grader.cli import main

    rubric = _course(tmp_path)
    assert main(["check-rubric", "--compile", str(rubric)]) == 0
    assert "compiled to" in capsys.readouterr().out
    rubric.write_text(rubric.read_text() + "\n# edited\n")
    assert main(["check-rubric", str(rubric)]) == 0
    assert "out of date" in capsys.readouterr().out
