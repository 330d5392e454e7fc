"""Follow-up edits: new words that change the last values rather than give new ones.

"the last flow was 6500" replaces one element of a list; "what if the rate drops by half a point", "add
50k", "double it" change a value relative to what it was; "also card numbers" adds to a list of words
where "only emails" replaces it; "served March 5" (no year) keeps the year of the date it corrects.
Each works on the last turn's values and the action's slot declarations (kinds, names, cues), so it is
the same for every pack; none of it guesses a value the words do not give.
"""
from __future__ import annotations

import re
from typing import Any

from intents.resolver.lazyre import lazy, lazy_words  # compiled on first use: a cold `-c` pays only for what it reads

_MAYBE = lazy_words(r"\b(?:", (
    "first", "initial", "opening", "second", "third", "fourth", "fifth", "sixth", "last", "final", "closing",
    "penultimate", r"\d(?:st|nd|rd|th)", "append", "tack", "more", "less", "lower", "higher", "up", "down", "off", "by", "add", "added",
    "adds", "plus", "minus", r"double\w*", "twice", r"tripl\w*", r"halv\w*", "half", "bigger", "smaller", "larger",
    "fewer", "longer", "shorter", "older", "younger", "heavier", "lighter", "taller", "greater", "faster", "slower",
    "sooner", r"extend\w*", r"lengthen\w*", r"shorten\w*", r"prolong\w*",
    # the verbs of a change said before its amount ("dropped 8 kg", "gained 3 kg", "cut 2 years")
    # (not a bare "drop": "drop 50k in today" puts money in)
    "dropped", "drops", "fell", r"falls?", r"decreas\w*", r"increas\w*", r"reduc\w*", r"rais\w*", "rose", r"rises?",
    "lost", r"los(?:e|es|ing)", r"gain\w*", r"bump\w*", r"cuts?", "shrunk", r"shrinks?"), r")\b", re.I)


def may_edit(text: str, spec=None) -> bool:
    """Whether the words hold a word of change at all (one search: the common follow-up pays only this),
    or a word `spec` declares for one element of a list ("the outlay")."""
    return bool(_MAYBE.search(text)) or (spec is not None and _names_element(spec, text))


def _names_element(spec, text: str) -> bool:
    words = element_words(spec)
    if not words:
        return False
    low = text.lower()
    return any(w in low for w in words) and any(re.search(rf"\b{re.escape(w)}s?\b", low) for w in words)


def element_words(spec) -> tuple[str, ...]:
    """The words `spec`'s list slots declare for their elements (`Slot(elements=...)`)."""
    return tuple(w for s in spec.slots for w in (getattr(s, "elements", None) or {}))


_CHANGE_STEMS: set[str] = set()


def change_words() -> set[str]:
    """Stems of the words that say how a value changes ("lower", "point", "double"): no action's own."""
    if not _CHANGE_STEMS:
        from intents.resolver.text import stem

        verbs = {w for w in re.findall(r"[a-z]+", _DOWN + "|" + _UP) if len(w) > 2}  # "drops", "went", "bump"
        _CHANGE_STEMS.update(stem(w) for w in _COMPARATIVES | verbs | {
            "point", "points", "percent", "percentage", "basis", "bps", "double", "doubled", "twice", "triple", "half",
            "halve", "halved", "quarter", "much", "long", "extra",
            # when the change happened ("dropped 8 kg since", "gained 3 kg recently"): about the change
            "since", "recently", "lately", "meanwhile", "now"} | set(_UNIT_YEARS))  # "a week longer"
    return _CHANGE_STEMS


