"""Text geometry: one bracket matcher, one top-level splitter, one Greek table, for every stage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.textgeom import (
    GREEK_LETTERS, bracket_pairs, compact, greek_name, inside, snippet, snippet_at, split_top, split_top_pattern,
)


@pytest.mark.parametrize("text,pairs,unmatched", [
    ("{a}", {0: 2}, None),
    ("\\frac{a}{b}", {5: 7, 8: 10}, None),
    ("\\{a\\}", {}, None),  # escaped braces are literal
    ("\\\\{a}", {2: 4}, None),  # a line break, then a group
    ("{a", {}, 0),
    ("a}{b}", {2: 4}, 1),
])
def test_bracket_pairs(text, pairs, unmatched):
    assert bracket_pairs(text) == (pairs, unmatched)


def test_bracket_pairs_of_several_kinds():
    assert bracket_pairs("f(a, [b, c])", "([{", ")]}") == ({1: 11, 5: 10}, None)


@pytest.mark.parametrize("text,seps,parts", [
    ("a, b, c", ",", ["a", " b", " c"]),
    ("N(m, f(a, b)), c", ",", ["N(m, f(a, b))", " c"]),
    ("\\{a, b\\}, c", ",", ["\\{a", " b\\}", " c"]),  # \{ is not a bracket
    ("x|y; z", "|;", ["x", "y", " z"]),
])
def test_split_top(text, seps, parts):
    assert split_top(text, seps) == parts


def test_split_top_pattern_keeps_groups_and_environments_whole():
    equals = re.compile(r"=")
    assert split_top_pattern("a = \\frac{b=c}{d} = e", equals) == ["a ", " \\frac{b=c}{d} ", " e"]
    assert split_top_pattern("A = \\begin{cases} x = 1 \\end{cases}", equals) == ["A ", " \\begin{cases} x = 1 \\end{cases}"]


def test_greek_letters_are_named_once_for_every_stage():
    assert GREEK_LETTERS["μ"] == "mu" and GREEK_LETTERS["Σ"] == "Sigma" and GREEK_LETTERS["ϵ"] == "epsilon"
    assert greek_name("varepsilon") == "epsilon" and greek_name("Sigma") == "Sigma" and greek_name("x") is None


def test_no_stage_keeps_a_greek_table_or_a_bracket_matcher_of_its_own():
    grader = Path(__file__).resolve().parent.parent / "grader"
    own = []
    for path in grader.rglob("*.py"):
        if path.name == "textgeom.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "αβγ" in source or '"μ": "mu"' in source:
            own.append(f"{path.name}: a Greek table")
        if re.search(r"def _?(?:brace|bracket)_pairs|def _(?:split_top|top_split)\b", source):
            own.append(f"{path.name}: a bracket matcher or splitter")
    # the math lexer's brace_pairs refuses unbalanced braces on top of textgeom.bracket_pairs
    assert own == ["lexer.py: a bracket matcher or splitter"]


def test_spans_and_snippets():
    assert inside([(0, 3), (5, 9)], 6) and not inside([(0, 3), (5, 9)], 4)
    assert snippet("a\n  b   c", 0, 9) == "a b c"
    long = "x" * 1000
    assert len(snippet(long, 0, 1000)) <= 200 and " … " in snippet(long, 0, 1000)
    assert snippet_at("0123456789" * 5, 25, radius=5) == "…0123456789…"
    assert compact("a  b\nc", 10) == "a b c" and compact("abcdefghijkl", 5) == "abcd…"
