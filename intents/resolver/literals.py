"""The words a regular expression cannot match without: a cheap test before running it.

`required(src, flags)` reads the pattern's parse tree (the standard library's own parser) and returns
lowercased strings of which every match contains at least one, or () when it cannot tell. A tagger that
runs a pattern only when one of them is in the lowercased text finds exactly what it found before, for
ASCII text (beyond ASCII, re.I folds more than str.lower does: "ſ" matches "s"), so callers test
`text.isascii()` too. A pack's own pattern ("disclosing party ...", "nda: X & Y") costs a scan of the
whole text in every request; most requests hold none of its words.
"""
from __future__ import annotations

try:
    from re import _constants as _c, _parser as _p  # Python 3.11+
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MIN_LEN = 3  # shorter literals are in nearly every text: not worth testing


def required(src: str, flags: int = 0) -> tuple[str, ...]:
    """Lowercased literals, one of which is in every match of `src`; () when there are none to test."""
    try:
        tree = _p.parse(src, flags)
        found = _need(list(tree))
    except Exception:  # noqa: BLE001 - an unparsable or unusual pattern is simply not guarded
        return ()
    if not found or min(map(len, found)) < MIN_LEN:
        return ()
    return tuple(sorted(found))


def _need(items) -> set[str] | None:
    """For a sequence of parse items: a set of strings one of which every match holds, or None."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(cand: set[str] | None) -> None:
        nonlocal best
        if cand and (best is None or min(map(len, cand)) > min(map(len, best))):
            best = cand

    def flush() -> None:
        if run:
            consider({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            ch = chr(av)
            low = ch.lower()
            if ch.isascii() and len(low) == 1:
                run.append(low)
                continue
            flush()
            continue
        flush()
        if op is _c.SUBPATTERN:
            consider(_need(list(av[-1])))
        elif op is _c.BRANCH:
            alts = [_need(list(p)) for p in av[1]]
            if all(alts):
                consider(set().union(*alts))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            consider(_need(list(av[2])))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            consider(_need(list(av)))
        # anything else (classes, any, anchors, lookarounds, back-references, conditionals) holds no
        # literal we rely on; a zero-width item ends the run all the same
    flush()
    return best


_MAX_STRINGS = 256  # a run of items reads as at most this many strings, or it is left unread
_BOUNDARY = "\x00"  # stands for \b in the strings below: like any non-word character, it ends a word
_WORD_RUN = None


def whole_words(src: str, flags: int = 0) -> list[list[frozenset[str]]]:
    """What a match of `src` (compiled with `flags`) says as whole words: for each run of fixed parts
    of the pattern's top level ("\\bin\\b", "(?:<number>|<money>)"), the alternatives of the words it
    holds, each alternative a set of words all of which the match holds as maximal runs of \\w. A text
    whose \\w+ runs satisfy no alternative of some run cannot match. [] when nothing is known (a
    case-insensitive or ASCII-only pattern, an unparsable one)."""
    try:
        tree = _p.parse(src, flags)
        if tree.state.flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_ASCII | _c.SRE_FLAG_LOCALE):
            return []
        out: list[list[frozenset[str]]] = []
        run = {""}  # the strings the current run of fixed items can match
        for item in list(tree) + [None]:  # None: the end, which ends the last run
            part = _strings([item]) if item is not None else None
            if part is not None:
                longer = {a + b for a in run for b in part}
                if len(longer) <= _MAX_STRINGS:
                    run = longer
                    continue
            # a variable item (or one too many strings long) ends the run; a fixed one starts the next
            alternatives = {_bounded(s) for s in run}
            if frozenset() not in alternatives:
                out.append(sorted(alternatives, key=sorted))
            run = part if part is not None else {""}
        return out
    except Exception:  # noqa: BLE001 - an unparsable or unusual pattern is simply not guarded
        return []


def _strings(items) -> set[str] | None:
    """Every string a sequence of parse items can match, \\b as _BOUNDARY; None when not a few fixed ones."""
    out = {""}
    for op, av in items:
        if op is _c.LITERAL:
            part = {chr(av)}
        elif op is _c.AT:
            part = {_BOUNDARY} if av is _c.AT_BOUNDARY else {""}  # other anchors: zero-width, nothing known
        elif op is _c.SUBPATTERN:
            if av[1] & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_ASCII | _c.SRE_FLAG_LOCALE):
                return None
            part = _strings(list(av[-1]))
        elif op is _c.BRANCH:
            alts = [_strings(list(p)) for p in av[1]]
            if any(a is None for a in alts):
                return None
            part = set().union(*alts)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            inner = _strings(list(av[2]))
            if inner is None:
                return None
            part = inner | {""}
        else:
            return None
        if part is None:
            return None
        out = {a + b for a in out for b in part}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _bounded(s: str) -> frozenset[str]:
    """The maximal \\w runs of `s` with a non-word character (or \\b) on both sides within `s`: a match
    holding `s` holds each of them as a whole \\w run of the text."""
    global _WORD_RUN
    if _WORD_RUN is None:
        import re

        _WORD_RUN = re.compile(r"\w+")
    return frozenset(m.group() for m in _WORD_RUN.finditer(s) if m.start() > 0 and m.end() < len(s))
