"""The recogniser's language model, generated from the installed packs: templates, samples, slot kinds.

With its default language model pocketsphinx gets most words of a command wrong (WER ~0.7 on synthetic
speech). A JSGF grammar of the commands is accurate but does not scale: pocketsphinx inlines every rule
reference, so a grammar with a number rule at each slot of every template compiles to hundreds of
thousands of states and takes minutes. So the packs' commands are expanded into a corpus instead (each
template many times with spoken slot values: "three hundred thousand", "six point five percent",
"march third twenty twenty six"; each sample with its numbers spoken) and a trigram model with a small
pronouncing dictionary is estimated from it. It is compact, fast to search, and still only knows the
words and word orders of the installed commands.

pocketsphinx fails on words its dictionary lacks, so every word is checked: short unknown words (bmi,
egfr, npv) are spelled with letter sounds, longer ones are pieced together from dictionary words, and
what cannot be pieced is dropped. The model is cached under INTENT_HOME/cache/voice and rebuilt when
`registry.catalog_key` changes.
"""
from __future__ import annotations

import json
import math
import os
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from intents.resolver.numbers import TENS, UNITS

MODEL_VERSION = 3  # bump when the generated corpus or model changes, so stale caches are rebuilt
EXPANSIONS = 40  # corpus sentences drawn from each template
SAMPLE_VARIANTS = 6
SAMPLE_WEIGHT = 8  # copies of each sample as written  # re-spoken copies of each sample with other numbers
DISCOUNT = 0.5  # absolute discounting of the trigram estimates

LETTERS = {
    "a": "EY", "b": "B IY", "c": "S IY", "d": "D IY", "e": "IY", "f": "EH F", "g": "JH IY", "h": "EY CH",
    "i": "AY", "j": "JH EY", "k": "K EY", "l": "EH L", "m": "EH M", "n": "EH N", "o": "OW", "p": "P IY",
    "q": "K Y UW", "r": "AA R", "s": "EH S", "t": "T IY", "u": "Y UW", "v": "V IY", "w": "D AH B AH L Y UW",
    "x": "EH K S", "y": "W AY", "z": "Z IY",
}
SPELL_MAX = 5  # unknown words this short are acronyms: say their letters

_SMALL = [w for w in UNITS if w != "oh"]  # the resolver's number words, in order: _SMALL[7] == "seven"
_TENS = list(TENS)
_ORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
         "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
MONTHS = "january february march april may june july august september october november december".split()
CURRENCIES = ["dollars", "us dollars", "euros", "pounds", "british pounds", "yen", "japanese yen", "swiss francs",
              "canadian dollars", "australian dollars", "yuan", "rupees"]
JURISDICTIONS = ["federal", "us federal", "new york", "california", "delaware", "texas", "florida", "england"]
PARTIES = ["acme", "acme corporation", "globex", "smith and jones", "northwind", "blue river", "john smith",
           "mary brown", "contoso", "united holdings"]
FREE_KINDS = {"text", "party", "path", "source", "query", "topic"}

_TOKEN = re.compile(r"\[|\]|\(|\)|\||\{[^}]*\}|[^\s\[\]()|{}]+")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.I)
_NUMERIC = re.compile(r"^[$€£]?(\d[\d,]*(?:\.\d+)?)(k|m|bn)?(%)?$", re.I)


# ---- the pronouncing dictionary ---------------------------------------------------------------------

def dictionary_path() -> Path:
    from pocketsphinx import get_model_path

    return Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


@lru_cache(maxsize=1)
def dictionary() -> dict[str, str]:
    """word -> phones of pocketsphinx's default dictionary (first pronunciation)."""
    words: dict[str, str] = {}
    with dictionary_path().open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            word, _, phones = line.strip().partition(" ")
            if word and "(" not in word:
                words.setdefault(word, phones)
    return words


@dataclass
class Lexicon:
    """Maps written words to words the recogniser knows, remembering pronunciations it had to invent."""

    known: dict[str, str]
    added: dict[str, str] = field(default_factory=dict)  # invented word -> phones (spelled or pieced)
    dropped: set[str] = field(default_factory=set)

    def word(self, raw: str) -> str | None:
        w = raw.lower().strip(".,;:!?\"'")
        if not w:
            return None
        if w in self.known or w in self.added:
            return w
        if w in self.dropped:
            return None
        phones = self._invent(w)
        if phones is None:
            self.dropped.add(w)
            return None
        self.added[w] = phones
        return w

    def _invent(self, w: str) -> str | None:
        if not re.fullmatch(r"[a-z][a-z']*", w):
            return None
        letters = w.replace("'", "")
        if len(letters) <= SPELL_MAX:
            return " ".join(LETTERS[c] for c in letters)
        phones = _pieces(letters, self.known)
        return " ".join(phones) if phones else None


