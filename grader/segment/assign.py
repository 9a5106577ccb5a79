"""Which question each labelled unit starts: label paths read in context, scored, then assigned.

1. Paths. Labels nest: "Exercise 2" then "1)" is item 1 of exercise 2, "Problem 1" then "(a)" is
   part (a) of problem 1. A stack of the open labels gives each new label its full path: a label of
   the same style as an open one is its sibling ("2)" after "1)"), any other is a child of the
   innermost ("(a)" under "Problem 1"); a label that names problem and part ("1(b)", "2.1", "Q1 a")
   stands alone; a heading closes the labels opened under it. A path that matches no question is
   not a label in that place (the "1." "2." of a list inside an answer).
2. Matching a path to the rubric's questions (grouped by ``locate``: questions with one locate share
   one region): (1, "a") is problem 1 part (a); (2, 1) is part (a) of problem 2 when problem 2 has
   parts, else question 1 (an exercise holding questions 1-2); (1,) is question 1, or the container
   of problem 1's parts; ("c",) is part (c) of the current problem, or of the next one when the
   letters start again (question 3 when the questions have no parts: "(iii)", "c)"). A list "1." "2."
   "3." under a heading that names no number, counting past the last problem, numbers the parts. A heading whose words are a question's ``locate.keywords`` (in any of the
   rubric's languages) selects it more strongly than any number: section numbers and question
   numbers often differ. Labels numbered flat, "Answer 1:" to "Answer 8:", as many as the questions
   and beyond the problems' numbers (a homework of parts 1a … 2d), are the questions in order.
3. Assignment. Every (unit, question) candidate has a score; the strongest are assigned first, each
   question to the units that claim it most strongly (the same label written twice, e.g. a pasted
   statement and the student's answer, keeps both). A unit that lost its question (an "Exercice 2"
   whose question 2 was claimed by a "2)") takes, in order, the questions left between its
   neighbours' questions: the order the student kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.model import BlockKind
from grader.rubric import Question, Rubric
from grader.segment.labels import Label, Unit
from grader.segment.statement import statement_of, statement_tokens, tokens

KEYWORD = 4.0
EXPLICIT = 3.0  # names problem and part, or "Question N"
NUMBERED = 2.5  # "1)" in a list of answers, an item of an exercise
SECTION = 1.5  # a section number: often not the question's number
EXERCISE = 2.0  # "Exercise 2" for a homework of numbered questions: a hint of order, no more
ORDER = 0.1  # a title line that names no question: any question, by the order of the answers
_LETTERS = "abcdefgh"


@dataclass
class Anchor:
    """A unit that starts a question's region (or a group of parts, for a container)."""

    unit_index: int
    unit: Unit
    candidates: dict[int, float] = field(default_factory=dict)  # group index -> score
    how: str = ""
    parent: str = ""  # the enclosing label, for reports
    keyword: str = ""
    groups: list[int] = field(default_factory=list)  # assigned
    by_order: bool = False
    also: list[int] = field(default_factory=list)  # "(a) and (b).": further groups one answer serves


@dataclass
class _Entry:
    """A label as the student writes it: its style, its path of numbers and letters, its level."""

    style: tuple
    path: tuple
    level: int | None  # heading level; None for a label in the text
    written: str


def question_groups(rubric: Rubric) -> list[list[Question]]:
    groups: list[list[Question]] = []
    for q in rubric.questions:
        for g in groups:
            if g[0].locate == q.locate and (q.locate.problem is not None or q.locate.keywords):
                g.append(q)
                break
        else:
            groups.append([q])
    return groups


