"""An answer that only says the question was skipped: "(skipped, ran out of time)", "Not done.",
"Pas eu le temps", "Je n'ai pas fait cette question", "À faire".

Such a region is no answer: grading its words would find nothing right, or worse, take "no" in
"no time" for a verdict. It is short (a line or two), holds no math, and says one of the phrases
below; anything with a formula or a number in it is an answer, however brief ("TD2", a digit in a word, is no
number: "I will hand it in with TD2").
"""

from __future__ import annotations

import re
import unicodedata

from grader.model import Block, BlockKind
from grader.segment.labels import parse_label

_MAX_CHARS = 120
_SKIP = re.compile(
    r"\b(?:not\s+(?:done|attempted|answered|finished)|skipped|no\s+time|ran\s+out\s+of\s+time|out\s+of\s+time"
    r"|did\s*n[o']?t\s+(?:do|have\s+time|finish|attempt)|todo|n/a"
    r"|pas\s+eu\s+le\s+temps|pas\s+le\s+temps|n[e']\s*ai\s+pas\s+(?:fait|eu|traite|reussi)|pas\s+fait|non\s+(?:fait|traite)"
    r"|a\s+faire|manque\s+de\s+temps)\b",
    re.IGNORECASE,
)
_MATH = re.compile(r"[=$\\^_{}<>|+*]|(?<![^\W\d_])\d")  # a digit in a word ("TD2", "HW3") is no number


def _plain(text: str) -> str:
    """Lower case without accents, curly apostrophes straightened: "à faire" → "a faire"."""
    text = text.replace("\u2019", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def says_skipped(blocks: list[Block] | tuple[Block, ...]) -> bool:
    """True when the answer's blocks only say the question was skipped (see the module docstring)."""
    if not blocks or any(b.kind is not BlockKind.PROSE for b in blocks):
        return False
    text = " ".join(b.text for b in blocks).strip()
    label = parse_label(text, heading=False)  # "3) skipped": the question's label is no part of the note
    text = label.rest if label is not None else text
    if not text or len(text) > _MAX_CHARS or _MATH.search(text):
        return False
    return bool(_SKIP.search(_plain(text)))
