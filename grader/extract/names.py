"""Names of iterated quantities: which variable a name stands for, and whether it is the starting value.

Students index the iterates of an algorithm in many ways, and each is the variable μ1 at some step:
``\\mu_{1;t+1}``, ``\\mu_{1,t+1}``, ``\\mu_1^{(t+1)}``, ``\\mu^{(1)}_{t=1}``, ``\\mu_{1,\\text{new}}``, ``mu1(t+1)``,
``mu1[t]``, ``\\mu_1^{new}``. ``strip_iteration`` removes the iteration mark and keeps the variable's own index: a
subscript part that is an iteration (``t``, ``t+1``, ``t=2``, ``k+1``, ``new``, ``old``, ``init``, a second number
``\\mu_{1,0}``) is dropped, and so is a trailing ``(t+1)``. A superscript in parentheses (``^{(1)}``) is an iteration
too, except when the subscript was the iteration (``\\mu^{(1)}_{t=1}``): then it is the variable's index.

``is_initial`` tells a starting value apart (``\\mu_1^{(0)}``, ``\\mu_{1,0}``, ``\\mu_1^{old}``, ``mu1(0)``,
``\\mu_1^{t=0}``, ``\\mu_1^{init}``): such a statement restates where the algorithm starts, not its answer.
Plain superscript numbers (``\\mu_1^2``) are powers and are left alone (the caller rejects them).
"""

from __future__ import annotations

import re

MAX_NAME_LENGTH = 60  # a longer piece of text is no name
_WORD_MARKS = "new|old|next|prev|previous|init|initial|start|final|upd|updated|update|nouveau|nouvelle|ancien"
_INITIAL_WORDS = {"old", "prev", "previous", "init", "initial", "start", "ancien"}
_STEP = re.compile(rf"(?:[tk](?:\s*[-+]\s*\d+)?|[tk]\s*=\s*\d+|{_WORD_MARKS}|\d+)", re.IGNORECASE)
_TEXT_WRAPPER = re.compile(r"\\(?:text|mathrm|textrm|mathit|operatorname|rm)\s*\{([^{}]*)\}")
_TRAILING_STEP = re.compile(
    rf"\s*(?:\^\s*)?[(\[]\s*(?P<step>[tk](?:\s*[-+=]\s*\d+)?|\d+|{_WORD_MARKS})\s*[)\]]\s*$", re.IGNORECASE
)
_INITIAL_VALUE = re.compile(r"(?:[tk]\s*=\s*)?0+")


def _script_end(s: str, i: int) -> int:
    """End of the argument of the ``_`` or ``^`` at ``i - 1``: a braced group, a command or one character."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return i
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return j + 1
        return len(s)
    if s[i] == "\\":
        m = re.match(r"\\[A-Za-z]+|\\.", s[i:])
        return i + (m.end() if m else 1)
    return i + 1


def _content(arg: str) -> str:
    arg = arg.strip()
    if arg.startswith("{") and arg.endswith("}"):
        arg = arg[1:-1]
    return _TEXT_WRAPPER.sub(r"\1", arg).strip()


def _step_kind(part: str) -> str | None:
    """'initial' or 'later' when ``part`` (one piece of a script) marks an iteration, else None."""
    p = part.strip().strip("()").strip()
    if not p or not _STEP.fullmatch(p):
        return None
    if p.lower() in _INITIAL_WORDS or _INITIAL_VALUE.fullmatch(p):
        return "initial"
    return "later"


def _scripts(s: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The base of a name and its scripts [(mark, content)] in order, or None when ``s`` is not base + scripts."""
    first = min((i for i in (s.find("_"), s.find("^")) if i >= 0), default=-1)
    if first < 0:
        return None
    base, scripts, i = s[:first], [], first
    while i < len(s):
        while i < len(s) and s[i] == " ":
            i += 1
        if i >= len(s):
            break
        if s[i] not in "_^":
            return None
        end = _script_end(s, i + 1)
        scripts.append((s[i], _content(s[i + 1 : end])))
        i = end
    return base, scripts


def strip_iteration(s: str) -> tuple[str, str | None]:
    """``s`` without its iteration mark, and that mark's kind: None, 'initial' or 'later'."""
    kind = None
    m = _TRAILING_STEP.search(s)
    # "mu1(0)", "mu1(t+1)"; a bare number after an unindexed name is an index ("mu(1)"), not a step
    if m and m.start() > 0 and (not m.group("step").isdigit() or s[: m.start()].rstrip()[-1:] in "0123456789}"):
        kind = _step_kind(m.group("step"))
        if kind is not None:
            s = s[: m.start()]
    parsed = _scripts(s)
    if parsed is None:
        return s, kind
    base, scripts = parsed
    index: list[str] = []
    superscript_index: str | None = None
    iterated_subscript = False
    kept: list[str] = []
    for mark, content in scripts:
        parts = [p.strip() for p in re.split(r"[;,]", content)] if mark == "_" else [content]
        if mark == "_":
            if len(parts) > 1 and parts[0] and re.fullmatch(r"\d+", parts[0]):
                steps = [_step_kind(p) for p in parts[1:]]
                if all(steps):
                    index.append(parts[0])
                    kind = kind or ("initial" if "initial" in steps else "later")
                    continue
            step = _step_kind(content) if not re.fullmatch(r"\d+", content) else None
            if step is not None:
                kind, iterated_subscript = kind or step, True
                continue
            index.append(content)
            continue
        inner = content.strip()
        if inner.startswith("(") and inner.endswith(")") and re.fullmatch(r"\d+", inner[1:-1].strip()):
            superscript_index = inner[1:-1].strip()
            continue
        step = _step_kind(inner) if not re.fullmatch(r"[-+]?\s*\d+(?:\.\d+)?", inner) else None
        if step is not None:
            kind = kind or step
            continue
        kept.append(f"^{{{content}}}")
    if superscript_index is not None:
        if iterated_subscript and not index:
            index.append(superscript_index)
        else:
            kind = kind or ("initial" if _INITIAL_VALUE.fullmatch(superscript_index) else "later")
    name = base + "".join(f"_{{{i}}}" for i in index) + "".join(kept)
    return name, kind


def is_initial(s: str) -> bool:
    return strip_iteration(s)[1] == "initial"
