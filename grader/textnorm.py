"""One normal form for the text students type, applied by every reader.

Students write the same symbol many ways: X₃, X_3 and 𝑋3; −0.96 (U+2212) and -0.96; Aᵀ and A^T;
full-width digits; non-breaking spaces. Later stages match one form only, so this module maps:

- a prefix transpose (the French ᵗA, or ᵀ written before a letter at the start of a term) to the postfix
  form (ᵗA → A^T) before anything else: "^TA" would read as a power of nothing;
- sub- and superscript runs to LaTeX (X₃₄ → X_{34}, Aᵀ → A^{T}, X⁻¹ → X^{-1}) before NFKC would
  flatten them into plain letters (NFKC turns ᵀ into T and ² into 2, losing the meaning);
- then NFKC (math italic 𝑋 → X, full-width → ASCII, no-break space → space, µ → μ);
- minus-like dashes to '-', zero-width characters and NUL away, lone surrogates to U+FFFD,
  line endings to '\\n'.

Greek letters stay as they are (μ, Σ): extractors accept both μ and \\mu.
"""

from __future__ import annotations

import re
import unicodedata

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₒₓᵢⱼₖₗₘₙₚₛₜ", "0123456789+-aeoxijklmnpst")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ᵀᵗⁿⁱ", "0123456789+-TTni")
_SUB_RUN = re.compile("[₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₒₓᵢⱼₖₗₘₙₚₛₜ]+")
_SUP_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ᵀᵗⁿⁱ]+")
# A transpose mark that follows no operand (start, blank, operator, opening bracket) and precedes a letter
# (with its subscripts) or a bracket without brackets inside: it is written before its matrix.
_PREFIX_TRANSPOSE = re.compile(r"(?<![\w)\]}'′^])[ᵗᵀ]([^\W\d_][₀₁₂₃₄₅₆₇₈₉ₐₑₒₓᵢⱼₖₗₘₙₚₛₜ]*|\([^()\n]{1,40}\))")
_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"})
_INVISIBLE = re.compile("[\u0000\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _script(run: str, mark: str, table: dict) -> str:
    plain = run.translate(table)
    return f"{mark}{plain}" if len(plain) == 1 else f"{mark}{{{plain}}}"


def normalize(text: str) -> str:
    """Return ``text`` in the grader's normal form (idempotent)."""
    if not text:
        return ""
    text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PREFIX_TRANSPOSE.sub(r"\1ᵀ", text)
    text = _SUB_RUN.sub(lambda m: _script(m.group(0), "_", _SUBSCRIPTS), text)
    text = _SUP_RUN.sub(lambda m: _script(m.group(0), "^", _SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_MINUS)
    return _INVISIBLE.sub("", text)
