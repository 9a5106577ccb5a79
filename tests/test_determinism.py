"""Regrades are byte-identical, and a grading run writes only the outputs it was asked for.

Determinism is checked across processes, not just within one: two Python processes with different hash seeds
(so different set and dict-of-set orders) grade every fixture, the example and every bad-input case that is
graded in-process, through the command line, and their results.json (all but ``execution_time``) and HTML
reports must be the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bad_inputs.bases import dumps, entry, gaussian_cells, gaussian_markdown, notebook, write_zip
from bad_inputs.corpus import all_cases

ROOT = Path(__file__).resolve().parents[1]
RUBRICS = ROOT / "rubrics"
TIMING_FIELDS = ("execution_time",)

# One process grades a list of (file, rubric or "") through the command line's own entry point.
GRADE_ALL = """
import sys
from grader.cli import main
for number, line in enumerate(sys.stdin.read().splitlines()):
    path, rubric = line.split("\\t")
    out = f"{sys.argv[1]}/{number}"
    main([path, "--json", out + ".json", "--html", out + ".html", "--quiet"] + (["--rubric", rubric] if rubric else []))
"""


def submissions(tmp: Path) -> list[tuple[Path, str]]:
    found = [(p, p.parent.name if (RUBRICS / f"{p.parent.name}.yaml").is_file() else "")
             for p in sorted((ROOT / "tests" / "fixtures").rglob("*")) if p.is_file()]
    found += [(p, "") for p in sorted((ROOT / "examples").glob("*")) if p.is_file()]
    corpus = tmp / "corpus"
    for number, slug, make in all_cases():
        folder = corpus / f"{number:02d}-{slug}"
        folder.mkdir(parents=True)
        case = make(folder)
        if case.via == "file" and not case.raising_checker:  # that one needs a checker patched in-process
            found.append((case.submission, case.rubric))
    return found


def without_timing(text: str) -> dict:
    data = json.loads(text)
    for field in TIMING_FIELDS:
        data.pop(field, None)
    return data


def test_two_processes_with_different_hash_seeds_grade_identically(tmp_path):
    listing = "".join(f"{path}\t{rubric}\n" for path, rubric in submissions(tmp_path))
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run-{seed}"
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.Popen([sys.executable, "-c", GRADE_ALL, str(out)], stdin=subprocess.PIPE, cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        runs.append((proc, out))
    for proc, _ in runs:  # both run at once: two cores
        _, stderr = proc.communicate(listing, timeout=300)
        assert proc.returncode == 0, stderr[-3000:]
    (_, first), (_, second) = runs
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert len(names) == 2 * len(listing.splitlines()) > 100  # each submission: a results.json and a report
    for name in names:
        a, b = (first / name).read_text(encoding="utf-8"), (second / name).read_text(encoding="utf-8")
        if name.endswith(".json"):
            assert without_timing(a) == without_timing(b), name
            assert [line for line in a.splitlines() if '"execution_time"' not in line] == \
                   [line for line in b.splitlines() if '"execution_time"' not in line], name
        else:
            assert a == b, name


# --- a run writes nothing but its named outputs ---------------------------------------------------


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` with its kind and a hash of its content."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[str(path.relative_to(folder))] = oct(stat.S_IFMT(info.st_mode))
    return found


@pytest.fixture
def sandbox(tmp_path):
    """Empty folders for the working directory, HOME and TMPDIR, and an environment that points at them."""
    places = {name: tmp_path / name for name in ("cwd", "home", "tmp", "submission", "out")}
    for folder in places.values():
        folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "AUTOGRADER_", "XDG_", "JUPYTER"))}
    env.update(HOME=str(places["home"]), TMPDIR=str(places["tmp"]), TEMP=str(places["tmp"]), TMP=str(places["tmp"]),
               PYTHONPATH=str(ROOT))
    return places, env


SUBMISSIONS = {
    "answers.md": gaussian_markdown().encode(),
    "answers.ipynb": dumps(notebook(gaussian_cells())),
    "answers.zip": write_zip([entry("../../escape.md", b"x"), entry("hw/answers.md", gaussian_markdown().encode())]),
}


@pytest.mark.parametrize("name", SUBMISSIONS)
def test_the_command_line_writes_only_its_outputs(sandbox, name):
    places, env = sandbox
    submission = places["submission"] / name
    submission.write_bytes(SUBMISSIONS[name])
    before = {key: tree(folder) for key, folder in places.items()}
    proc = subprocess.run([sys.executable, "-m", "grader", str(submission), "--json", str(places["out"] / "r.json"),
                           "--html", str(places["out"] / "r.html")], cwd=places["cwd"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "total 40 / 40" in proc.stdout
    after = {key: tree(folder) for key, folder in places.items()}
    assert sorted(after.pop("out")) == ["r.html", "r.json"] and before.pop("out") == {}
    assert after == before  # cwd, HOME, TMPDIR and the submission folder are as they were
    assert not (places["submission"].parent.parent / "escape.md").exists()


def test_run_autograder_writes_only_results_json(sandbox):
    places, env = sandbox
    root = places["cwd"] / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "answers.ipynb").write_bytes(SUBMISSIONS["answers.ipynb"])
    before = {key: tree(folder) for key, folder in places.items() if key != "out"}
    env.update(AUTOGRADER_ROOT=str(root), GRADER_PYTHON=sys.executable, GRADER_RUBRIC="gaussian-em")
    proc = subprocess.run([str(ROOT / "run_autograder")], cwd=places["cwd"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = {key: tree(folder) for key, folder in places.items() if key != "out"}
    added = set(after["cwd"]) - set(before["cwd"])
    assert added == {"autograder/results", "autograder/results/results.json"}, added
    assert json.loads((root / "results" / "results.json").read_text())["score"] == 40.0
    for key in ("home", "tmp", "submission"):
        assert after[key] == before[key], key  # the worker's private folder is gone again
