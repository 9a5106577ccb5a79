"""Where rubric files and their solutions modules live, and how a name becomes a file.

Rubrics named on the command line are the files of $GRADER_RUBRICS_DIR or the repository's
rubrics/. A rubric's solutions module is looked up beside it (../solutions/NAME.py), so a course's
own folder of rubrics and solutions works without installing anything; else ``solutions.NAME``.

Compiled copies. Every grade is a cold start on Gradescope, and importing PyYAML and building a
rubric's objects from its YAML cost a cold grade more than the rest of reading the rubric. So
``check-rubric --compile`` writes the parsed YAML as JSON beside the file (``.compiled/NAME.json``)
with the YAML text it came from; ``read_yaml`` uses that copy only while the YAML file still holds
exactly that text, and parses the YAML otherwise. A stale or broken copy is never read: editing the
YAML takes effect at once, only more slowly until it is compiled again.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[1]


class RubricError(Exception):
    """A rubric file that cannot be used; the message names the file and every bad key."""


def rubric_dir() -> Path:
    """Where rubrics named on the command line live: $GRADER_RUBRICS_DIR or the repo's rubrics/."""
    return Path(os.environ.get("GRADER_RUBRICS_DIR") or REPO_ROOT / "rubrics")


def available_rubrics() -> dict[str, Path]:
    folder = rubric_dir()
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def resolve_rubric_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise RubricError(f"{name_or_path}: no such rubric file")
        return path
    found = available_rubrics()
    if name_or_path not in found:
        known = ", ".join(found) or "none"
        raise RubricError(f"no rubric named {name_or_path!r} (available: {known})")
    return found[name_or_path]


def load_solutions(name: str, rubric_path: Path) -> ModuleType:
    """The solutions module beside the rubric (../solutions/NAME.py), else ``solutions.NAME``."""
    beside = rubric_path.resolve().parent.parent / "solutions" / f"{name}.py"
    if beside.is_file():
        modname = f"_grader_solutions_{name}_{abs(hash(str(beside)))}"
        if modname in sys.modules:
            return sys.modules[modname]
        spec = importlib.util.spec_from_file_location(modname, beside)
        module = importlib.util.module_from_spec(spec)
        sys.modules[modname] = module
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(f"solutions.{name}")


_YAML_CACHE: dict[tuple[str, float], object] = {}


def safe_yaml(text: str, name: str = "") -> object:
    """YAML parsed with the safe loader, PyYAML's C one when it has it (raises yaml.YAMLError).

    ``name`` (a file's path) replaces PyYAML's "<unicode string>" in the error's line and column."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        if name:  # the C loader's marks are read-only: replaced by PyYAML's own, named
            for attr in ("context_mark", "problem_mark"):
                mark = getattr(exc, attr, None)
                if mark is not None:
                    setattr(exc, attr, yaml.Mark(name, mark.index, mark.line, mark.column, None, None))
        raise


def yaml_lines(path: Path, keys: list[list]) -> list[int | None]:
    """For each key path (["questions", 3, "checks", 0, ...]) the line of the file where its value
    starts, or of its nearest enclosing value that is in the file (a key that is missing, or that
    came from a YAML merge); None when the file cannot be read again. Only for error messages: it
    parses the file a second time, keeping the positions the loader drops."""
    import yaml

    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return [None] * len(keys)
    lines = []
    for key in keys:
        node = root
        for part in key:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)),
                             None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
            if child is None:
                break
            node = child
        lines.append(node.start_mark.line + 1 if node is not None else None)
    return lines


COMPILED_DIR = ".compiled"
COMPILED_FORMAT = 1


def compiled_path(path: Path) -> Path:
    """Where the compiled copy of a rubric file lives."""
    return path.parent / COMPILED_DIR / f"{path.stem}.json"


def read_compiled(path: Path, source: str | None = None) -> object | None:
    """The data of the compiled copy when it was made from exactly the file's current text, else None."""
    try:
        copy = json.loads(compiled_path(path).read_text(encoding="utf-8"))
        source = path.read_text(encoding="utf-8") if source is None else source
    except (OSError, ValueError):
        return None
    if not isinstance(copy, dict) or copy.get("format") != COMPILED_FORMAT or copy.get("source") != source:
        return None
    return copy.get("data")


def compile_rubric_file(path: Path) -> Path | None:
    """Write the compiled copy of a rubric file; None when its data cannot be written as JSON unchanged."""
    source = path.read_text(encoding="utf-8")
    data = safe_yaml(source, str(path))
    try:
        text = json.dumps({"format": COMPILED_FORMAT, "source": source, "data": data}, ensure_ascii=False)
    except (TypeError, ValueError):  # a date, a set, a non-string key: the YAML stays the only form
        return None
    if json.loads(text)["data"] != data:
        return None
    target = compiled_path(path)
    target.parent.mkdir(exist_ok=True)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def read_yaml(path: Path) -> object:
    """The parsed YAML of a rubric file (safe loader; cached while the file is unchanged), from its compiled
    copy when that copy is up to date."""
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _YAML_CACHE:
        source = path.read_text(encoding="utf-8")
        data = read_compiled(path, source)
        if data is None:
            import yaml

            try:
                data = safe_yaml(source, str(path))
            except yaml.YAMLError as exc:
                raise RubricError(f"{path}: not valid YAML: {exc}") from None
        _YAML_CACHE[key] = data
    return _YAML_CACHE[key]
