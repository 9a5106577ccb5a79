"""Rubric files: load a homework's YAML description and validate it before anyone is graded.

A rubric names the homework, how to recognise it, its questions (id, title, points, where to find
the answer), each question's checks with their points, its misconceptions (how to detect them,
the deduction, the feedback) and the module in ``solutions/`` that computes the reference values.
Parameters written ``{ref: name}`` are replaced by ``references()[name]`` from that module, so no
rubric repeats a number the solutions compute. Texts may use ``{{name}}`` or ``{{name:.2f}}``
placeholders filled from the same references.

Every problem is reported (all of them at once) as its line in the file, the question by its id and
the key inside it: ``line 42: question 1d: checks[0].params.expected: unknown reference 'x' (did you
mean 'y'?)``, raised as ``RubricError`` by ``load_rubric``. See docs/writing-a-rubric.md for every key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.checkers import registry
from grader.format_values import fill_placeholders
from grader.rubric_files import RubricError, load_solutions, read_yaml, resolve_rubric_path, yaml_lines

__all__ = ["Check", "CheckCall", "Locate", "Misconception", "Question", "Rubric", "RubricError", "load_rubric",
           "parse_rubric"]

SHOW_EXPECTED = ("visible", "after_due_date", "after_published", "hidden")
VISIBILITY = SHOW_EXPECTED  # Gradescope's visibility values, for settings.feedback_visibility
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


@dataclass(frozen=True)
class CheckCall:
    """One call of a registered checker, with its validated parameters."""

    checker: str
    params: dict


@dataclass(frozen=True)
class Check:
    """A check of a question: its points, its alternative calls (the best counts) and its feedback texts."""

    id: str
    calls: tuple[CheckCall, ...]  # alternatives: the check earns the best of them
    points: float
    pass_text: str = ""
    fail_text: str = ""
    # calls that void the check when one passes: "the means shrink" earns the limit's points unless the answer
    # also says they settle at ±0.27
    unless: tuple[CheckCall, ...] = ()


@dataclass(frozen=True)
class Misconception:
    """A known mistake: how it is detected, what it costs and what the student is told."""

    id: str
    all_of: tuple[CheckCall, ...]  # every call must pass in full for the misconception to fire,
    any_of: tuple[CheckCall, ...]  # ... at least one of these (when there are any),
    none_of: tuple[CheckCall, ...]  # ... and none of these
    feedback: str
    deduction: float = 0.0  # points taken off on top of the checks' own
    max_fraction: float | None = None  # cap on the question's score when it fires
    # ids of more basic errors of the same question: when one of them fires, this one (a missing element that
    # the basic error already accounts for) is not reported
    explained_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Locate:
    """Where a question's answer is looked for: problem number, part letter, heading keywords, and the question's
    place in the handout's sections when they number it otherwise ((1, "b"): section 1's second question, which
    students label "1.b)" or "1.2"; (2,): all of section 2)."""

    problem: int | None = None
    part: str | None = None
    keywords: tuple[str, ...] = ()
    section: tuple = ()


@dataclass(frozen=True)
class Question:
    """One question of a homework, validated."""

    id: str
    number: str
    title: str
    points: float
    locate: Locate
    statement: str = ""
    expected: str = ""
    tags: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()


@dataclass(frozen=True)
class Rubric:
    """A homework: its questions, the clues that recognise it and its settings, validated."""

    id: str
    title: str
    path: Path
    solutions: str
    keywords: tuple[str, ...]
    min_hits: int
    questions: tuple[Question, ...]
    show_expected: str = "visible"
    feedback_visibility: str = "visible"  # when students see each question's score and feedback (Gradescope)
    review_below: float = 0.6  # a question read with less confidence is marked "needs review"
    # commands this course's students type for a letter, read as that letter with a digit index: {sum: sigma}
    typos: dict = field(default_factory=dict, compare=False)
    # the symbols a student may rename in a notation paragraph, with the words that describe each
    # ({sigma: [covariance, Σ]}): "S is the covariance Σ" makes S_34 read as Σ_34 (grader.extract.notation)
    notation: dict = field(default_factory=dict, compare=False)
    references: dict = field(default_factory=dict, compare=False, repr=False)

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)


class _Problems:
    """Collects (key.path, message) pairs so one run reports every problem of a file, and lines said once
    at the end (the names a mistyped one could have been)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.keys: list[str] = []
        self.once: dict[str, None] = {}

    def add(self, key: str, message: str) -> None:
        self.keys.append(key)
        self.lines.append(message)

    def report(self, data: Any, path: Path) -> str:
        """``FILE: N problem(s)`` and a line per problem: its line in the file, the question by its id,
        the key inside it (``line 42: question 1d: checks[0].params.expected: …``)."""
        parts = [_key_parts(k) for k in self.keys]
        lines = yaml_lines(path, parts)
        questions = data.get("questions") if isinstance(data, dict) else None
        shown = []
        for key, key_parts, line, message in zip(self.keys, parts, lines, self.lines):
            where = key
            if key_parts[:1] == ["questions"] and len(key_parts) > 1 and isinstance(questions, list):
                q = questions[key_parts[1]] if key_parts[1] < len(questions) else None
                qid = q.get("id") if isinstance(q, dict) else None
                name = f"question {qid}" if isinstance(qid, (str, int)) and str(qid) else f"question #{key_parts[1] + 1}"
                inner = key.split("]", 1)[1].lstrip(".")
                where = f"{name}: {inner}" if inner else name
            shown.append((f"line {line}: " if line else "") + f"{where}: {message}")
        return (f"{path}: {len(self.lines)} problem(s)\n  " + "\n  ".join(shown + list(self.once)))