class _Matcher:
    def __init__(self, groups: list[list[Question]]) -> None:
        self.groups = groups
        self.by_path: dict[tuple, int] = {}
        self.parts: dict[int, set[str]] = {}
        for i, g in enumerate(groups):
            loc = g[0].locate
            if loc.problem is None:
                continue
            key = (loc.problem,) if loc.part is None else (loc.problem, loc.part)
            self.by_path.setdefault(key, i)
            if loc.part:
                self.parts.setdefault(loc.problem, set()).add(loc.part)
        self.has_parts = bool(self.parts)
        # the handout's sections, when the rubric gives them: section -> [(part letter or None, group)]
        self.sections: dict[int, list[tuple[str | None, int]]] = {}
        for i, g in enumerate(groups):
            place = g[0].locate.section
            if place:
                self.sections.setdefault(place[0], []).append((place[1] if len(place) > 1 else None, i))

    def _in_section(self, section: int, part: str | None) -> int | None:
        """The group a label "2.a)" points to when it counts the handout's sections and their questions: the
        section's only group (a section of one question, whatever part), else its part."""
        held = self.sections.get(section, [])
        if len(held) == 1 and held[0][0] is None:
            return held[0][1]
        return next((g for letter, g in held if letter is not None and letter == part), None)

    def _section_part(self, p: int, x: str) -> int | None:
        """(p, "a") when problem p has no such part: part (a) of question p when that question is a group of
        several results ("3(a)", "3(b)": the mean and the covariance of Q3); else, as a question that is one
        result has no parts, part (a) of the handout's section p ("1.b)" is the second question of section 1)."""
        by_question = self.by_path.get((p,))
        if by_question is not None and len(self.groups[by_question]) > 1:
            return by_question
        return self._in_section(p, x)

    def match(self, path: tuple, context: int | None) -> tuple[str, int | None, float]:
        """("leaf", group, strength), ("container", problem, 0) or ("", None, 0)."""
        ints = [isinstance(c, int) for c in path]
        if path and not ints[0]:  # ("c",): a part of the current problem
            if len(path) != 1:
                return "", None, 0
            if not self.has_parts:  # questions without parts: "(ii)", "b)" count them
                group = self.by_path.get((_LETTERS.index(path[0]) + 1,))
                return ("leaf", group, NUMBERED) if group is not None else ("", None, 0)
            problems = [p for p, parts in sorted(self.parts.items()) if path[0] in parts]
            problem = context if context in problems else (problems[0] if problems else None)
            group = self.by_path.get((problem, path[0]))
            return ("leaf", group, EXPLICIT) if group is not None else ("", None, 0)
        if len(path) == 1:
            if path[0] in self.parts:
                return "container", path[0], 0
            group = self.by_path.get(path)
            return ("leaf", group, NUMBERED) if group is not None else ("", None, 0)
        if len(path) == 2:
            p, x = path
            if isinstance(x, str):
                group = self.by_path.get(path)
                if group is None and self.sections:
                    group = self._section_part(p, x)
            elif p in self.parts:
                group = self.by_path.get((p, _LETTERS[x - 1])) if 1 <= x <= len(_LETTERS) else None
            else:
                group = self.by_path.get((x,))  # questions numbered inside an exercise
                elsewhere = group is None or self.groups[group][0].locate.section[:1] not in ((), (p,))
                if x == p and p in self.sections and elsewhere:
                    group = self._in_section(p, None)  # "Partie 3" then "3)": section 3's number again
                elif x < p and self.sections and elsewhere:
                    group = None  # "1." "2." under section 3: a list in its answer; questions 1-2 are section 1's
            return ("leaf", group, EXPLICIT if isinstance(x, str) else NUMBERED) if group is not None else ("", None, 0)
        return "", None, 0


def _join(prefix: tuple, own: tuple) -> tuple:
    return prefix + own


_LEADING_WORD = re.compile(r"\W*([^\W\d_]+)")


def _repeats(entry: _Entry, label: Label) -> bool:
    """Does ``label`` name the entry's own place again, with the same word ("Problem 2" under "Problem 2: …")?"""
    own = label.own
    if not own or entry.path[-len(own):] != own:
        return False
    words = [_LEADING_WORD.match(text) for text in (entry.written, label.written)]
    return all(words) and words[0].group(1).lower() == words[1].group(1).lower()


def keyword_groups(text: str, groups: list[list[Question]]) -> tuple[list[int], str]:
    hits, word = [], ""
    for i, g in enumerate(groups):
        for k in g[0].locate.keywords:
            if re.search(rf"(?<![\w]){re.escape(k)}(?![\w])", text, re.IGNORECASE):
                hits.append(i)
                word = word or k
                break
    return (hits, word) if len(hits) == 1 else ([], "")


def _style(unit: Unit, label: Label) -> tuple:
    where = f"h{unit.block.level}" if unit.block.kind is BlockKind.HEADING else unit.where
    return where, label.shape


