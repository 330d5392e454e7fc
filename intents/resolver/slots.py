"""Slot roles: which tagged entity fills which parameter of the chosen action, in the catalog's units.

Each slot is filled from entities of the kinds its `kind` accepts. When several slots accept the same
kind (a starting amount and a monthly one; from and to currency; two parties; an age and a lab value
from plain numbers) cue words near the entity decide: the words just before it, its own unit, the
words of the slot's name and the cue words the slot and its kind declare. Plain numbers are placed last, by cue and by the
range each slot finds plausible. Every choice is recorded with a reason for `--explain`.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from intents.kinds import canonical_unit
from intents.resolver import dates
from intents.resolver.entities import CAPITALISED_NAME, Entity, Tagged, party_name
from intents.resolver.lazyre import lazy
from intents.resolver.lexicon import CORE_ENTITIES, Lexicon
from intents.resolver.text import STOP

ENTITY_KINDS = CORE_ENTITIES  # the core kinds' entities; a catalog's own kinds come from its Lexicon

# Words that, just before a value, say which slot it is for, by core kind. A pack's slots and kinds
# declare their own (`Slot(cues=...)`, `pack.kind(cues=...)`); nothing is guessed from descriptions.
CUES: dict[str, tuple[str, ...]] = {
    "percent": ("rate", "at"),
    "years": ("for", "over", "term", "in", "after", "lasting", "length", "period"),
    "duration": ("for", "over", "term", "in", "after", "lasting", "length", "period"),
    "days": ("within", "after", "in", "of", "plus", "before"),
    "age": ("age", "aged", "old", "year"),
    "weight": ("weight", "weighs", "weighing", "weigh", "wt", "kg"),
    "height": ("height", "tall", "ht", "cm"),
}
# the kinds whose cue words may also follow the value ("60 years old", "70 kg weight")
_CUED_AFTER = {"age", "years", "weight", "height", "quantity"}
_WORD = lazy(r"[a-z]+")
# a run of two or three sizes: "45 by 35 by 25 cm", "20in x 16in x 12in", "60x50x40"; each may carry its
# unit
_DIM_SEP = r"\s*(?:x|by|×|\*)\s*"
_DIM_RUN = lazy(rf"(?<![\w.])(?P<v1>\d+(?:\.\d+)?)\s*(?P<u1>(?!(?:x|by)(?:\b|\d))[a-z]+\.?)?{_DIM_SEP}"
                rf"(?P<v2>\d+(?:\.\d+)?)\s*(?P<u2>(?!(?:x|by)(?:\b|\d))[a-z]+\.?)?"
                rf"(?:{_DIM_SEP}(?P<v3>\d+(?:\.\d+)?)\s*(?P<u3>(?!(?:x|by)(?:\b|\d))[a-z]+\.?)?)?")
# a rate written on a value: "days a year", "hours per week", "days/yr"
_RATE_UNIT = lazy(r"(?P<unit>[a-z]+)\s*(?:an?|per|/|each|every)\s*(?P<per>[a-z]+)")
# a temperature with its scale: "220C", "325 deg f", "180 °c", "350 degrees fahrenheit"
_TEMPERATURE = lazy(r"(?<![\w.])(?P<v>-?\d+(?:\.\d+)?)\s*(?:°\s*|deg(?:rees?|s)?\.?\s+)?"
                    r"(?P<scale>c|f|celsius|centigrade|fahrenheit)\b")
# words that say an amount right before a measure: "a cup", "half a cup", "a quarter cup"
_AMOUNT_WORDS = {"a": 1.0, "an": 1.0, "one": 1.0, "half": 0.5, "quarter": 0.25}
_SAID_AMOUNT = lazy(r"\b(half|quarter|an?|one)(?:\s+(?:an?|of\s+an?))?\s+$")
_RUN_JOIN = lazy(r"\s*(?:to|-|and|or)\s*")
_CLAUSE = lazy(r"[,;:]\s")
_LAST_WORD = lazy(r"[a-z]+\s*$")
_CORE_LEXICON = Lexicon()
# a number of cents said alone ("at 22 cents"): hundredths of the main unit
_CENTS_SAID = re.compile(r"\d\s*(?:cents?|¢|pence)")
_CENTS = lazy(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:cents?|¢|pence)(?![\w])")
# a price said per a unit: a number (cents, pence, a currency) then "/", "per", "a", "each" and the unit's words
_PER_CURRENCY = r"(?:\s*(?:[$€£¥₹]|usd|eur|gbp|dollars?|euros?|pounds?|bucks)(?![a-z]))?"
_PER_SAID = lazy(rf"\d\s*(?:cents?|ct|c|pence|p|¢)?{_PER_CURRENCY}\s*(?:/|per\b|an?\s|each\b|every\b)")
_PER_PRICE = lazy(rf"(?<![\w.])(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<sub>cents?|ct|c|pence|p|¢)?{_PER_CURRENCY}\s*"
                  r"(?:/|\bper\b|\ban?\b|\beach\b|\bevery\b)\s*(?P<unit>[^\s,;:()!?]+(?:[ -][^\s\d,;:()!?]+){0,2})")
# what a slot says it is priced per: "Price per cubic metre of water" -> "cubic metre"
_PER_WORDS = lazy(r"\bper\s+((?:(?!(?:of|for|in|on|to|at|and|the|with|from)\b)[^\s,;.()]+\s*){1,3})")
# periods are the periodic-amount tagger's ("200 a month"), not units a price is per
_PERIODS = {"month", "months", "mo", "year", "years", "yr", "annum", "week", "weeks", "wk", "monthly", "yearly",
            "annually", "weekly", "annual"}
_PERIODIC_WORDS = {"daily": "day", "nightly": "night", "hourly": "hour", "weekly": "week", "monthly": "month",
                   "yearly": "year", "annual": "year", "annually": "year"}
_SPAN_WORDS = {"for", "over", "within", "in", "lasting", "across", "during", "after", "whole", "full", "entire", "next"}
_COMPOUND_UNIT = re.compile(r"/|\bper\b")
# "in 3 days", "within 2 weeks": the words just before a count of days that make it a day ahead
_IN_BEFORE = lazy(r"\b(?:in|within)\s+(?:another\s+|the\s+next\s+)?$")
_FROM_TODAY = lazy(r"\s+(?:from\s+(?:now|today)|hence|later|out)\b")
# Words that say a date written without its year is ahead of today or behind it. Only the nearest one
# to the date counts ("since the 3rd of march, how many days until ..." has both).
_AHEAD_WORDS = ("until", "till", "til", "before", "left", "next", "countdown", "upcoming", "coming", "due",
                "arrive", "arrives", "arriving", "arrival", "expires", "expiry", "renews", "renewal", "remaining",
                "will", "away", "event", "scheduled", "planned")
_BEHIND_WORDS = ("since", "ago", "last", "was", "were", "signed", "started", "began", "happened", "occurred",
                 "passed", "elapsed", "incident", "bought", "purchased", "joined", "born", "did")
_TOWARD = {**{w: dates.AHEAD for w in _AHEAD_WORDS}, **{w: dates.BEHIND for w in _BEHIND_WORDS}}


def _toward(low: str, start: int, end: int) -> str | None:
    """"next" or "last" by the cue word nearest the date at low[start:end], None when none is said."""
    best, best_gap = None, None
    for m in _WORD.finditer(low):
        got = _TOWARD.get(m.group(0))
        if got is None or start <= m.start() < end:
            continue
        gap = start - m.end() if m.end() <= start else m.start() - end
        if best_gap is None or gap < best_gap:
            best, best_gap = got, gap
    return best


class Filler:
    """Fills one action's slots from one tagged text."""

    def __init__(self, spec, tagged: Tagged, captures: dict[str, str] | None = None, packs: dict[str, str] | None = None,
                 lexicon: Lexicon | None = None, explain: bool = True) -> None:
        self.explain = explain  # a reason for every empty slot (the final fill; not the re-ranking ones)
        self.spec = spec
        self.lex = lexicon or _CORE_LEXICON
        self.t = tagged
        # "5 servings -> 20 servings": an arrow says "to" (same length, so entity spans still index it)
        self.low = tagged.text.lower().replace("->", "to").replace("=>", "to")
        self.captures = captures or {}
        self.packs = packs or {}
        self.used: set[int] = set()
        self.slots: dict[str, Any] = {}
        self.reasons: dict[str, str] = {}
        self.refused: dict[str, str] = {}  # slot -> why a value seen for it was not taken
        # an entity's words before and after it, read once per fill: every candidate slot asks for them
        self._words_near: dict[tuple[int, int], list[str]] = {}
        # measured values whose written unit a choice slot took ("200g" -> from_unit g): the number as said
        # is then an amount for a plain number slot
        self._said_in: dict[int, tuple[Entity, str]] = {}
        self._implied: tuple[float, str] | None = None  # "half a cup": the amount a choice's words say

    # ---- helpers ---------------------------------------------------------------------------------
    def _near(self, e: Entity, side: int) -> list[str]:
        """The words of the text just before an entity (side 0: 40 characters), just after it (1: 30
        characters) or after it up to the next value (2: at most 40 characters); read only."""
        key = (id(e), side)
        got = self._words_near.get(key)
        if got is None:
            low = self.low
            if side == 0:
                # back to a clause break: in "1000 cases, 50 cases per pallet" the first "cases" is 1000's
                head = low[max(0, e.start - 40):e.start]
                cut = head.rfind(", ")
                cut = max(cut, head.rfind("; "))
                got = _WORD.findall(head[cut + 1:] if cut >= 0 else head)
            elif side in (1, 2) and self._in_run(e):
                got = []  # "from 8 to 5 servings": the unit word after a run of values is all of theirs
            else:
                # after a value: up to a clause break (", need it for 15") or the next value, without the
                # word said right before that value ("8 to 5", "46.5 hours over 37.5"): that word is its cue
                nxt = min((x.start for x in self.t.entities if x.start >= e.end), default=len(low))
                stop = min(nxt, e.end + (30 if side == 1 else 40))
                gap = low[e.end:stop]
                cut = _CLAUSE.search(gap)
                if cut:
                    gap = gap[:cut.start()]
                elif stop == nxt < len(low):
                    gap = _LAST_WORD.sub("", gap)
                got = _WORD.findall(gap)
            self._words_near[key] = got
        return got

    def _in_run(self, e: Entity) -> bool:
        """The value ends a run joined to the one before it ("8 to 5", "10-12", "3 or 4")."""
        prev = max((x.end for x in self.t.entities if x.end <= e.start), default=None)
        return prev is not None and _RUN_JOIN.fullmatch(self.low[prev:e.start]) is not None

    def _before(self, e: Entity, n: int = 4) -> list[str]:
        return self._near(e, 0)[-n:]

    def _after(self, e: Entity, n: int = 3) -> list[str]:
        return self._near(e, 1)[:n]

    def _cues(self, slot) -> set[str]:
        """Declared cue words: the slot's own, its kind's, and the words of its name."""
        return self._cue_words(slot)[0]

    def _cue_words(self, slot) -> tuple[frozenset, tuple[str, ...], bool]:
        """The slot's cue words, its own cue words of 4+ letters (which name a word they start:
        `_names`), and whether a cue word may follow the value. Asked for every entity of every
        candidate action, so kept in the lexicon, keyed by what they are made of."""
        key = (slot.name, slot.kind, tuple(slot.cues or ()))
        memo = self.lex.slot_memo
        got = memo.get(key)
        if got is None:
            words = set(slot.cues or ()) | set(CUES.get(slot.kind or "", ()))
            spec = self.lex.pack_kinds.get(slot.kind or "")
            if spec is not None:
                words |= set(spec.cues)
            words |= {w for w in _WORD.findall(slot.name.lower()) if len(w) > 2 and w not in ("pct", "num")}
            kind = self.lex.kind(slot.kind)
            after_ok = slot.kind in _CUED_AFTER or (kind is not None and kind.base == "quantity") or bool(slot.cues)
            got = (frozenset(words), tuple(c for c in (slot.cues or ()) if len(c) >= 4), after_ok)
            if len(memo) < 10_000:
                memo[key] = got
        return got

    def _cue_score(self, slot, e: Entity) -> float:
        cues, long_cues, after_ok = self._cue_words(slot)
        own = slot.cues
        before = self._before(e)
        score = 0.0
        for dist, w in enumerate(reversed(before)):
            if w in cues or w in own or w.startswith(long_cues):  # the last two: _names(w, slot.cues)
                score += 1.0 / (1 + dist)
        if after_ok:
            for w in self._after(e, 2):
                if w in cues:
                    score += 0.3
        # "84k net operating income", "4000 in fees", "6,000 of closing costs": a declared cue named right
        # after the value (past a linking in/of) says more than a preposition before it
        after = self._after_until_value(e, 4)
        if after and after[0] in ("in", "of") and len(after) > 1:
            after = after[1:]
        for dist, w in enumerate(after[:3]):
            if w in own or w.startswith(long_cues):
                score += (1.2 if dist == 0 else 0.8 / (1 + dist))
                break
        return score

    def _after_until_value(self, e: Entity, n: int) -> list[str]:
        """Words after an entity, stopping at the next number (whose cues they would be)."""
        return self._near(e, 2)[:n]

    def _set(self, slot, value: Any, reason: str, e: Entity | None = None) -> None:
        self.slots[slot.name] = value
        self.reasons[slot.name] = reason + (f" from '{e.text}' at {e.start}-{e.end}" if e else "")
        if e is not None:
            self.used.add(id(e))

    def free(self, *kinds: str) -> list[Entity]:
        return [e for e in self.t.entities if e.kind in kinds and id(e) not in self.used]

    # ---- main ------------------------------------------------------------------------------------
    def role(self, slot) -> str:
        """How a slot of this kind is filled: by which handler below (kept per kind in the lexicon: it
        depends on the kind alone, and every fill asks it of every slot)."""
        k = slot.kind or ""
        key = ("role", k)
        memo = self.lex.slot_memo
        got = memo.get(key)
        if got is None:
            got = self._role(k)
            if len(memo) < 10_000:
                memo[key] = got
        return got

    def _role(self, k: str) -> str:
        if k in _ROLES:
            return _ROLES[k]
        spec = self.lex.pack_kinds.get(k)
        if spec is not None:
            if spec.base in ("unit", "party"):
                return spec.base
            if spec.values:
                return "values"
            if spec.extract:
                return "extract"
            if spec.base in ("choice", "boolean", "list", "document", "party"):
                return _ROLES[spec.base]
            if spec.base == "text":
                return "typed" if spec.pattern else "text"
        return "numeric"

    def fill(self) -> tuple[dict[str, Any], dict[str, str]]:
        slots = list(self.spec.slots)
        handlers = [
            ("party", self._parties), ("currency", self._currencies), ("source", self._source),
            ("extract", self._extract), ("pack", self._pack), ("values", self._values),
            ("boolean", self._boolean), ("choice", self._choice), ("unit", self._unit), ("typed", self._typed),
            ("date_list", self._date_list), ("list", self._word_list),
        ]
        roles = {s.name: self.role(s) for s in slots}
        by_role: dict[str, list] = {}
        for s in slots:
            by_role.setdefault(roles[s.name], []).append(s)
        for role, handler in handlers:
            group = by_role.get(role)
            if group:
                handler(group)
        # typed numeric slots: their own entity kind first (a weight entity for a weight slot)
        numeric = [s for s in slots if roles[s.name] == "numeric"]
        if any(s.kind == "money" for s in numeric) and (_PER_SAID.search(self.low) or _CENTS_SAID.search(self.low)):
            self._unit_prices(numeric)
        if any(s.unit in _SPELLED_UNITS for s in numeric):
            self._spelled_units(numeric)
        if self._said_in:
            self._said_amounts(numeric)
        self._cued_units(numeric)
        if "x" in self.low or "by" in self.low or "×" in self.low:
            self._dimensions(numeric)
        if self.lex.units:
            self._temperatures(numeric)
        self._typed_numeric(numeric)
        self._age_in_years(numeric)
        self._plain_numbers([s for s in numeric if s.name not in self.slots])
        if self._implied is not None:
            self._implied_amount(numeric)
        for s in slots:
            if s.name not in self.slots and roles[s.name] == "text":
                self._text(s)
        self._validate()
        if self.explain:
            self._why_empty(slots)
        return self.slots, self.reasons

    def _why_empty(self, slots) -> None:
        """A reason for every slot left empty (`--explain`)."""
        for s in slots:
            if s.name in self.slots or self.reasons.get(s.name, "").startswith("rejected"):
                continue
            if s.name in self.refused:
                self.reasons[s.name] = "empty: " + self.refused[s.name].removeprefix("rejected: ")
                continue
            kinds = [k for k in self.lex.entity_kinds(s.kind) if k != "number"]
            seen = [e for e in self.t.entities if e.kind in kinds]
            if seen:
                self.reasons[s.name] = (f"empty: the {s.kind} values said ({', '.join(repr(e.text) for e in seen[:3])}) "
                                        "went to other slots")
            elif self.role(s) == "numeric" and any(e.kind == "number" for e in self.t.entities):
                lo, hi = self.lex.plausible(s.kind)
                self.reasons[s.name] = (f"empty: no {s.kind} value said, and no free number in the plausible "
                                        f"{lo:g}..{hi:g} with a cue word for it")
            else:
                self.reasons[s.name] = f"empty: nothing in the text is a {s.kind or 'value'} for it" + (
                    "" if s.required else " (the default applies)")

    def _said_amounts(self, numeric) -> None:
        """ "convert 200g butter into tablespoons": a choice slot took the unit written on the value, so the
        value as written (200, not 0.2 kg) is the amount of a slot that takes a plain number."""
        for e, unit in self._said_in.values():
            if id(e) in self.used:
                continue
            slot = next((s for s in sorted(numeric, key=lambda s: not s.required) if s.name not in self.slots
                         and not s.unit and (self.lex.kind(s.kind) is None or self.lex.kind(s.kind).base in
                                             ("number", "integer"))), None)
            if slot is None:
                return
            value = _as_written(self.lex.units, e)
            if value is not None:
                self._set(slot, self._convert(slot, e, value), f"the number written in {unit}", e)

    def _dimensions(self, numeric) -> None:
        """ "45 by 35 by 25 centimetres", "20in x 16in x 12in", "60x50x40 cm": a run of sizes fills the
        action's slots of one measured dimension (length, width, height) in declaration order, each in
        its own unit, else the unit written after the run, else the slot's unit."""
        from intents.resolver import units

        table = self.lex.units
        groups: dict[str, list] = {}
        for s in numeric:
            if s.unit and s.name not in self.slots:
                got = units.parse(table, s.unit)
                if got is not None:
                    groups.setdefault(got[0], []).append(s)
        groups = {k: v for k, v in groups.items() if len(v) >= 2}
        if not groups:
            return
        for m in _DIM_RUN.finditer(self.low):
            values = [(m.group(f"v{i}"), m.group(f"u{i}")) for i in (1, 2, 3) if m.group(f"v{i}")]
            # a size without its own unit is in the next unit written in the run ("14 x 10 x 6 inch")
            trailing = next((u for _, u in reversed(values) if u and units.parse(table, u.rstrip("."))), None)
            for dim, slots in groups.items():
                free = [s for s in slots if s.name not in self.slots]
                if len(free) < len(values):
                    continue
                got = []
                for (num, unit), s in zip(values, free):
                    written = (unit or "").rstrip(".") or trailing or s.unit
                    parsed = units.parse(table, written)
                    if parsed is None or parsed[0] != dim:
                        break
                    v, _ = units.convert(table, float(num), written, s.unit)
                    if v is None:
                        break
                    got.append((s, round(v, 6), f"{num} {written}"))
                if len(got) != len(values):
                    continue
                for s, v, said in got:
                    self.slots[s.name] = int(round(v)) if s.type == "integer" else v
                    self.reasons[s.name] = f"size {said} of the run '{m.group(0).strip()}', in declaration order"
                self._use_span(m.start(), m.end())
                return

    def _cued_units(self, numeric) -> None:
        """ "it calls for 250 grams of butter" for a plain-number slot cued by "grams": a measured value
        whose written unit is one of the slot's own cue words is that slot's number, as written."""
        for s in numeric:
            if s.name in self.slots or s.unit or not s.cues or s.kind in ("money", "percent"):
                continue  # "a 500 tonne silo" is no price per tonne, whatever the price's cue words
            spec = self.lex.kind(s.kind)
            if spec is not None and spec.base not in ("number", "integer"):
                continue
            for e in self.t.entities:
                if id(e) in self.used or e.kind not in _MEASURED or not e.unit:
                    continue
                if e.unit.lower() in s.cues or e.text.lower().split()[-1] in s.cues:
                    value = _as_written(self.lex.units, e)
                    if value is not None and (s.type != "integer" or value == int(value)):
                        self._set(s, int(value) if s.type == "integer" else value,
                                  f"a number in '{e.unit}', a cue word of the slot", e)
                        break

    def _unit_prices(self, numeric) -> None:
        """ "0.22 a kWh", "31 cents per kilowatt hour", "$0.18/kWh", "205/tonne": a number said per a unit is
        the price of the money slot priced in that unit (its cue words, the words after "per" in its
        description or name, or a unit pint reads as the same), never another slot's; cents are hundredths
        of the main unit. A unit two money slots are priced in decides nothing."""
        slots = [s for s in numeric if s.kind == "money" and s.name not in self.slots]
        refs = {s.name: r for s in slots if (r := self._per_units(s))[0] or r[1]}
        if not refs:
            return
        for m in _PER_PRICE.finditer(self.low):
            at = m.start("num")
            e = next((x for x in self.t.entities if x.start <= at < x.end), None)
            if e is None and m.group("sub") and not any(x.start < m.end("sub") and at < x.end for x in self.t.entities):
                # "27p per kWh": a number glued to its pence is no entity of its own
                e = Entity("number", float(m.group("num").replace(",", "")), at, m.end("sub"), m.group(0))
            if e is None or id(e) in self.used or e.kind not in ("number", "money") or e.end > m.start("unit"):
                continue
            words = m.group("unit").split()
            phrases = [" ".join(words[:k]) for k in range(len(words), 0, -1)]
            hit = [s for s in slots if s.name in refs and s.name not in self.slots
                   and any(self._priced_in(refs[s.name], p) for p in phrases)]
            if len(hit) != 1 or not isinstance(e.value, (int, float)):
                continue
            value = float(e.value) / (100 if m.group("sub") else 1)
            self._set(hit[0], round(value, 10), f"a price per '{m.group('unit').strip()}'", e)
        left = [s for s in slots if s.name in refs and refs[s.name][2] and s.name not in self.slots]
        if len(left) == 1 and _CENTS_SAID.search(self.low):
            # "at 22 cents" with no unit after it: the one slot priced per a unit, in hundredths
            for m in _CENTS.finditer(self.low):
                e = next((x for x in self.t.entities if x.start <= m.start() < x.end), None)
                if e is not None and (id(e) in self.used or e.kind != "number"):
                    continue
                self._set(left[0], round(float(m.group(1)) / 100, 10), f"'{m.group(0)}', in hundredths", e)
                break

    def _per_units(self, slot) -> tuple[frozenset, tuple, bool]:
        """The units a money slot is priced in: its cue words and the words after "per" in its description
        or name, as written (normalised) and as pint reads them; and whether it says it is a price per a
        unit (a "per" in its description or name, or a cue word that is a unit)."""
        key = ("per", slot.name, tuple(slot.cues or ()), slot.description)
        memo = self.lex.slot_memo
        got = memo.get(key)
        if got is None:
            said = [re.sub(r"^(?:per|an?|/)\s*", "", c.lower()).strip() for c in (slot.cues or ())]
            said = [c for c in said if c and c not in STOP and c not in _PERIODS]
            per = False
            for src in (slot.description.lower(), slot.name.lower().replace("_", " ")):
                found = _PER_WORDS.search(src)
                if found:
                    said.append(found.group(1).strip())
                    per = True
            parsed = []
            for c in said:
                got = self._parse_unit(c)
                if got is not None and got[0] != "1":
                    parsed.append(got)
            got = (frozenset(_unit_key(c) for c in said), tuple(parsed), per or bool(parsed))
            if len(memo) < 10_000:
                memo[key] = got
        return got

    def _priced_in(self, refs, phrase: str) -> bool:
        if _unit_key(phrase) in refs[0]:
            return True
        if not refs[1]:
            return False
        got = self._parse_unit(phrase)
        return got is not None and any(got[0] == r[0] and abs(got[1] - r[1]) <= 1e-9 * abs(r[1]) for r in refs[1])

    def _parse_unit(self, phrase: str):
        """pint's reading of a unit as written, or with its words joined ("tonne km" as "tonne-km")."""
        from intents.resolver import units

        return units.parse(self.lex.units, phrase) or units.parse(self.lex.units, phrase.replace(" ", "-"))

    def _spelled_units(self, numeric) -> None:
        """ "an 18t load", "a 60t silo": a number written with a slot's own unit where that spelling is an
        everyday word the taggers never read as a unit ("t"), for a quantity slot measured in it."""
        for s in numeric:
            if s.name in self.slots or s.unit not in _SPELLED_UNITS:
                continue
            for m in _spelled_rx(s.unit.lower()).finditer(self.low):
                over = [e for e in self.t.entities if e.start < m.end() and m.start() < e.end]
                if any(id(e) in self.used or e.kind != "number" for e in over):
                    continue
                value = float(m.group(1))
                self._set(s, int(value) if s.type == "integer" and value.is_integer() else value,
                          f"'{m.group(0)}', a number in the slot's own unit")
                self._use_span(m.start(), m.end())
                break

    def _implied_amount(self, numeric) -> None:
        """ "grams in a cup of flour", "half a cup": no number said, the words before the measure are the
        amount, for a required slot that takes a plain number and is still empty."""
        slot = next((s for s in numeric if s.required and s.name not in self.slots and not s.unit and
                     (self.lex.kind(s.kind) is None or self.lex.kind(s.kind).base in ("number", "integer"))), None)
        if slot is not None and not self.free("number"):
            value, why = self._implied
            if slot.type != "integer" or value == int(value):
                self.slots[slot.name] = int(value) if slot.type == "integer" else value
                self.reasons[slot.name] = why

    def _temperatures(self, numeric) -> None:
        """ "220C", "325 deg f", "180 °C": a temperature said with a one-letter scale (which, alone, is
        coulombs or nothing: the taggers leave it) for a slot measured in a temperature unit, converted
        with the scale's offset."""
        from intents.resolver import units

        slots = [s for s in numeric if s.unit and s.name not in self.slots]
        if not slots or not _TEMPERATURE.search(self.low):
            return
        table = self.lex.units
        slots = [s for s in slots if (units.parse(table, s.unit) or ("",))[0] == "[temperature]^1"]
        if not slots:
            return
        for m in _TEMPERATURE.finditer(self.low):
            if any(id(e) in self.used and e.start <= m.start() < e.end for e in self.t.entities):
                continue
            scale = "degF" if m.group("scale").startswith("f") else "degC"
            slot = slots[0]
            got, _ = units.convert(table, float(m.group("v")), scale, slot.unit)
            if got is None:
                continue
            self.slots[slot.name] = round(got, 6)
            self.reasons[slot.name] = f"temperature '{m.group(0).strip()}' in {scale}"
            self._use_span(m.start(), m.end())
            return

    def _use_span(self, start: int, end: int) -> None:
        """Every entity overlapping text[start:end] has been read by the value found there."""
        for e in self.t.entities:
            if e.start < end and start < e.end:
                self.used.add(id(e))

    def _age_in_years(self, numeric) -> None:
        """ "a woman, 81 years, creatinine 2.3": where nothing else takes a number of years, a whole
        number of them is the patient's age."""
        ages = [s for s in numeric if s.kind == "age" and s.name not in self.slots]
        if not ages or any(s.kind == "years" for s in self.spec.slots):
            return
        spans = [e for e in self.free("duration") if e.unit == "years" and float(e.value).is_integer()
                 and 1 <= e.value <= 120]
        if len(spans) == 1:
            self._set(ages[0], int(spans[0].value), "a number of years, where nothing else takes one", spans[0])

    # ---- typed entities --------------------------------------------------------------------------
    def _typed(self, group) -> None:
        for slot in group:
            if slot.kind == "date" and self._days_ahead(slot):
                continue
            ents = self.free(*(self.lex.entity_kinds(slot.kind) or (slot.kind,)))
            if slot.kind == "date" and len(ents) > 1:
                ents.sort(key=lambda e: -self._cue_score(slot, e))
            if ents:
                value, why = ents[0].value, f"{ents[0].kind} entity"
                if slot.kind == "number_list":
                    value, why = self._outlay(ents[0], value, why)
                elif ents[0].extra.get("yearless"):
                    value, why = self._yearless(slot, ents[0], value, why)
                self._set(slot, value, why, ents[0])
            elif slot.kind == "number_list":
                self._level_flows(slot)

    def _yearless(self, slot, e: Entity, value: str, why: str) -> tuple[str, str]:
        """ "Feb 14" said without its year: the next one for a slot about something ahead, the last one
        for something behind; the slot's `yearless` says which, else the request's nearest cue word."""
        toward, said = slot.yearless, "the slot's"
        if toward is None:
            toward, said = _toward(self.low, e.start, e.end), "the request's"
        if toward is None:
            return value, why + ", this year's"
        return dates.roll_year(value, toward), why + f", the {toward} one ({said} words)"

    def _days_ahead(self, slot) -> bool:
        """ "ship in 3 days", "3 days from now": a count of days from today is a day ahead for a date
        slot, when the action counts no days itself (for one that does, "30 days from today" is its
        count from today's date). The "today" said with it is part of it."""
        if "day" not in self.low and "week" not in self.low:
            return False
        if any(s is not slot and set(self.lex.entity_kinds(s.kind)) & {"days", "duration"} for s in self.spec.slots):
            return False
        for e in self.free("days", "duration"):
            after = _FROM_TODAY.match(self.low, e.end)
            if e.unit not in ("days", "weeks") or not (after or _IN_BEFORE.search(self.low, 0, e.start)):
                continue
            head = e.text.split()[0].lower()
            n = 1.0 if head in ("a", "an", "one") else float(head) if head.replace(".", "", 1).isdigit() else None
            if n is None or not n.is_integer():
                continue
            days = int(n) * (7 if e.unit == "weeks" else 1)
            self._set(slot, dates.after_days(days), f"{e.text} from today", e)
            if after:
                self._use_span(after.start(), after.end())
            return True
        return False

    def _date_list(self, group) -> None:
        """A list of dates is every date said, in order ("XIRR of ... on 2008-01-01, 2008-03-01, ...")."""
        slot = group[0]
        dates = self.free("date")
        if len(dates) >= 2:
            for e in dates:
                self.used.add(id(e))
            self.slots[slot.name] = [e.value for e in dates]
            self.reasons[slot.name] = f"the {len(dates)} dates said, in order"
            self._dated_amounts(dates)

    def _dated_amounts(self, dates: list[Entity]) -> None:
        """ "-5000 on 2024-01-15, 1500 on 2024-06-30": an amount said before each date fills the list of
        numbers that goes with the dates (money going out, "invested 20000 on ...", is negative)."""
        lists = [s for s in self.spec.slots if s.kind == "number_list" and s.name not in self.slots]
        if not lists or self.free("number_list"):
            return
        amounts = []
        for d in dates:
            before = [x for x in self.free("money", "number") if x.end <= d.start]
            if not before or not re.fullmatch(r"[\s,;:(\[]*(?:on|at|dated|as of)?[\s,;:(\[]*", self.low[before[-1].end:d.start]):
                return
            amounts.append(before[-1])
        values = [float(a.value) for a in amounts]
        if values and values[0] > 0 and _says_outlay(self._before(amounts[0], 3)):
            values[0] = -values[0]
        for a in amounts:
            self.used.add(id(a))
        self.slots[lists[0].name] = values
        self.reasons[lists[0].name] = "the amount said before each date"

    def _level_flows(self, slot) -> None:
        """Cash flows said as an outlay and a level yearly amount: "an initial investment of 1.2 million,
        then 400k a year for 4 years" is [-1200000, 400000, 400000, 400000, 400000]."""
        yearly = [e for e in self.free("money") if e.extra.get("per") == "year"]
        spans = [e for e in self.free("duration") if e.unit == "years" and float(e.value).is_integer()]
        if len(yearly) != 1 or len(spans) != 1 or not 1 <= spans[0].value <= 50:
            return
        flow, span = yearly[0], spans[0]
        lead = [x for x in self.free("money", "number") if x.end <= flow.start and x.extra.get("per") is None]
        if not lead or not _says_outlay(self._before(lead[-1], 4)):
            return
        flows = [-abs(lead[-1].value)] + [flow.value] * int(span.value)
        self.used.update({id(lead[-1]), id(flow), id(span)})
        self._set(slot, flows, f"the outlay '{lead[-1].text}', then '{flow.text}' for '{span.text}'")

    def _outlay(self, e: Entity, flows: list, why: str) -> tuple[list, str]:
        """Cash flows said the way people say them: "an initial investment of 10000 with returns of
        3000, 4000, 5000" or "an outlay of 1000 then 400, 500": the first flow is money going out."""
        before = [x for x in self.t.entities if x.kind in ("number", "money") and x.end <= e.start and id(x) not in self.used]
        if before and flows and all(v >= 0 for v in flows):
            lead = before[-1]
            # "an outlay of 20k followed by 6k, 7k", "costing $50,000 upfront that returns 15k, 20k", or a
            # flow already negative: "minus 75,000 at the start, then 20,000, 25,000"
            between = len(_WORD.findall(self.low[lead.end:e.start]))
            negative = isinstance(lead.value, (int, float)) and lead.value < 0
            if (between <= 10 and _says_outlay(self._before(lead, 4))) or (between <= 6 and negative):
                self.used.add(id(lead))
                return [-abs(lead.value), *flows], why + f", preceded by the outlay '{lead.text}'"
        if flows and flows[0] > 0 and _says_outlay(self._before(e, 4)):
            return [-flows[0], *flows[1:]], why + ", first flow is an outlay"
        return flows, why

    def _typed_numeric(self, group) -> None:
        # the same kind twice (a starting and a monthly amount): periodic amounts go to the periodic slot
        by_kind: dict[str, list] = {}
        for s in group:
            by_kind.setdefault(s.kind, []).append(s)
        for kind, slots in by_kind.items():
            ents = self._own_entities(kind, slots)
            if not ents:
                continue
            pairs = []
            for s in slots:
                for e in ents:
                    value, why = self._value_for(s, e)
                    if value is None:
                        if why:
                            self.refused.setdefault(s.name, why)
                        continue
                    score = self._cue_score(s, e)
                    if isinstance(value, (int, float)) and ((s.minimum is not None and value < s.minimum) or
                                                            (s.maximum is not None and value > s.maximum)):
                        score -= 5  # "30 days" for hours a day: a value in the slot's range goes first
                    periodic = e.extra.get("per") == "month"
                    wants_periodic = "month" in s.name or "monthly" in (s.cues or ())
                    if kind == "money":
                        score += 3 if periodic == wants_periodic else -3
                        if e.extra.get("per") == "year" and ("annual" in s.name or "yearly" in (s.cues or ())):
                            score += 1.5  # "40k a year" is the yearly amount
                    if len(slots) > 1:
                        # one value for two slots of a kind ("52 hrs" for hours worked or regular hours):
                        # the required slot unless the optional one is cued ("current savings" only when cued)
                        score += 0.5 if s.required else 0.0
                    pairs.append((score, s, e, value))
            pairs.sort(key=lambda p: (-p[0], p[2].start))
            chosen = []
            taken_s, taken_e = set(), set()
            for score, s, e, value in pairs:
                if s.name in taken_s or id(e) in taken_e or s.name in self.slots:
                    continue
                if kind == "money" and len(slots) > 1 and score < -1:
                    continue
                chosen.append((score, s, e, value))
                taken_s.add(s.name)
                taken_e.add(id(e))
            for score, s, e, value in chosen:
                self._set(s, value, f"{e.kind} entity, cue score {score:.2f}", e)

    def _own_entities(self, kind: str, slots) -> list[Entity]:
        """The tagged values (not bare numbers) a slot of `kind` can take."""
        spec = self.lex.kind(kind)
        base = spec.base if spec is not None else "number"
        if kind in ("number", "integer") or (spec is not None and spec.pack is None and base in ("number", "integer")
                                              and kind not in CORE_ENTITIES):
            kinds = [k for k in self.lex.entity_kinds(kind) if k not in ("number", "money", "percent")]
            ents = [e for e in self.t.entities if id(e) not in self.used and
                    (e.kind in kinds or e.extra.get("declared"))]
            if not any(s.unit for s in slots):
                ents = [e for e in ents if e.kind != "quantity"]
            return ents
        if spec is not None and spec.pack is not None:  # a pack's kind: its own, or in one of its units
            return [e for e in self.t.entities if id(e) not in self.used and
                    (e.kind == kind or (e.unit and spec.units and canonical_unit(spec, e.unit)) or
                     (base == "quantity" and e.kind == "quantity"))]
        own = [k for k in self.lex.entity_kinds(kind) if k != "number"]
        if not own:
            return []
        if kind == "quantity":
            return self.free(*own)
        ents = self.free(own[0])
        if kind == "days":  # "3 weeks" is 21 days (the kind's own example); months are not whole days
            # "for a year", "over 2 years" is 365 days a year, where the action has no slot of years to take it
            # (in "15 days a year" the year is the period of a rate, not a span)
            years = not self._wants("years", "duration")
            ents += [e for e in self.free("duration") if e.extra.get("days") or
                     (years and e.unit == "years" and float(e.value).is_integer()
                      and (before := self._before(e, 1)) and before[0] in _SPAN_WORDS)]
        # "24 days a year", tagged as a rate: a number of the kind's own unit, per a period (see _value_for)
        unit = (spec.unit or "").lower().rstrip("s") if spec is not None else ""
        if unit:
            ents += [e for e in self.free("quantity") if (r := _RATE_UNIT.fullmatch((e.unit or "").lower()))
                     and r.group("unit").rstrip("s") == unit]
            ents.sort(key=lambda e: e.start)
        if kind == "money":
            ents += [e for e in self.free("weight", "height", "quantity") if any(k == "money" for k, _ in e.alts)
                     and not self._wants("weight", "height")]
        return ents

    def _value_for(self, slot, e: Entity) -> tuple[Any, str | None]:
        """The value entity `e` gives slot `slot`, in the slot's unit; or (None, why it cannot)."""
        spec = self.lex.kind(slot.kind)
        rate = _RATE_UNIT.fullmatch(e.unit.lower()) if e.kind == "quantity" and e.unit and spec is not None \
            and spec.pack is None and spec.unit else None
        if rate:
            # "15 days a year" for a slot of days: the slot says it counts per that period ("a year" among its
            # cues), else the rate is not its value
            per = rate.group("per")
            if not any(c == per or c.endswith((" " + per, "/" + per)) for c in (slot.cues or ())):
                return None, f"'{e.text}' is a number per {per}; the slot does not count per {per}"
            return self._convert(slot, e, e.value), None
        if slot.kind == "days" and e.kind == "duration":
            return self._convert(slot, e, round(e.extra.get("days") or e.value * 365)), None
        if slot.kind == "money" and e.kind != "money":
            return next((v for k, v in e.alts if k == "money"), None), None
        if spec is not None and spec.pack is not None and spec.units and e.unit:
            found = canonical_unit(spec, e.unit)
            if found is not None:
                return self._convert(slot, e, round(e.value * found[1], 6)), None
            if e.kind == spec.name:
                return None, f"'{e.text}' is not in one of {sorted(spec.units)}"
        target = slot.unit or (spec.unit if spec is not None else None)
        generic = slot.kind in ("quantity", "integer", "number") or (
            spec is not None and spec.pack is not None and spec.base == "quantity" and not spec.units)
        if e.kind == "quantity" or (target and e.kind in _MEASURED and generic):
            if not target:
                return None, None  # "12000 miles" is no year: a value with a unit, for a slot without one
            from intents.resolver import units

            value, unit = _measured(e)
            got, why = units.convert(self.lex.units, value, unit, target)
            rate = _RATE_UNIT.fullmatch(unit.lower()) if got is None and e.kind == "quantity" else None
            per_period = rate is not None and self._counts_per(slot, rate.group("per"))
            if per_period:
                # "8hrs a day", "45 minutes each day" for the hours a slot says run each day: its numerator
                got, why = units.convert(self.lex.units, value, rate.group("unit"), target)
            if got is None:
                return None, f"rejected: '{e.text}': {why}"
            if not per_period and e.kind == "quantity" and _COMPOUND_UNIT.search(unit) and not _COMPOUND_UNIT.search(target):
                # "6.2 litres per 100 km" has an area's dimensions, but is a consumption, not an area
                return None, f"'{e.text}' is a ratio; the slot's unit {target} is not"
            if slot.type == "integer":
                got = round(got)  # "1800 km" for whole miles
            return self._convert(slot, e, got), None
        return self._convert(slot, e, e.value), None

    def _counts_per(self, slot, per: str) -> bool:
        """The slot counts per that period: "day" (or "daily") among its cue words, its description's or
        its name's words ("Hours it runs each day")."""
        per = per.rstrip("s")
        words = set(_WORD.findall(" ".join([*(slot.cues or ()), slot.description.lower(), slot.name.lower()])))
        return per in words or any(_PERIODIC_WORDS.get(w) == per for w in words)

    def _wants(self, *kinds: str) -> bool:
        return any(s.kind in kinds for s in self.spec.slots)

    def _convert(self, slot, e: Entity, value: Any) -> Any:
        if slot.kind == "years" and e.kind == "duration" and slot.type == "integer":
            return int(round(value))
        if slot.type == "integer" and isinstance(value, float) and abs(value - round(value)) < 1e-6:
            return int(round(value))
        return value

    def _plain_numbers(self, group) -> None:
        nums = self.free("number")
        if not nums or not group:
            return
        pairs = []
        for s in group:
            lo, hi = self.lex.plausible(s.kind)
            spec = self.lex.kind(s.kind)
            for e in nums:
                v = e.value
                plausible = lo <= v <= hi
                cue = self._cue_score(s, e)
                read = _bare_unit(spec, v) if not plausible and cue > 0 else None
                if not plausible and read is None and s.maximum is not None and v <= s.maximum \
                        and (s.minimum is None or v >= s.minimum) and (cue >= 0.5 or s.maximum <= 10 * max(lo, 0.1)):
                    # "standing charge 0.45", "82 kWh at 0.20": the slot's own range is below the kind's usual
                    # one (a unit price), and the number is in it, said after its cue word or where the
                    # whole range the pack allows is small
                    plausible = True
                if not plausible and read is None:
                    if s.required and cue > 0:
                        self.refused.setdefault(s.name, f"'{e.text}' is outside the plausible {lo:g}..{hi:g} of kind {s.kind}")
                    continue
                score = cue + 0.1
                if s.kind == "money" and v >= 1000:
                    score += 0.5
                if s.kind == "percent" and v != int(v) and v < 25:
                    score += 0.3
                if s.kind == "years" and v == int(v) and 1 <= v <= 50:
                    score += 0.1
                if s.kind == "number":
                    score += 0.05
                pairs.append((score, s, e, read))
        pairs.sort(key=lambda p: (-p[0], p[2].start))
        pairs = [p for p in pairs if p[1].type != "integer" or _whole(p[2].value, p[3])]
        chosen = []
        taken_s, taken_e = set(), set()
        for p in pairs:
            if p[1].name in taken_s or id(p[2]) in taken_e or p[1].name in self.slots or id(p[2]) in self.used:
                continue
            chosen.append(p)
            taken_s.add(p[1].name)
            taken_e.add(id(p[2]))
        for score, s, e, read in chosen:
            value = e.value
            if read is not None:
                value = round(value * read[1], 6)  # "1.75" for a height is metres; creatinine 88 is µmol/L
            if s.type == "integer":
                value = int(value)
            self._set(s, value, f"plain number, cue score {score:.2f}" + (f", read in {read[0]}" if read else ""), e)

    # ---- words -----------------------------------------------------------------------------------
    def _currencies(self, group) -> None:
        curs = self.free("currency")
        money_cur = None
        for e in self.t.entities:
            if e.kind == "money" and e.unit:
                money_cur = e
                break
            if e.kind == "weight" and e.unit == "lb" and not self._wants("weight"):
                money_cur = e  # "100 pounds to euros"
                break
        from_slot = next((s for s in group if "from" in s.name or "source" in s.name), group[0])
        to_slot = next((s for s in group if s is not from_slot), None)
        assigned_from = assigned_to = None
        for e in curs:
            before = self._before(e, 2)
            if before and before[-1] in ("to", "into", "in", "as", "for") and to_slot and assigned_to is None:
                assigned_to = e
            elif before and before[-1] == "from" and assigned_from is None:
                assigned_from = e
        rest = [e for e in curs if e is not assigned_from and e is not assigned_to]
        if assigned_from is None and money_cur is not None:
            code = money_cur.unit if money_cur.kind == "money" else "GBP"
            self._set(from_slot, code, "currency of the amount", money_cur)
            self.used.discard(id(money_cur))
        elif assigned_from is None and rest:
            assigned_from = rest.pop(0)
        if assigned_from is not None:
            self._set(from_slot, assigned_from.value, "currency after 'from' or first named", assigned_from)
        if to_slot is not None:
            if assigned_to is None and rest:
                assigned_to = rest.pop(0)
            if assigned_to is not None:
                self._set(to_slot, assigned_to.value, "currency after 'to/in/into' or last named", assigned_to)

    def _parties(self, group) -> None:
        text = self.t.text
        tagged = [e for e in self.t.entities if e.kind == "party"]
        if tagged:
            for slot, e in zip(group, tagged):
                self._set(slot, e.value, f"party named {'first' if slot is group[0] else 'second'} after 'between'", e)
            return
        names: list[str] = []
        end = self._party_end(group)
        m = re.search(rf"\b(?:between|among)\s+(.+?)\s+(?:and|&)\s+(.+?){end}", text, re.I)
        if not m:
            m = re.search(rf"\b(?:for|with|by)\s+(.+?)\s+(?:and|&|with)\s+(.+?){end}", text, re.I)
        if m:
            from intents.resolver.entities import resplit_pair

            (a0, a1), (b0, b1) = resplit_pair(text, m.start(1), m.end(1), m.start(2), m.end(2))
            names = [_clean_party(text[a0:a1]), _clean_party(text[b0:b1])]
        if not m:
            # the action takes parties, so safe here (a conversion says "from EUR to USD" too): "from Müller
            # GmbH to Sakura K.K." names the first party first; "Hooli & Pied Piper, 4 years - write it"
            m = _FROM_TO.search(text) or _LEADING_PAIR.search(text)
            if m:
                names = [_clean_party(m.group(1)), _clean_party(m.group(2))]
        quoted = [e.value for e in self.free("quoted")]
        if len(quoted) >= 2 and not names:
            names = quoted[:2]
        if not names and self.captures:
            names = [self.captures.get(s.name, "") for s in group]
        if not names:  # the party kind's own patterns (a pair, or one name)
            from intents.resolver.entities import expand_pair

            for rx in (x for s in group for x in getattr(self.lex.kind(s.kind), "extract", ())):
                m = re.search(expand_pair(rx, end), text, re.I)
                if m:
                    found = [g for g in (m.groupdict().get("a"), m.groupdict().get("b")) if g] or [m.group(1)]
                    names = [_clean_party(g) for g in found]
                    break
        for slot, name in zip(group, names):
            spec = self.lex.pack_kinds.get(slot.kind or "")
            name = self._clean(spec, name) if spec is not None and name else name
            if name and not _is_filler(name):
                self.slots[slot.name] = name
                self.reasons[slot.name] = f"party name '{name}' ({'first' if slot is group[0] else 'second'} named)"

    def _party_end(self, group) -> str:
        """Where a name ends: the core's words and the words the slots' party kinds declare."""
        from intents.resolver.entities import _PARTY_END_WORDS, _party_end

        extra = [w for s in group for w in getattr(self.lex.pack_kinds.get(s.kind or ""), "cues", ())]
        return _party_end(_PARTY_END_WORDS + extra)

    def _source(self, group) -> None:
        slot = group[0]
        paths = self.free("path")
        if paths:
            self._set(slot, paths[0].value, "file path", paths[0])
            return
        quoted = self.free("quoted")
        if quoted:
            self._set(slot, quoted[0].value, "quoted text", quoted[0])
            return
        raw = self.t.raw
        m = re.search(r":\s*(\S.*)$", raw, re.S)
        if m and len(m.group(1)) > 15:
            self.slots[slot.name] = m.group(1).strip()
            self.reasons[slot.name] = "the text after the colon"
            return
        # "redact the following text my name is ...", "citations in this text See Roe v. Wade ...": pasted
        # without a colon, after words that say the text follows
        m = TEXT_FOLLOWS.search(raw)
        if m and len(m.group("body")) > 15:
            self.slots[slot.name] = m.group("body").strip()
            self.reasons[slot.name] = "the text after 'the following'"

    def _extract(self, group) -> None:
        """A pack kind's own recogniser: a value it tagged ("E11.9"), else its `extract` patterns
        ("code for {value}"), else the template's capture; each cleaned by its `strip` patterns."""
        for slot in group:
            spec = self.lex.pack_kinds[slot.kind]
            own = self.free(spec.name)
            if own:
                self._set(slot, own[0].value, f"{spec.name} value", own[0])
                continue
            for rx in spec.extract:
                m = re.search(rx, self.t.text, re.I | re.S)
                if not m:
                    continue
                value = self._clean(spec, (m.groupdict().get("value") or m.group(m.re.groups and 1 or 0)).strip(" ?.!"))
                if value:
                    self.slots[slot.name] = value
                    self.reasons[slot.name] = f"words {spec.name} reads: /{rx[:40]}/"
                    break
            if slot.name not in self.slots and slot.name in self.captures:
                value = self._clean(spec, self.captures[slot.name])
                if value:
                    self.slots[slot.name] = value
                    self.reasons[slot.name] = "template capture"

    @staticmethod
    def _clean(spec, value: str) -> str:
        for rx in spec.strip:
            value = re.sub(rx, "", value, flags=re.I).strip()
        return value.strip()

    def _pack(self, group) -> None:
        slot = group[0]
        words = _WORD.findall(self.low)
        for w in words:
            if w in self.packs:
                self.slots[slot.name] = self.packs[w]
                self.reasons[slot.name] = f"pack named '{w}'"
                return
        # "install a pack" names none: the capture must hold a word that is not a stop word
        named = [w for w in self.captures.get(slot.name, "").split() if w not in STOP]
        if named:
            self.slots[slot.name] = named[-1]
            self.reasons[slot.name] = "template capture"

    def _values(self, group) -> None:
        """A kind with a table of words (a state's name -> its code): the first one named."""
        text = self.t.text
        ascii_ = text.isascii()
        for slot in group:
            spec = self.lex.pack_kinds[slot.kind]
            rx = _values_rx(spec)
            if rx is None:
                continue
            if ascii_ and rx.pattern.isascii():
                # the same search, ASCII on both sides, on the lowered text: a case-sensitive alternation
                # skips ahead by its first letters, which a case-insensitive one of fifty names cannot;
                # tried only when the first piece of one of the names is in the text
                firsts, lowered = _values_quick(spec, rx)
                if not _any_in(firsts, self.low):
                    continue
                m = lowered.search(self.low)
                said = text[m.start(1):m.end(1)] if m else None
            else:
                m = rx.search(text)
                said = m.group(1) if m else None
            if said is not None:
                word = said.lower()
                self.slots[slot.name] = spec.values.get(word) or next(v for k, v in spec.values.items() if k.lower() == word)
                self.reasons[slot.name] = f"{spec.name} '{said}' named"

    def _boolean(self, group) -> None:
        for slot in group:
            said = _synonym_said(self.low, slot.synonyms, ("false", "true"))
            if said is not None:
                word, value = said
                self.slots[slot.name] = value == "true"
                self.reasons[slot.name] = f"'{word}' said"
                continue
            words = [w for w in _WORD.findall(slot.name.lower()) if len(w) > 2]
            if words and ("no" in self.low or "without" in self.low) and \
                    any(w in self.low and re.search(rf"\b(?:not|no|without)\s+{w}", self.low) for w in words):
                self.slots[slot.name] = False
                self.reasons[slot.name] = "negated slot word"
            elif words and any(self._said_alone(w) for w in words):
                self.slots[slot.name] = True
                self.reasons[slot.name] = "slot word said"

    def _said_alone(self, word: str) -> bool:
        """The word is said outside every tagged value: "calendar" in "30 calendar days" qualifies the days
        and does not turn on a boolean slot named calendar; "add it to my calendar" does."""
        if word not in self.low:
            return False  # the search below needs it
        spans = [(e.start, e.end) for e in self.t.entities] + self._qualified_spans()
        return any(not any(a <= m.start() < b for a, b in spans) for m in re.finditer(rf"\b{word}", self.low))

    def _qualified_spans(self) -> list[tuple[int, int]]:
        """Where a qualifying choice is said with its value's unit word ("calendar days" with no number):
        those words are that choice, not a boolean slot's word."""
        out = []
        for slot in self.spec.slots:
            target = self.spec.slot(slot.qualifies) if slot.qualifies else None
            if target is None or not slot.choices:
                continue
            spec = self.lex.kind(target.kind)
            unit = (target.unit or (spec.unit if spec is not None else None) or "").lower().rstrip("s")
            if unit.isalpha():
                for w in {str(c) for c in slot.choices} | set(slot.synonyms or {}):
                    out += [m.span() for m in re.finditer(rf"\b{_phrase_rx(w.lower())}\s+{unit}s?\b", self.low)]
        return out

    def _choice(self, group) -> None:
        # two slots over one set of choices ("from_unit", "to_unit"): each mention fills its own slot
        by_set: dict[frozenset, list] = {}
        for slot in group:
            if slot.choices and not slot.qualifies:
                by_set.setdefault(frozenset(str(c) for c in slot.choices), []).append(slot)
        paired = set()
        for choices, slots in by_set.items():
            if len(slots) > 1 and self._choice_pair(slots):
                paired.update(s.name for s in slots)
        for slot in group:
            choices = [str(c) for c in (slot.choices or [])]
            if not choices or slot.name in paired:
                continue
            spec = self.lex.pack_kinds.get(slot.kind or "")
            synonyms = {**(spec.synonyms if spec else {}), **(slot.synonyms or {})}
            if slot.qualifies:
                self._qualifier(slot, choices, synonyms)
                continue
            found = None
            # the longest phrase first: "married filing jointly" before "single"
            for c in sorted(choices, key=len, reverse=True):
                if _may_say(self.low, c.lower()) and _word_rx(c.lower()).search(self.low):
                    found, word = c, c
                    break
            if found is None:
                said = _synonym_said(self.low, synonyms, choices)
                if said is not None:
                    word, found = said
            if found is None:
                from intents.resolver.text import edit_distance

                said_words = _WORD.findall(self.low)
                for c in choices:  # a typo of a choice word ("fridericia" as "fredericia")
                    for w in said_words:
                        if len(w) >= 6 and edit_distance(w, c.lower(), 2) <= 2:
                            found, word = c, w
                            break
                    if found:
                        break
            if found is not None:
                self.slots[slot.name] = found
                self.reasons[slot.name] = f"choice '{found}' named" + (f" ('{word}')" if word != found else "")

    def _choice_mentions(self, slots) -> list[tuple[int, int, str, Entity | None]]:
        """Every place the text names one of the slots' shared choices, in text order: (start, end,
        choice, the number it is the unit of). A unit written on a value ("200g", "2 tbsp") is that
        value's; so is a choice word said right after a number ("6 teaspoons")."""
        choices = [str(c) for c in slots[0].choices]
        synonyms: dict[str, str] = {}
        for s in slots:
            spec = self.lex.pack_kinds.get(s.kind or "")
            synonyms.update({**(spec.synonyms if spec else {}), **(s.synonyms or {})})
        words = {c.lower(): c for c in choices}
        words.update({w.lower(): str(v) for w, v in synonyms.items() if str(v) in choices})
        found: list[tuple[int, int, str, Entity | None]] = []
        taken: list[tuple[int, int]] = []
        for e in self.t.entities:
            if e.unit and e.unit.lower() in words:
                found.append((e.start, e.end, words[e.unit.lower()], e, None))
                taken.append((e.start, e.end))
        for w in sorted(words, key=len, reverse=True):  # the longest phrase first: "fl oz" before "oz"
            if not _may_say(self.low, w):
                continue
            for m in _said_rx(w).finditer(self.low):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append(m.span())
                # the value it is written on ("3 ft", tagged as a height in ft/in), or the number just
                # before it with nothing but spaces between ("6 teaspoons")
                num = next((e for e in self.t.entities if e.start < m.start() and m.end() <= e.end), None) or next(
                    (e for e in self.t.entities if e.kind == "number" and e.end <= m.start()
                     and not self.low[e.end:m.start()].strip()), None)
                # "a cup of flour", "half a cup": an amount said in words, no number
                said = _SAID_AMOUNT.search(self.low, max(0, m.start() - 20), m.start()) if num is None else None
                found.append((m.start(), m.end(), words[w], num,
                              (_AMOUNT_WORDS[said.group(1)], said.group(0) + m.group(0)) if said else None))
        return sorted(found, key=lambda f: f[0])

    def _choice_pair(self, slots) -> bool:
        """Slots sharing one set of choices: distinct mentions go to distinct slots. A mention right after
        a cue word only one of the slots declares ("into tablespoons", "how many ml") is that slot's; a
        unit written on a number is the amount's own, so it takes the first slot (in declaration order)
        no cue took; the rest follow declaration order. One mention fills one slot: the other is asked for,
        not guessed as the same. False when none is named (the typo reading then applies)."""
        mentions = self._choice_mentions(slots)
        if not mentions:
            return False
        assigned: dict[str, tuple] = {}
        left = []
        for m in mentions:
            head = self.low[max(0, m[0] - 30):m[0]].rstrip()
            cued = [s for s in slots if any(_ends_with_words(head, c) for c in (s.cues or ()))]
            if len(cued) == 1 and cued[0].name not in assigned and m[3] is None and m[4] is None:
                assigned[cued[0].name] = m
            else:
                left.append(m)
        left.sort(key=lambda m: m[3] is None and m[4] is None)  # a number's own unit first: the amount's measure
        free = [s for s in slots if s.name not in assigned]
        for m in left:
            if not free:
                break
            if any(a[2] == m[2] for a in assigned.values()) and len(left) > len(free):
                continue  # the same measure again ("2 cups ... cups"): no second slot for it
            assigned[free.pop(0).name] = m
        for s in slots:
            m = assigned.get(s.name)
            if m is None:
                continue
            self.slots[s.name] = m[2]
            why = "unit of the number" if m[3] is not None else "named"
            self.reasons[s.name] = f"choice '{m[2]}' {why} at {m[0]}-{m[1]}"
            if m[3] is not None and m[3].kind != "number":
                self._said_in[id(m[3])] = (m[3], m[2])
            if m[4] is not None and self._implied is None:
                self._implied = (m[4][0], f"'{m[4][1]}' is {m[4][0]:g} {m[2]}")
        return True

    def _word_list(self, group) -> None:
        """A list of words from the slot's choices ("only emails and phone numbers" -> [email, phone]): every
        choice or synonym said, in the order said. The vocabulary is the slot's declared choices (a list of
        Literal items) or, without them, the values its synonyms name; a slot with neither is left alone."""
        for slot in group:
            choices = [str(c) for c in (slot.choices or [])]
            spec = self.lex.pack_kinds.get(slot.kind or "")
            synonyms = {**(spec.synonyms if spec else {}), **(slot.synonyms or {})}
            if not choices:
                choices = list(dict.fromkeys(str(v) for v in synonyms.values()))
            if not choices:
                self._named_list(slot)
                continue
            words = {c.lower(): c for c in choices}
            words.update({w.lower(): v for w, v in synonyms.items() if str(v) in choices})
            spans: list[tuple[int, int, str]] = []
            for w in sorted(words, key=len, reverse=True):  # the longest phrase first
                for m in (_listed_rx(w).finditer(self.low) if _may_say(self.low, w) else ()):
                    if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                        spans.append((m.start(), m.end(), words[w]))
            if spans:
                found = list(dict.fromkeys(v for _, _, v in sorted(spans)))
                self.slots[slot.name] = found
                self.reasons[slot.name] = f"{', '.join(found)} named"

    def _named_list(self, slot) -> None:
        """A list of names said after the slot's own word ("redact the names John Doe and Mary Roe", "the
        name Robert Chen"): capitalised names, joined by commas or "and"."""
        words = [w for w in _WORD.findall(slot.name.lower()) if len(w) > 2]
        if not words:
            return
        stems = "|".join(re.escape(w[:-1] if w.endswith("s") else w) for w in words)
        one = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'.-]*){0,3}"
        m = re.search(rf"(?i:\b(?:{stems})s?)\s*:?\s+(?:of\s+)?(?P<names>{one}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){one})*)",
                      self.t.text)
        if not m:
            return
        names = [n.strip() for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", m.group("names")) if n.strip()]
        if names:
            self.slots[slot.name] = names
            self.reasons[slot.name] = f"the names said after '{m.group(0).split()[0]}'"

    def _qualifier(self, slot, choices: list[str], synonyms: dict[str, str]) -> None:
        """ "10 court days": a choice said as part of another slot's value, and only there."""
        target = self.spec.slot(slot.qualifies)
        kinds = self.lex.entity_kinds(target.kind) if target is not None else ()
        if target is not None and not any(e.kind in kinds for e in self.t.entities):
            # no value said for it ("make it calendar days", "in court days"): the choice said right before
            # the qualified value's own unit word is still the choice
            spec = self.lex.kind(target.kind)
            unit = (target.unit or (spec.unit if spec is not None else None) or "").lower().rstrip("s")
            if unit.isalpha():
                for w in sorted(set(choices) | set(synonyms), key=len, reverse=True):
                    value = w if w in choices else synonyms.get(w)
                    if value in choices and re.search(rf"\b{_phrase_rx(w.lower())}\s+{unit}s?\b", self.low):
                        self.slots[slot.name] = value
                        self.reasons[slot.name] = f"'{w} {unit}s' said"
                        return
        for e in self.t.entities:
            if e.kind not in kinds:
                continue
            # only the value itself says it ("10 court days"): "california state court: 10 days" is not
            words = [e.extra["qualifier"]] if e.extra.get("qualifier") else []
            for w in words:
                value = w if w in choices else synonyms.get(w)
                if value in choices:
                    self.slots[slot.name] = value
                    self.reasons[slot.name] = f"'{w}' qualifies '{e.text}'"
                    return

    def _unit(self, group) -> None:
        """The unit a value is written in, among the kind's units ("126 mg/dL to mmol/L" -> mg/dL)."""
        for slot in group:
            spec = self.lex.pack_kinds[slot.kind]
            for e in self.t.entities:
                written = e.unit or ("%" if e.kind == "percent" else None)  # "hba1c 7%": a value in percent
                found = canonical_unit(spec, written) if written else None
                if found:
                    self.slots[slot.name] = found[0]
                    self.reasons[slot.name] = f"unit of '{e.text}'"
                    if e.kind == "percent":  # the value slot takes it, as said
                        value = next((s for s in self.spec.slots if s.kind == "number" and s.name not in self.slots), None)
                        if value is not None:
                            self._set(value, e.value, "the value given in percent", e)
                    break

    def _text(self, slot) -> None:
        if slot.name in self.captures:
            self.slots[slot.name] = re.sub(r"^(?:me\s+)?(?:with|on|about|for)\s+", "", self.captures[slot.name])
            self.reasons[slot.name] = "template capture"
            return
        m = re.search(r"\b(?:help|commands?|actions?)\s+(?:with|on|about|for)\s+(.+?)[?.!]*$", self.low) or \
            re.search(r"\bhelp\s+(\w+)\s*$", self.low)
        if m and slot.name in ("topic",) or (m and slot.kind == "text" and not slot.required):
            value = m.group(1).strip()
            value = re.sub(r"^(?:the|my)\s+|\s+(?:pack|stuff|things|actions|commands)$", "", value)
            if value and value not in ("me", "it", "this"):
                self.slots[slot.name] = value
                self.reasons[slot.name] = "words after 'help with'"
                return
        if slot.name == "topic":  # "what commands are there for legal stuff": a pack named anywhere
            named = [self.packs[w] for w in _WORD.findall(self.low) if w in self.packs and self.packs[w] != "system"]
            if len(set(named)) == 1:
                self.slots[slot.name] = named[0]
                self.reasons[slot.name] = f"the pack named ('{named[0]}')"

    # ---- validation ------------------------------------------------------------------------------
    def _validate(self) -> None:
        """Drop values outside the slot's declared bounds or choices: asking beats running on a wrong
        value. (The spec's JSON-schema constraints; the pack's own pydantic model checks again at
        dispatch, without the resolver importing pack code.)"""
        for slot in self.spec.slots:
            if slot.name not in self.slots:
                continue
            v = self.slots[slot.name]
            bad = None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                if slot.minimum is not None and v < slot.minimum:
                    bad = f"{v} below minimum {slot.minimum}"
                if slot.maximum is not None and v > slot.maximum:
                    bad = f"{v} above maximum {slot.maximum}"
            if slot.choices and v not in slot.choices:
                bad = f"{v!r} not one of {slot.choices}"
            if bad:
                del self.slots[slot.name]
                self.reasons[slot.name] = "rejected: " + bad


_ROLES = {"party": "party", "name": "party", "currency": "currency", "source": "source", "document": "source",
          "pack": "pack", "boolean": "boolean", "choice": "choice", "sex": "typed", "date": "typed",
          "number_list": "typed", "text": "text", "list": "list", "unit": "unit", "date_list": "date_list"}
_MEASURED = {"quantity", "height", "weight", "duration", "days"}
# words that make the amount after them money going out: invest(ed/ment), cost(s/ing), pay(ing), spend ...
_OUTLAY = ("invest", "outlay", "cost", "initial", "pay", "spen", "upfront", "up-front", "buy", "purchas", "put",
           "capex", "deposit")


def _unit_key(phrase: str) -> str:
    """A unit as written, for comparing spellings: "tonne-km", "Tonne km", "tonne kms" -> "tonnekm"."""
    key = re.sub(r"[\s_\-·*]+", "", phrase.lower())
    return key[:-1] if key.endswith("s") and len(key) > 2 else key


# spellings of units the taggers never read after a number (everyday words: entities._NOT_UNITS); a quantity
# slot measured in one reads it itself
_SPELLED_UNITS = frozenset({"t", "d", "b", "p", "c", "u", "x", "e"})


@functools.lru_cache(maxsize=64)
def _spelled_rx(unit: str) -> re.Pattern:
    return re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?)\s*{re.escape(unit)}\b")


