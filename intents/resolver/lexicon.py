"""The catalog's value kinds, as the resolver uses them: the core kinds plus those the installed packs
register (intents.kinds), the units their quantity slots need, and the packs' own words.

Built with the index (and cached in it), so a resolve never imports pint or any pack's code:
- `entity_kinds(kind)`: which tagged entities can fill a slot of that kind;
- `tagger`: the packs' recognisers (`pattern`) and declared units ("mg/dL", "bpm"), tried by the
  entity tagger where a number starts;
- `units`: the unit table of intents.resolver.units, for `kind="quantity"` slots.
"""
from __future__ import annotations

import re
from typing import Any

from intents.kinds import CORE_KINDS, KindSpec, canonical_unit, kind_from_dict
from intents.specs import to_dict

# core slot kind -> entity kinds that can fill it (in order of preference)
CORE_ENTITIES: dict[str, tuple[str, ...]] = {
    "money": ("money", "number"),
    "percent": ("percent", "number"),
    "years": ("duration", "number"),
    "duration": ("duration", "number"),
    "days": ("days", "number"),
    "date": ("date",),
    "date_list": ("date",),
    "weight": ("weight", "number"),
    "height": ("height", "number"),
    "age": ("age", "number"),
    "sex": ("sex",),
    "number": ("number", "money", "percent", "quantity"),
    "integer": ("frequency", "number", "quantity"),
    "quantity": ("quantity", "height", "weight", "duration", "days", "number"),
    "number_list": ("number_list",),
    "list": (),
    "currency": ("currency",),
}
_NUMERIC = {"number", "integer", "quantity", "money", "percent", "duration", "years", "days", "weight", "height", "age"}
_BASE_ENTITIES = {"quantity": ("quantity", "number"), "number": ("number",), "integer": ("number",)}


class Lexicon:
    def __init__(self, kinds: list[KindSpec] | None = None, units: dict | None = None,
                 vocabulary: dict[str, str] | None = None, synonyms: dict[str, str] | None = None) -> None:
        self.pack_kinds = {k.name: k for k in kinds or ()}
        self.units = units or {}
        self.vocabulary = vocabulary or {}
        self.synonyms = synonyms or {}
        self._entities: dict[str, tuple[str, ...]] = {}
        self._tagger = None
        self.money_cues: frozenset = frozenset()
        self.spell_words: frozenset = frozenset()  # the packs' own words a typo is repaired to
        self.declared_words: frozenset = frozenset()  # words of the slots' choices and synonyms: no typos
        self.abbreviations = frozenset(k for k in self.vocabulary if k.isalpha() and len(k) <= 5)
        self.words = None  # text.Words, built on first use
        self.slot_memo: dict[tuple, tuple] = {}  # what the slot filler derives from a slot's own words (slots._cue_words)

    # ---- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, actions: list, kinds: list[KindSpec] | None = None, vocabulary=None, synonyms=None) -> "Lexicon":
        """The lexicon of a catalog; pint is imported only when it has quantity slots."""
        lex = cls(kinds, None, vocabulary, synonyms)
        targets = set()
        for a in actions:
            for s in a.slots:
                spec = lex.kind(s.kind)
                if spec is not None and spec.base == "quantity" and (s.unit or spec.unit) and not spec.units:
                    targets.add(s.unit or spec.unit)
                elif s.unit and s.kind in ("integer", "number"):
                    targets.add(s.unit)  # "12000 miles" for an integer slot in miles
        if targets:
            from intents.resolver import units

            lex.units = units.build_table(targets)
        lex.cues = {}
        spell: set[str] = set()
        for a in actions:
            for s in a.slots:
                if s.kind == "money":
                    lex.cues.setdefault("money", set()).update(s.cues)
                spell.update(str(c).lower() for c in (s.choices or ()) if isinstance(c, str))
        for k in lex.pack_kinds.values():
            spell.update(w.lower() for u in k.units for w in re.findall(r"[A-Za-z]+", u))
            spell.update(w.lower() for w in k.cues)
        lex.spelling = sorted(w for w in spell if w.isalpha() and len(w) >= 6)
        # the words a pack declares for its choices and cues ("pint", "pints" for a measure): known words, which
        # the classifier must not read as typos of another pack's words ("pints" is no "points")
        from intents.resolver.text import stem

        declared: set[str] = set()
        for a in actions:
            for s in a.slots:
                # cue words too: "feeding" said for a slot cued "feed" is no typo of "fees"
                for w in (*s.choice_words(), *(s.cues or ())):
                    for t in re.findall(r"[a-z]+", w.lower()):
                        if len(t) >= 4:
                            declared.update((t, stem(t)))  # the classifier's tokens are stems
        lex.declared = sorted(declared)
        lex._derive()
        return lex

    def _derive(self) -> None:
        from intents.resolver.text import STOP

        # words that say money is meant ("loan", "invest"): a money slot's cue words, not its prepositions
        self.money_cues = frozenset(w for w in getattr(self, "cues", {}).get("money", ()) if len(w) >= 4 and w not in STOP)
        self.spell_words = frozenset(getattr(self, "spelling", ()))
        self.declared_words = frozenset(getattr(self, "declared", ()))

    def to_json(self) -> dict[str, Any]:
        return {"kinds": [to_dict(k) for k in self.pack_kinds.values()], "units": self.units,
                "vocabulary": self.vocabulary, "synonyms": self.synonyms,
                "cues": {k: sorted(v) for k, v in getattr(self, "cues", {}).items()},
                "spelling": list(getattr(self, "spelling", ())), "declared": list(getattr(self, "declared", ()))}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "Lexicon":
        data = data or {}
        lex = cls([kind_from_dict(k) for k in data.get("kinds", [])], data.get("units") or {},
                  data.get("vocabulary") or {}, data.get("synonyms") or {})
        lex.cues = {k: set(v) for k, v in (data.get("cues") or {}).items()}
        lex.spelling = list(data.get("spelling") or ())
        lex.declared = list(data.get("declared") or ())
        lex._derive()
        return lex

    @property
    def text_words(self):
        if self.words is None:
            from intents.resolver.text import Words

            self.words = Words(self.vocabulary, self.synonyms)
        return self.words

    # ---- queries -------------------------------------------------------------------------------
    def kind(self, name: str | None) -> KindSpec | None:
        if not name:
            return None
        return self.pack_kinds.get(name) or CORE_KINDS.get(name)

    def entity_kinds(self, kind: str | None) -> tuple[str, ...]:
        """Entities that can fill a slot of `kind`, its own first."""
        kind = kind or ""
        cached = self._entities.get(kind)
        if cached is not None:
            return cached
        if kind in CORE_ENTITIES:
            out = CORE_ENTITIES[kind]
        elif kind in self.pack_kinds and self.pack_kinds[kind].base not in _NUMERIC:
            out = ()  # words, names, documents: a template captures them as free text
        elif kind in self.pack_kinds:
            spec = self.pack_kinds[kind]
            own = [spec.name]
            out = tuple(dict.fromkeys(own + list(_BASE_ENTITIES.get(spec.base, ()))))
        else:
            out = ()
        self._entities[kind] = out
        return out

    def plausible(self, kind: str | None) -> tuple[float, float]:
        spec = self.kind(kind)
        lo = spec.minimum if spec and spec.minimum is not None else float("-inf")
        hi = spec.maximum if spec and spec.maximum is not None else float("inf")
        return lo, hi

    @property
    def tagger(self) -> "PackTagger":
        if self._tagger is None:
            self._tagger = PackTagger(list(self.pack_kinds.values()))
        return self._tagger