def _numbered_parts(units: list[Unit], matcher: _Matcher) -> set[int]:
    """Units whose "1." "2." "3." … are the parts of a problem, not problem numbers: a list that follows a
    heading with no other label before it and counts past the last problem (each problem of a homework
    with parts answered as a list under a heading that names no number, "Gaussian vectors")."""
    if not matcher.has_parts:
        return set()
    last_problem = max(p for p, *_ in matcher.by_path)
    most_parts = max(len(parts) for parts in matcher.parts.values())
    found: set[int] = set()
    run: list[tuple[int, int]] = []
    fresh = True  # no label since the last heading

    def close() -> bool:
        numbers = [n for _, n in run]
        if len(run) >= 2 and numbers[0] == 1 and last_problem < numbers[-1] <= most_parts:
            found.update(i for i, _ in run)
            return True
        return False

    for i, unit in enumerate(units):
        label = unit.label
        if unit.block.kind is BlockKind.HEADING:
            close()
            run, fresh = [], True
            continue
        if label is None:
            continue
        number = label.shape == "number" and unit.where == "label"
        if number and (run or fresh) and (not run or label.problem > run[-1][1]):
            run.append((i, label.problem))
            continue
        # a list of parts that starts again at 1 is the next problem's
        fresh = close() and number and label.problem == 1
        run = [(i, 1)] if fresh else []
    close()
    return found


def _flat_numbers(units: list[Unit], matcher: _Matcher, groups: list[list[Question]]) -> dict[int, int]:
    """Units numbered flat "Answer 1:" … "Answer 8:", one number per question of a homework whose questions
    are problems' parts (1a … 2d), numbers that do not fit its problems: the k-th is the k-th question.
    Only when every label of the document is such a number, 1 to the number of questions, in order."""
    if not matcher.has_parts:
        return {}
    labelled = [(i, u.label) for i, u in enumerate(units) if u.label is not None]
    numbers = [label.problem for _, label in labelled]
    flat = all(label.part is None and label.sub is None and label.problem is not None for _, label in labelled)
    if not flat or numbers != list(range(1, len(groups) + 1)) or len(groups) <= max(matcher.parts):
        return {}
    return {i: k for k, (i, _) in enumerate(labelled)}