def edits(spec, last_params: dict, text: str, lexicon=None, relative_ok=None) -> dict[str, Any]:
    """The values the words change relative to the last ones (list elements, relative changes, one of
    several parties named by its role). `relative_ok(named)`, when given, says whether a relative change
    stands, `named` being whether the words name the slot it changes (else it went to the one slot of
    its kind: "10% more" is the amount)."""
    if _NOT_SAID.search(text):  # "she's 78 not 88", "1.4, not 1.1"
        corrected = not_that(spec, last_params, text, lexicon)
        if corrected:
            return corrected
    if not _MAYBE.search(text) and not _names_element(spec, text):
        if _SWAP.search(text) and _parties(spec, last_params, lexicon):
            swapped = party_swap(spec, last_params, text, lexicon)
            if swapped:
                return swapped
        if len(_parties(spec, last_params, lexicon)) >= 2 and _PARTY_LINK.search(text):
            return party_role(spec, last_params, text, lexicon)
        return {}  # the common follow-up ("what about at 7%?") pays one search
    from intents.resolver import entities
    from intents.resolver.slots import CUES

    tagged = entities.tag(text, lexicon=lexicon)
    out = list_element(spec, last_params, tagged)
    for name, value in party_role(spec, last_params, text, lexicon).items():
        out.setdefault(name, value)
    for name, value in relative(spec, last_params, tagged, CUES, lexicon).items():
        if relative_ok is not None and not relative_ok(_names(spec.slot(name), tagged.text, CUES)):
            continue
        out.setdefault(name, value)
    return out


def _names(slot, low: str, kind_cues: dict) -> bool:
    words = set(re.findall(r"[a-z]+", low.lower())) - _COMPARATIVES
    # (a change said in the slot's own unit names it: "dropped 8 kg" is about the weight in kg)
    unit = {slot.unit.lower()} if slot is not None and slot.unit else set()
    return slot is not None and bool(words & (_slot_words(slot, kind_cues) | unit))


# ---- one party of several, by its role --------------------------------------------------------------
_PARTY_LINK = lazy(r"\b(?:is|was|to|should\s+be|becomes?|now)\s+[A-Z]|[:=]\s*[A-Z]")
_PARTY_ORDINALS = ("first", "second", "third")


def party_role(spec, last_params: dict, text: str, lexicon=None) -> dict[str, Any]:
    """ "the second party is Vega Systems GmbH", "change the recipient to Lumen Software Inc.": one of the
    last parties replaced, the slot known by its ordinal among the party slots, its name ("party b") or
    the cue words the slot declares ("recipient")."""
    from intents.resolver.entities import party_name

    parties = _parties(spec, last_params, lexicon)
    if len(parties) < 2:
        return {}
    for i, slot in enumerate(parties):
        letter = slot.name.rsplit("_", 1)[-1] if "_" in slot.name else ""
        roles = [rf"{_PARTY_ORDINALS[i]}\s+(?:party|name|company|side)"] if i < len(_PARTY_ORDINALS) else []
        if len(letter) == 1:
            roles.append(rf"party\s*[-_]?\s*{letter}")
        roles += [re.escape(c) + r"(?:\s+party)?" for c in slot.cues or () if len(c) > 3]
        if not roles:
            continue
        m = re.search(rf"\b(?:{'|'.join(roles)})\s*(?:name\s+)?(?:is|was|to|should\s+be|becomes?|now|[:=])\s+"
                      rf"(?:actually\s+|now\s+|called\s+|named\s+)?(?P<name>[A-Z][^,;?!]*?)\s*"
                      rf"(?:,?\s*(?:instead|please|pls|then|now|thanks))?\s*[?!]*$", text, re.I)
        if m and m.group("name")[:1].isupper():
            name = party_name(m.group("name"))
            if name and name != last_params.get(slot.name):
                return {slot.name: name}
    return {}


# ---- "A, not B": a value corrected by naming the one it replaces ------------------------------------------
_NOT_SAID = lazy(r"\bnot\b", re.I)
_NOT_BETWEEN = lazy(r"^\s*,?\s*(?:but\s+)?not\s*$", re.I)
_NOT_BEFORE = lazy(r"\bnot\s*$", re.I)
_BUT_BETWEEN = lazy(r"^\s*,?\s*(?:but|rather)\s*$", re.I)