def _spelling_rx(spelling: str) -> str:
    """ "mg/dL" matches "mg/dl", "mg per dl", "mg / dL"; spaces match any spacing."""
    out = []
    for part in re.split(r"(\s+|/)", spelling):
        if not part:
            continue
        if part == "/":
            out.append(r"\s*(?:(?:/|per\b|a\b|an\b|each\b|every\b|for\s+each\b)\s*)?")
        elif part.isspace():
            out.append(r"\s*")
        else:
            out.append(re.escape(part))
    return "".join(out)


class PackTagger:
    """Recognisers of the packs' kinds: their patterns (codes) and their declared units."""

    def __init__(self, kinds: list[KindSpec]) -> None:
        self.patterns: list[tuple[str, re.Pattern]] = []
        self.unit_of: dict[str, tuple[str, str]] = {}  # lower-case spelling -> (kind, canonical unit)
        for k in kinds:
            if k.pattern:
                try:
                    self.patterns.append((k.name, re.compile(k.pattern)))
                except re.error:
                    pass  # checked at declaration; a cache written by an older SDK must not break resolving
            for spelling in k.units:
                if not re.search(r"[A-Za-z]", spelling):
                    continue  # "%": the core's percent tagger reads it; the kind still accepts it
                found = canonical_unit(k, spelling)
                if found:
                    self.unit_of.setdefault(_norm_unit(spelling), (k.name, found[0]))
        self._spellings = sorted({s for s in self.unit_of}, key=len, reverse=True)
        self._unit_rx = None
        self.has_units = bool(self._spellings)
        self.words = {w for s in self._spellings for w in re.findall(r"[a-z]+", s.lower())}

    @property
    def unit_rx(self):
        """One pattern of every declared unit, longest first, compiled when a text first needs it."""
        if self._unit_rx is None and self._spellings:
            from intents.resolver.entities import NUM

            alts = "|".join(_spelling_rx(s) for s in self._spellings)
            self._unit_rx = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>{alts})(?![\w/])", re.I)
        return self._unit_rx

    def unit(self, written: str) -> tuple[str, str] | None:
        key = _norm_unit(written)
        if key in self.unit_of:
            return self.unit_of[key]
        # "mg per dl" was declared as "mg/dL"
        alt = re.sub(r"\s*(?:/|\bper\b|\ba\b|\ban\b|\beach\b|\bevery\b|\bfor\s+each\b)\s*", "/", key)
        return self.unit_of.get(alt) or self.unit_of.get(re.sub(r"\s+", "/", alt))  # "mg dl" as a recogniser writes it


def _norm_unit(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower().replace("μ", "µ"))
