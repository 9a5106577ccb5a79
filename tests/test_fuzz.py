"""Property-based fuzzing of the readers, the segmenter, the extractors and the math parser.

The properties are the pipeline's promises about hostile input: nothing but UnreadableSubmission leaves the
readers, nothing at all leaves grade_document (a checker's own failure would be a "grader error", and the
fuzz fails on those too: they are bugs), the math layer raises only its own documented errors, and no call
takes longer than CALL_SECONDS.

CI runs a fixed, bounded budget: ``derandomize=True`` derives the examples from each test itself, so every run
tries the same ones, and no example database is written. Locally, ``GRADER_FUZZ_EXAMPLES=5000`` fuzzes longer and
``GRADER_FUZZ_RANDOM=1`` draws new examples on each run; hypothesis prints a failing example, which then goes into
an ``@example`` here so that CI keeps trying it.
"""

from __future__ import annotations

import json
import math
import os
import time
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from grader.model import Status
from grader.read import UnreadableSubmission, read_bytes, read_text

from bad_inputs.bases import ZipEntry, deflate, write_zip

CALL_SECONDS = 2.0
FUZZ = settings(derandomize=not os.environ.get("GRADER_FUZZ_RANDOM"), database=None,
                deadline=timedelta(seconds=2 * CALL_SECONDS),
                max_examples=int(os.environ.get("GRADER_FUZZ_EXAMPLES", "120")), print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of what students write, what the readers and extractors look for, and what breaks naive parsers.
PIECES = [
    "# ", "## ", "### Part (a)", "(a)", "(b)", "A)", "Problem 1", "Problem 2", "**Question 1 :**", "Solution:", "1.",
    "**", "*", "_", "`", "```", "~~~", "> ", "- ", "|", "---", "\n", "\n\n", " ", "\t", "\u00a0", "\u200b",
    "$", "$$", "\\[", "\\]", "\\(", "\\)", "\\begin{bmatrix}", "\\end{bmatrix}", "\\begin{align}", "\\end{align}",
    "\\begin{verbatim}", "&", "\\\\", "{", "}", "(", ")", "[", "]", "\\frac", "\\boxed{", "\\textbf{", "^", "_",
    "^{-1}", "^T", "^\\top", "'", "\\det", "\\operatorname{tr}", "\\mathcal{N}", "\\sim", "\\mid", "=", "==", ":=",
    "\\approx", "-", "+", "/", "*", "!", ",", ";", "0", "1", "2", "-0.96", "0.96", "1/2", "1e308", "9" * 60,
    "10^{10^{10}}", "\\infty", "NaN", "nan", "inf", "A", "X", "Q_{34}", "\\Sigma_{34}", "\\mu_1", "\\mu_2", "mu1",
    "μ₁", "X₃", "𝑋", "−", "０", "Σ", "\\{X_1\\}", "yes", "No.", "not", "never", "converges to 0",
    "the data points",
    "Markov blanket", "uncorrelated", "tanh", "\\section*{", "\\subsection*{(a)}", "\\documentclass{article}",
    "\\begin{document}", "\\end{document}", "\\input{/etc/passwd}", "\\write18{", "%", "<script>", "</script>",
    "javascript:", "\ud800", "\x00", "\x1b", "\ufeff", "a" * 40,
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=50).map("".join)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["source", "cell_type", "outputs",
                                                                                  "metadata", "text", "data", "k"])
                                                                | st.text(max_size=5), inner, max_size=4),
    max_leaves=20)
sources = texts | st.lists(texts | st.integers() | st.none(), max_size=4) | json_values
outputs = st.lists(st.fixed_dictionaries({
    "output_type": st.sampled_from(["stream", "execute_result", "display_data", "error", "pyout"]) | texts,
    "name": st.sampled_from(["stdout", "stderr"]), "text": sources,
    "data": st.dictionaries(st.sampled_from(["text/plain", "text/markdown", "text/latex", "image/png"]), sources,
                            max_size=3)}) | json_values, max_size=3)
