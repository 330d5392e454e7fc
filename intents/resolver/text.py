"""Words for the classifier: placeholder-aware tokens, stop words, a light stemmer, synonyms, and
typo repair against the index vocabulary."""
from __future__ import annotations

import re

TOKEN = re.compile(r"<[a-z_0-9]+>|[a-z][a-z']*")
STOP = set("""a an the of for to in on at by with and or is are be was it its this that these those my me i
we you your our us please can could would will shall should do does did i'd i'm im let lets let's just
some any about from into as so then than there here what whats what's how much many tell give get show
need want like kindly quick quickly now also up out okay ok hey hi hello oh um uh er hmm have has had""".split())
# Words that carry the request's meaning but come in many spellings or near-synonyms, in any domain.
# A pack's own words ("mortgage" -> "loan", "bsa" -> "body surface area") come from `pack.words()`.
SYNONYMS = {
    "figure": "calculate", "compute": "calculate", "calc": "calculate", "estimate": "calculate",
    "determine": "calculate", "calculation": "calculate", "calculator": "calculate",
    "kilos": "kg", "kilograms": "kg", "pounds": "lb", "lbs": "lb",
    "convert": "convert", "conversion": "convert", "exchange": "convert",
    "remove": "remove", "uninstall": "remove", "delete": "remove", "disable": "remove",
    "install": "install", "enable": "install", "activate": "install",
}
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "ly", "s")


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    cached = _STEMS.get(word)
    if cached is None:
        cached = _stem(word)
        if len(_STEMS) < 200_000:  # bounded: arbitrary input must not grow it without end
            _STEMS[word] = cached
    return cached


def _stem(word: str) -> str:
    if word.startswith("<"):
        return word
    word = SYNONYMS.get(word, word)
    if len(word) <= 4:
        return word
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            if suf == "ies":
                return word[:-3] + "y"
            if suf == "s" and word.endswith("ss"):
                return word
            return word[: -len(suf)]
    return word


PHRASES = re.compile(r"\b(?:turn|switch)\s+(on|off)\b|\bget\s+rid\s+of\b|\bset\s+up\b")


def _phrase(m: re.Match) -> str:
    word = m.group(0)
    if m.group(1):
        return "enable" if m.group(1) == "on" else "disable"
    return {"get rid of": "remove", "set up": "install"}.get(re.sub(r"\s+", " ", word), word)


ABBREVIATIONS: dict[str, str] = {}  # the packs declare theirs (pack.words(vocabulary=...))
CONCEPTS = {  # words that point at a concept the system pack's samples may name differently
    "earlier": "history", "previously": "history", "past": "history", "ran": "history", "recently": "history",
    "log": "history", "capabilities": "help", "commands": "help",
}
_EXPANSIONS = {k: v.split() for k, v in CONCEPTS.items()}


class Words:
    """A catalog's own words: replacements (`synonyms`) and words added beside (`expansions`)."""

    def __init__(self, expansions: dict[str, str] | None = None, synonyms: dict[str, str] | None = None) -> None:
        self.synonyms = dict(synonyms or {})
        self.expansions = {**_EXPANSIONS, **{k: v.split() for k, v in (expansions or {}).items()}}


_CORE_WORDS = Words()


def tokens(text: str, words: Words | None = None) -> list[str]:
    words = words or _CORE_WORDS
    low = PHRASES.sub(_phrase, text.lower().replace("’", "'"))
    out = []
    syn, exp = words.synonyms, words.expansions
    for t in TOKEN.findall(low):
        if t in STOP:
            continue
        out.append(stem(syn.get(t, t)))
        extra = exp.get(t)
        if extra:
            out.extend(stem(syn.get(w, w)) for w in extra if w not in STOP)
    return out


def features(toks: list[str]) -> dict[str, float]:
    """Unigrams and adjacent bigrams, counted."""
    out: dict[str, float] = {}
    for t in toks:
        out[t] = out.get(t, 0.0) + 1.0
    for a, b in zip(toks, toks[1:]):
        key = a + " " + b
        out[key] = out.get(key, 0.0) + 1.0
    return out


def trigrams(word: str) -> set[str]:
    w = f"^{word}$"
    return {w[i:i + 3] for i in range(len(w) - 2)}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent transpositions), giving up above `limit` (anything over it is
    `limit + 1`). The common prefix and suffix cost nothing and are cut off first: a typo and the word
    it meant differ in a letter or two, so the table is computed for those few letters only."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    n = min(la, lb)
    p = 0
    while p < n and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and a[la - 1 - s] == b[lb - 1 - s]:
        s += 1
    a, b = a[p:la - s], b[p:lb - s]
    if not a or not b:
        d = len(a) + len(b)
        return d if d <= limit else limit + 1
    if limit <= 1:
        # What is left starts and ends with differing letters (the shorter one may be a single letter),
        # so one edit covers it only as one substitution ("x"/"y") or one swapped pair ("xy"/"yx"):
        # typo repair asks this of dozens of words per unknown word, without the table
        if limit == 1 and ((len(a) == 1 and len(b) == 1) or (len(a) == 2 and len(b) == 2 and a[0] == b[1] and a[1] == b[0])):
            return 1
        return limit + 1
    big = limit + 1
    if len(set(a) ^ set(b)) > 2 * limit:
        # an edit changes the set of letters by at most two (one out, one in; a swap by none): words
        # whose letters differ by more are over the limit, without the table (typo checks ask this of
        # many unrelated words)
        return big
    # The table, only within `limit` of its diagonal (a cell further off is more than `limit` edits,
    # and no path within the limit crosses one), every value capped at limit + 1.
    la, lb = len(a), len(b)
    prev2: list[int] | None = None
    prev = [j if j < big else big for j in range(lb + 1)]
    for i in range(1, la + 1):
        ca = a[i - 1]
        cur = [big] * (lb + 1)
        if i < big:
            cur[0] = i
        best = cur[0]
        for j in range(max(1, i - limit), min(lb, i + limit) + 1):
            cb = b[j - 1]
            v = prev[j - 1] if ca == cb else prev[j - 1] + 1
            if prev[j] + 1 < v:
                v = prev[j] + 1
            if cur[j - 1] + 1 < v:
                v = cur[j - 1] + 1
            if prev2 is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb and prev2[j - 2] + 1 < v:
                v = prev2[j - 2] + 1
            if v > big:
                v = big
            cur[j] = v
            if v < best:
                best = v
        if best > limit:
            return big
        prev2, prev = prev, cur
    return prev[-1] if prev[-1] <= limit else big


# Words that make a request a follow-up of the last one rather than say what it is about ("no, 5.5%")
FOLLOW_UP_WORDS = {stem(w) for w in """what about how no nope sorry actually oops wait instead make change same again
now also too but ok okay so try if were was then use rather please than more less lower higher bigger smaller
just only mean meant correction correct let say suppose assume redo recalculate rerun switch swap set put
update replace go increase decrease raise drop bump reduce extend shorten lengthen""".split()}
