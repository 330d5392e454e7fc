"""Slot roles: which tagged entity fills which parameter of the chosen action, in the catalog's units.

Each slot is filled from entities of the kinds its `kind` accepts. When several slots accept the same
kind (principal and monthly_contribution; from and to currency; party_a and party_b; age and
creatinine from plain numbers) cue words near the entity decide: the words just before it, its own
unit, and words from the slot's name and description. Plain numbers are placed last, by cue and by the
range each slot finds plausible. Every choice is recorded with a reason for `--explain`.
"""
from __future__ import annotations

import re
from typing import Any

from intents.resolver.entities import CAPITALISED_NAME, Entity, Tagged, party_name
from intents.resolver.lazyre import lazy
from intents.resolver.text import STOP

# slot kind -> entity kinds that can fill it (in order of preference)
ENTITY_KINDS: dict[str, tuple[str, ...]] = {
    "money": ("money", "number"),
    "percent": ("percent", "number"),
    "years": ("duration", "number"),
    "days": ("days", "number"),
    "date": ("date",),
    "date_list": ("date",),
    "weight": ("weight", "number"),
    "height": ("height", "number"),
    "creatinine": ("lab", "number"),
    "age": ("age", "number"),
    "sex": ("sex",),
    "qt": ("ms", "number"),
    "heart_rate": ("bpm", "number"),
    "dose_per_kg": ("dose_per_kg", "number"),
    "number": ("lab", "number", "money", "percent"),
    "integer": ("frequency", "number"),
    "number_list": ("number_list",),
    "list": (),
    "dose": ("mg",),
    "currency": ("currency",),
    "icd10": ("icd10",),
}

# Words that, just before a value, say which slot it is for (by slot kind or name).
CUES: dict[str, tuple[str, ...]] = {
    "principal": ("loan", "borrow", "principal", "mortgage", "invest", "deposit", "of", "on", "start", "initial",
                  "lump", "put", "starting", "with", "have"),
    "monthly_contribution": ("monthly", "month", "contribute", "contributing", "adding", "add", "plus", "deposit", "each"),
    "target": ("save", "goal", "target", "reach", "need", "have", "accumulate", "up", "for", "get", "hit", "of", "to"),
    "amount": ("convert", "exchange", "change", "much", "is"),
    "percent": ("rate", "at", "interest", "apr", "discount", "yield", "return"),
    "years": ("for", "over", "term", "in", "after", "lasting", "length", "period"),
    "days": ("within", "after", "in", "of", "plus", "before"),
    "age": ("age", "aged", "old", "year"),
    "creatinine": ("creatinine", "cr", "scr", "creat", "serum"),
    "weight": ("weight", "weighs", "weighing", "weigh", "wt", "kg"),
    "height": ("height", "tall", "ht", "cm"),
    "qt": ("qt", "interval"),
    "heart_rate": ("hr", "heart", "rate", "pulse", "bpm", "rr"),
    "dose_per_kg": ("dose", "dosing", "mg"),
    "compounds_per_year": ("compounded", "compounding", "times", "per"),
}
# Words too common in slot descriptions to say which slot a value is for.
_DESCRIPTION_STOP = {
    "the", "and", "for", "per", "with", "from", "that", "this", "your", "its", "year", "years", "month",
    "months", "amount", "number", "value", "units", "unit", "currency", "total", "each", "any", "are", "was",
    "how", "much", "what", "which", "will", "not", "all", "one", "two", "default",
}
# Plausible ranges for plain numbers without a unit, by slot kind.
RANGES: dict[str, tuple[float, float]] = {
    "money": (1, 1e12), "percent": (0, 40), "years": (0.25, 60), "days": (1, 400), "age": (1, 120),
    "creatinine": (0.1, 20), "weight": (2, 350), "height": (40, 250), "qt": (200, 700),
    "heart_rate": (20, 250), "dose_per_kg": (0.01, 100), "number": (-1e12, 1e12), "integer": (1, 400),
}
US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
}
OTHER_LAW = {"england": "England and Wales", "english": "England and Wales", "uk": "England and Wales",
             "scotland": "Scotland", "scottish": "Scotland", "ontario": "Ontario", "ireland": "Ireland",
             "germany": "Germany", "german": "Germany", "france": "France", "french": "France",
             "singapore": "Singapore", "switzerland": "Switzerland", "swiss": "Switzerland"}
