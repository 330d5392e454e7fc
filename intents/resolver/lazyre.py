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


# -- word alternations: only the alternatives a text can match are compiled ---------------------------
#
# A pattern like \b(?:that|it|this|...|one\s+more)\b costs a millisecond to compile for forty words, while
# a given text holds one or two of them, or none. `lazy_words` keeps such a pattern as its alternatives:
# an alternative that begins with a literal word can only match where one of the text's words begins
# with that literal (compared case-folded, so re.I is covered), so the others are left out of the
# pattern compiled for that text. Leaving out alternatives that match nowhere in the text changes no
# match: the regular expression engine tries the rest in the same order at every position. A text that
# can match none of them compiles nothing. After a few different subsets (a long-running process), the
# whole pattern is compiled once and used from then on.

_WORD = lazy(r"\w+")
_SUBSETS = 6  # subsets compiled before the whole pattern is
_last_text: list = [None, ""]  # (text, its words as one string): several patterns look at the same text


def _words_of(text: str) -> str:
    """The text's words, case-folded, as ' w1 w2 ...' (so ' lit' in it says a word begins with lit). re.I
    also matches 'İ' and 'ı' to 'i', which casefold does not: they are folded to 'i' here."""
    if _last_text[0] is not text:
        folded = " ".join(_WORD.findall(text)).casefold()
        if "\u0307" in folded or "ı" in folded:
            folded = folded.replace("i\u0307", "i").replace("ı", "i")
        _last_text[0], _last_text[1] = text, " " + folded
    return _last_text[1]


_LEAD = lazy(r"[A-Za-z0-9_]*")


def _lead(alternative: str) -> str:
    """The literal letters an alternative must begin with ('' when it begins otherwise): 'what\\s+about'
    -> 'what', 'ok(?:ay)?' -> 'ok', 'colou?r' -> 'colo', '\\d+' -> ''."""
    n = _LEAD.match(alternative).end()
    if alternative[n:n + 1] in ("?", "*", "{"):
        n -= 1  # the letter before an optional part may be absent
    return alternative[:max(n, 0)].lower()


def _not_an_alternative(alternative: str) -> bool:
    """Whether the string holds a top-level '|' (two alternatives) or a capturing group."""
    if "|" not in alternative and "(" not in alternative:
        return False
    depth, i, klass = 0, 0, False
    while i < len(alternative):
        ch = alternative[i]
        if ch == "\\":
            i += 2
            continue
        if klass:
            klass = ch != "]"
        elif ch == "[":
            klass = True
            if alternative[i + 1:i + 2] == "]":
                i += 1
        elif ch == "(":
            if alternative[i + 1:i + 2] != "?" or alternative[i + 1:i + 3] in ("?P", "?<") and \
                    alternative[i + 1:i + 4] not in ("?<=", "?<!", "?P="):
                return True  # a capturing group (named or not): the subsets would renumber the groups
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


class LazyWords(LazyRe):
    """`head + '|'.join(alternatives) + tail`, compiled for each text with only the alternatives it can
    match. `head` must end where a word begins (in r'\\b(?:', r'\\b(' or r'^\\s*(?:'), and no alternative may
    hold a top-level '|' or a capturing group (group numbers stay those of head and tail)."""

    __slots__ = ("head", "alternatives", "tail", "_leads", "_parts")

    def __init__(self, head: str, alternatives, tail: str, flags: int = 0) -> None:
        if not head.endswith(("\\b(?:", "\\b(", "^\\s*(?:", "^\\s*(")):
            raise ValueError(f"lazy_words: the alternatives must begin where a word begins, not after {head!r}")
        self.head, self.alternatives, self.tail = head, tuple(alternatives), tail
        super().__init__(head + "|".join(self.alternatives) + tail, flags)
        self._leads: tuple[str, ...] | None = None
        self._parts: dict = {}

    def _for(self, text: str):
        """The pattern to search `text` with: None when no alternative can match in it."""
        if self._rx is not None:
            return self._rx
        if self._leads is None:
            bad = [a for a in self.alternatives if _not_an_alternative(a)]
            if bad:
                raise ValueError(f"lazy_words: an alternative holds '|' or a group: {bad[0]!r}")
            leads = [_lead(a) for a in self.alternatives]
            self._leads = tuple(" " + lead if lead else "" for lead in leads)
        words = _words_of(text)
        keep = tuple(i for i, lead in enumerate(self._leads) if not lead or lead in words)
        if not keep:
            return None
        if len(keep) == len(self.alternatives) or len(self._parts) >= _SUBSETS:
            return self.compiled()
        rx = self._parts.get(keep)
        if rx is None:
            rx = self._parts[keep] = re.compile(
                self.head + "|".join(self.alternatives[i] for i in keep) + self.tail, self.flags)
        return rx

    def match(self, text, *a):
        rx = self._for(text)
        return rx.match(text, *a) if rx is not None else None

    def fullmatch(self, text, *a):
        rx = self._for(text)
        return rx.fullmatch(text, *a) if rx is not None else None

    def search(self, text, *a):
        rx = self._for(text)
        return rx.search(text, *a) if rx is not None else None

    def finditer(self, text, *a):
        rx = self._for(text)
        return rx.finditer(text, *a) if rx is not None else iter(())

    def findall(self, text, *a):
        rx = self._for(text)
        return rx.findall(text, *a) if rx is not None else []

    def sub(self, repl, text, *a):
        rx = self._for(text)
        return rx.sub(repl, text, *a) if rx is not None else text


def lazy_words(head: str, alternatives, tail: str = "", flags: int = 0) -> LazyWords:
    return LazyWords(head, alternatives, tail, flags)
