"""Markup that is not part of an answer's content, as one set of patterns for every stage that removes it: the
Markdown reader drops struck-out text, the Answer blanks it and equation marks (keeping every offset), and the math
reader drops equation marks; quoted claims, which the stance and limit readers judge rather than take as said. Only the
standard library, so that reading an answer loads nothing more."""

from __future__ import annotations

import re

# What the student took back: ~~…~~, <del>/<s>/<strike>…</…>, \sout{…} / \st{…} / \xout{…} (ulem, soul)
STRUCK = re.compile(
    r"(?<!~)~~(?!~)(?=\S)[^\n~]*?(?<=\S)~~(?!~)"
    r"|<(del|s|strike)\b[^<>]{0,200}>.{0,2000}?</\1\s*>"
    r"|\\(?:sout|st|xout)\s*\{[^{}\n]*\}",
    re.I | re.S,
)
# An equation's number or label: \tag{4}, \label{eq:post}, \nonumber, \notag; \qedhere at the end of a proof
EQUATION_MARKS = re.compile(r"\\(?:label|tag)\*?\s*\{[^{}]*\}|\\nonumber\b|\\notag\b"
                            r"|\\(?:qedhere|qed|blacksquare|square)(?![A-Za-z])")  # the end-of-proof mark too
# A claim in quotation marks ('"EM converges to (-1, 1)": False'): the student reports it, to judge it
QUOTED = re.compile(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”|«[^»\n]{1,300}»')
