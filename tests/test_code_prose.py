"""A run code cell's program is no prose: only its comments and docstrings are read for verdicts and phrases."""

from __future__ import annotations

from grader.extract.answer import Answer
from grader.extract.code_prose import code_prose
from grader.model import Block, BlockKind, Region

CELL = ('"""Problem 2 (b): no, the means shrink to 0."""\n'
        'print("2b) converges to (-1, 1)?", mu[1] > 0.99)  # converges to 0, slowly\n'
        'x = "correlated"\n')


def test_comments_and_docstrings_stay_and_the_rest_is_blank_with_its_offsets():
    prose = code_prose(CELL)
    assert len(prose) == len(CELL) and prose.count("\n") == CELL.count("\n")
    assert '"""Problem 2 (b): no, the means shrink to 0."""' in prose
    assert "# converges to 0, slowly" in prose
    assert "(-1, 1)" not in prose and "correlated" not in prose and "print" not in prose


def test_a_string_left_open_ends_at_its_line_and_the_comments_after_it_are_read():
    code = ('print("unterminated\n# Q1: A^T\n"""a docstring\nover lines"""  # and a comment\n'
            's = "an assigned string"\nx = 1\n')
    prose = code_prose(code)
    assert len(prose) == len(code) and "# Q1: A^T" in prose and '"""a docstring\nover lines"""' in prose
    assert "# and a comment" in prose and "print" not in prose and "x = 1" not in prose
    assert "assigned" not in prose  # a value in the program, not a docstring


def _answer(*blocks: Block) -> Answer:
    return Answer.from_region(Region("2b", blocks, (), ""))


def test_only_a_cell_that_was_run_loses_its_code():
    code = Block(BlockKind.CODE, CELL, "cell 1")
    run = _answer(code, Block(BlockKind.OUTPUT, "2b) converges to (-1, 1)? False", "cell 1 output"))
    assert "(-1, 1)?" not in run.prose_text()[: len(CELL)] and run.prose_text().endswith("(-1, 1)? False")
    never_run = _answer(code)
    assert never_run.prose_text() == never_run.text  # its text is all that states its answers


def test_the_program_s_words_are_no_verdict_and_the_printed_judgement_is():
    affirm, deny = ["converg* to|towards *3 -1 and 1", "converg* to *2 -1 *2 1"], ["converg* to 0"]
    code = Block(BlockKind.CODE, 'print("2b) converges to (-1, 1)?", False)\n', "cell 1")
    answer = _answer(code, Block(BlockKind.OUTPUT, "2b) converges to (-1, 1)? False", "cell 1 output"))
    stance = answer.stance(affirm, deny, True)
    assert stance.value is False and "(-1, 1)" in stance.evidence


def test_the_formula_in_a_run_cell_s_comment_is_the_expression_not_its_code():
    code = Block(BlockKind.CODE, "# Q2: d det(X)/dX = det(X) * X^{-T}   (= cofactor matrix of X)\n"
                                 "G[i, j] = (np.linalg.det(X + E) - np.linalg.det(X - E)) / (2 * eps)\n"
                                 "print(G.shape, np.allclose(G, np.linalg.det(X) * np.linalg.inv(X).T))\n", "cell 1")
    answer = _answer(code, Block(BlockKind.OUTPUT, "(4, 4) True", "cell 1 output"))
    found = answer.final_expression()
    assert found is not None and found.snippet == "det(X) * X^{-T}", found


def test_the_starting_values_of_a_run_simulation_are_not_the_answer():
    answer = _answer(Block(BlockKind.PROSE, "So $\\mu_1 = -0.96$, $\\mu_2 = 0.96$.", "cell 1"),
                     Block(BlockKind.CODE, "mu1, mu2 = -2.0, 2.0\nfor t in range(5):\n    mu1, mu2 = step(mu1, mu2)\n",
                           "cell 2"),
                     Block(BlockKind.OUTPUT, "5 -0.508 0.508", "cell 2 output"))
    variables = {"mu1": ["\\mu_1", "mu1"], "mu2": ["\\mu_2", "mu2"]}
    assert answer.assignments(variables).values == {"mu1": -0.96, "mu2": 0.96}


def test_a_printed_check_that_could_not_be_computed_is_no_result():
    text = ("$$\\frac{\\partial \\mathrm{Tr}(XA)}{\\partial X} = (A_{ji})_{ij}$$\n\n"
            "```\nprint(...)\n```\n")
    answer = _answer(Block(BlockKind.MATH, "\\frac{\\partial \\mathrm{Tr}(XA)}{\\partial X} = (A_{ji})_{ij}", "cell 1"),
                     Block(BlockKind.CODE, "print('max |G - A| =', diff)", "cell 2"),
                     Block(BlockKind.OUTPUT, "max |G - A| = n/a (shapes differ: (2, 3))", "cell 2 output"))
    assert answer.final_expression().latex == "(A_{ji})_{ij}"