def _measured(e: Entity) -> tuple[float, str]:
    """An entity's value and the unit it is held in (the core measures are held in kg, cm, years, days)."""
    if e.kind == "quantity":
        return e.value, e.unit or ""
    if e.kind == "days":
        return float(e.value), "day"
    return float(e.value), {"height": "cm", "weight": "kg", "duration": "year"}[e.kind]


_LEADING_NUMBER = lazy(r"[-+]?\d[\d,]*(?:\.\d+)?")


def _as_written(table, e: Entity) -> float | None:
    """A measured value in the unit it was written in (the core holds weights in kg, heights in cm):
    the number said ("7 inches" is 7, not 17.8 cm back in inches), else the value converted back."""
    if e.kind == "quantity":
        return float(e.value)
    m = _LEADING_NUMBER.match(e.text)
    if m and not e.text[m.end():].lstrip().startswith(("/", "'", '"')):
        return float(m.group(0).replace(",", ""))
    if e.kind in _MEASURED and e.unit:
        from intents.resolver import units

        got, _ = units.convert(table, *_measured(e), e.unit)
        if got is not None:
            return round(got, 6)
    return None


def _bare_unit(spec, value: float) -> tuple[str, float] | None:
    """The unit a bare number is read in by its size (`KindSpec.ranges`), and its factor."""
    if spec is None:
        return None
    for unit, (lo, hi) in spec.ranges.items():
        if lo <= value <= hi:
            found = canonical_unit(spec, unit)
            if found:
                return found
    return None