def not_that(spec, last_params: dict, text: str, lexicon=None) -> dict[str, Any]:
    """ "she's 78 not 88", "the rate is 5.1%, not 5.4%": the value said just before "not" replaces the
    last value equal to the one said just after it (the words say which slot by its old value)."""
    from intents.resolver import entities

    tagged = entities.tag(text, lexicon=lexicon)
    ents = sorted(tagged.entities, key=lambda e: e.start)
    for a, b in zip(ents, ents[1:]):
        if _NOT_BETWEEN.match(tagged.text[a.end:b.start]):
            old, new = _plain(b), _plain(a)
        elif _NOT_BEFORE.search(tagged.text[:a.start]) and _BUT_BETWEEN.match(tagged.text[a.end:b.start]):
            old, new = _plain(a), _plain(b)  # "not 30 years but 20"
        else:
            continue
        if old is None or new is None:
            continue
        for slot in spec.slots:
            was = last_params.get(slot.name)
            if isinstance(was, bool) or was is None:
                continue
            if (isinstance(was, (int, float)) and isinstance(old, float) and abs(was - old) < 1e-9) or \
                    (isinstance(was, str) and isinstance(old, str) and was.lower() == old.lower()):
                if type(new) is not type(old):
                    continue
                return {slot.name: round(new) if slot.type == "integer" else new}
    return {}


def _plain(e):
    """An entity's value as a float (numbers, amounts, measures) or a string (a choice, a code)."""
    if isinstance(e.value, bool):
        return None
    if isinstance(e.value, (int, float)):
        return float(e.value)
    return e.value if isinstance(e.value, str) else None


# "Y instead of X", "replace X with Y", "swap X for Y", "the same for Y": a party replaced by name
_SWAP = lazy(r"\binstead\s+of\s+[A-Z]|\b(?:replace|swap|switch|substitute)\s+[A-Z]|\bsame\b.*\b(?:for|with)\s+[A-Z]")
_NAME = r"[A-Z][\w&.'-]*(?:\s+(?:&\s+)?[A-Z0-9][\w&.'-]*)*"
_INSTEAD = lazy(rf"(?P<new>{_NAME})\s+instead\s+of\s+(?P<old>{_NAME})")
_REPLACE = lazy(rf"\b(?:replace|swap|switch|substitute)\s+(?P<old>{_NAME})\s+(?:with|for|by)\s+(?P<new>{_NAME})")
_SAME_FOR = lazy(rf"\bsame\b(?:\s+(?:thing|one|agreement|deal|document|draft|but))*\s+(?:for|with)\s+(?P<new>{_NAME})"
                 rf"\s*[?.!]*\s*$")


def party_swap(spec, last_params: dict, text: str, lexicon=None) -> dict[str, Any]:
    """ "same but with Lumen Ltd instead of Acme", "replace Acme with Lumen Ltd": the party named as it
    was said replaced by the new name; "do the same for Lumen Ltd" replaces the other side (the last
    party slot: the first is most often the user's own)."""
    from intents.resolver.entities import party_name

    parties = _parties(spec, last_params, lexicon)
    for rx in (_INSTEAD, _REPLACE):
        m = rx.search(text)
        if m is None:
            continue
        old = (party_name(m.group("old")) or "").lower()
        for slot in parties:
            if last_params[slot.name].lower() == old or last_params[slot.name].lower().startswith(old + " "):
                new = party_name(m.group("new"))
                if new and new.lower() != old:
                    return {slot.name: new}
        return {}
    m = _SAME_FOR.search(text)
    if m and parties:
        new = party_name(m.group("new"))
        if new and all(new.lower() != last_params[s.name].lower() for s in parties):
            return {parties[-1].name: new}
    return {}


def _parties(spec, last_params: dict, lexicon) -> list:
    return [s for s in spec.slots if _is_party(s, lexicon) and isinstance(last_params.get(s.name), str)]


def _is_party(slot, lexicon) -> bool:
    if slot.kind in ("party", "name"):
        return True
    kind = lexicon.kind(slot.kind) if lexicon is not None and slot.kind else None
    return kind is not None and kind.base == "party"


# ---- list elements -----------------------------------------------------------------------------------
# (generic words only: a pack's own word for a first element, such as a cash flow's "outlay", is not the
# core's to know; "the initial outlay" is read by "initial")
_ORDINALS = {"first": 0, "initial": 0, "opening": 0, "1st": 0,
             "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4, "5th": 4,
             "sixth": 5, "6th": 5, "last": -1, "final": -1, "closing": -1, "penultimate": -2}