_STATE_RE = lazy(r"\b(" + "|".join(sorted(list(US_STATES) + list(OTHER_LAW), key=len, reverse=True)) + r")\b", re.I)
# words that make the amount after them money going out: invest(ed/ment), cost(s/ing), pay(ing), spend ...
_OUTLAY = ("invest", "outlay", "cost", "initial", "pay", "spen", "upfront", "up-front", "buy", "purchas", "put",
           "capex", "deposit")
_WORD = lazy(r"[a-z]+")
LAB_CHOICE_SYNONYMS = {"sugar": "glucose", "blood sugar": "glucose", "bg": "glucose", "tg": "triglycerides",
                       "trigs": "triglycerides", "triglyceride": "triglycerides", "bun": "urea", "chol": "cholesterol",
                       "ldl": "cholesterol", "hdl": "cholesterol", "creat": "creatinine"}
CHOICE_SYNONYMS = {"business": "court", "working": "court", "judicial": "court", "qtcb": "bazett",
                   "qtcf": "fridericia", "qtcfra": "framingham", "qtch": "hodges", **LAB_CHOICE_SYNONYMS,
                   # payment timing (annuity due), Cockcroft-Gault weight basis, HbA1c (until packs declare these)
                   "in advance": "begin", "beginning": "begin", "start of each": "begin", "annuity due": "begin",
                   "in arrears": "end", "ibw": "ideal", "abw": "adjusted", "adjbw": "adjusted",
                   "total body weight": "actual", "tbw": "actual", "a1c": "hba1c", "glycated": "hba1c",
                   "glycosylated": "hba1c"}