_BY_VALUE: dict[tuple, dict[str, list[str]]] = {}
_MEMO_MAX = 4096  # the phrases come from the catalog's choices and synonyms; bounded all the same


@functools.lru_cache(maxsize=_MEMO_MAX)
def _phrase_rx(phrase: str) -> str:
    """A phrase whose spaces, hyphens and underscores match any of them ("one-way", "one way")."""
    return r"[\s_-]?".join(re.escape(p) for p in re.split(r"[\s_-]+", phrase.strip()))


@functools.lru_cache(maxsize=_MEMO_MAX)
def _pieces(phrase: str) -> tuple[str, ...]:
    """The literal pieces of `_phrase_rx(phrase)`: every match of it holds each of them."""
    return tuple(p for p in re.split(r"[\s_-]+", phrase.strip()) if p)


def _may_say(low: str, phrase: str) -> bool:
    """False when the lowercased text cannot hold the phrase (a piece of it is missing): the phrase
    patterns below are tried only when it can (a slot's synonyms are dozens of patterns)."""
    for p in _pieces(phrase):
        if p not in low:
            return False
    return True


@functools.lru_cache(maxsize=_MEMO_MAX)
def _listed_rx(phrase: str) -> re.Pattern:
    """The phrase, or its plural, not inside a longer word or hyphenated compound, compiled once."""
    return re.compile(rf"(?<![\w-]){_phrase_rx(phrase)}(?:e?s)?(?![\w-])")


