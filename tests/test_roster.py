"""The summary's roster (by name and by total, no script) and answer groups (identical readings together)."""

from __future__ import annotations

import re

import pytest

from batch_fixtures import graded_class
from grader.batch.roster import canonical, reading, reading_key
from grader.model import CheckResult, MisconceptionHit, QuestionResult, Status
from test_report import assert_inert


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    _, out = graded_class(tmp_path_factory.mktemp("roster"))
    return (out / "summary.html").read_text(encoding="utf-8")


def _section(page: str, start: str, end: str | None = None) -> str:
    part = page.split(f'id="{start}"', 1)[1]
    return part.split(f'id="{end}"', 1)[0] if end else part


def _students(section: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>([^<]*)</td>", section)


def test_the_roster_lists_everyone_by_name_and_by_total(page):
    by_name = _students(_section(page, "roster-name", "roster-total"))
    by_total = _students(_section(page, "roster-total", "groups"))
    assert len(by_name) == len(by_total) == 7
    assert by_name == sorted(by_name, key=str.casefold)
    assert by_name[:2] == ["=HYPERLINK(&#34;http://x&#34;)", "Ada Lovelace"]
    assert by_total[0] in ("Ada Lovelace", "Sofia Kovalevskaya, Hedy Lamarr") and by_total[-1] == "Kurt Goedel"
    roster = _section(page, "roster-name", "roster-total")
    assert 'href="reports/submission_1.html"' in roster
    assert '<th class="num">1a</th>' in roster and "<b>10</b> / 40" in roster
    emmy = roster.split("Emmy Noether", 1)[1].split("</tr>", 1)[0]
    assert 'title="needs review">?' in emmy and "1a" in emmy  # the unclear answer is marked
    kurt = roster.split("Kurt Goedel", 1)[1].split("</tr>", 1)[0]
    assert "unreadable" in kurt and "<b>–</b>" in kurt


def test_the_summary_stays_inert_and_shows_no_email(page):
    assert_inert(page)
    assert "@example.edu" not in page and "0042" not in page


def test_identical_readings_are_one_group(page):
    groups = _section(page, "groups")
    first = groups.split("</details>", 1)[0]  # question 1a
    assert "6 answers in 3" in first  # the unreadable submission has no answers to group
    rows = re.findall(r'<tr>\s*<td class="num">(\d+)</td>(.*?)</tr>', first, re.S)
    assert [int(n) for n, _ in rows] == [3, 2, 1]  # the largest group first
    wrong, right, unclear = (body for _, body in rows)
    assert "corr.says-correlated" in wrong and "0 / 5" in wrong
    assert wrong.count("reports/submission_") == 3  # three wrong answers, spelled two ways, one reading
    assert "no misconception" in right and "5 / 5" in right
    assert "submission_1.html#q-1a" in right and "submission_6.html#q-1a" in right
    assert "no misconception" in unclear and "1 to review" in unclear and "submission_4.html" in unclear


def _q(checks, hits=(), status=Status.WRONG) -> QuestionResult:
    return QuestionResult("1a", "1.a", "Q", 5, 0, status, "", checks=tuple(checks), misconceptions=tuple(hits))


def test_reading_keys_are_canonical():
    a = _q([CheckResult("pair", 2, 0, "", value=[0.30, -0.0])])
    b = _q([CheckResult("pair", 2, 0, "", value=(0.3, 0.0))])
    c = _q([CheckResult("pair", 2, 0, "", value=[0.31, 0.0])])
    assert reading_key(a) == reading_key(b) != reading_key(c)
    assert canonical({3, 1}) == canonical([1, 3]).replace("(", "{").replace(")", "}") == "{1, 3}"
    assert canonical(True) == "yes" and canonical(float("nan")) == "nan" and canonical("x  \n y") == "x y"
    assert canonical(object()) == "object"  # never an address that changes between runs
    assert canonical("x" * 500).endswith("…") and len(canonical("x" * 500)) == 120


def test_readings_separate_misconceptions_and_missing_answers():
    plain = _q([CheckResult("verdict", 3, 0, "", value=True)])
    flagged = _q([CheckResult("verdict", 3, 0, "", value=True)], [MisconceptionHit("says-yes", "", 1)])
    assert reading(plain) != reading(flagged) and reading(flagged)[-1] == ("misconceptions", "says-yes")
    missing = _q([CheckResult("verdict", 3, 0, "", status=Status.NOT_FOUND)], status=Status.NOT_FOUND)
    assert reading(missing) == (("answer", "not found"),)
    unread = _q([CheckResult("verdict", 3, 0, "", status=Status.UNREADABLE)])
    assert reading(unread) == (("verdict", "not readable"),)