_ORDINAL = lazy(r"\b(?:(?P<pen>second[\s-]+to[\s-]+last|next[\s-]+to[\s-]+last)|(?P<ord>" +
                      "|".join(sorted(map(re.escape, _ORDINALS), key=len, reverse=True)) + r"))\b", re.I)
# between the ordinal and the new value: a few words naming the element, then "is", "was", "to" ...
_LINK = lazy(r"^(?:\s*[\w'-]+){0,4}?\s*(?:\b(?:is|was|were|be|becomes?|became|changes?\s+to|should\s+be|to|at|"
                   r"of|=|->|'s|comes?\s+in\s+at)\b|[:=])?\s*$", re.I)
_NEGATIVE_SAID = lazy(r"(?:^|\s)(?:-|minus|negative)\s*\d", re.I)


def list_element(spec, last_params: dict, tagged) -> dict[str, Any]:
    """{slot: new list} for "the last one is 1.3m", "the initial outlay is 18000 instead": an ordinal, a few
    words, then one value replaces that element of the last list of its type (numbers, or dates)."""
    if any(e.kind in ("number_list", "date_list") for e in tagged.entities):
        return {}  # a whole new list was said
    low = tagged.text
    out: dict[str, Any] = appended(spec, last_params, tagged)
    if out:
        return out
    found = [(m.end(), -2 if m.group("pen") else _ORDINALS[m.group("ord").lower()], None)
             for m in _ORDINAL.finditer(low)]
    for slot in spec.slots:  # the pack's own words for an element ("the outlay": the first flow)
        for word, index in (slot.elements or {}).items() if isinstance(last_params.get(slot.name), list) else ():
            for m in re.finditer(rf"\b{re.escape(word)}s?\b", low, re.I):
                found.append((m.end(), index, slot.name))
    for end, index, only in sorted(found):
        value = next((e for e in tagged.entities if e.start >= end and _LINK.match(low[end:e.start])), None)
        if value is None:
            continue
        number = _number_of(value)
        for slot in spec.slots:
            if only is not None and slot.name != only:
                continue
            old = last_params.get(slot.name)
            if slot.name in out or not isinstance(old, list) or not old or not -len(old) <= index < len(old):
                continue
            if value.kind == "date" and all(isinstance(x, str) for x in old):
                new = list(old)
                new[index] = value.value
                out[slot.name] = new
                break
            if number is not None and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in old):
                if index >= 0 and only is None and _PERIOD.match(low, end) and len(old) > 2 and _time_zero(old):
                    index += 1  # "the first year brings 14000": periods count after the element at time 0
                    if index >= len(old):
                        continue
                new = list(old)
                if old[index] < 0 <= number and not _NEGATIVE_SAID.search(low[end:value.end]):
                    number = -number  # "the outlay is 18000": an outlay stays money going out
                new[index] = number
                out[slot.name] = new
                break
    return out


# "add a final 20000", "append another 3000", "tack on 5000 at the end": one more element, after the others
_APPEND = lazy(r"\b(?:add|append|tack\s+on|plus)\s+(?:(?:a|an|one)\s+)?(?:(?:more|another|final|last|new|extra|"
               r"further|closing)\s+)*(?:(?:flow|payment|inflow|outflow|amount|value|year|period|one)s?\s+"
               r"(?:of\s+)?)?$", re.I)
_AT_END = lazy(r"^\s*(?:at\s+the\s+end|on\s+the\s+end|to\s+the\s+end|too|as\s+well)?\s*[?.!]*\s*$", re.I)


def appended(spec, last_params: dict, tagged) -> dict[str, Any]:
    """{slot: longer list} for "add a final 20000", "append another 3000": one number added after the last
    element of the one list of numbers the last turn had (never a change of a sum: the words say more of
    the list, and nothing else follows the value)."""
    low = tagged.text
    lists = [s for s in spec.slots if isinstance(last_params.get(s.name), list) and last_params[s.name]
             and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in last_params[s.name])]
    if len(lists) != 1:
        return {}
    for e in tagged.entities:
        number = _number_of(e)
        if number is None or e.extra.get("per") or not _APPEND.search(low[:e.start]) or not _AT_END.match(low[e.end:]):
            continue
        return {lists[0].name: list(last_params[lists[0].name]) + [number]}
    return {}