@functools.lru_cache(maxsize=_MEMO_MAX)
def _word_rx(phrase: str) -> re.Pattern:
    """The phrase as whole words (`\b` on either side), compiled once."""
    return re.compile(rf"\b{_phrase_rx(phrase)}\b")


@functools.lru_cache(maxsize=_MEMO_MAX)
def _said_rx(phrase: str) -> re.Pattern:
    """The phrase not inside a longer word or hyphenated compound, compiled once."""
    return re.compile(rf"(?<![\w-]){_phrase_rx(phrase)}(?![\w-])")


def _synonyms_by_value(synonyms: dict[str, str]) -> dict[str, list[str]]:
    """value -> the words that stand for it, the longest first (ties in the order given)."""
    try:
        key = tuple(synonyms.items())
        got = _BY_VALUE.get(key)
    except TypeError:  # an unhashable value: not kept
        key, got = None, None
    if got is None:
        got = {}
        for w, v in synonyms.items():
            got.setdefault(str(v), []).append(w)
        for words in got.values():
            words.sort(key=len, reverse=True)
        if key is not None and len(_BY_VALUE) < _MEMO_MAX:
            _BY_VALUE[key] = got
    return got


def _synonym_said(low: str, synonyms: dict[str, str], values) -> tuple[str, str] | None:
    """The first synonym said, trying values in the order given (so "not mutual" is read before "mutual")
    and the longest phrases first."""
    if not synonyms:
        return None
    by_value = _synonyms_by_value(synonyms)
    for value in values:
        for word in by_value.get(str(value), ()):
            phrase = word.lower()
            if _may_say(low, phrase) and _said_rx(phrase).search(low):
                return word, str(value)
    return None


