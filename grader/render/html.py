"""A self-contained HTML feedback page (Jinja2 with autoescaping: student text is never markup)."""

from __future__ import annotations

from pathlib import Path

from grader.model import Result
from grader.render.feedback import PROVISIONAL, STATUS_WORDS, points


def render_html(result: Result, show_expected: bool = True) -> str:
    import jinja2  # only the --html path pays for it

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("grader", "templates"),
        autoescape=True,  # every template, whatever its name: student text must stay text
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["points"] = points
    template = env.get_template("report.html.j2")
    return template.render(result=result, status_words=STATUS_WORDS, show_expected=show_expected,
                           provisional=PROVISIONAL)


def write_html(result: Result, path: Path, show_expected: bool = True) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(render_html(result, show_expected), encoding="utf-8")
