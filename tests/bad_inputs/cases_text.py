"""Cases 26-42 of shared/BAD_INPUTS.md: math, text and output, the grading process, determinism."""

from __future__ import annotations

import json

from .bases import Q1_FORM, basic_markdown, dumps, gaussian_cells, gaussian_latex, gaussian_markdown, notebook
from .corpus import ALL, GOOD_NB, TOTAL, Case, case, submission_folder, write

TOWER = r"10^{10^{10}}"


def basic(tmp, q1: str, says: str, score_status: tuple[float, str], **kw) -> Case:
    """basic-knowledge with Q1's final expression replaced: its checks quote the expression layer's words."""
    path = write(tmp, "hw.md", basic_markdown(_1=Q1_FORM % q1))
    return Case(path, says, {"1": score_status}, rubric="basic-knowledge", **kw)


def gaussian_2a(tmp, answer: str, says: str, score_status: tuple[float, str] | None, **kw) -> Case:
    path = write(tmp, "hw.md", gaussian_markdown(_2a=answer))
    return Case(path, says, {"2.a": score_status} if score_status else {}, **kw)


# --- math ----------------------------------------------------------------------------------------

@case(26, "python-code-as-an-answer")
def code_answer(tmp):
    marker = tmp / "payload-ran"
    payload = f"__import__('os').system('touch {marker}')"
    answer = f"```python\n{payload}\n```\n\n{payload}\n\n$\\mu_1 = {payload}$"
    return gaussian_2a(tmp, answer, "No value for mu1, mu2 found", (0.0, "not_found"), never=(marker,),
                       payload="__import__('os')")


@case(26, "python-code-as-an-expression")
def code_expression(tmp):
    marker = tmp / "payload-ran"
    return basic(tmp, f"__import__('os').system('touch {marker}')", "could not read this expression: unexpected '_'",
                 (0.0, "unreadable"), never=(marker,), payload="__import__('os')")


@case(27, "exponent-tower")
def tower(tmp):
    return basic(tmp, TOWER, "exponent too large to evaluate (1e+10; the limit is 16)", (0.0, "unreadable"))


@case(27, "exponential-tower")
def e_tower(tmp):
    return basic(tmp, r"e^{e^{e^{10}}}", "too large to evaluate (an exponential overflows)", (0.0, "unreadable"))


@case(27, "factorial")
def factorial(tmp):
    return basic(tmp, "1000!", "could not read this expression: unexpected '!' near '1000!'", (0.0, "unreadable"))


@case(27, "tower-as-a-stated-value")
def tower_value(tmp):
    # mu1 cannot be read and is not credited; mu2 is right: half the points
    return gaussian_2a(tmp, rf"$\mu_1 = {TOWER}$ and $\mu_2 = 0.96$", "Read mu2 = 0.96.", (2.5, "partial"))


@case(28, "5000-digit-number")
def long_number(tmp):
    return basic(tmp, "9" * 5000, "expression too long (5000 characters; the limit is 2000)", (0.0, "unreadable"))


@case(28, "5000-digit-stated-value")
def long_value(tmp):
    return gaussian_2a(tmp, rf"$\mu_1 = -0.{'9' * 5000}$ and $\mu_2 = 0.96$", "Read mu2 = 0.96.", (2.5, "partial"))


@case(29, "unbalanced-frac")
def broken_frac(tmp):
    return basic(tmp, r"\frac{1}{", r"could not read this expression: unbalanced braces near '\frac{1}{'",
                 (0.0, "unreadable"))


@case(29, "empty-display-math")
def empty_math(tmp):
    path = write(tmp, "hw.md", basic_markdown(_1="$$ $$"))
    return Case(path, "No answer found for Q1", {"1": (0.0, "not_found")}, rubric="basic-knowledge")


@case(29, "double-equals")
def double_equals(tmp):
    return basic(tmp, "x == 3", "Read $3$: the answer is a scalar but the expected answer is a 2×3 matrix",
                 (0.0, "wrong"))