_VALUES_RX: dict[int, Any] = {}


def _values_rx(spec):
    key = id(spec)
    if key not in _VALUES_RX:
        words = sorted(spec.values, key=len, reverse=True)
        _VALUES_RX[key] = re.compile(r"\b(" + "|".join(_phrase_rx(w.lower()) for w in words) + r")\b", re.I) if words else None
    return _VALUES_RX[key]


_VALUES_QUICK: dict[int, tuple] = {}


def _values_quick(spec, rx: re.Pattern) -> tuple[tuple[str, ...], re.Pattern]:
    """For ASCII text: the first pieces of a kind's value names (a match holds one of them), and its
    values pattern without re.I, for the lowercased text (its names are written lowercased)."""
    key = id(spec)
    got = _VALUES_QUICK.get(key)
    if got is None or got[2] is not rx:
        firsts = tuple(sorted({(_pieces(w.lower()) or ("",))[0] for w in spec.values}))
        got = _VALUES_QUICK[key] = (firsts, re.compile(rx.pattern), rx)
    return got[0], got[1]


def _any_in(needles: tuple[str, ...], low: str) -> bool:
    for n in needles:
        if n in low:
            return True
    return False


def _whole(value: float, read) -> bool:
    if read is not None:
        value = round(value * read[1], 6)
    return value == int(value)