# "the first year", "the 2nd period": an ordinal that counts periods
_PERIOD = lazy(r"\s+(?:year|period|month|quarter|week|day)s?\b", re.I)


def _time_zero(values: list) -> bool:
    """Whether a list of amounts starts with one at time 0: its sign is the opposite of all the others'
    (an investment then its returns, a loan then its repayments)."""
    first, rest = values[0], values[1:]
    return first != 0 and all(x * first < 0 for x in rest if x)


def _number_of(e) -> float | None:
    """The plain amount an entity says: a number or money; "1.3m" read as metres is also 1.3 million."""
    if e.kind in ("number", "money") and isinstance(e.value, (int, float)):
        return float(e.value)
    return next((float(v) for k, v in e.alts if k == "money"), None)


# ---- relative changes --------------------------------------------------------------------------------
_DOWN = (r"drops?|dropped|falls?|fell|goes\s+down|went\s+down|comes?\s+down|decreases?|decreased|cuts?|reduced?|"
         r"lost|loses?|losing|"
         r"lowers?|lowered|down|less|minus|subtract(?:ed)?|takes?\s+off|shaves?\s+off|knocks?\s+off|shrinks?|"
         r"shorten(?:ed|s)?")
_UP = (r"rises?|rose|goes\s+up|went\s+up|increases?|increased|raised?|raises|up|plus|add(?:ed|s)?|bump(?:ed|s)?(?:\s+up)?|"
       r"grows?|extend(?:ed|s)?|lengthen(?:ed|s)?|prolong(?:ed|s)?|gain(?:ed|s)?|put\s+on")
# (what is changed may be named: "bump the monthly by 50"; "bump the monthly to 400" sets it, no change)
_BY = r"(?:\s+(?:it|that|this|the\s+[a-z]+(?:\s+(?!to\b)[a-z]+)?))?(?:\s+by)?\s+"
_REL_BEFORE = lazy(rf"\b(?:(?P<down>{_DOWN})|(?P<up>{_UP})){_BY}(?=\S)", re.I)
# (no "^": it is matched at the end of a value, and "^" only matches at the start of the whole string)
# (comparatives of a measure too: "5 years longer", "ten years older", "5 kg lighter", "5 cm taller")
_REL_AFTER = lazy(r"\s*(?:(?P<down>less|lower|down|fewer|smaller|off|shorter|younger|lighter|slower|sooner)|"
                  r"(?P<up>more|higher|up|bigger|larger|greater|longer|older|heavier|taller|faster))\b", re.I)
# "a year longer", "a week shorter": one of a unit of time, said with no number
_ONE_UNIT = lazy(r"\b(?:a|an|one)\s+(?P<u>year|month|week|day|decade)\s+(?=(?:longer|shorter|more|less|older|younger|"
                 r"sooner)\b)",
                 re.I)
_UNIT_YEARS = {"year": 1.0, "decade": 10.0, "month": 1 / 12, "week": 7 / 365, "day": 1 / 365}
# what a comparative measures: the kinds of slot it can change ("twice as long" is about a period)
_TIME_KINDS = ("years", "days", "duration")
_DIMENSION = {"long": _TIME_KINDS, "longer": _TIME_KINDS, "shorter": _TIME_KINDS, "short": _TIME_KINDS,
              "old": ("age",), "older": ("age",), "younger": ("age",), "heavy": ("weight",),
              "heavier": ("weight",), "lighter": ("weight",), "tall": ("height",), "taller": ("height",)}
_MEASURED = ("duration", "days", "weight", "height", "age", "quantity")
_POINTS = lazy(r"(?P<n>\d+(?:\.\d+)?|a\s+half|half|a\s+quarter|quarter|three\s+quarters)\s+(?:of\s+)?(?:a\s+)?"
                     r"(?:percentage\s+)?(?:points?|pts?)\b|(?P<bps>\d+)\s*(?:bps|basis\s+points?)\b", re.I)