@case(30, "latex-input-and-write18")
def latex_commands(tmp):
    marker = tmp / "write18-ran"
    text = gaussian_latex().replace(
        "\\begin{document}\n",
        f"\\begin{{document}}\n\\input{{/etc/passwd}}\n\\immediate\\write18{{touch {marker}}}\n"
        "\\include{/etc/shadow}\\openout1=/tmp/grader-openout.tex\n", 1)
    return Case(write(tmp, "hw.tex", text), TOTAL, never=(marker, tmp / "grader-openout.tex"))


@case(30, "input-as-an-expression")
def input_expression(tmp):
    return basic(tmp, r"\input{/etc/passwd}", r"unsupported command \input near '\input{/etc/passwd}'",
                 (0.0, "unreadable"))


@case(31, "2000-nested-fracs")
def nested_fracs(tmp):
    return basic(tmp, r"\frac{1}{" * 2000 + "A^T" + "}" * 2000, "expression too long (", (0.0, "unreadable"))


@case(31, "5000-braces")
def deep_braces(tmp):
    return basic(tmp, "{" * 5000 + "A^T" + "}" * 5000, "expression too long (", (0.0, "unreadable"))


@case(31, "150-nested-brackets")
def deep_brackets(tmp):
    return basic(tmp, "(" * 150 + "A^T" + ")" * 150, "nested too deeply", (0.0, "unreadable"))


@case(32, "division-by-zero")
def division_by_zero(tmp):
    return basic(tmp, "A^T + 1/0", "division by zero", (0.0, "wrong"))


@case(32, "infinity-minus-infinity")
def inf_minus_inf(tmp):
    return basic(tmp, r"(\infty - \infty) A^T", "the value is not finite", (0.0, "wrong"))


@case(32, "huge-factor-overflowing-the-norm")
def huge_factor(tmp):
    # (10^16)^16 = 1e256: finite, but a norm of it overflows, and inf <= inf once made any answer "equal"
    return basic(tmp, r"(10^{16})^{16} X", "differs from the expected answer", (0.0, "wrong"))


@case(32, "nan")
def not_a_number(tmp):
    return basic(tmp, "NaN", "unknown symbols N, a", (0.0, "wrong"))


@case(32, "nan-and-infinity-as-values")
def nan_values(tmp):
    return gaussian_2a(tmp, r"$\mu_1 = \infty - \infty$, $\mu_2 = 1/0$, so $\mu_1 = NaN$ and $\mu_2 = nan$",
                       "No value for mu1, mu2 found", (0.0, "not_found"))


@case(33, "unicode-minus-fullwidth-nbsp-math-letters")
def unicode_forms(tmp):
    path = write(tmp, "hw.md", gaussian_markdown(
        _1a="No. The covariance entry Σ₃₄ = 0, so 𝑋3 and X₄ are **uncorrelated**.",
        _2a="After one step μ₁ = −０.９６ and\u00a0𝜇₂\u2009=\u00a00.96."))
    return Case(path, "Read mu1 = -0.96, mu2 = 0.96.")


@case(34, "two-different-final-values")
def two_final_values(tmp):
    answer = (r"$\mu_1 = \boxed{-0.96}$, $\mu_2 = \boxed{0.96}$. Or maybe $\mu_1 = \boxed{-0.5}$, "
              r"$\mu_2 = \boxed{0.5}$.")
    return gaussian_2a(tmp, answer, "concluding statements disagree", (0.0, "wrong"))


@case(34, "two-different-final-expressions")
def two_final_expressions(tmp):
    path = write(tmp, "hw.md", basic_markdown(_1=r"$$\nabla = \boxed{A^T}$$ or maybe $$\nabla = \boxed{A}$$"))
    return Case(path, "two different final results", {"1": (0.0, "wrong")}, rubric="basic-knowledge")


# --- text and output -----------------------------------------------------------------------------

@case(35, "4000-spaces-then-x")
def many_spaces(tmp):
    return gaussian_2a(tmp, " " * 4000 + "x", "No value for mu1, mu2 found", (0.0, "not_found"))


@case(35, "aaaa-then-bang")
def many_letters(tmp):
    path = write(tmp, "hw.md", gaussian_markdown(_2b="a" * 50_000 + "!"))
    return Case(path, "Found no clear verdict.", {"2.b": (0.0, "wrong")})


