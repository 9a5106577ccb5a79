"""Each case of shared/BAD_INPUTS.md, graded as Gradescope would grade it.

For every case: the student is told the specific problem; the questions it affects get the stated
score and status and every other question keeps its full marks; grading takes less than a few seconds;
the submission's files are unchanged; results.json is strict ASCII JSON; nothing in the submission is
run. In this process an audit hook (sys.addaudithook) watches the grading itself: no file is opened
for writing, no process is started, no student code is compiled, and a file over the size limit is
never opened. Cases that only the finder or the supervisor can show run the real ``run_autograder``
on a submission folder.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import re
import stat
import subprocess
import sys
import time
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.read import max_file_bytes

from .corpus import ALL, Case, all_cases

ROOT = Path(__file__).resolve().parents[2]
RUN_AUTOGRADER = ROOT / "run_autograder"
BAD_INPUTS = ROOT.parent / "shared" / "BAD_INPUTS.md"
SECONDS_IN_PROCESS = 5.0  # generous: the slowest case takes about 1 s on a 2-core machine
SECONDS_AUTOGRADER = 30.0  # a child Python, numpy's import, the worker's own child

CASES = all_cases()


# --- watching the grading from inside the process -------------------------------------------------

_SPAWN_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                 "os.forkpty", "pty.spawn"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_watching: list[dict] = []


def _audit(event: str, args: tuple) -> None:
    if not _watching:  # the hook stays installed for the whole run; it costs nothing when idle
        return
    seen = _watching[-1]
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path, mode, flags = os.fsdecode(args[0]), args[1], args[2]
        seen["opened"].append(path)
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writes and "__pycache__" not in path:  # a lazily imported module may cache its bytecode
            seen["written"].append(path)
    elif event in _SPAWN_EVENTS:
        seen["spawned"].append((event, repr(args)[:200]))
    elif event == "compile" and seen["payload"] and isinstance(args[0], (str, bytes)):
        if seen["payload"] in (args[0] if isinstance(args[0], str) else args[0].decode("utf-8", "replace")):
            seen["compiled"].append(repr(args[0])[:200])


sys.addaudithook(_audit)


class Watch:
    """Records, while it is entered, what the audit hook sees in this process."""

    def __init__(self, payload: str = "") -> None:
        self.seen = {"opened": [], "written": [], "spawned": [], "compiled": [], "payload": payload}

    def __enter__(self) -> dict:
        _watching.append(self.seen)
        return self.seen

    def __exit__(self, *exc) -> None:
        _watching.remove(self.seen)


# --- grading ------------------------------------------------------------------------------------


def _reject(name: str):
    raise ValueError(f"{name} in results.json")


def load_results(path: Path) -> dict:
    """results.json as Gradescope reads it: ASCII, no NaN or Infinity, finite scores within bounds."""
    data = json.loads(path.read_bytes().decode("ascii"), parse_constant=_reject)
    for test in data["tests"]:
        assert math.isfinite(test["score"]) and 0.0 <= test["score"] <= test["max_score"], test
        json.dumps(test).encode("utf-8")  # a lone surrogate left in a string would fail here
    return data


def grade_here(case: Case, out: Path, monkeypatch) -> tuple[dict, str, dict]:
    """results.json and the HTML report, as the autograder's worker and ``--html`` make them."""
    from grader.checkers import registry
    from grader.pipeline import grade as grade_file
    from grader.gradescope.results import results_for
    from grader.render.gradescope import write_json
    from grader.render.html import render_html
    from grader.rubric import load_rubric

    rubric = load_rubric(case.rubric)
    if case.raising_checker:
        def explode(text, **params):
            raise RuntimeError("checker exploded on purpose")
        spec = registry.get(case.raising_checker)
        monkeypatch.setitem(registry._REGISTRY, case.raising_checker, replace(spec, func=explode))
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    with Watch(case.payload) as seen:
        result = grade_file(case.submission, case.rubric)
        data = results_for(result, rubric)
        html = render_html(result)
    write_json(data, out)
    return load_results(out), html, seen