_FRACTION = {"a half": 0.5, "half": 0.5, "a quarter": 0.25, "quarter": 0.25, "three quarters": 0.75}
_TIMES = lazy(r"\b(?P<w>double|doubled|doubles|twice|triple|tripled|triples|halve|halved|halves|cut\s+in\s+half|"
                    r"half\s+(?:the|of|that|it))\b", re.I)
_FACTOR = {"double": 2.0, "twice": 2.0, "triple": 3.0, "halve": 0.5, "cut": 0.5, "half": 0.5}


def relative(spec, last_params: dict, tagged, kind_cues: dict, lexicon=None) -> dict[str, Any]:
    """{slot: new value} for "the rate drops by half a point", "add 50k", "25 bps higher", "double it"."""
    low = tagged.text
    out: dict[str, Any] = {}
    for m in _REL_BEFORE.finditer(low):
        e = next((e for e in tagged.entities if e.start == m.end()), None)
        if e is not None and (e.kind in _MEASURED or e.extra.get("declared")):  # "extend it by 5 years"
            _apply_measure(spec, last_params, low, e, -1 if m.group("down") else 1, out, kind_cues, lexicon)
            continue
        got = _delta_at(low, tagged, m.end())
        if got is not None:
            _apply(spec, last_params, low, got[0], got[1] * (-1 if m.group("down") else 1), out, kind_cues)
    for e in tagged.entities:  # "50k more", "half a point lower", "5 years longer", "5 kg lighter"
        after = _REL_AFTER.match(low, e.end)
        if not after or e.extra.get("per"):
            continue
        sign = -1 if after.group("down") else 1
        if e.kind in ("number", "money", "percent"):
            _apply(spec, last_params, low, e.kind, float(e.value) * sign, out, kind_cues, after.group(0).strip())
        elif e.kind in _MEASURED or e.extra.get("declared"):
            _apply_measure(spec, last_params, low, e, sign, out, kind_cues, lexicon)
    for m in _ONE_UNIT.finditer(low):  # "a year longer", "a week shorter"
        after = _REL_AFTER.match(low, m.end())
        if after:
            unit = m.group("u").lower()
            from intents.resolver.entities import Entity

            days = {"week": 7, "day": 1}.get(unit)
            one = Entity("duration", _UNIT_YEARS[unit], m.start(), m.end(), m.group(0), unit + "s",
                         extra={"days": days} if days else {})
            _apply_measure(spec, last_params, low, one, -1 if after.group("down") else 1, out, kind_cues, lexicon)
    for m in _POINTS.finditer(low):
        after = _REL_AFTER.match(low, m.end())
        if after:
            _apply(spec, last_params, low, "percent", _points(m) * (-1 if after.group("down") else 1), out, kind_cues)
    for m in _TIMES.finditer(low):
        factor = next(v for k, v in _FACTOR.items() if m.group("w").lower().startswith(k))
        measure = _AS_MEASURE.match(low, m.end())  # "twice as long": a period, not the amount
        if measure:
            kinds = _DIMENSION[measure.group(1).lower()]
            slots = [s for s in spec.slots if s.kind in kinds and _number(last_params.get(s.name))]
            if len(slots) == 1 and slots[0].name not in out:
                new = last_params[slots[0].name] * factor
                out[slots[0].name] = round(new) if slots[0].type == "integer" else round(new, 6)
            continue
        _apply(spec, last_params, low, "factor", factor, out, kind_cues)
    return out


_AS_MEASURE = lazy(r"\s+as\s+(long|short|old|heavy|tall)\b", re.I)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _apply_measure(spec, last_params: dict, low: str, e, sign: int, out: dict, kind_cues: dict, lexicon) -> None:
    """ "5 years longer", "ten years older", "a week longer", "5 kg lighter", "15 bpm faster": a measured
    change, in the unit of the slot it changes: the slot of a kind that measures it (a period for a term
    or a number of days, an age, a weight, a pack's own kind), the one the words name when there are
    several."""
    fitting = []
    for slot in spec.slots:
        if not _number(last_params.get(slot.name)) or slot.type not in ("number", "integer"):
            continue
        delta = _measure_in(slot, e, lexicon)
        if delta is not None:
            fitting.append((slot, delta))
    if len(fitting) > 1:
        words = set(re.findall(r"[a-z]+", low))
        named = [(s, d) for s, d in fitting if words & _slot_words(s, kind_cues)]
        fitting = named if named else fitting
    if len(fitting) != 1 or fitting[0][0].name in out:
        return
    slot, delta = fitting[0]
    new = last_params[slot.name] + sign * delta
    if new <= 0 and (slot.minimum is None or slot.minimum >= 0):
        return  # "40 years younger" than 30 is no age: not a change the words can mean
    out[slot.name] = round(new) if slot.type == "integer" else round(new, 6)


