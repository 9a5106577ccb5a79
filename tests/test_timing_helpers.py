"""The timing helper of the hostile-input tests tells a linear scan from a quadratic one."""

import re

from timing import growth, repeated


def quadratic(text: str) -> int:
    return sum(text[j] == "b" for i in range(len(text)) for j in range(i))  # every position scans what precedes


def test_a_quadratic_scan_is_reported():
    message = growth(quadratic, repeated("a", 2000))
    assert message is not None and "on 2000" in message


def test_a_linear_scan_passes():
    assert growth(lambda text: text.count("b"), repeated("a", 200_000)) is None
    assert growth(lambda text: re.findall(r"b+", text), repeated("a", 200_000)) is None
