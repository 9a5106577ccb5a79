"""Reference values written for people: numbers, pairs, matrices and sets of variables.

Rubric texts say ``{{cov_y}}`` or ``{{em_one_step:.3f}}`` and get the value the solutions module
computed, so feedback never drifts from the reference. Double braces keep LaTeX such as ``A^{T}``
in the same texts out of the way.
"""

from __future__ import annotations

import re

import numpy as np

_PLACEHOLDER = re.compile(r"\{\{ ?([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]{1,12}))? ?\}\}")


def format_value(value: object, spec: str = "") -> str:
    fmt = spec or ".2f"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if value != value:  # NaN: an entry the answer does not give ("?", a covariance not computed)
            return "?"
        text = format(float(value), fmt)
        return "0" if re.fullmatch(r"-?0\.?0*", text) else text
    if isinstance(value, (set, frozenset)):
        inner = ", ".join(f"X{i}" for i in sorted(value))
        return "{" + inner + "}" if inner else "∅"
    array = np.asarray(value) if isinstance(value, (list, tuple, np.ndarray)) else None
    if array is not None and array.ndim == 1:
        return "(" + ", ".join(format_value(float(x), spec) for x in array) + ")"
    if array is not None and array.ndim == 2:
        rows = ("[" + ", ".join(format_value(float(x), spec) for x in row) + "]" for row in array)
        return "[" + ", ".join(rows) + "]"
    return str(value)


def fill_placeholders(text: str, values: dict) -> str:
    """Replace {{name}} and {{name:spec}} by formatted values; KeyError names an unknown one."""

    def sub(m: re.Match) -> str:
        name, spec = m.group(1), m.group(2) or ""
        if name not in values:
            raise KeyError(name)
        return format_value(values[name], spec)

    return _PLACEHOLDER.sub(sub, text)