def _measure_in(slot, e, lexicon):
    """The size of measured change `e` in `slot`'s unit, or None when the slot does not measure it."""
    kind = slot.kind or ""
    if e.kind == "duration":
        if kind in ("years", "duration", "age"):
            return float(e.value)
        if kind == "days" and e.extra.get("days"):
            return float(e.extra["days"])
        return None
    if e.kind == "days":
        return float(e.value) if kind == "days" else None
    if e.kind in ("weight", "height", "age"):
        return float(e.value) if kind == e.kind else None
    spec = lexicon.kind(kind) if lexicon is not None and kind else None
    if spec is not None and (e.kind == kind or (e.kind == "quantity" and spec.base == "quantity")) and e.unit:
        if slot.unit and e.unit != slot.unit and getattr(lexicon, "units", None):
            from intents.resolver import units

            got, _why = units.convert(lexicon.units, float(e.value), e.unit, slot.unit)
            if got is not None:
                return got
        if spec.units:
            from intents.kinds import canonical_unit

            found = canonical_unit(spec, e.unit)
            if found is not None:
                return float(e.value) * found[1]
        return float(e.value) if e.unit == slot.unit else None
    return None


def _points(m) -> float:
    if m.group("bps"):
        return float(m.group("bps")) / 100
    n = m.group("n").lower()
    return _FRACTION.get(re.sub(r"\s+", " ", n), None) or float(n)


def _delta_at(low: str, tagged, pos: int) -> tuple[str, float] | None:
    """The amount said at `pos`: (kind, value) for points, a percent, money or a number."""
    p = _POINTS.match(low, pos)
    if p:
        return "percent", _points(p)
    e = next((e for e in tagged.entities if e.start == pos), None)
    if e is None or e.extra.get("per"):
        return None  # "add 100 a month" is an amount a month, not a change of the last one
    if e.kind in ("number", "money", "percent") and isinstance(e.value, (int, float)):
        return e.kind, float(e.value)
    n = _number_of(e)
    return ("money", n) if n is not None else None


def _apply(spec, last_params: dict, low: str, kind: str, delta: float, out: dict, kind_cues: dict,
           word: str = "") -> None:
    target = _target(spec, last_params, low, kind, kind_cues, word)
    if target is None or target.name in out:
        return
    old = last_params[target.name]
    if kind == "factor":
        new = old * delta
    elif kind == "percent" and target.kind != "percent":
        new = old * (1 + delta / 100)  # "the principal up by 10%"
    else:
        new = old + delta
    if target.type == "integer":
        new = round(new)
    out[target.name] = round(new, 6)


