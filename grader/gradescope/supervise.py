"""Run the grading worker in a child process under a memory and a time limit, and say how it ended.

A submission can make the grader slow (a huge matrix, a pathological expression) or greedy, and
Gradescope's own answer to either is a 0 with nothing shown, or "Killed". So grading runs in a
child: its address space is capped with RLIMIT_AS (set between fork and exec, Linux), it gets a
wall-clock deadline, and it runs in its own session so that a timeout kills it and anything it
started. The parent stays small and outlives it to write results.json either way.

The worker writes its results.json to a private temporary folder; ``run_worker`` returns it parsed
only when the worker exited 0 and the file has Gradescope's shape, never trusting a half-written
or malformed file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.gradescope.results import shape_problems
from grader.gradescope.worker import EXIT_MEMORY, MEMORY_WORDS

# One BLAS thread: Gradescope gives about half a CPU, and every extra OpenBLAS thread reserves
# address space that counts against RLIMIT_AS.
QUIET_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Limits:
    memory_mb: float
    time_s: float


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ok", "memory", "time", "crash"
    data: dict | None  # the worker's results.json, when kind == "ok"
    detail: str  # for instructors: exit status, stderr, what was wrong with the file
    stdout: str = ""


def _limit_memory(megabytes: float):
    def apply() -> None:
        import resource

        limit = int(megabytes * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file from a crash
    return apply


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def _classify(code: int, stderr: str) -> str:
    if code == EXIT_MEMORY or any(w in stderr for w in MEMORY_WORDS):
        return "memory"
    if code == -signal.SIGKILL:  # the kernel's OOM killer uses SIGKILL; our own timeout is told apart earlier
        return "memory"
    return "crash"


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid in results.json")


def _exit_words(code: int) -> str:
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def run_worker(python: str, submission: Path, rubric: str | None, notes: list[str], limits: Limits) -> Outcome:
    """Grade ``submission`` in a limited child process; never raises for what the child does."""
    with tempfile.TemporaryDirectory(prefix="grader-worker-") as private:
        out = Path(private) / "results.json"
        cmd = [python, "-m", "grader.gradescope.worker", str(submission), "--out", str(out)]
        if rubric:
            cmd += ["--rubric", rubric]
        for note in notes:
            cmd += ["--note", note]
        env = {**QUIET_THREADS, **os.environ}
        preexec = _limit_memory(limits.memory_mb) if sys.platform.startswith("linux") else None
        try:
            proc = subprocess.Popen(cmd, cwd=private, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, errors="replace", preexec_fn=preexec,
                                    start_new_session=True)
        except OSError as exc:
            return Outcome("crash", None, f"could not start the worker {python!r}: {exc}")
        try:
            stdout, stderr = proc.communicate(timeout=limits.time_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            try:
                stdout, stderr = proc.communicate(timeout=5)
            except subprocess.TimeoutExpired:  # a descendant that left the group still holds the pipes
                proc.kill()
                stdout, stderr = "", ""
            return Outcome("time", None, f"still running after {limits.time_s:g} s: killed\n{stderr}", stdout)
        if proc.returncode != 0:
            kind = _classify(proc.returncode, stderr)
            return Outcome(kind, None, f"worker {_exit_words(proc.returncode)}\n{stderr}", stdout)
        try:
            data = json.loads(out.read_text(encoding="ascii"), parse_constant=_no_constants)
        except (OSError, ValueError) as exc:
            return Outcome("crash", None, f"the worker exited 0 without a readable results.json: {exc}\n{stderr}",
                           stdout)
        problems = shape_problems(data)
        if problems:
            return Outcome("crash", None, "the worker's results.json is malformed: " + "; ".join(problems), stdout)
        return Outcome("ok", data, stderr, stdout)
