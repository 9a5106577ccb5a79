"""What a statement of an expression is about: its left-hand side's label, cue words before it, other quantities.

- ``label_target(lhs, condition)``: "mean" for ``\\mathbb{E}(v|u)``, ``E[v \\mid u]``, ``\\mu_{v|u}``, ``m_{v|u}``;
  "cov" for ``\\text{Cov}(v|u)``, ``\\mathrm{Var}(v|u)``, ``V(v|u)``, ``\\Sigma_{v|u}``, ``K_{v|u}``; else None.
  Notation, not course vocabulary.
- ``Cues``: words before a math span that say what it is ("the posterior mean is $…$"). The words are the rubric's
  (checker parameter ``cues: {mean: [...], cov: [...]}``); ``DEFAULT_CUES`` are generic English ones. A cue is a
  phrase of items separated by blanks: a word, or alternatives ``a|b|c``, matched as whole words, case and accents
  ignored; the item ``=`` stands for "is, equals, becomes, reads, vaut, est, devient" or a ``:`` / ``=`` sign. So
  ``"posterior|conditional mean"`` and ``"the mean ="`` ("the mean equals $…$", "the mean: $…$").
- ``names_other_quantity(lhs, other_labels)``: the statement's left side names another quantity than the question's
  (the rubric's ``other_labels``), so its right side is not the answer: the rule of
  grader.extract.matrix_labels.names_other (a bare symbol ``C``, ``C_{ij}``, "block of Q"), and a label applied to
  its argument: ``\\langle`` names ``\\langle A, B \\rangle``, ``\\det`` names ``\\det X`` and ``\\det(X)``, ``tr``
  names ``\\operatorname{Tr}(XA)``, ``d\\det`` names the differential ``d\\det(X)``. The whole left side must be that
  application: ``d det(X) / dX`` (the derivative) is not ``\\det`` nor ``d\\det``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping

from grader.extract.matrix_labels import names_other
from grader.textgeom import bracket_pairs

__all__ = ["Cues", "DEFAULT_CUES", "condition_pattern", "cues_for", "label_form", "label_target",
           "names_other_quantity"]

# Layout removed before a left-hand side is compared with the labels below.
_LABEL_NOISE = re.compile(
    r"\\(?:mathbb|mathrm|operatorname|text|textrm|mathbf|boldsymbol|bm|left|right|big|Big|bigg|Bigg)(?![A-Za-z])"
    r"|[{}\s]|\\[,;!: ]"
)
DEFAULT_CUES: dict[str, tuple[str, ...]] = {
    "mean": ("posterior|conditional mean|expectation", "the mean|expectation =", "mean|expectation ="),
    "cov": ("posterior|conditional covariance|variance", "the covariance|variance =", "covariance|variance ="),
}
_VERB = r"(?:\s+(?:is|equals|becomes|reads|vaut|est|devient)\b|\s*[:=])"
MAX_CUES = 100  # per target: a rubric's list, not a student's text


def label_form(lhs: str) -> str:
    out = _LABEL_NOISE.sub("", lhs).replace("\\mid", "|").replace("\\vert", "|")
    return out.replace("[", "(").replace("]", ")")


def condition_pattern(condition: str) -> str:
    return re.escape(label_form(condition)) if condition.strip() else r"\w+\|[\w,]+"


def label_target(lhs: str, condition: str) -> str | None:
    form, c = label_form(lhs), condition_pattern(condition)
    mean = rf"(?:E\(?{c}\)?|E_\(?{c}\)?(?:\(\w+\))?|\\mu_\(?{c}\)?|m_\(?{c}\)?)"
    cov = rf"(?:(?:Cov|Var|V)\(?{c}\)?|(?:Cov|Var)_\(?{c}\)?(?:\(\w+\))?|\\Sigma_\(?{c}\)?|[KCP]_\(?{c}\)?)"
    if re.fullmatch(mean, form):
        return "mean"
    if re.fullmatch(cov, form, re.IGNORECASE):
        return "cov"
    return None


def fold(text: str) -> str:
    """``text`` lower-cased without accents, character for character (offsets are kept)."""
    return "".join((unicodedata.normalize("NFD", c)[:1] or c).lower() if len(c.lower()) == 1 else c for c in text)


def _cue_pattern(cue: str) -> str:
    items = cue.split()
    if not items or items[0] == "=":
        raise ValueError(f"a cue must start with a word: {cue!r}")
    out = []
    for item in items:
        if item == "=":
            out.append(_VERB)
            continue
        words = [re.escape(fold(w)) for w in item.split("|") if w]
        if not words:
            raise ValueError(f"empty alternative in cue {cue!r}")
        out.append((r"\s+" if out else r"\b") + "(?:" + "|".join(words) + r")\b")
    return "".join(out)


class Cues:
    """The rubric's cue words for each target, compiled once (see the module docstring)."""

    def __init__(self, cues: Mapping[str, object] | None = None):
        cues = DEFAULT_CUES if cues is None else cues
        self.key = tuple(sorted((str(t), tuple(words)) for t, words in cues.items()))
        self._patterns = {}
        for target, words in self.key:
            if len(words) > MAX_CUES:
                raise ValueError(f"too many cues for {target!r} (at most {MAX_CUES})")
            if words:
                self._patterns[target] = re.compile("|".join(_cue_pattern(w) for w in words))

    def last(self, window: str) -> str | None:
        """The target of the last cue that starts in ``window``, None when there is none."""
        folded = fold(window)
        hits = [(m.start(), t) for t, pattern in self._patterns.items() for m in pattern.finditer(folded)]
        return max(hits)[1] if hits else None


_COMPILED: dict[tuple, Cues] = {}


def cues_for(cues: Mapping[str, object] | None) -> Cues:
    """The compiled Cues of a rubric's mapping (None: the defaults), compiled once per distinct mapping."""
    key = None if cues is None else tuple(sorted((str(t), tuple(words)) for t, words in cues.items()))
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > 256:  # rubrics have a handful; anything more is a caller building them on the fly
            _COMPILED.clear()
        found = _COMPILED[key] = Cues(cues)
    return found


_CLOSERS = {"langle": "rangle", "⟨": "⟩", "<": ">", "|": "|", "lvert": "rvert", "lVert": "rVert"}
_SYMBOL_ARGUMENT = re.compile(r"[a-z]+(?:_\(?\w+\)?)?")


def _compared(text: str) -> str:
    """A left side or a label as compared: no layout, no backslashes, lower case (``\\det X`` → ``detx``)."""
    return label_form(text).replace("\\", "").lower()


def _applies(form: str, label: str) -> bool:
    """``form`` (see _compared) is ``label`` alone or applied to one argument: a symbol, one bracket group, or
    anything up to the closer of an opening label (``\\langle … \\rangle``)."""
    head = _compared(label)
    if not head or not form.startswith(head):
        return False
    rest = form[len(head):]
    closer = _CLOSERS.get(label.strip().lstrip("\\"))
    if closer:
        closer = closer.lower()
        return rest.endswith(closer) and len(rest) > len(closer)
    if not rest or _SYMBOL_ARGUMENT.fullmatch(rest):
        return True
    if rest[0] in "([":
        return bracket_pairs(rest, "([", ")]")[0].get(0) == len(rest) - 1
    return False


def names_other_quantity(lhs: str, other_labels) -> bool:
    """Whether the left side ``lhs`` names one of ``other_labels`` (see the module docstring)."""
    if not lhs or not other_labels or len(lhs) > 200:
        return False
    if names_other(lhs.strip(), list(other_labels)):
        return True
    form = _compared(lhs)
    return any(_applies(form, label) for label in other_labels if label.strip())
