"""Regular expressions compiled on first use.

Python compiles every module-level pattern when the module is imported, and a cold grade imports every extractor;
a pattern that only some answers need (values stated in order, say) need not cost every cold start its compile time.
``lazy(pattern, flags)`` stands for ``re.compile(pattern, flags)`` and compiles at the first match, search or sub.
"""

from __future__ import annotations

import re


class LazyPattern:
    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def __getattr__(self, name: str):  # match, search, fullmatch, finditer, findall, sub, split, groupindex …
        return getattr(self.compiled(), name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