_KEY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _key_parts(key: str) -> list:
    """"questions[3].checks[0].params" → ["questions", 3, "checks", 0, "params"]."""
    return [int(m.group(2)) if m.group(2) is not None else m.group(1) for m in _KEY_PART.finditer(key)]


def _did_you_mean(name: str, known) -> str:
    import difflib  # only a broken rubric pays for it

    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _resolve_refs(value: Any, refs: dict, key: str, problems: _Problems) -> Any:
    if isinstance(value, dict) and set(value) == {"ref"}:
        name = value["ref"]
        if not isinstance(name, str) or name not in refs:
            problems.add(key, f"unknown reference {name!r}{_did_you_mean(name, refs)}")
            problems.once[f"(the solutions module's references: {', '.join(sorted(refs)) or 'none'})"] = None
            return None
        return refs[name]
    if isinstance(value, dict):
        return {k: _resolve_refs(v, refs, f"{key}.{k}", problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_refs(v, refs, f"{key}[{i}]", problems) for i, v in enumerate(value)]
    return value


def _require(data: dict, key: str, kind: type | tuple, where: str, problems: _Problems, default=None):
    if key not in data:
        if default is None:
            problems.add(f"{where}{key}", "missing")
        return default
    value = data[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        problems.add(f"{where}{key}", f"expected {name}, got {value!r:.60}")
        return default
    return value


def _text(value: str, refs: dict, key: str, problems: _Problems) -> str:
    try:
        return fill_placeholders(value, refs)
    except KeyError as exc:
        problems.add(key, f"unknown placeholder {exc.args[0]!r}")
    except ValueError as exc:
        problems.add(key, f"bad placeholder: {exc}")
    return value


def _call(data: Any, refs: dict, where: str, problems: _Problems) -> CheckCall | None:
    if not isinstance(data, dict):
        problems.add(where.rstrip("."), "expected a mapping with 'checker' and 'params'")
        return None
    unknown = set(data) - {"checker", "params"}
    for key in sorted(unknown):
        problems.add(f"{where}{key}", "unknown key (a checker call has: checker, params)")
    name = _require(data, "checker", str, where, problems, default="")
    params = _require(data, "params", dict, where, problems, default={}) if "params" in data else {}
    spec = registry.get(name) if name else None
    if name and spec is None:
        problems.add(f"{where}checker", f"unknown checker {name!r}{_did_you_mean(name, registry.all_checkers())}")
        problems.once[f"(the checkers: {', '.join(registry.all_checkers())})"] = None
        return None
    unresolved = set()  # a parameter whose reference is unknown is reported once, not retyped
    resolved = {}
    for key, value in params.items():
        before = len(problems.lines)
        resolved[key] = _resolve_refs(value, refs, f"{where}params.{key}", problems)
        if len(problems.lines) > before:
            unresolved.add(key)
    params = resolved
    if spec is not None:
        lines = registry.validate_params(spec, params)
        for line in lines:
            key, message = line.split(": ", 1)
            if key not in unresolved:
                if message.startswith("unknown parameter"):
                    message += _did_you_mean(key, spec.params)
                problems.add(f"{where}params.{key}", message)
        if not lines:
            _check_spellings(spec, params, where, problems)
    return CheckCall(name, params) if spec is not None else None


def _check_spellings(spec, params: dict, where: str, problems: _Problems) -> None:
    """Variable spellings (``aliases`` parameters, ``vector`` names) that no answer could ever match."""
    from grader.extract.assignments import spelling_problem

    for pname, param in spec.params.items():
        value = params.get(pname)
        if param.type == "aliases" and isinstance(value, dict):
            spellings = [(f"{pname}.{n}", s) for n, aliases in value.items() for s in [n, *(aliases or [])]]
        elif pname == "vector" and isinstance(value, list):
            spellings = [(pname, s) for s in value]
        else:
            continue
        for key, spelling in spellings:
            why = spelling_problem(str(spelling))
            if why:
                problems.add(f"{where}params.{key}", f"the spelling {spelling!r} can never match an answer: {why}")


_QUESTION_KEYS = {"id", "number", "title", "points", "locate", "statement", "expected", "tags", "checks", "misconceptions"}
_CHECK_KEYS = {"id", "checker", "params", "any", "unless", "points", "pass", "fail"}
_MISC_KEYS = {"id", "detect", "feedback", "deduction", "max_fraction", "explained_by"}
_TOP_KEYS = {"id", "title", "solutions", "recognize", "settings", "plugins", "questions"}


def _unknown_keys(data: dict, allowed: set, where: str, problems: _Problems) -> None:
    for key in sorted(set(data) - allowed):
        problems.add(f"{where}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _check(data: Any, refs: dict, where: str, problems: _Problems) -> Check | None:
    if not isinstance(data, dict):
        problems.add(where.rstrip("."), "expected a mapping")
        return None
    _unknown_keys(data, _CHECK_KEYS, where, problems)
    cid = _require(data, "id", str, where, problems, default="")
    points = _require(data, "points", float, where, problems, default=0.0)
    if "any" in data:
        if "checker" in data or not isinstance(data["any"], list) or not data["any"]:
            problems.add(f"{where}any", "expected a non-empty list of checker calls (and no 'checker' beside it)")
            return None
        calls = [_call(c, refs, f"{where}any[{i}].", problems) for i, c in enumerate(data["any"])]
    else:
        calls = [_call({k: data[k] for k in ("checker", "params") if k in data}, refs, where, problems)]
    texts = [_text(_require(data, k, str, where, problems, default=""), refs, f"{where}{k}", problems)
             for k in ("pass", "fail")]
    unless = data.get("unless", [])
    if not isinstance(unless, list):
        problems.add(f"{where}unless", "expected a list of checker calls")
        unless = []
    voids = [_call(c, refs, f"{where}unless[{i}].", problems) for i, c in enumerate(unless)]
    if None in calls or None in voids:
        return None
    return Check(cid, tuple(calls), points, *texts, unless=tuple(voids))


def _misconception(data: Any, refs: dict, where: str, problems: _Problems) -> Misconception | None:
    if not isinstance(data, dict):
        problems.add(where.rstrip("."), "expected a mapping")
        return None
    _unknown_keys(data, _MISC_KEYS, where, problems)
    mid = _require(data, "id", str, where, problems, default="")
    detect = _require(data, "detect", dict, where, problems, default={})
    if "checker" in detect:
        raw = {"all": [detect]}
    else:
        _unknown_keys(detect, {"all", "any", "none"}, f"{where}detect.", problems)
        raw = {k: detect.get(k, []) for k in ("all", "any", "none")}
        if not raw["all"] and not raw["any"]:
            problems.add(f"{where}detect", "needs a checker call, or 'all' / 'any' with at least one call")
    calls = {
        k: [_call(c, refs, f"{where}detect.{k}[{i}].", problems) for i, c in enumerate(v if isinstance(v, list) else [])]
        for k, v in raw.items()
    }
    feedback = _text(_require(data, "feedback", str, where, problems, default=""), refs, f"{where}feedback", problems)
    deduction = _require(data, "deduction", float, where, problems, default=0.0)
    cap = data.get("max_fraction")
    if cap is not None and not (isinstance(cap, (int, float)) and 0 <= cap <= 1):
        problems.add(f"{where}max_fraction", f"expected a number from 0 to 1, got {cap!r}")
        cap = None
    explained_by = data.get("explained_by", [])
    if not registry.TYPES["str-list"](explained_by):
        problems.add(f"{where}explained_by", "expected a list of misconception ids")
        explained_by = []
    if any(None in c for c in calls.values()):
        return None
    return Misconception(mid, tuple(calls["all"]), tuple(calls.get("any", ())), tuple(calls.get("none", ())),
                         feedback, deduction, cap, tuple(explained_by))


def _check_explained_by(miscs: list[Misconception], where: str, problems: _Problems) -> None:
    """``explained_by`` names other misconceptions of the same question, and never leads back to itself."""
    ids = {m.id for m in miscs}
    graph = {m.id: set(m.explained_by) for m in miscs}
    for i, m in enumerate(miscs):
        for other in m.explained_by:
            if other == m.id or other not in ids:
                what = "itself" if other == m.id else f"{other!r}, not a misconception of this question"
                problems.add(f"{where}misconceptions[{i}].explained_by", f"names {what}")
        seen, todo = set(), list(graph[m.id] & ids - {m.id})
        while todo:
            nxt = todo.pop()
            if nxt == m.id:
                problems.add(f"{where}misconceptions[{i}].explained_by", "goes round in a circle back to "
                             f"{m.id!r}: a basic error cannot be explained by what it explains")
                break
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(graph.get(nxt, ()))


_SECTION = re.compile(r"(\d{1,2})\.?([a-hA-H])?")


def _locate(data: Any, where: str, problems: _Problems) -> Locate:
    if not isinstance(data, dict):
        problems.add(where.rstrip("."), "expected a mapping with problem, part and/or keywords")
        return Locate()
    _unknown_keys(data, {"problem", "part", "keywords", "section"}, where, problems)
    problem = data.get("problem")
    if problem is not None and (not isinstance(problem, int) or isinstance(problem, bool)):
        problems.add(f"{where}problem", f"expected a whole number, got {problem!r}")
        problem = None
    part = data.get("part")
    if part is not None and not (isinstance(part, str) and len(part) == 1 and part.isalpha()):
        problems.add(f"{where}part", f"expected one letter, got {part!r}")
        part = None
    keywords = data.get("keywords", [])
    if not registry.TYPES["str-list"](keywords):
        problems.add(f"{where}keywords", "expected a list of strings")
        keywords = []
    if problem is None and not keywords:
        problems.add(where.rstrip("."), "needs a problem number or keywords to find the answer")
    section = data.get("section")
    found = _SECTION.fullmatch(section) if isinstance(section, str) else None
    if section is not None and found is None:
        problems.add(f"{where}section", f"expected a section number with an optional part letter (\"2\", \"1b\"), "
                                        f"got {section!r}")
    place = () if found is None else (int(found[1]),) + ((found[2].lower(),) if found[2] else ())
    return Locate(problem, part.lower() if part else None, tuple(keywords), place)


def _question(data: Any, refs: dict, where: str, problems: _Problems) -> Question | None:
    if not isinstance(data, dict):
        problems.add(where.rstrip("."), "expected a mapping")
        return None
    _unknown_keys(data, _QUESTION_KEYS, where, problems)
    qid = str(_require(data, "id", (str, int), where, problems, default=""))
    if qid and not _ID.match(qid):
        problems.add(f"{where}id", f"{qid!r} is not a usable id (letters, digits, . _ -)")
    points = _require(data, "points", float, where, problems, default=0.0)
    checks = [_check(c, refs, f"{where}checks[{i}].", problems) for i, c in enumerate(data.get("checks") or [])]
    if not checks:
        problems.add(f"{where}checks", "a question needs at least one check")
    total = sum(c.points for c in checks if c)
    if checks and None not in checks and abs(total - points) > 1e-9:
        problems.add(f"{where}checks", f"the checks' points add up to {total:g}, the question has {points:g}")
    miscs = [_misconception(m, refs, f"{where}misconceptions[{i}].", problems) for i, m in enumerate(data.get("misconceptions") or [])]
    _check_explained_by([m for m in miscs if m], where, problems)
    tags = data.get("tags", [])
    if not registry.TYPES["str-list"](tags):
        problems.add(f"{where}tags", "expected a list of strings")
        tags = []
    texts = {k: _text(_require(data, k, str, where, problems, default=""), refs, f"{where}{k}", problems)
             for k in ("title", "statement", "expected")}
    return Question(
        id=qid,
        number=str(_require(data, "number", (str, int, float), where, problems, default=qid)),
        title=texts["title"] or qid,
        points=points,
        locate=_locate(data.get("locate", {}), f"{where}locate.", problems),
        statement=texts["statement"],
        expected=texts["expected"],
        tags=tuple(tags),
        checks=tuple(c for c in checks if c),
        misconceptions=tuple(m for m in miscs if m),
    )


def parse_rubric(data: Any, path: Path) -> Rubric:
    """Build a Rubric from parsed YAML, or raise RubricError listing every problem."""
    problems = _Problems()
    if not isinstance(data, dict):
        raise RubricError(f"{path}: the file must hold a mapping with id, title, solutions, questions")
    _unknown_keys(data, _TOP_KEYS, "", problems)
    rid = _require(data, "id", str, "", problems, default="")
    solutions_name = _require(data, "solutions", str, "", problems, default="")
    refs: dict = {}
    if solutions_name:
        try:
            refs = dict(load_solutions(solutions_name, path).references())
        except Exception as exc:  # a broken solutions module must name itself, not crash the CLI
            problems.add("solutions", f"cannot load solutions module {solutions_name!r}: {type(exc).__name__}: {exc}")
    recognize = data.get("recognize") or {}
    keywords = recognize.get("keywords", []) if isinstance(recognize, dict) else []
    if not registry.TYPES["str-list"](keywords) or not keywords:
        problems.add("recognize.keywords", "expected a non-empty list of strings that identify the homework")
        keywords = []
    min_hits = recognize.get("min_hits", 2) if isinstance(recognize, dict) else 2
    settings = data.get("settings") or {}
    show = settings.get("show_expected", "visible") if isinstance(settings, dict) else "visible"
    review_below = settings.get("review_below", 0.6) if isinstance(settings, dict) else 0.6
    if isinstance(review_below, bool) or not isinstance(review_below, (int, float)) or not 0 <= review_below <= 1:
        problems.add("settings.review_below", f"expected a number from 0 to 1, got {review_below!r}")
        review_below = 0.6
    typos = settings.get("typos", {}) if isinstance(settings, dict) else {}
    if not registry.TYPES["str-map"](typos) or not all(k.isalpha() and v.isalpha() for k, v in typos.items()):
        problems.add("settings.typos", f"expected {{command: letter}} of names without backslashes, e.g. {{sum: sigma}}, "
                     f"got {typos!r:.80}")
        typos = {}
    notation = settings.get("notation", {}) if isinstance(settings, dict) else {}
    if not isinstance(notation, dict) or not all(
            isinstance(k, str) and k.isalpha() and registry.TYPES["str-list"](v) and v for k, v in notation.items()):
        problems.add("settings.notation", f"expected {{symbol: [words that describe it]}}, e.g. {{sigma: [covariance]}}, "
                     f"got {notation!r:.80}")
        notation = {}
    if show not in SHOW_EXPECTED:
        problems.add("settings.show_expected", f"expected one of {', '.join(SHOW_EXPECTED)}, got {show!r}")
    feedback_visibility = settings.get("feedback_visibility", "visible") if isinstance(settings, dict) else "visible"
    if feedback_visibility not in VISIBILITY:
        problems.add("settings.feedback_visibility",
                     f"expected one of {', '.join(VISIBILITY)}, got {feedback_visibility!r}")
    plugins = data.get("plugins", [])
    if not registry.TYPES["str-list"](plugins):
        problems.add("plugins", f"expected a list of module names, got {plugins!r:.80}")
        plugins = []
    for module in plugins:  # modules of the course's own checkers: imported before the checks are validated
        try:
            registry.load_plugin(module)
        except Exception as exc:
            problems.add("plugins", f"cannot import checker module {module!r}: {type(exc).__name__}: {exc}")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.add("questions", "expected a non-empty list")
        raw_questions = []
    questions = [_question(q, refs, f"questions[{i}].", problems) for i, q in enumerate(raw_questions)]
    ids = [q.id for q in questions if q]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.add("questions", f"question id {dup!r} is used twice")
    if problems.lines:
        raise RubricError(problems.report(data, path))
    return Rubric(
        id=rid,
        title=_require(data, "title", str, "", problems, default=rid),
        path=path,
        solutions=solutions_name,
        keywords=tuple(keywords),
        min_hits=int(min_hits),
        questions=tuple(q for q in questions if q),
        show_expected=show,
        feedback_visibility=feedback_visibility,
        review_below=float(review_below),
        typos=dict(typos),
        notation={k.lower(): list(v) for k, v in notation.items()},
        references=refs,
    )


_CACHE: dict[tuple[str, float], Rubric] = {}


def load_rubric(name_or_path: str | Path) -> Rubric:
    """Load and validate a rubric by name (a file stem in rubrics/) or path."""
    path = resolve_rubric_path(str(name_or_path))
    key = (str(path.resolve()), path.stat().st_mtime)
    if key in _CACHE:
        return _CACHE[key]
    data = read_yaml(path)
    rubric = parse_rubric(data, path)
    _CACHE[key] = rubric
    return rubric