def _ends_with_words(head: str, cue: str) -> bool:
    """The text before a mention ends with the cue word or phrase, as whole words ("into", "how many")."""
    return head.endswith(cue) and (len(head) == len(cue) or not head[-len(cue) - 1].isalnum())


def _says_outlay(words: list[str]) -> bool:
    return any(w.startswith(_OUTLAY) for w in words)


def _names(word: str, described: set[str]) -> bool:
    """`renting` names a slot described by `rent`: whole words, or a described word of 4+ letters as prefix."""
    if word in described:
        return True
    for c in described:
        if len(c) >= 4 and word.startswith(c):
            return True
    return False


_FROM_TO = lazy(rf"\bfrom\s+({CAPITALISED_NAME})\s+to\s+({CAPITALISED_NAME})")
_LEADING_PAIR = lazy(rf"^\s*({CAPITALISED_NAME})\s*(?:&|\band\b|/)\s*({CAPITALISED_NAME})\s*[,;:-]")
TEXT_FOLLOWS = lazy(r"\b(?:the\s+following(?:\s+(?P<doc>text|contract|agreement|document|brief|passage|paragraph|clause))?|"
                     r"(?:in|from)\s+this\s+(?:text|passage|paragraph))\s*[,;-]?\s+(?P<body>\S.*)$", re.I | re.S)


def _clean_party(name: str) -> str:
    name = re.sub(r"^(?:the\s+)?(?:company|companies|parties|firms?)\s+", "", name.strip(), flags=re.I)
    return party_name(name)  # "my company X" -> "X"; "Sakura K.K." keeps its period


def _is_filler(name: str) -> bool:
    return name.lower() in {"me", "us", "them", "it", "a", "an", "the", "someone", "my company", ""}


def fill(spec, tagged: Tagged, captures=None, packs=None, lexicon=None, explain: bool = True) -> tuple[dict[str, Any], dict[str, str]]:
    return Filler(spec, tagged, captures, packs, lexicon, explain).fill()