cells = st.fixed_dictionaries({
    "cell_type": st.sampled_from(["markdown", "code", "raw", "heading"]) | json_values,
    "source": sources, "metadata": json_values | st.just({"tags": ["question:2a"]}), "outputs": outputs,
    "id": st.sampled_from(["same", "a"]) | json_values}) | json_values
notebooks = st.fixed_dictionaries({
    "cells": st.lists(cells, max_size=8) | json_values,
    "nbformat": st.sampled_from([4, 3, 99, "4", None, True]) | json_values,
    "nbformat_minor": st.integers(-1, 10) | json_values, "metadata": json_values}) | json_values

zip_entries = st.builds(
    ZipEntry, name=st.sampled_from(["answers.md", "hw.ipynb", "../x.md", "/abs.tex", "a/b.txt", "inner.zip", ".h",
                                    "__MACOSX/x.md", "C:\\x.md", ""]) | st.text(max_size=8),
    payload=texts.map(lambda t: deflate(t.encode("utf-8", "surrogatepass"))) | st.binary(max_size=64),
    size=st.integers(0, 2**32 - 1), crc=st.integers(0, 2**32 - 1), method=st.sampled_from([0, 8, 12, 99]),
    mode=st.sampled_from([0, 0o100644, 0o120777, 0o040755, 0o010644]), flags=st.sampled_from([0, 1, 0x800, 0x801]))
files = (st.binary(max_size=3000)
         | texts.map(lambda t: t.encode("utf-8", "surrogatepass"))
         | texts.map(lambda t: t.encode("utf-16", "surrogatepass"))
         | notebooks.map(lambda nb: json.dumps(nb).encode())
         | st.lists(zip_entries, max_size=4).map(write_zip)
         | st.tuples(st.lists(zip_entries, max_size=3).map(write_zip), st.integers(0, 400))
         .map(lambda cut: cut[0][: -cut[1]]))  # a zip cut short
names = st.sampled_from(["hw.md", "hw.ipynb", "hw.tex", "hw.txt", "hw.zip", "answers", "x.pdf"])


def timed(call, *args, **kwargs):
    started = time.perf_counter()
    result = call(*args, **kwargs)
    elapsed = time.perf_counter() - started
    assert elapsed < CALL_SECONDS, f"{call.__name__} took {elapsed:.2f} s"
    return result


@pytest.fixture(scope="module")
def rubrics():
    from grader.rubric import load_rubric

    return [load_rubric("gaussian-em"), load_rubric("basic-knowledge")]


# --- readers ------------------------------------------------------------------------------------


@FUZZ
@given(data=files, name=names)
def test_read_bytes_raises_only_unreadable_submission(data, name):
    try:
        doc = timed(read_bytes, data, name)
    except UnreadableSubmission as refused:
        assert str(refused).strip() and "Traceback" not in str(refused)
        return
    assert doc.format in ("markdown", "notebook", "latex")


@FUZZ
@given(text=texts, fmt=st.sampled_from(["markdown", "latex"]))
def test_text_readers_never_raise(text, fmt):
    doc = timed(read_text, text, "hw", fmt)
    assert all(isinstance(b.text, str) for b in doc.blocks)


@FUZZ
@given(nb=notebooks)
def test_notebook_reader_raises_only_unreadable_submission(nb):
    try:
        doc = timed(read_text, json.dumps(nb), "hw.ipynb")
    except UnreadableSubmission:
        return
    assert doc.format == "notebook"


# --- segment, extract, check: the whole middle of the pipeline ------------------------------------


@FUZZ
@given(text=texts, which=st.integers(0, 1))
@example(text="# Problem 2\n\n## (a)\n\n$\\mu_1 = \\end$", which=0)  # a grader error before the fix
def test_grading_any_text_never_raises_nor_faults(text, which, rubrics):
    from grader.grade import grade_document
    from grader.segment import segment

    doc = read_text(text, "hw.md", "markdown")
    regions = timed(segment, doc, rubrics[which])
    assert set(regions) == {q.id for q in rubrics[which].questions}
    result = timed(grade_document, doc, rubrics[which])
    faults = [(q.question_id, q.grader_error) for q in result.questions if q.status is Status.GRADER_ERROR]
    assert faults == []
    assert all(0.0 <= q.score <= q.points and math.isfinite(q.score) for q in result.questions)


