"""The student's feedback report: one self-contained HTML page, and the same content in Markdown.

The page loads nothing: its CSS is inline, it has no script, and a Content-Security-Policy meta tag
forbids scripts and every network load, so a page opened offline (or from a mail attachment) looks
the same and nothing a student wrote can run in the reader's browser. Math in the answer is shown
as MathML (native in Chromium ≥ 109, Firefox, Safari), or as its LaTeX source when it cannot be
converted safely (grader/render/mathml.py).

The Jinja2 environment is built once per process and keeps its compiled templates: batch grading
renders hundreds of pages, and compiling a template costs more than rendering one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from grader.model import Result, Status
from grader.render.feedback import (
    ANSWER_HEADING, PROVISIONAL, STATUS_WORDS, WITHHELD, check_mark, printable, points, report_markdown,
    shows_expected,
)

# no scripts and no fetches of any kind: inline CSS only
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@lru_cache(maxsize=1)
def environment():
    """The shared Jinja2 environment (reports and the class summary)."""
    import jinja2  # only the commands that write HTML pay for it

    from grader.render.mathml import math_html, quote_html, rich_html

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("grader", "templates"),
        autoescape=True,  # every template, whatever its name: student text must stay text
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates do not change while a batch runs; skip the mtime checks
    )
    env.filters["points"] = points
    env.filters["math"] = lambda text: math_html(printable(text))
    env.filters["rich"] = lambda text: rich_html(printable(text))  # code as code, formulas and matrices as MathML
    env.filters["quote"] = quote_html  # a piece of the answer: a bare formula as MathML
    env.filters["printable"] = printable
    env.filters["percent"] = lambda x: f"{100 * x:.0f}%"
    env.globals.update(status_words=STATUS_WORDS, provisional=PROVISIONAL, withheld=WITHHELD,
                       answer_heading=ANSWER_HEADING, check_mark=check_mark, shows_expected=shows_expected,
                       csp=CSP, Status=Status)
    return env


def template(name: str):
    return environment().get_template(name)


def render_report(result: Result, show_expected: bool | None = None, student: str = "") -> str:
    """The report page. ``student`` is a name to greet (batch mode knows it from Gradescope's export).
    ``show_expected`` None: as the rubric's settings on the result say (shown only when ``visible``)."""
    if show_expected is None:
        show_expected = result.show_expected == "visible"
    fraction = result.score / result.max_score if result.max_score else 0.0
    review = [q for q in result.questions if q.needs_review]
    return template("report.html.j2").render(result=result, show_expected=show_expected, student=student,
                                             fraction=min(max(fraction, 0.0), 1.0), review=review)


def render_markdown(result: Result, show_expected: bool | None = None) -> str:
    """The report's content in Markdown (what Gradescope's output fields show)."""
    return report_markdown(result, result.show_expected == "visible" if show_expected is None else show_expected)


def write_text(text: str, path: Path) -> None:
    """UTF-8, with anything unencodable (a lone surrogate from a notebook's JSON) replaced, never raised."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "replace"))


def write_report(result: Result, path: Path, show_expected: bool | None = None, student: str = "") -> None:
    write_text(render_report(result, show_expected, student), path)
