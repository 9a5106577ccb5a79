"""Grade many submissions in worker processes; no one submission can stop the batch.

Each worker loads the rubric and compiles the report template once (``_init_worker``), then takes
chunks of submissions: one message per chunk instead of per submission keeps the pool's overhead
below the grading itself. Every submission is isolated three ways:

- an exception while grading it becomes its row, with the reason (``failure="crash"``);
- a deadline (SIGALRM, ``timeout`` seconds) stops a submission stuck in Python code or in a
  regular expression (``failure="timeout"``); the exception derives from BaseException so the
  grader's own per-question ``except Exception`` cannot swallow it;
- in a worker, a CPU-time limit (RLIMIT_CPU) kills the process if it is stuck where no signal
  handler runs (C code). A dead worker breaks the pool: the unfinished submissions are retried, one
  per task, then alone in a pool of one, so only the culprit is marked (``failure="crash"``).

With one worker everything runs in this process (no pool to start, simplest to debug); only the
SIGALRM deadline applies there. Each worker writes its own reports, so only the results travel back.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from grader.batch.discover import Submission
from grader.model import Result

REPORTS = "reports"
MAX_CHUNK = 8  # submissions per task: small enough that the last tasks finish together


@dataclass(frozen=True)
class Config:
    rubric: str | None  # a rubric name or path; None: recognise each submission's homework
    out: Path  # the batch's output folder; reports go to out/reports/
    timeout: float = 30.0  # seconds of grading per submission


@dataclass(frozen=True)
class Graded:
    submission: Submission
    result: Result
    report: str = ""  # the report's path relative to the output folder ("" if none could be written)
    failure: str = ""  # "" (graded), "unreadable", "timeout" or "crash"
    seconds: float = 0.0


class GradingTimeout(BaseException):
    """A submission's deadline passed."""


_CONFIG: Config | None = None
_IN_WORKER = False


def warm_up(config: Config) -> None:
    """Import the readers, load the rubric and compile the report template: once per process.

    Called in the parent before the pool starts too: forked workers then inherit all of it instead
    of each paying ~100 ms on its first submission.
    """
    import grader.grade  # noqa: F401
    from grader.render.mathml import to_mathml
    from grader.render.report import template

    for module in ("grader.read.markdown", "grader.read.latex", "grader.read.notebook"):
        try:
            importlib.import_module(module)
        except ImportError:  # a reader's optional dependency: its submissions will say so
            pass
    template("report.html.j2")
    to_mathml("x")
    if config.rubric:
        from grader.rubric import load_rubric

        load_rubric(config.rubric)


def _init_worker(config: Config, in_worker: bool = True) -> None:
    """Per process: remember the settings and warm up."""
    global _CONFIG, _IN_WORKER
    _CONFIG, _IN_WORKER = config, in_worker
    if in_worker:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    warm_up(config)


@contextmanager
def _deadline(seconds: float):
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise GradingTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _limit_cpu(seconds: float) -> None:
    """Let this worker use ``seconds`` more CPU time, then be killed by the kernel (SIGXCPU)."""
    try:
        import resource
    except ImportError:  # not on this platform: the SIGALRM deadline still applies
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _rubric(config: Config, rubric_id: str = ""):
    from grader.rubric import load_rubric

    name = config.rubric or rubric_id
    try:
        return load_rubric(name) if name else None
    except Exception:  # a rubric that loaded once in the parent; never let it stop a report
        return None


def failed(sub: Submission, error: str, config: Config) -> Result:
    from grader.grade import failed_result

    return failed_result(sub.path.name, error, _rubric(config))


def _write_report(sub: Submission, result: Result, config: Config) -> str:
    from grader.render.report import write_report

    rubric = _rubric(config, result.rubric_id)
    show_expected = rubric.show_expected == "visible" if rubric else True
    relative = f"{REPORTS}/{sub.id}.html"
    try:
        write_report(result, config.out / relative, show_expected, sub.name)
    except Exception:  # a page the template cannot render: say so in a plain one rather than lose the row
        try:
            write_report(failed(sub, "the feedback page could not be rendered; the score stands", config),
                         config.out / relative, show_expected, sub.name)
        except Exception:
            return ""
    return relative