class Filler:
    """Fills one action's slots from one tagged text."""

    def __init__(self, spec, tagged: Tagged, captures: dict[str, str] | None = None, packs: dict[str, str] | None = None) -> None:
        self.spec = spec
        self.t = tagged
        self.low = tagged.text.lower()
        self.captures = captures or {}
        self.packs = packs or {}
        self.used: set[int] = set()
        self.slots: dict[str, Any] = {}
        self.reasons: dict[str, str] = {}

    # ---- helpers ---------------------------------------------------------------------------------
    def _before(self, e: Entity, n: int = 4) -> list[str]:
        return _WORD.findall(self.low[max(0, e.start - 40):e.start])[-n:]

    def _after(self, e: Entity, n: int = 3) -> list[str]:
        return _WORD.findall(self.low[e.end:e.end + 30])[:n]

    def _cues(self, slot) -> set[str]:
        words = set(CUES.get(slot.name, ())) | set(CUES.get(slot.kind or "", ()))
        words |= {w for w in _WORD.findall(slot.name.lower()) if len(w) > 2 and w not in ("pct", "num")}
        return words

    @staticmethod
    def _described(slot) -> set[str]:
        """Cue words from a slot the built-in tables do not know (a third-party pack's `noi`, `price`):
        the content words of its name and description."""
        if slot.name in CUES:
            return set()
        text = f"{slot.name.replace('_', ' ')} {slot.description}".lower()
        return {w for w in _WORD.findall(text) if len(w) > 2 and w not in _DESCRIPTION_STOP}

    def _cue_score(self, slot, e: Entity) -> float:
        cues = self._cues(slot)
        described = self._described(slot)
        before = self._before(e)
        score = 0.0
        for dist, w in enumerate(reversed(before)):
            if w in cues or _names(w, described):
                score += 1.0 / (1 + dist)
        after = self._after(e, 2)
        for w in after:
            if w in cues and slot.kind in ("age", "years", "weight", "height", "heart_rate", "creatinine"):
                score += 0.3
        # "84k net operating income", "4000 in fees", "6,000 of closing costs": a described slot named right
        # after the value (past a linking in/of) says more than a preposition before it
        after = self._after_until_value(e, 4)
        if after and after[0] in ("in", "of") and len(after) > 1:
            after = after[1:]
        for dist, w in enumerate(after[:3]):
            if _names(w, described):
                score += (1.2 if dist == 0 else 0.8 / (1 + dist))
                break
        return score

    def _after_until_value(self, e: Entity, n: int) -> list[str]:
        """Words after an entity, stopping at the next number (whose cues they would be)."""
        nxt = min((x.start for x in self.t.entities if x.start >= e.end), default=len(self.low))
        return _WORD.findall(self.low[e.end:min(nxt, e.end + 40)])[:n]

    def _set(self, slot, value: Any, reason: str, e: Entity | None = None) -> None:
        self.slots[slot.name] = value
        self.reasons[slot.name] = reason + (f" from '{e.text}' at {e.start}-{e.end}" if e else "")
        if e is not None:
            self.used.add(id(e))

    def free(self, *kinds: str) -> list[Entity]:
        return [e for e in self.t.entities if e.kind in kinds and id(e) not in self.used]

    # ---- main ------------------------------------------------------------------------------------
    def fill(self) -> tuple[dict[str, Any], dict[str, str]]:
        slots = list(self.spec.slots)
        handlers = [
            ("party", self._parties), ("currency", self._currencies), ("source", self._source),
            ("query", self._query), ("pack", self._pack), ("jurisdiction", self._jurisdiction),
            ("boolean", self._boolean), ("choice", self._choice), ("lab_unit", self._lab_unit),
            ("sex", self._typed), ("date", self._typed), ("date_list", self._date_list), ("number_list", self._typed),
            ("icd10", self._typed),
        ]
        done = set()
        for kind, handler in handlers:
            group = [s for s in slots if (s.kind or "") == kind]
            if group:
                handler(group)
                done.update(s.name for s in group)
        # typed numeric slots: their own entity kind first (a weight entity for a weight slot)
        numeric = [s for s in slots if s.name not in done and ENTITY_KINDS.get(s.kind or "")]
        self._typed_numeric(numeric)
        self._age_in_years(numeric)
        self._plain_numbers([s for s in numeric if s.name not in self.slots])
        for s in slots:
            if s.name not in self.slots and s.name not in done and s.kind in ("text",):
                self._text(s)
        self._validate()
        return self.slots, self.reasons

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
            ents = self.free(*ENTITY_KINDS.get(slot.kind, ()))
            if slot.kind == "date" and len(ents) > 1:
                ents.sort(key=lambda e: -self._cue_score(slot, e))
            if ents:
                value, why = ents[0].value, f"{ents[0].kind} entity"
                if slot.kind == "number_list":
                    value, why = self._outlay(ents[0], value, why)
                self._set(slot, value, why, ents[0])
            elif slot.kind == "number_list":
                self._level_flows(slot)

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
            if not before or not re.fullmatch(r"[\s,;:]*(?:on|at|dated|as of)?[\s,;:]*", self.low[before[-1].end:d.start]):
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
        # the same kind twice (principal + monthly_contribution): periodic amounts go to the periodic slot
        by_kind: dict[str, list] = {}
        for s in group:
            by_kind.setdefault(s.kind, []).append(s)
        for kind, slots in by_kind.items():
            primary = ENTITY_KINDS[kind][0]
            if primary == "number":
                continue
            ents = [e for e in self.free(primary) if self._unit_ok(kind, e)]
            if kind == "money":
                ents += [e for e in self.free("weight", "height") if any(k == "money" for k, _ in e.alts)
                         and not self._wants("weight", "height")]
            if not ents:
                continue
            pairs = []
            for s in slots:
                for e in ents:
                    score = self._cue_score(s, e)
                    periodic = e.extra.get("per") == "month"
                    wants_periodic = "month" in s.name or "contribution" in s.name
                    if kind == "money":
                        score += 3 if periodic == wants_periodic else -3
                        if e.extra.get("per") == "year" and ("annual" in s.name or "per year" in s.description.lower()):
                            score += 1.5  # "40k a year" is the yearly amount
                        score += 0.5 if s.required else 0.0  # "current savings" only when cued
                    pairs.append((score, s, e))
            pairs.sort(key=lambda p: (-p[0], p[2].start))
            taken_s, taken_e = set(), set()
            for score, s, e in pairs:
                if s.name in taken_s or id(e) in taken_e or s.name in self.slots:
                    continue
                if kind == "money" and len(slots) > 1 and score < -1:
                    continue
                value = e.value
                if e.kind != primary:
                    value = next(v for k, v in e.alts if k == "money")
                self._set(s, self._convert(s, e, value), f"{e.kind} entity, cue score {score:.2f}", e)
                taken_s.add(s.name)
                taken_e.add(id(e))

    def _wants(self, *kinds: str) -> bool:
        return any(s.kind in kinds for s in self.spec.slots)

    def _unit_ok(self, kind: str, e: Entity) -> bool:
        if kind == "creatinine":
            return e.unit in ("mg/dL", "umol/L")
        return True

    def _convert(self, slot, e: Entity, value: Any) -> Any:
        if slot.kind == "creatinine" and e.unit == "umol/L":
            return round(value / 88.42, 3)
        if slot.kind == "years" and e.kind == "duration" and slot.type == "integer":
            return int(round(value))
        if slot.type == "integer" and isinstance(value, float) and value == int(value):
            return int(value)
        return value

    def _plain_numbers(self, group) -> None:
        nums = self.free("number")
        if not nums or not group:
            return
        pairs = []
        for s in group:
            lo, hi = RANGES.get(s.kind or "", (-1e12, 1e12))
            for e in nums:
                v = e.value
                plausible = lo <= v <= hi
                cue = self._cue_score(s, e)
                if not plausible and not (s.kind == "height" and 1.2 <= v <= 2.5 and cue > 0):
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
                pairs.append((score, s, e))
        pairs.sort(key=lambda p: (-p[0], p[2].start))
        for score, s, e in pairs:
            if s.name in self.slots or id(e) in self.used:
                continue
            value = e.value
            if s.kind == "height" and value < 3:
                value = round(value * 100, 1)  # metres said without the unit
            if s.kind == "creatinine" and value > 20:
                value = round(value / 88.42, 3)  # µmol/L said without the unit
            if s.type == "integer":
                if value != int(value):
                    continue
                value = int(value)
            self._set(s, value, f"plain number, cue score {score:.2f}", e)

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
        m = re.search(r"\b(?:between|among)\s+(.+?)\s+(?:and|&)\s+(.+?)(?=\s*(?:[,.;:!?]|$|\b(?:for|under|governed|with|lasting|mutual|one-way|"
                      r"for|covering|effective|term|in|that|using|about|on)\b|\d))", text, re.I)
        if not m:
            m = re.search(r"\b(?:for|with|by)\s+(.+?)\s+(?:and|&|with)\s+(.+?)(?=\s*(?:[,.;:!?]|$|\b(?:for|under|governed|lasting|mutual|"
                          r"one-way|covering|effective|term|in|that|using|about|on)\b|\d))", text, re.I)
        if m:
            names = [_clean_party(m.group(1)), _clean_party(m.group(2))]
        if not m:
            # already an NDA, so safe here (a conversion says "from EUR to USD" too): "from Müller GmbH to
            # Sakura K.K." is one-way, discloser first; "Hooli & Pied Piper, 4 years - write the NDA"
            m = _FROM_TO.search(text) or _LEADING_PAIR.search(text)
            if m:
                names = [_clean_party(m.group(1)), _clean_party(m.group(2))]
        quoted = [e.value for e in self.free("quoted")]
        if len(quoted) >= 2 and not names:
            names = quoted[:2]
        if not names and self.captures:
            names = [self.captures.get(s.name, "") for s in group]
        if not names:
            m = re.search(r"\b(?:nda|agreement|contract)\s+(?!between|for|with)(\S.*?)\s+(?:and|&)\s+(.+?)(?=\s*(?:[,.;:!?]|$|\b(?:for|under|governed|lasting|mutual|covering|effective|term|in)\b|\d))", text, re.I)
            if m:
                names = [_clean_party(m.group(1)), _clean_party(m.group(2))]
        if not names:
            m = re.search(r"\b(?:nda|agreement|contract)\s+(?:for|with)\s+(.+?)(?=\s*(?:[,.;:!?]|$|\b(?:under|governed|lasting|"
                          r"mutual|for|covering|effective|term|in)\b|\d))", text, re.I)
            if m:
                names = [_clean_party(m.group(1))]
        for slot, name in zip(group, names):
            if name and not _is_filler(name):
                self.slots[slot.name] = name
                self.reasons[slot.name] = f"party name '{name}' ({'first' if slot is group[0] else 'second'} named)"

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

    def _query(self, group) -> None:
        slot = group[0]
        codes = self.free("icd10")
        if codes:
            self._set(slot, codes[0].value, "ICD-10 code", codes[0])
            return
        text = self.t.text
        m = re.search(r"\b(?:code|codes|icd[- ]?10(?:[- ]?cm)?|icd|diagnosis code|dx code|diagnosis)\s+(?:code\s+)?(?:for|of|on|about)\s+(.+)$", text, re.I) or \
            re.search(r"^\s*icd[- ]?10(?:[- ]?cm)?\s+(?:codes?\s+)?(?!for\b|of\b|codes?\b)(.+)$", text, re.I) or \
            re.search(r"\b(?:look ?up|lookup|search|find|search for|what is the code for|code for|codes for|icd[- ]?10 for|icd for)\s+(.+?)(?:\s+(?:in|on)\s+icd[- ]?10.*)?$", text, re.I)
        if m:
            q = re.sub(r"^(?:the|a|an)\s+", "", m.group(1).strip(" ?.!"), flags=re.I)
            q = re.sub(r"\s+(?:in|on|using)\s+icd[- ]?10.*$|\s+(?:icd[- ]?10\s*)?codes?$|\s+please$", "", q, flags=re.I)
            if q and not re.fullmatch(r"(?:icd[- ]?10|code|codes|a code|diagnosis)", q, re.I):
                self.slots[slot.name] = q
                self.reasons[slot.name] = "words after 'code for' / 'look up'"
                return
        if slot.name in self.captures:
            q = re.sub(r"^(?:10\s+|cm\s+)?(?:for|of|about|on)\s+", "", self.captures[slot.name], flags=re.I).strip()
            if q:
                self.slots[slot.name] = q
                self.reasons[slot.name] = "template capture"

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

    def _jurisdiction(self, group) -> None:
        for slot in group:
            code_form = isinstance(slot.default, str) and slot.default.upper().startswith("US")
            m = _STATE_RE.search(self.t.text)
            if not m:
                if code_form and re.search(r"\bfederal\b|\bfrcp\b", self.low):
                    self.slots[slot.name] = "US-federal"
                    self.reasons[slot.name] = "'federal' named"
                continue
            word = m.group(1).lower()
            if word in US_STATES:
                value = f"US-{US_STATES[word]}" if code_form else word.title()
            elif code_form:
                continue
            else:
                value = OTHER_LAW[word]
            self.slots[slot.name] = value
            self.reasons[slot.name] = f"jurisdiction '{m.group(1)}' named"

    def _boolean(self, group) -> None:
        for slot in group:
            name = slot.name.lower()
            if "mutual" in name:
                if re.search(r"\b(?:one[- ]?way|unilateral|one[- ]sided|non[- ]?mutual|not mutual)\b", self.low):
                    self.slots[slot.name] = False
                    self.reasons[slot.name] = "'one-way'/'unilateral' said"
                elif re.search(r"\b(?:mutual|two[- ]?way|bilateral|reciprocal)\b", self.low):
                    self.slots[slot.name] = True
                    self.reasons[slot.name] = "'mutual'/'two-way' said"
            elif "mail" in name:
                if re.search(r"\b(?:by mail|mailed|mail service|via mail|post(?:ed)?|by post)\b", self.low):
                    self.slots[slot.name] = True
                    self.reasons[slot.name] = "service by mail said"
            else:
                words = [w for w in _WORD.findall(name) if len(w) > 2]
                if words and any(re.search(rf"\b(?:not|no|without)\s+{w}", self.low) for w in words):
                    self.slots[slot.name] = False
                    self.reasons[slot.name] = "negated slot word"
                elif words and any(self._said_alone(w) for w in words):
                    self.slots[slot.name] = True
                    self.reasons[slot.name] = "slot word said"

    def _said_alone(self, word: str) -> bool:
        """The word is said outside every tagged value: "calendar" in "30 calendar days" qualifies the days
        and does not turn on a boolean slot named calendar; "add it to my calendar" does."""
        spans = [(e.start, e.end) for e in self.t.entities]
        return any(not any(a <= m.start() < b for a, b in spans) for m in re.finditer(rf"\b{word}", self.low))

    def _choice(self, group) -> None:
        for slot in group:
            choices = [str(c) for c in (slot.choices or [])]
            if not choices:
                continue
            if slot.kind == "choice" and set(choices) >= {"calendar", "court"}:
                days = [e for e in self.t.entities if e.kind == "days" and e.extra.get("day_type")]
                if days:
                    self.slots[slot.name] = days[0].extra["day_type"]
                    self.reasons[slot.name] = f"'{days[0].text}'"
                # only the days themselves say the day type: "california state court: 10 days" is calendar days
                continue
            found = None
            for c in choices:
                if re.search(rf"\b{re.escape(c.lower())}\b", self.low):
                    found = c
                    break
            if found is None:
                for word, canon in CHOICE_SYNONYMS.items():
                    if canon in choices and re.search(rf"\b{re.escape(word)}\b", self.low):
                        found = canon
                        break
            if found is None:
                for c in choices:  # a typo of a choice word ("fridericia" as "fredericia")
                    from intents.resolver.text import edit_distance

                    for w in _WORD.findall(self.low):
                        if len(w) >= 6 and edit_distance(w, c.lower(), 2) <= 2:
                            found = c
                            break
                    if found:
                        break
            if found is not None:
                self.slots[slot.name] = found
                self.reasons[slot.name] = f"choice '{found}' named"

    def _lab_unit(self, group) -> None:
        slot = group[0]
        labs = [e for e in self.t.entities if e.kind == "lab"]
        if labs:
            per_mol = re.match(r"\s*/\s*mol\b", self.low[labs[0].end:])  # "53 mmol/mol": HbA1c, IFCC
            self.slots[slot.name] = "mmol/mol" if per_mol and labs[0].unit == "mmol/L" else labs[0].unit
            self.reasons[slot.name] = f"unit of '{labs[0].text}'"
            return
        percents = self.free("percent")
        if percents and "choice" in {s.kind for s in self.spec.slots}:  # "hba1c 7%": the value is in percent
            self.slots[slot.name] = "%"
            self.reasons[slot.name] = f"unit of '{percents[0].text}'"
            value = next((s for s in self.spec.slots if s.kind == "number" and s.name not in self.slots), None)
            if value is not None:
                self._set(value, percents[0].value, "the value given in percent", percents[0])

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


