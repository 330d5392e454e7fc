"""Regular expressions compiled on first use.

The taggers hold a few dozen patterns; compiling them all costs tens of milliseconds at every start-up,
while a given sentence needs only some (no month name: no date patterns).
"""
from __future__ import annotations

import re


class LazyRe:
    __slots__ = ("pattern", "flags", "_rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._rx: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        if self._rx is None:
            self._rx = re.compile(self.pattern, self.flags)
        return self._rx

    def match(self, *a):
        return (self._rx or self.compiled()).match(*a)

    def fullmatch(self, *a):
        return (self._rx or self.compiled()).fullmatch(*a)

    def search(self, *a):
        return (self._rx or self.compiled()).search(*a)

    def finditer(self, *a):
        return (self._rx or self.compiled()).finditer(*a)

    def findall(self, *a):
        return (self._rx or self.compiled()).findall(*a)

    def sub(self, *a):
        return (self._rx or self.compiled()).sub(*a)


def lazy(pattern: str, flags: int = 0) -> LazyRe:
    return LazyRe(pattern, flags)
