"""The rubric guide documents every registered checker and parameter.

Refresh its "Checkers" section with `python -m grader checkers` when a checker changes."""

from pathlib import Path

from grader.checkers import registry

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "writing-a-rubric.md"


def test_guide_lists_every_checker_and_parameter():
    text = GUIDE.read_text(encoding="utf-8")
    for name, spec in registry.all_checkers().items():
        assert f"### `{name}`" in text, name
        section = text.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        for param in spec.params:
            assert f"| `{param}` |" in section, f"{name}.{param}"