@case(36, "script-img-onerror-javascript-link")
def html_in_answer(tmp):
    answer = ('<script>document.title="pwned"</script><img src=x onerror="alert(1)"> '
              '[see](javascript:alert(2)) <a href="javascript:alert(3)">link</a> '
              r'$\mu_1 = -0.96$ and $\mu_2 = 0.96$.')
    return gaussian_2a(tmp, answer, TOTAL, None)


@case(37, "10-MB-answer")
def huge_answer(tmp):
    path = write(tmp, "hw.md", gaussian_markdown(_2b=("lorem ipsum dolor sit amet " * 40 + "\n\n") * 9500))
    return Case(path, "characters long, more than the 100,000 the grader reads; a person will grade it",
                {"2.b": (0.0, "unreadable")})


@case(38, "lone-surrogates-and-nul-in-a-notebook")
def surrogates(tmp):
    cells = gaussian_cells()
    cells[0]["source"] += " \ud83d half an emoji \udc00, a NUL \u0000 and \x01"
    text = json.dumps(notebook(cells))  # ASCII JSON with \ud83d and \u0000 escapes: valid JSON, odd strings
    assert "\\ud83d" in text and "\\u0000" in text
    return Case(write(tmp, "hw.ipynb", text), TOTAL)


@case(38, "nul-bytes-in-markdown")
def nul_bytes(tmp):
    data = gaussian_markdown().encode().replace(b"# Problem 1", b"# Pro\x00blem 1\x00", 1)
    return Case(write(tmp, "hw.md", data), "NUL characters in the file were removed")


# --- the grading process -------------------------------------------------------------------------

@case(39, "exception-inside-one-checker")
def checker_raises(tmp):
    # the test harness makes the "set" checker (only 1(c) uses it) raise while this case is graded
    return Case(write(tmp, "hw.md", gaussian_markdown()), "The grader failed on this question (not your fault)",
                {"1.c": (0.0, "grader_error")}, raising_checker="set")


def _wrapper(tmp, worker_part: str):
    """A GRADER_PYTHON that does ``worker_part`` instead of running the grading worker."""
    import sys

    path = tmp / "python-wrapper"
    path.write_text(f'#!/bin/sh\ncase "$*" in *grader.gradescope.worker*) {worker_part} ;; esac\n'
                    f'exec "{sys.executable}" "$@"\n')
    path.chmod(0o755)
    return str(path)


@case(40, "worker-killed-by-sigkill")
def worker_killed(tmp):
    folder = submission_folder(tmp)
    write(folder, "hw.ipynb", dumps(GOOD_NB))
    return Case(folder, "The grader ran out of memory on this submission", {ALL: (0.0, "grader_error")},
                via="autograder", env={"GRADER_PYTHON": _wrapper(tmp, "kill -KILL $$")},
                instructors="killed by signal SIGKILL")


@case(40, "worker-out-of-memory")
def worker_oom(tmp):
    folder = submission_folder(tmp)
    write(folder, "hw.ipynb", dumps(GOOD_NB))
    return Case(folder, "The grader ran out of memory on this submission", {ALL: (0.0, "grader_error")},
                via="autograder", env={"GRADER_MEMORY_LIMIT_MB": "40"}, instructors="GRADING FAILED (memory")


@case(41, "internal-deadline")
def deadline(tmp):
    folder = submission_folder(tmp)
    write(folder, "hw.ipynb", dumps(GOOD_NB))
    return Case(folder, "The grader ran out of time (1 s) on this submission", {ALL: (0.0, "grader_error")},
                via="autograder", env={"GRADER_PYTHON": _wrapper(tmp, "sleep 60"), "GRADER_TIME_LIMIT_S": "1"},
                instructors="still running after 1 s: killed")


@case(42, "graded-twice-through-run-autograder")
def regrade(tmp):
    folder = submission_folder(tmp)
    write(folder, "hw.ipynb", dumps(GOOD_NB))
    return Case(folder, TOTAL, via="autograder", graded_twice=True)
