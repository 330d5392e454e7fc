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