def run_autograder(case: Case) -> tuple[dict, str, bytes]:
    """results.json parsed and as bytes, and the supervisor's stdout (which only instructors see)."""
    root = case.submission.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "AUTOGRADER_"))}
    env.update({"AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": sys.executable, "GRADER_RUBRIC": case.rubric,
                **case.env})
    proc = subprocess.run([str(RUN_AUTOGRADER)], env=env, capture_output=True, text=True, timeout=120,
                          cwd=root.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = root / "results" / "results.json"
    return load_results(results), proc.stdout, results.read_bytes()


def digest(path: Path) -> str:
    """Names, modes, times, link targets and contents under ``path`` (a sparse giant by its metadata)."""
    h = hashlib.sha256()
    paths = [path] if not path.is_dir() else sorted(path.rglob("*"))
    for p in paths:
        info = p.lstat()
        h.update(f"{p}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
        if stat.S_ISLNK(info.st_mode):
            h.update(os.readlink(p).encode("utf-8", "surrogateescape"))
        elif stat.S_ISREG(info.st_mode) and info.st_size < 100 * 2**20:
            h.update(p.read_bytes())
    return h.hexdigest()


def student_text(data: dict) -> str:
    return "\n".join([data["output"]] + [f"{t['name']}\n{t['output']}" for t in data["tests"]])


def question_outcomes(data: dict) -> dict[str, tuple[float, float, str]]:
    return {t["number"]: (t["score"], t["max_score"], t["extra_data"].get("status"))
            for t in data["tests"] if "status" in t["extra_data"]}


# --- the cases ------------------------------------------------------------------------------------


def test_all_42_cases_are_here():
    assert sorted({number for number, _, _ in CASES}) == list(range(1, 43))
    if BAD_INPUTS.is_file():  # the list itself, when shared/ is beside the repository
        listed = {int(n) for n in re.findall(r"(?:^|\s)(\d{1,2})\.\s", BAD_INPUTS.read_text(encoding="utf-8"))}
        assert listed == set(range(1, 43))


@pytest.mark.parametrize("make", [pytest.param(make, id=f"{n:02d}-{slug}") for n, slug, make in CASES])
def test_case(make, tmp_path, monkeypatch):
    (tmp_path / "case").mkdir()
    case: Case = make(tmp_path / "case")
    before = digest(case.submission)
    started = time.perf_counter()
    if case.via == "autograder":
        data, stdout, raw = run_autograder(case)
        bound = SECONDS_AUTOGRADER
    else:
        data, html, seen = grade_here(case, tmp_path / "out" / "results.json", monkeypatch)
        bound = SECONDS_IN_PROCESS
    elapsed = time.perf_counter() - started
    shown = student_text(data)

    assert case.says in shown, shown[-1500:]
    assert elapsed < bound, f"{elapsed:.1f} s"
    outcomes = question_outcomes(data)
    assert set(outcomes) == set(case.numbers)
    for number, (score, max_score, status) in outcomes.items():
        expected = case.affected.get(number) or case.affected.get(ALL) or (max_score, "correct")
        assert (score, status) == expected, (number, shown[-1500:])
    assert "Traceback" not in shown and "exploded" not in shown  # faults are told to instructors only
    assert digest(case.submission) == before
    for path in case.never:
        assert not path.exists(), path
    if case.via == "autograder":
        assert case.instructors in stdout, stdout
        if case.graded_twice:
            _, _, again = run_autograder(case)
            assert timeless(again) == timeless(raw) and b'"execution_time"' in raw
    else:
        assert seen["written"] == [] and seen["spawned"] == [] and seen["compiled"] == []
        if case.submission.stat().st_size > max_file_bytes():
            assert str(case.submission) not in seen["opened"]  # refused from its size alone
        EXTRA.get(make.__name__, lambda *a: None)(case, data, html)


def timeless(raw: bytes) -> list[bytes]:
    """results.json's lines but the timing field's: everything else must be the same bytes."""
    return [line for line in raw.splitlines() if not line.strip().startswith(b'"execution_time"')]


def test_the_watch_sees_writes_processes_and_compiled_payloads(tmp_path):
    with Watch("__import__('os')") as seen:
        (tmp_path / "w.txt").write_text("x")
        os.close(os.open(tmp_path / "o.txt", os.O_CREAT | os.O_WRONLY))
        subprocess.run(["true"], check=True)
        ast.parse("__import__('os').getcwd()")  # parsed, never run: the hook sees the compile all the same
        (tmp_path / "w.txt").read_text()
    assert seen["written"] == [str(tmp_path / "w.txt"), str(tmp_path / "o.txt")]
    assert seen["spawned"] and seen["compiled"] and str(tmp_path / "w.txt") in seen["opened"]


# --- what some cases must show beyond the common checks ----------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def html_shows_markup_as_text(case: Case, data: dict, html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in ("script", "img", "iframe", "object", "embed"), tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any("javascript:" in (value or "") for value in attrs.values()), (tag, attrs)
    assert "&lt;script&gt;" in html and "javascript:alert(2)" in html  # shown, as text
    policy = next(attrs["content"] for tag, attrs in parser.found
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src" not in policy  # nothing could run even if it got in
    for line in student_text(data).splitlines():  # Markdown: raw markup only inside indented code blocks
        if "<script" in line or "<img" in line:
            assert line.startswith("    "), line


def answer_echo_is_cut(case: Case, data: dict, html: str) -> None:
    test = next(t for t in data["tests"] if t["number"] == "2.b")
    assert len(test["output"]) < 5000 and "[…]" in test["output"]
    assert len(json.dumps(data)) < 100_000 and len(html) < 200_000
    assert test["extra_data"].get("needs_review") is True


def strings_are_clean(case: Case, data: dict, html: str) -> None:
    text = json.dumps(data, ensure_ascii=False)
    assert not re.search(r"\\u0000|\\ud[89a-f][0-9a-f]{2}", json.dumps(data)), "NUL or a surrogate in results.json"
    html.encode("utf-8")
    assert "\x00" not in text


# Strings that make a regular expression with nested or adjacent quantifiers backtrack for ever.
HOSTILE = [" " * 4000 + "x", "a" * 5000 + "!", "a " * 2500 + "!",
           "1" * 4000 + "x", "0." * 2000, "\\" * 4000, "{" * 4000, "(" * 4000, "$" * 4000, "*" * 4000, "#" * 4000,
           "_" * 4000 + "!", "\\frac{" * 700, "& " * 2000, "-" * 4000 + "x"]


def every_pattern_is_quick_as_used(case: Case, data: dict, html: str) -> None:
    """Every module-level regular expression of the grader, called the way its module calls it (match,
    search, finditer, sub, ...), takes less than a second on each hostile string."""
    import importlib
    import pkgutil

    import grader

    checked = 0
    for info in pkgutil.walk_packages(grader.__path__, "grader."):
        if info.name.endswith("__main__") or info.name.startswith("grader.authoring"):
            continue  # __main__ runs the command line; authoring is not part of grading
        module = importlib.import_module(info.name)
        source = Path(module.__file__).read_text(encoding="utf-8")
        for name, pattern in vars(module).items():
            if not isinstance(pattern, re.Pattern):
                continue
            methods = set(re.findall(rf"(?<![\w.]){re.escape(name)}\.(\w+)\(", source)) or {"search"}
            for text in HOSTILE:
                started = time.perf_counter()
                for method in methods & {"match", "fullmatch", "search", "findall", "finditer", "split", "sub",
                                         "subn"}:
                    call = getattr(pattern, method)
                    if method.startswith("sub"):
                        call("", text)
                    elif method == "finditer":
                        list(call(text))
                    else:
                        call(text)
                elapsed = time.perf_counter() - started
                assert elapsed < 1.0, (info.name, name, sorted(methods), text[:10], f"{elapsed:.2f} s")
            checked += 1
    assert checked > 100  # the walk found the grader's patterns


EXTRA = {"html_in_answer": html_shows_markup_as_text, "huge_answer": answer_echo_is_cut,
         "surrogates": strings_are_clean, "nul_bytes": strings_are_clean, "many_spaces": every_pattern_is_quick_as_used}
