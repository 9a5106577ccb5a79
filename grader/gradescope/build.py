"""``python -m grader build-autograder --rubric NAME -o autograder.zip``: the zip to upload to Gradescope.

Layout (Gradescope unpacks it into /autograder/source)::

    setup.sh, run_autograder      at the root, executable
    grader-config.json            {"rubric": "rubrics/NAME.yaml"}: the rubric run_autograder grades with
    requirements.txt              the runtime dependencies, pinned (below)
    pyproject.toml, README.md     so that setup.sh can pip-install the package
    grader/                       the package (no caches)
    solutions/__init__.py, solutions/MODULE.py    the rubric's solutions module only
    rubrics/NAME.yaml

Pins: every runtime dependency of the installed ``grader`` distribution (its metadata, so reinstall
after changing pyproject.toml's dependencies), followed through its own requirements, is pinned to the version installed here (importlib.metadata) when that version runs
on the target Python (``--target-python``, Gradescope's 3.10 by default). A version that needs a
newer Python (numpy 2.3+ on 3.10, say) is written as the declared range instead, and the build says
so: a zip built from a Python 3.10 environment is pinned throughout.

The zip is reproducible: sorted entries, fixed timestamps, so the same tree gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from grader.rubric_files import REPO_ROOT

SCRIPTS = ("setup.sh", "run_autograder")
PROJECT_FILES = ("pyproject.toml", "README.md")
DEFAULT_TARGET_PYTHON = "3.10"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date zip can store: builds do not depend on the clock


def _marker_env(python: str) -> dict:
    from packaging.markers import default_environment

    full = python if python.count(".") >= 2 else f"{python}.0"
    env = default_environment()
    env.update(python_version=".".join(full.split(".")[:2]), python_full_version=full, sys_platform="linux",
               platform_system="Linux", os_name="posix", implementation_name="cpython",
               platform_python_implementation="CPython", extra="")
    return env


def pinned_requirements(python: str = DEFAULT_TARGET_PYTHON, root: str = "grader") -> tuple[list[str], list[str]]:
    """(requirements.txt lines, warnings) for ``root``'s runtime dependencies on Linux and ``python``."""
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    env = _marker_env(python)
    target = env["python_full_version"]
    pins: dict[str, str] = {}
    ranges: dict[str, SpecifierSet] = {}
    warnings: list[str] = []
    queue = list(metadata.requires(root) or [])
    while queue:
        req = Requirement(queue.pop(0))
        if req.marker is not None and not req.marker.evaluate(env):
            continue  # an extra (test tools) or another platform's dependency
        name = canonicalize_name(req.name)
        if name in pins or name in ranges:
            if name in ranges:
                ranges[name] &= req.specifier
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            ranges[name] = req.specifier
            continue  # not installed here (not needed on this Python): pip resolves it there
        needs = dist.metadata.get("Requires-Python")
        if needs and not SpecifierSet(needs).contains(target, prereleases=True):
            ranges[name] = req.specifier
            warnings.append(f"{dist.metadata['Name']} {dist.version} needs Python {needs}, not {python}: "
                            f"left as {name}{req.specifier or ''} for pip to resolve on the target")
            continue
        pins[name] = dist.version
        queue.extend(dist.requires or [])
    lines = [f"{n}=={v}" for n, v in pins.items()] + [f"{n}{s}" for n, s in ranges.items()]
    return sorted(lines, key=str.lower), warnings


def _add(zf: zipfile.ZipFile, arcname: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(arcname, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100755 if executable else 0o100644) << 16  # regular file + permission bits
    zf.writestr(info, data)


def _package_files(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def build_zip(rubric_name: str, out: Path, python: str = DEFAULT_TARGET_PYTHON) -> tuple[list[str], list[str]]:
    """Write the autograder zip; returns (its entry names, warnings). Raises RubricError, FileNotFoundError."""
    from grader.rubric import load_rubric
    from grader.rubric_files import load_solutions

    rubric = load_rubric(rubric_name)  # validated before anything is written
    solutions = Path(load_solutions(rubric.solutions, rubric.path).__file__)
    missing = [n for n in SCRIPTS + PROJECT_FILES if not (REPO_ROOT / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} not found in {REPO_ROOT}: build from a checkout of the grader")
    requirements, warnings = pinned_requirements(python)
    header = (f"# Pinned by `python -m grader build-autograder` for Python {python} on Linux.\n"
              + "".join(f"# {w}\n" for w in warnings))
    files: dict[str, tuple[bytes, bool]] = {
        n: ((REPO_ROOT / n).read_bytes(), n in SCRIPTS) for n in SCRIPTS + PROJECT_FILES}
    files["requirements.txt"] = ((header + "\n".join(requirements) + "\n").encode(), False)
    rubric_arc = f"rubrics/{rubric.path.name}"
    files["grader-config.json"] = (json.dumps({"rubric": rubric_arc}, indent=2).encode() + b"\n", False)
    files[rubric_arc] = (rubric.path.read_bytes(), False)
    package = REPO_ROOT / "grader"
    for path in _package_files(package):
        files[path.relative_to(REPO_ROOT).as_posix()] = (path.read_bytes(), False)
    solutions_init = REPO_ROOT / "solutions" / "__init__.py"
    if solutions_init.is_file():
        files["solutions/__init__.py"] = (solutions_init.read_bytes(), False)
    files[f"solutions/{solutions.name}"] = (solutions.read_bytes(), False)

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(files):
            data, executable = files[name]
            _add(zf, name, data, executable)
    tmp.replace(out)
    return sorted(files), warnings


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m grader build-autograder",
        description="Build the zip to upload as a Gradescope autograder (setup.sh, run_autograder, the grader, "
                    "the rubric, its solutions module, pinned requirements).")
    p.add_argument("--rubric", required=True, help="the homework to grade: a name in rubrics/ or a rubric file")
    p.add_argument("-o", "--output", type=Path, default=Path("autograder.zip"), help="the zip to write")
    p.add_argument("--target-python", default=DEFAULT_TARGET_PYTHON,
                   help=f"the Python the zip is installed with (default {DEFAULT_TARGET_PYTHON}: Gradescope's "
                        "Ubuntu 22.04 image)")
    args = p.parse_args(argv)
    from grader.rubric import RubricError

    try:
        names, warnings = build_zip(args.rubric, args.output, args.target_python)
    except (RubricError, FileNotFoundError, metadata.PackageNotFoundError) as exc:
        print(f"build-autograder: {exc}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {args.output} ({len(names)} files) for rubric {args.rubric}; upload it on Gradescope's "
          "'Configure Autograder' page")
    return 0