@FUZZ
@given(text=texts)
@example(text="\\end")  # once an AttributeError in grader.extract.assignments
@example(text="$\\mu_1 = \\begin{} 3$")
def test_extractors_never_raise(text):
    from grader.extract.assignments import final_assignment
    from grader.extract.expressions import derivation_chains, final_expression, find_expressions
    from grader.extract.matrices import final_matrix, find_vectors
    from grader.extract.numbers import find_numbers, math_spans
    from grader.extract.phrases import find_all_phrases
    from grader.extract.sets import final_set
    from grader.extract.stance import extract_stance
    from grader.extract.variables import find_variable_pairs

    timed(find_numbers, text)
    timed(math_spans, text)
    timed(final_matrix, text)
    timed(find_vectors, text)
    timed(final_assignment, text, {"mu1": ["mu_1", "μ1"], "mu2": ["mu_2", "μ2"]}, {"mu": ["mu1", "mu2"]})
    timed(final_set, text)
    timed(find_variable_pairs, text)
    timed(extract_stance, text, ["converg* to *3 data points"], ["converg* to 0"], True)
    timed(find_all_phrases, text, ["markov blanket", "sigma_34 eq 0", "not * independent"])
    for target in ("final", "mean", "cov"):
        timed(find_expressions, text, target)
    timed(final_expression, text)
    timed(derivation_chains, text)


# --- the math parser and the comparisons -----------------------------------------------------------

SYMBOLS = {"A": "matrix(2, 3)", "X": "invertible(3)", "S": "spd(3)", "u": "vector(3)", "a": "scalar"}


@FUZZ
@given(latex=texts)
def test_math_layer_raises_only_its_own_errors(latex):
    from grader.mathexpr import MathEvalError, MathParseError, draw_environments, equivalent, evaluate, parse
    from grader.mathexpr.chain import split_chains

    try:
        expr = timed(parse, latex)
    except MathParseError as refused:
        assert refused.message.strip()
    else:
        for env in draw_environments(SYMBOLS):
            try:
                value = timed(evaluate, expr, env)
            except MathEvalError:
                continue
            assert np.all(np.isfinite(value))  # a value that is not finite is an error, never a result
    verdict = timed(equivalent, latex, "A^T", SYMBOLS)
    assert verdict.equivalent in (True, False, None)
    timed(split_chains, latex)


finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=64)


@FUZZ
@given(got=st.lists(finite_or_not, min_size=4, max_size=4), expected=st.lists(finite_or_not, min_size=4, max_size=4))
def test_comparisons_never_call_nan_or_infinity_equal(got, expected):
    from grader.checkers.values import _close
    from grader.mathexpr.equivalence import compare_values

    a, b = np.array(got).reshape(2, 2), np.array(expected).reshape(2, 2)
    verdict = compare_values(a, b, rtol=1e-6, atol=1e-9, draw=0, n_draws=1)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        assert verdict is not None and verdict.equivalent is False
    for x, y in zip(got, expected):
        if not math.isfinite(x):
            assert not _close(x, y, 0.5)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_matrix_checker_never_credits_nan_or_infinity(bad, monkeypatch):
    from grader.checkers import registry
    from grader.extract.answer import Answer, MatrixReading

    # the extractor reads no NaN from text; the comparison must still refuse one, whatever the tolerance
    read = np.array([[bad, -0.63], [-0.63, 0.66]])
    monkeypatch.setattr(Answer, "matrix", lambda self, *_: MatrixReading(read, "[[…]]", 0))
    params = {"expected": [[0.91, -0.63], [-0.63, 0.66]], "tol": 1e300}
    assert registry.call(registry.get("matrix"), "[[…]]", params).fraction == 0.0
    read[0, 0] = 1e299  # finite and within that tolerance: credited, so the NaN above is what failed
    assert registry.call(registry.get("matrix"), "[[…]]", params).fraction == 1.0