def _pieces(word: str, known: dict[str, str]) -> list[str] | None:
    """Phones for `word` from the fewest dictionary words (2+ letters) that spell it, single letters
    filling the gaps with a rough letter sound; None only for an empty word."""
    n = len(word)
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(n):
        if best[i] is None:
            continue
        cost, parts = best[i]
        steps = [(word[i:j], 2) for j in range(i + 2, n + 1) if word[i:j] in known]
        steps.append((word[i], 5))  # a letter alone: the last resort
        for piece, step in steps:
            j = i + len(piece)
            cand = (cost + step, parts + [piece])
            if best[j] is None or cand[0] < best[j][0]:
                best[j] = cand
    if not best[n] or not best[n][1]:
        return None
    return [known[p] if len(p) > 1 or p not in _SOUNDS else _SOUNDS[p] for p in best[n][1]]


_SOUNDS = dict(zip("abcdefghijklmnopqrstuvwxyz", "AE B K D EH F G HH IH JH K L M N AA P K R S T AH V W K_S IY Z".split()))
_SOUNDS["x"] = "K S"  # two phones; the split above keeps one token per letter


# ---- spoken numbers ---------------------------------------------------------------------------------

def say_int(n: int) -> str:
    """Cardinal in words: 325000 -> 'three hundred twenty five thousand'."""
    if n < 0:
        return "minus " + say_int(-n)
    if n < 20:
        return _SMALL[n]
    if n < 100:
        return _TENS[n // 10 - 2] + ("" if n % 10 == 0 else " " + _SMALL[n % 10])
    if n < 1000:
        rest = n % 100
        return _SMALL[n // 100] + " hundred" + ("" if rest == 0 else " " + say_int(rest))
    for size, word in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return say_int(n // size) + " " + word + ("" if rest == 0 else " " + say_int(rest))
    return str(n)


def say_number(value: str | float) -> str:
    """'6.5' -> 'six point five'; '300000' -> 'three hundred thousand'."""
    text = str(value).replace(",", "")
    whole, _, frac = text.partition(".")
    out = say_int(int(whole or 0))
    if frac.strip("0"):
        out += " point " + " ".join(_SMALL[int(d)] for d in frac.rstrip("0"))
    return out


def say_ordinal(n: int) -> str:
    if n <= 20:
        return _ORDS[n - 1]
    tens, unit = divmod(n, 10)
    return _TENS[tens - 2] + ("" if unit == 0 else " " + _ORDS[unit - 1]) if unit else _TENS[tens - 2][:-1] + "ieth"


def say_year(y: int) -> str:
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " " + _SMALL[y - 2000])
    return say_int(y // 100) + " " + say_int(y % 100)


# ---- slot values, spoken ----------------------------------------------------------------------------

def _money(r: random.Random) -> str:
    n = r.choice([r.randrange(1, 10) * 1000, r.randrange(1, 100) * 1000, r.randrange(1, 20) * 25_000,
                  r.randrange(100, 999) * 1000, r.randrange(1, 5) * 1_000_000, r.randrange(100, 9999)])
    spoken = say_int(n)
    if n % 1000 == 0 and n < 1_000_000 and r.random() < 0.2:
        spoken = say_int(n // 1000) + " k"
    return spoken + r.choice(["", "", " dollars", " dollar", " euros"])


def _decimal(r: random.Random, lo: float, hi: float, places: int = 1) -> str:
    return say_number(f"{r.uniform(lo, hi):.{places}f}")


def _percent(r: random.Random) -> str:
    return r.choice([say_int(r.randrange(1, 15)), _decimal(r, 1, 12), _decimal(r, 2, 9, 2)]) + \
        r.choice([" percent", " percent", " per cent"])


def _date(r: random.Random) -> str:
    month, day, year = r.choice(MONTHS), r.randrange(1, 29), r.randrange(2024, 2031)
    shapes = [f"{month} {say_ordinal(day)} {say_year(year)}", f"{month} {say_ordinal(day)}",
              f"the {say_ordinal(day)} of {month} {say_year(year)}", f"{month} {say_int(day)} {say_year(year)}",
              r.choice(["today", "tomorrow", "yesterday"])]
    return r.choice(shapes)


def _number_list(r: random.Random) -> str:
    flows = ["minus " + say_int(r.randrange(1, 20) * 1000)] + \
            [say_int(r.randrange(1, 9) * r.choice([100, 1000, 500])) for _ in range(r.randrange(2, 5))]
    sep = r.choice([" ", " comma ", " and "])
    return sep.join(flows[:-1]) + r.choice([" and ", " "]) + flows[-1]


KIND_VALUES = {
    "money": _money,
    "percent": _percent,
    "years": lambda r: say_int(r.choice([1, 2, 3, 5, 7, 10, 15, 20, 25, 30])) + r.choice([" years", " year", ""]),
    "number": lambda r: r.choice([say_int(r.randrange(1, 1000)), _decimal(r, 0, 200)]),
    "integer": lambda r: say_int(r.randrange(1, 400)),
    "date": _date,
    "days": lambda r: say_int(r.choice([7, 10, 14, 21, 28, 30, 45, 60, 90])) + r.choice([" days", " court days",
                                                                                          " calendar days", ""]),
    "age": lambda r: say_int(r.randrange(18, 95)) + r.choice([" year old", " years old", ""]),
    "weight": lambda r: say_int(r.randrange(40, 130)) + r.choice([" kilos", " kilograms", " kg", " pounds", ""]),
    "height": lambda r: say_int(r.randrange(140, 205)) + r.choice([" centimeters", " cm", ""]),
    "creatinine": lambda r: _decimal(r, 0.5, 3.0) + r.choice(["", " milligrams per deciliter"]),
    "qt": lambda r: say_int(r.randrange(320, 520)) + r.choice(["", " milliseconds", " ms"]),
    "heart_rate": lambda r: say_int(r.randrange(45, 140)) + r.choice(["", " beats per minute", " bpm"]),
    "dose_per_kg": lambda r: say_int(r.randrange(1, 40)) + r.choice(["", " milligrams per kilogram", " mg per kg"]),
    "number_list": _number_list,
    "list": _number_list,
    "date_list": lambda r: " and ".join(_date(r) for _ in range(r.randrange(2, 4))),
    "currency": lambda r: r.choice(CURRENCIES),
    "sex": lambda r: r.choice(["female", "male", "woman", "man"]),
    "jurisdiction": lambda r: r.choice(JURISDICTIONS),
    "party": lambda r: r.choice(PARTIES),
    "boolean": lambda r: r.choice(["mutual", "one way", "unilateral"]),
    "lab_unit": lambda r: r.choice(["milligrams per deciliter", "millimoles per liter", "micromoles per liter",
                                    "mg per dl", "mmol per l"]),
}


# ---- corpus: templates and samples, spoken ----------------------------------------------------------

class _Expander:
    """Draws random sentences from one action's templates ('[opt] (a|b) {slot}')."""

    def __init__(self, spec, packs: list[str], rng: random.Random, free_words: list[str]) -> None:
        self.spec, self.packs, self.r, self.free = spec, packs, rng, free_words

    def expand(self, template: str) -> str:
        tokens = _TOKEN.findall(_loosen(template).lower())
        words, _ = self._seq(tokens, 0)
        return " ".join(words)

    def _seq(self, tokens: list[str], i: int) -> tuple[list[str], int]:
        out: list[str] = []
        while i < len(tokens):
            t = tokens[i]
            if t in ("]", ")", "|"):
                break
            if t in ("[", "("):
                alts, i = self._group(tokens, i + 1)
                if t == "(" or self.r.random() < 0.5:
                    out += self.r.choice(alts)
                continue
            out += self._atom(t)
            i += 1
        return out, i

    def _group(self, tokens: list[str], i: int) -> tuple[list[list[str]], int]:
        alts = []
        while True:
            body, i = self._seq(tokens, i)
            alts.append(body)
            if i >= len(tokens):
                return alts, i
            if tokens[i] == "|":
                i += 1
                continue
            return alts, i + 1  # the closing bracket (a mismatched one is tolerated)

    def _atom(self, t: str) -> list[str]:
        if t.startswith("{"):
            return self.slot_value(t.strip("{}").split(":")[0].strip()).split()
        return spoken_words(t, self.r)

    def slot_value(self, name: str) -> str:
        slot = self.spec.slot(name)
        kind = (slot.kind or "").lower() if slot else ""
        if slot is not None and slot.choices:
            return re.sub(r"[_/-]", " ", str(self.r.choice(slot.choices))).lower()
        if kind == "pack":
            return self.r.choice(self.packs)
        gen = KIND_VALUES.get(kind)
        if gen:
            return gen(self.r)
        if kind in FREE_KINDS or (slot is not None and slot.type == "string"):
            return " ".join(self.r.sample(self.free, k=min(len(self.free), self.r.randrange(1, 4))))
        return KIND_VALUES["number"](self.r)


def spoken_words(token: str, r: random.Random | None = None) -> list[str]:
    """Written token -> spoken words; with `r`, a number is replaced by a random one of the same shape."""
    m = _NUMERIC.match(token)
    if m:
        value = m.group(1).replace(",", "")
        if r is not None:
            value = _similar(value, r)
        out = say_number(value).split()
        suffix = (m.group(2) or "").lower()
        if suffix == "k":
            out.append(r.choice(["k", "thousand"]) if r else "thousand")
        elif suffix == "m":
            out.append("million")
        if m.group(3):
            out.append("percent")
        if token[:1] == "$":
            out.append("dollars")
        return out
    if _ORDINAL.match(token):
        return say_ordinal(min(int(re.sub(r"\D", "", token)), 31)).split()
    out = []
    for piece in re.split(r"[-/_]", token.replace("%", " percent").replace("&", " and ").replace("+", " plus ")):
        out.extend(piece.split())
    return out


def _similar(value: str, r: random.Random) -> str:
    whole, _, frac = value.partition(".")
    digits = len(whole.lstrip("-"))
    lead = r.randrange(1, 10)
    new = str(lead * 10 ** (digits - 1) if digits > 1 else lead) if digits else "0"
    if digits > 2 and r.random() < 0.5:
        new = str(r.randrange(10 ** (digits - 1), 10 ** digits) // 10 ** (digits - 2) * 10 ** (digits - 2))
    return new + ("." + str(r.randrange(1, 10)) if frac else "")


def _loosen(phrase: str) -> str:
    # Commas, question marks and quotes carry no sound; "200,000" stays one number.
    phrase = re.sub(r"(?<=\d),(?=\d{3})", "", phrase)
    return re.sub(r"[?!,;:\"]|\.(?!\d)", " ", phrase)


def corpus(actions: list, packs: list[str], seed: int = 7) -> list[list[str]]:
    """Spoken sentences for these actions: each template expanded, each sample spoken and re-spoken."""
    rng = random.Random(seed)
    sentences: list[list[str]] = []
    for spec in actions:
        free = sorted({w for s in spec.samples for w in re.findall(r"[a-z][a-z']+", s.lower())}) or ["help"]
        ex = _Expander(spec, packs or ["finance"], rng, free)
        for template in spec.templates:
            for _ in range(EXPANSIONS):
                sentences.append(ex.expand(template).split())
        for sample in spec.samples + [spec.title]:
            tokens = _loosen(sample.lower()).split()
            # Samples weigh as much as a template's expansions, or short commands ("list packs")
            # drown in the long number-heavy ones.
            sentences.extend([[w for t in tokens for w in spoken_words(t)]] * SAMPLE_WEIGHT)
            if any(_NUMERIC.match(t) for t in tokens):
                for _ in range(SAMPLE_VARIANTS):
                    sentences.append([w for t in tokens for w in spoken_words(t, rng)])
    # Slot values on their own: people answer a question with just a number or a date.
    for gen in (_money, _percent, _date, KIND_VALUES["years"], KIND_VALUES["number"]):
        for _ in range(20):
            sentences.append(gen(rng).split())
    return [s for s in sentences if s]


# ---- the trigram model ------------------------------------------------------------------------------

def arpa(sentences: list[list[str]]) -> str:
    """A backoff trigram model in ARPA format (absolute discounting, interpolated with lower orders)."""
    counts = [Counter(), Counter(), Counter()]
    for s in sentences:
        seq = ["<s>"] + s + ["</s>"]
        for n in range(3):
            for i in range(len(seq) - n):
                gram = tuple(seq[i:i + n + 1])
                if gram != ("<s>",):
                    counts[n][gram] += 1
    total = sum(counts[0].values())
    vocab = sorted({g[0] for g in counts[0]} | {"<s>"})
    probs: list[dict[tuple, float]] = [{}, {}, {}]
    bows: list[dict[tuple, float]] = [{}, {}, {}]
    v = len(vocab)
    for w in vocab:
        probs[0][(w,)] = (counts[0].get((w,), 0) + 0.1) / (total + 0.1 * (v - 1)) if w != "<s>" else 0.0

    def p(gram: tuple) -> float:
        n = len(gram) - 1
        if gram in probs[n]:
            return probs[n][gram]
        return bows[n - 1].get(gram[:-1], 1.0) * p(gram[1:])

    for n in (1, 2):
        by_ctx: dict[tuple, list[tuple]] = defaultdict(list)
        for gram in counts[n]:
            by_ctx[gram[:-1]].append(gram)
        ctx_count = Counter()
        for gram, c in counts[n].items():
            ctx_count[gram[:-1]] += c
        for ctx, grams in by_ctx.items():
            cc = ctx_count[ctx]
            gamma = DISCOUNT * len(grams) / cc
            for gram in grams:
                probs[n][gram] = (counts[n][gram] - DISCOUNT) / cc + gamma * p(gram[1:])
        for ctx, grams in by_ctx.items():
            seen = sum(probs[n][g] for g in grams)
            lower = sum(p(g[1:]) for g in grams)
            bows[n - 1][ctx] = max(1.0 - seen, 1e-9) / max(1.0 - lower, 1e-9)

    def lg(x: float) -> str:
        return f"{math.log10(x):.4f}" if x > 0 else "-99"

    lines = ["\\data\\"] + [f"ngram {n + 1}={len(probs[n])}" for n in range(3)] + [""]
    for n in range(3):
        lines.append(f"\\{n + 1}-grams:")
        for gram in sorted(probs[n]):
            row = f"{lg(probs[n][gram])} {' '.join(gram)}"
            if n < 2 and gram in bows[n]:
                row += f" {math.log10(bows[n][gram]):.4f}"
            lines.append(row)
        lines.append("")
    lines.append("\\end\\")
    return "\n".join(lines) + "\n"


# ---- the model of the installed packs ---------------------------------------------------------------

@dataclass
class Grammar:
    """What the sphinx engine loads: a trigram LM and a pronouncing dictionary of exactly its words."""

    key: str
    arpa: str
    lexicon: dict[str, str]  # word -> phones, every word of the LM
    added: dict[str, str]  # of those, words the dictionary lacked (spelled or pieced)
    dropped: list[str]  # words of the packs that could not be pronounced (left out)
    vocabulary: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"version": MODEL_VERSION, "key": self.key, "arpa": self.arpa, "lexicon": self.lexicon,
                "added": self.added, "dropped": self.dropped}

    def write(self, directory: Path) -> tuple[Path, Path]:
        """The model as files pocketsphinx reads: (lm.arpa, words.dict)."""
        directory.mkdir(parents=True, exist_ok=True)
        lm, dic = directory / f"{self.key}.arpa", directory / f"{self.key}.dict"
        if not lm.exists():
            _atomic(lm, self.arpa)
        if not dic.exists():
            _atomic(dic, "".join(f"{w} {ph}\n" for w, ph in sorted(self.lexicon.items())))
        return lm, dic


def build(actions: list, packs: list[str], key: str = "") -> Grammar:
    lex = Lexicon(known=dictionary())
    sentences = []
    for sentence in corpus(actions, packs):
        words = [w for w in (lex.word(t) for t in sentence) if w]
        if words:
            sentences.append(words)
    model = arpa(sentences)
    vocab = sorted({w for s in sentences for w in s})
    lexicon = {w: lex.known.get(w) or lex.added[w] for w in vocab}
    return Grammar(key=key, arpa=model, lexicon=lexicon, added={w: lex.added[w] for w in vocab if w in lex.added},
                   dropped=sorted(lex.dropped), vocabulary=vocab)


def for_registry(registry) -> Grammar:
    """The model of the installed packs, from the cache when the catalog has not changed."""
    key = f"{registry.catalog_key}-v{MODEL_VERSION}"
    path = cache_dir(registry.home) / "model.json"
    try:
        cached = json.loads(path.read_text())
        if cached.get("key") == key and cached.get("version") == MODEL_VERSION:
            return Grammar(key=key, arpa=cached["arpa"], lexicon=cached["lexicon"], added=cached["added"],
                           dropped=cached.get("dropped", []), vocabulary=sorted(cached["lexicon"]))
    except (OSError, ValueError, KeyError):
        pass
    installed = [p.manifest.id for p in registry.packs.values()]
    grammar = build(registry.actions(), installed, key=key)
    _atomic(path, json.dumps(grammar.to_json()))
    return grammar


def cache_dir(home: Path) -> Path:
    return Path(home) / "cache" / "voice"


def _atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