def _says_outlay(words: list[str]) -> bool:
    return any(w.startswith(_OUTLAY) for w in words)


def _names(word: str, described: set[str]) -> bool:
    """`renting` names a slot described by `rent`: whole words, or a described word of 4+ letters as prefix."""
    return word in described or any(len(c) >= 4 and word.startswith(c) for c in described)


_FROM_TO = lazy(rf"\bfrom\s+({CAPITALISED_NAME})\s+to\s+({CAPITALISED_NAME})")
_LEADING_PAIR = lazy(rf"^\s*({CAPITALISED_NAME})\s*(?:&|\band\b|/)\s*({CAPITALISED_NAME})\s*[,;:-]")
TEXT_FOLLOWS = lazy(r"\b(?:the\s+following(?:\s+(?P<doc>text|contract|agreement|document|brief|passage|paragraph|clause))?|"
                     r"(?:in|from)\s+this\s+(?:text|passage|paragraph))\s*[,;-]?\s+(?P<body>\S.*)$", re.I | re.S)


def _clean_party(name: str) -> str:
    name = re.sub(r"^(?:the\s+)?(?:company|companies|parties|firms?)\s+", "", name.strip(), flags=re.I)
    return party_name(name)  # "my company X" -> "X"; "Sakura K.K." keeps its period


def _is_filler(name: str) -> bool:
    return name.lower() in {"me", "us", "them", "it", "a", "an", "the", "someone", "my company", "nda", ""}


def fill(spec, tagged: Tagged, captures=None, packs=None) -> tuple[dict[str, Any], dict[str, str]]:
    return Filler(spec, tagged, captures, packs).fill()