def find_anchors(units: list[Unit], rubric: Rubric) -> tuple[list[Anchor], list[list[Question]], set[int]]:
    """The anchors, the question groups, and the units whose label repeats the current question's
    (their label is not part of the answer)."""
    groups = question_groups(rubric)
    repeated: set[int] = set()
    matcher = _Matcher(groups)
    entries: list[_Entry] = []
    anchors: list[Anchor] = []
    current: int | None = None  # the group of the last anchor
    context: int | None = None  # the current problem number
    last_part: str | None = None
    as_parts = _numbered_parts(units, matcher)
    titles: list[Anchor] = []  # title lines that name no question
    flat = _flat_numbers(units, matcher, groups)
    for i, unit in enumerate(units):
        block, label = unit.block, unit.label
        if i in flat:
            anchors.append(Anchor(i, unit, {flat[i]: EXPLICIT}, parent=f"question {flat[i] + 1} in order"))
            current = flat[i]
            continue
        if i in as_parts:
            label = Label(None, _LETTERS[label.problem - 1], label.rest, None, "part", label.written)
        if unit.where != "table row":  # a table's rows number nothing after the table
            while entries and entries[-1].style[0] == "table row":
                entries.pop()
        heading = block.kind is BlockKind.HEADING
        if heading and label is not None and label.problem is None and label.part is not None:
            # "# c)" after "## b)": a part's heading, whatever its level, stays under the problem above it
            while entries and entries[-1].path and isinstance(entries[-1].path[-1], str):
                entries.pop()
        elif heading and label is not None and label.shape == "word" and label.own and len(label.own) == 1 \
                and any(e.path and isinstance(e.path[-1], str) for e in entries):
            # "#### Exercice 2" after "## d)": a problem's heading ends the parts above it, whatever its level
            while entries and entries[-1].path and isinstance(entries[-1].path[0], int):
                entries.pop()
        elif heading:
            while entries and (entries[-1].level is None or entries[-1].level >= block.level):
                entries.pop()
        if heading:
            words = block.text
        elif label is not None:
            words = label.rest.split("\n")[0] if label.shape == "word" or unit.title else ""
        else:
            words = block.text if unit.title else ""
        kw_groups, kw = keyword_groups(words[:120], groups) if words else ([], "")
        if label is None:
            if kw_groups and not (unit.title and kw_groups[0] == current):  # a title within its answer
                g = kw_groups[0]
                anchors.append(Anchor(i, unit, {g: KEYWORD}, keyword=kw))
                current = g
                problem = groups[g][0].locate.problem
                if problem is not None:
                    context, last_part = problem, None
                    # the labels under it count from the handout's section when the rubric gives it
                    number = (groups[g][0].locate.section or (problem,))[0]
                    entries.append(_Entry((f"h{block.level}", "keyword"), (number,), block.level, block.text))
            elif unit.title and not kw_groups:
                titles.append(Anchor(i, unit, dict.fromkeys(range(len(groups)), ORDER)))
            continue
        style = _style(unit, label)
        own = label.own
        options: list[tuple[int, tuple, bool]] = []  # (entries kept, path, push)
        if label.absolute:
            k = len(entries)
            while k and not (len(entries[k - 1].path) < len(own) and own[: len(entries[k - 1].path)] == entries[k - 1].path):
                k -= 1
            options.append((k, own, True))
        else:
            same = [j for j, e in enumerate(entries) if e.style == style]
            if same:
                j = same[-1]
                options.append((j, _join(entries[j - 1].path if j else (), own), True))
            # "(d)" after "1c)": a part beside the part the label above names, whatever its style
            if entries and len(own) == 1 and isinstance(own[0], str) and entries[-1].path \
                    and isinstance(entries[-1].path[-1], str) and len(entries[-1].path) > 1:
                options.append((len(entries) - 1, entries[-1].path[:-1] + own, True))
            # A label is never the child of one in its own style ("Answer 2" is no part of "Answer 1"), nor of
            # the label it repeats ("Problem 2." under "Problem 2: Expectation maximization" is no part 2).
            if not (entries and (entries[-1].style == style or _repeats(entries[-1], label))):
                options.append((len(entries), _join(entries[-1].path if entries else (), own), True))
            for k in range(len(entries) - 1, -1, -1):
                if not (k and entries[k - 1].style == style):
                    options.append((k, _join(entries[k - 1].path if k else (), own), False))
        if label.part is not None and label.problem is None and last_part is not None and label.part < last_part \
                and context is not None and label.part == min(matcher.parts.get(context + 1, {"?"})) \
                and not any(isinstance(c, int) for e in entries for c in e.path):
            context += 1  # the letters start again at the first part, no problem named: the next problem
        chosen = None
        # A label in the style of an open one is its sibling ("Exercice 2" after "Exercice 1"), never a repeat
        # of the current question under it ("Exercice 2" as problem 1, part (b)).
        sibling = not label.absolute and any(e.style == style for e in entries)
        for keep, path, push in options:
            kind, target, strength = matcher.match(path, context)
            if kind == "leaf" and (push or (target == current and not sibling)):
                chosen = (keep, path, push, kind, target, strength)
                break
        if chosen is not None and not chosen[2]:
            repeated.add(i)
        if chosen is None:
            for keep, path, push in options:
                kind, target, strength = matcher.match(path, context)
                if kind == "container" and push:
                    chosen = (keep, path, push, kind, target, strength)
                    break
        if chosen is None:
            if kw_groups:
                anchors.append(Anchor(i, unit, {kw_groups[0]: KEYWORD}, keyword=kw))
                current = kw_groups[0]
            continue  # not a label here: a list item, a number in the text
        keep, path, push, kind, target, strength = chosen
        parent = entries[keep - 1].written if keep else ""
        if push:
            del entries[keep:]
            entries.append(_Entry(style, path, block.level if heading else None, label.written or block.text))
        if kind == "container":
            # The intro of a problem belongs to none of its parts; its title names the topic of all of
            # them, so its keywords select none.
            context, last_part, current = target, None, None
            anchors.append(Anchor(i, unit, {}, parent=parent))
            continue
        loc = groups[target][0].locate
        if target == current and not kw_groups and not heading:
            repeated.add(i)
            continue  # the same question again: the student's own label after a pasted one
        if label.shape in ("word", "number") and len(path) == 1 and heading and matcher.has_parts is False \
                and not re.match(r"\W*(q|question)", block.text, re.IGNORECASE):
            strength = SECTION if label.shape == "number" else min(strength, EXERCISE)
        candidates = {target: strength}
        if kw_groups:
            candidates[kw_groups[0]] = max(candidates.get(kw_groups[0], 0), KEYWORD)
        also = []
        for x in label.also:
            kind_x, group_x, _ = matcher.match(path[:-1] + (x,), context)
            if kind_x == "leaf" and group_x is not None and group_x != target:
                also.append(group_x)
        anchors.append(Anchor(i, unit, candidates, parent=parent, keyword=kw if kw_groups else "", also=also))
        current = max(candidates, key=candidates.get)
        best = groups[current][0].locate
        context = best.problem if best.problem is not None else context
        last_part = best.part if best.part is not None else (loc.part if loc.problem == context else last_part)
    if titles and not any(a.unit.label is not None for a in anchors):
        # Plain text with title lines and no label: each title over some text starts an answer, placed by
        # the order ("Homework 1" over the next title is the document's title).
        starts = sorted({a.unit_index for a in anchors + titles} | {len(units)})
        after = dict(zip(starts, starts[1:]))
        titles = [t for t in titles if after[t.unit_index] > t.unit_index + 1]
        if len(titles) >= 2:  # one is the document's title
            anchors = sorted(anchors + titles, key=lambda a: a.unit_index)
    return anchors, groups, repeated


