"""build-autograder: the zip's layout, its pinned requirements, and the unpacked zip grading on its own."""

from __future__ import annotations

import json
import stat
import sys
import zipfile
from pathlib import Path

from grader.cli import main
from grader.gradescope.build import pinned_requirements
from test_gradescope_run import EXAMPLE, load_results, make_root, run_autograder

CURRENT_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
RUNTIME = {"numpy", "scipy", "nbformat", "jinja2", "pyyaml"}


def build(tmp_path, name="autograder.zip", *extra) -> Path:
    out = tmp_path / name
    assert main(["build-autograder", "--rubric", "gaussian-em", "-o", str(out), *extra]) == 0
    return out


def test_zip_layout(tmp_path, capsys):
    out = build(tmp_path, "autograder.zip", "--target-python", CURRENT_PYTHON)
    assert f"wrote {out}" in capsys.readouterr().out
    with zipfile.ZipFile(out) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        names = set(infos)
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755, script
        assert {"pyproject.toml", "README.md", "requirements.txt", "grader-config.json", "rubrics/gaussian-em.yaml",
                "solutions/__init__.py", "solutions/gaussian_em.py", "grader/__init__.py", "grader/cli.py",
                "grader/gradescope/run.py", "grader/gradescope/worker.py", "grader/templates/report.html.j2"} <= names
        assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
        assert not any(n.startswith(("tests/", "examples/", ".venv/")) for n in names)
        # the rubric and its own solutions module, not the other homeworks'
        assert {n for n in names if n.startswith(("rubrics/", "solutions/"))} == {
            "rubrics/gaussian-em.yaml", "solutions/__init__.py", "solutions/gaussian_em.py"}
        assert json.loads(zf.read("grader-config.json")) == {"rubric": "rubrics/gaussian-em.yaml"}
        requirements = [line for line in zf.read("requirements.txt").decode().splitlines()
                        if line and not line.startswith("#")]
    pinned = {line.split("==")[0] for line in requirements if "==" in line}
    assert RUNTIME <= pinned
    assert all("==" in line for line in requirements), requirements  # built for this Python: all pinned


def test_zip_is_reproducible(tmp_path):
    first, second = build(tmp_path, "a.zip"), build(tmp_path, "b.zip")
    assert first.read_bytes() == second.read_bytes()


def test_versions_too_new_for_the_target_python_are_left_as_ranges():
    lines, warnings = pinned_requirements("3.0")  # no installed release supports it
    assert "numpy<3,>=1.23" in lines and not any(line.startswith("numpy==") for line in lines)
    assert any(w.startswith("numpy ") and "needs Python" in w for w in warnings)
    lines, warnings = pinned_requirements(CURRENT_PYTHON)
    assert warnings == [] and any(line.startswith("numpy==") for line in lines)
    assert not any(line.startswith(("pytest", "gradescope-utils")) for line in lines)  # test extras stay out


def test_unknown_rubric_is_refused(tmp_path, capsys):
    assert main(["build-autograder", "--rubric", "no-such-homework", "-o", str(tmp_path / "x.zip")]) == 2
    assert "no rubric named 'no-such-homework'" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_unpacked_zip_grades_with_its_configured_rubric(tmp_path):
    out = build(tmp_path)
    root = make_root(tmp_path, {"answers.md": EXAMPLE})
    source = root / "source"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(source)
        for info in zf.infolist():  # extractall drops permission bits
            (source / info.filename).chmod(stat.S_IMODE(info.external_attr >> 16))
    proc = run_autograder(root, script=source / "run_autograder", GRADER_RUBRIC="")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"rubric: gaussian-em ({source / 'rubrics' / 'gaussian-em.yaml'})" in proc.stdout
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 31.0 and data["extra_data"]["rubric"] == "gaussian-em"