def _target(spec, last_params: dict, low: str, kind: str, kind_cues: dict, word: str = ""):
    """The last value a change is to: the one the words name (its slot name, cues, or its kind's cue
    words), else the only one of the change's kind. A percentage "more" or "less" that names nothing is
    a share of the amount ("10% more" after a loan is 10 % more borrowed; "1% higher" is the rate), and
    one that names a slot of another kind changes that one by that share ("20% less to start with")."""
    numeric = [s for s in spec.slots if isinstance(last_params.get(s.name), (int, float))
               and not isinstance(last_params.get(s.name), bool)]
    # an optional value left at its default ("extra 0 a month") was never said: "40k less" is not about it
    # unless the words name it
    said = [s for s in numeric if s.required or last_params[s.name] != s.default] or numeric
    words = set(re.findall(r"[a-z]+", low)) - _COMPARATIVES  # "10% more": "more" names no slot here
    named = [s for s in numeric if words & _slot_words(s, kind_cues)]
    fits = {"percent": ("percent",), "money": ("money",), "number": None, "factor": None}[kind]
    if kind == "percent" and not _POINTS_SAID.search(low):
        other = [s for s in named if s.kind != "percent"]
        if other and not [s for s in named if s.kind == "percent"]:
            return other[0] if len(other) == 1 else None
        if not named and word.lower() in ("more", "less", "fewer"):
            money = [s for s in said if s.kind == "money" and s.required]
            if len(money) == 1:
                return money[0]
    if fits is not None:
        of_kind = [s for s in named if s.kind in fits] or [s for s in said if s.kind in fits]
        named = of_kind if of_kind else ([s for s in named] if kind == "percent" else [])
    if len(named) == 1:
        return named[0]
    if kind == "factor" and not named:  # "double it": the one amount of money it was about
        money = [s for s in numeric if s.kind == "money" and s.required]
        return money[0] if len(money) == 1 else None
    return None


_COMPARATIVES = {"more", "less", "fewer", "higher", "lower", "up", "down", "bigger", "smaller", "larger", "greater",
                 "longer", "shorter", "older", "younger", "heavier", "lighter", "taller", "faster", "slower", "off",
                 "sooner"}
_POINTS_SAID = lazy(r"\b(?:points?|pts?|bps|basis)\b", re.I)


def _slot_words(slot, kind_cues: dict) -> set[str]:
    words = {w for w in re.findall(r"[a-z]+", slot.name.lower()) if len(w) > 2 and w not in ("pct", "num")}
    words |= set(slot.cues or ())
    words |= {w for w in kind_cues.get(slot.kind or "", ()) if len(w) > 3}  # "rate", "term"; not "at", "for"
    return words


# ---- lists of words ----------------------------------------------------------------------------------
# ("and card numbers" opens with "and": more of the same, as "also" says)
_ADDS = lazy(r"^\W*(?:and|plus)\b|\b(?:also|too|as\s+well|plus|additionally|in\s+addition|add|and\s+the)\b", re.I)


def widen_lists(spec, last_params: dict, text: str, new_values: dict) -> None:
    """ "also card numbers" adds to the list of words it was; "only emails" replaces it."""
    if not any(isinstance(v, list) for v in new_values.values()):
        return  # no list said (tested first: the patterns are compiled only when they can matter)
    if not _ADDS.search(text) or re.search(r"\b(?:only|just)\b", text, re.I):
        return
    for name, value in new_values.items():
        slot = spec.slot(name)
        old = last_params.get(name)
        if slot is not None and slot.kind == "list" and isinstance(value, list) and isinstance(old, list) and old \
                and all(isinstance(x, str) for x in old + value):
            new_values[name] = list(dict.fromkeys(old + value))


# ---- dates without a year ----------------------------------------------------------------------------
_YEAR_SAID = lazy(r"\b(?:1[89]|2[01])\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b|'\d\d\b")
_RELATIVE_DAY = lazy(r"\b(?:today|tomorrow|yesterday|ago|next|this|coming|from\s+now|later|earlier|"
                           r"mon|tues|wednes|thurs|fri|satur|sun)(?:day)?\b", re.I)


def keep_year(spec, last_params: dict, text: str, new_values: dict) -> None:
    """ "sorry, it was served March 5" after March 3, 2025: a date said without a year corrects the one it
    replaces, so it keeps that date's year (not this year's)."""
    if not any(isinstance(v, str) and getattr(spec.slot(n), "kind", None) == "date" for n, v in new_values.items()):
        return  # no date said (tested first: the patterns are compiled only when they can matter)
    if _YEAR_SAID.search(text) or _RELATIVE_DAY.search(text):
        return
    for name, value in list(new_values.items()):
        slot = spec.slot(name)
        old = last_params.get(name)
        if slot is None or slot.kind != "date" or not isinstance(value, str) or not isinstance(old, str):
            continue
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", old) and value[:4] != old[:4]:
            candidate = old[:4] + value[4:]
            if candidate[5:] != "02-29" or int(old[:4]) % 4 == 0:
                new_values[name] = candidate