def grade_one(sub: Submission, config: Config | None = None) -> Graded:
    """Grade one submission and write its report; every failure becomes a value."""
    config = config or _CONFIG
    started = time.perf_counter()
    failure = ""
    try:
        if _IN_WORKER:
            _limit_cpu(2 * config.timeout + 5)
        with _deadline(config.timeout):
            if sub.problem:
                result = failed(sub, sub.problem, config)
            else:
                from grader import pipeline

                result = pipeline.grade(sub.path, config.rubric)
        failure = "unreadable" if result.error else ""
    except GradingTimeout:
        result = failed(sub, f"grading took longer than {config.timeout:g} s and was stopped; "
                             "a person should grade this submission", config)
        failure = "timeout"
    except Exception as exc:  # the grader's fault, not the student's: one row says so
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        result = failed(sub, f"the grader failed on this submission (not the student's fault): {detail}", config)
        failure = "crash"
    report = _write_report(sub, result, config)
    return Graded(sub, result, report, failure, time.perf_counter() - started)


def _grade_chunk(items: list[tuple[int, Submission]]) -> list[tuple[int, Graded]]:
    return [(i, grade_one(sub)) for i, sub in items]


def crashed(sub: Submission, config: Config) -> Graded:
    """The row of a submission whose worker process died under it."""
    result = failed(sub, "the grading process died on this submission (killed, out of memory or over "
                         "the CPU limit); a person should grade it", config)
    return Graded(sub, result, _write_report(sub, result, config), "crash")


def chunk_size(n: int, workers: int) -> int:
    """About six chunks per worker, so a slow chunk does not leave the other workers idle at the end."""
    return max(1, min(MAX_CHUNK, n // (workers * 6)))


def _context():
    """fork on Linux when this process has no other thread: workers start warm (see warm_up).

    Python 3.14 made forkserver Linux's default because forking a threaded process is unsafe; with
    a single thread it is safe, and a forkserver worker would import everything again.
    """
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None  # the platform's default


def _pool_round(items, workers: int, size: int, config: Config, done: dict, progress) -> list:
    """Grade ``items`` in a fresh pool; return those left unfinished by a worker that died."""
    left = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker,
                             initargs=(config,)) as pool:
        futures = {pool.submit(_grade_chunk, items[k:k + size]): items[k:k + size]
                   for k in range(0, len(items), size)}
        try:
            for future in as_completed(futures):
                try:
                    graded = future.result()
                except BrokenProcessPool:
                    left += futures[future]
                    continue
                except Exception:  # e.g. a result that could not be sent back: retry it alone
                    left += futures[future]
                    continue
                for i, g in graded:
                    done[i] = g
                if progress:
                    progress.advance(len(graded))
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return sorted(left, key=lambda item: item[0])


def run_batch(subs: list[Submission], config: Config, workers: int = 1, progress=None) -> list[Graded]:
    """Grade ``subs`` (in that order in the answer), writing a report for each into config.out."""
    (config.out / REPORTS).mkdir(parents=True, exist_ok=True)
    done: dict[int, Graded] = {}
    if workers <= 1 or len(subs) <= 1:
        _init_worker(config, in_worker=False)
        for i, sub in enumerate(subs):
            done[i] = grade_one(sub, config)
            if progress:
                progress.advance()
    else:
        warm_up(config)
        items = list(enumerate(subs))
        left = _pool_round(items, workers, chunk_size(len(items), workers), config, done, progress)
        if left:  # a worker died: retry one per task, so a second death narrows it down
            left = _pool_round(left, workers, 1, config, done, progress)
        for item in left:  # alone in its own pool: a death now is this submission's doing
            if _pool_round([item], 1, 1, config, done, progress):
                done[item[0]] = crashed(item[1], config)
                if progress:
                    progress.advance()
    graded = [done[i] for i in range(len(subs))]
    homeworks = {g.result.rubric_id for g in graded if not g.result.error}
    if config.rubric is None and len(homeworks) == 1:  # rows nothing was read from are out of that homework's total
        from dataclasses import replace

        from grader.grade import failed_result

        homework = _rubric(config, homeworks.pop())
        graded = [replace(g, result=failed_result(g.result.submission, g.result.error, homework))
                  if homework and g.result.error and not g.result.questions else g for g in graded]
    return graded


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
