"""A cold grade loads only what its path needs (issue 8): measured by the modules it imports,
not by time, so the test is as reliable on a loaded machine as on an idle one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
from grader.cli import main
code = main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def modules_after(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("submission", ["examples/gaussian-em-sample.md", "tests/fixtures/gaussian-em/part-headings.ipynb"])
def test_grading_gaussian_em_loads_no_optional_library(tmp_path, submission):
    loaded = modules_after(submission, "--json", str(tmp_path / "r.json"), "--quiet")
    for heavy in ("nbformat", "jinja2", "scipy", "latex2mathml", "grader.mathexpr", "grader.render.report",
                  "grader.batch", "grader.gradescope", "tempfile", "pypdf", "grader.read.pdf"):
        assert not any(m == heavy or m.startswith(heavy + ".") for m in loaded), heavy


def test_the_html_report_loads_jinja2_only_when_asked(tmp_path):
    loaded = modules_after("examples/gaussian-em-sample.md", "--html", str(tmp_path / "r.html"), "--quiet")
    assert "jinja2" in loaded