def distinct_words(groups: list[list[Question]]) -> list[set[str]]:
    """Per group, the words of its statement and titles that no other group's have."""
    texts = [statement_tokens(statement_of(g[0]) + " " + " ".join(q.title for q in g)) for g in groups]
    return [t - set().union(*(texts[:k] + texts[k + 1:])) for k, t in enumerate(texts)]


def similarity(text: str, group: int, distinct: list[set[str]]) -> float:
    words = distinct[group]
    return len(words & tokens(text)) / len(words) if words else 0.0


def assign(anchors: list[Anchor], groups: list[list[Question]], region_text: list[str]) -> None:
    """Fill ``Anchor.groups``: strongest claims first, then the questions left, in order."""
    triples = sorted(((s, i, g) for i, a in enumerate(anchors) for g, s in a.candidates.items()),
                     key=lambda t: (-t[0], t[1]))
    owner: dict[int, float] = {}
    for score, i, g in triples:
        if score <= EXERCISE:
            break  # section and exercise numbers only say where a unit stands: settled by order below
        if anchors[i].groups:
            continue
        if g in owner and owner[g] > score:
            continue
        owner[g] = score
        anchors[i].groups.append(g)
    # "(a) and (b).": the answer serves the further parts it names, unless another label claims them
    claimed = {g for a in anchors for g in a.candidates}
    for a in anchors:
        if a.groups:
            a.groups.extend(g for g in a.also if g not in claimed and g not in a.groups)
    # Units whose question went to a stronger claim, and units numbered only as sections or exercises,
    # take the questions left between their neighbours', in order.
    distinct = distinct_words(groups)
    taken = {g for a in anchors for g in a.groups}
    lost = [i for i, a in enumerate(anchors) if a.candidates and not a.groups]
    k = 0
    while k < len(lost):
        run = [lost[k]]
        while k + 1 < len(lost) and all(not anchors[j].groups for j in range(run[-1] + 1, lost[k + 1])):
            k += 1
            run.append(lost[k])
        k += 1
        before = [g for a in anchors[: run[0]] for g in a.groups]
        after = [g for a in anchors[run[-1] + 1:] for g in a.groups]
        low = max(before) if before else -1
        high = min((g for g in after if g > low), default=len(groups))
        free = [g for g in range(low + 1, high) if g not in taken]
        def fit(i: int, g: int) -> float:
            return similarity(region_text[i], g, distinct) + (0.5 if g in anchors[i].candidates else 0.0)

        for i, g in align(run, free, fit):
            anchors[i].groups.append(g)
            anchors[i].by_order = anchors[i].candidates.get(g, 0) <= ORDER
            taken.add(g)


def align(items: list[int], free: list[int], sim) -> list[tuple[int, int]]:
    """Match units to free questions keeping both orders, most similar content first: a small
    edit-distance table (a handful of units and questions)."""
    n, m = len(items), len(free)
    if not n or not m:
        return []
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            best[a][b] = max(best[a + 1][b], best[a][b + 1], 1 + sim(items[a], free[b]) + best[a + 1][b + 1])
    pairs, a, b = [], 0, 0
    while a < n and b < m:
        if best[a][b] == 1 + sim(items[a], free[b]) + best[a + 1][b + 1]:
            pairs.append((items[a], free[b]))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs
