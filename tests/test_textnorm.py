import pytest

from grader.textnorm import normalize


@pytest.mark.parametrize(
    "raw,normal",
    [
        ("X₃ and X₄", "X_3 and X_4"),
        ("Σ₃₄ = 0", "Σ_{34} = 0"),
        ("Aᵀ", "A^T"),
        ("X⁻¹", "X^{-1}"),
        ("∂/∂X = ᵗA", "∂/∂X = A^T"),  # a prefix transpose is written after its matrix
        ("(ᵀB₁)", "(B_1^T)"),
        ("ᵗ(AB)", "(AB)^T"),
        ("KᵀLᵀ", "K^TL^T"),  # after an operand: a postfix transpose, as before
        ("𝑋3 −0.96", "X3 -0.96"),
        ("ＸＹ１２", "XY12"),
        ("a\u00a0b", "a b"),
        ("µ1", "μ1"),
        ("line\r\nnext\rlast", "line\nnext\nlast"),
        ("nul\x00zero\u200bwidth", "nulzerowidth"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("", ""),
    ],
)
def test_normalize(raw, normal):
    assert normalize(raw) == normal


def test_idempotent():
    text = "X₃ᵀ −𝑋⁻¹ Σ₃₄ µ"
    assert normalize(normalize(text)) == normalize(text)
