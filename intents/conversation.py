"""Follow-ups: a request read against the last turn.

"what about at 7%?" after a loan payment names no action and one value: it continues the loan with the
rate replaced. "and his creatinine clearance, he weighs 80 kg" after an eGFR names another action: it
takes what it lacks (age, sex, creatinine) from the eGFR's values. "convert that to euros" takes the last
result's headline figure as its amount. A complete new request starts afresh, and a foreign one is still
refused: a follow-up is only ever built from values the new words give for an action, never guessed.

Everything here works on specs and the resolver's own slot filling, so it is the same for every pack.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from intents.resolver import Match
from intents.resolver.lazyre import lazy

# Words that tie a request to the turn before it. They never decide an action by themselves; they only
# say "the last one" when the new words alone leave something open.
_REFERS = lazy(
    r"\b(?:that|it|this|those|them|these|same|his|her|hers|him|he|she|they|their|instead|again|too|also|"
    r"previous|last\s+one|the\s+result|the\s+answer|matching|similar|another|one\s+more)\b|\bthen\s*[?.!]*\s*$", re.I)
_CONTINUES = lazy(
    r"^\s*(?:and|but|now|no|nope|sorry|actually|oops|wait|then|also|ok(?:ay)?|so|what\s+about|how\s+about|"
    r"what\s+if|make\s+it|change\s+(?:it|that|the)|instead|same|try|with|at|for|over|in)\b", re.I)
# "that"/"it" point at the last result's figure; a pronoun for a person ("his") only at the values
_THAT = lazy(r"\b(?:that|it|this|the\s+result|the\s+answer|the\s+figure|the\s+amount|"
             r"the\s+(?:\w+\s+)?(?:file|document|draft|copy|version|output))\b", re.I)
# within the same action, only words that name the result's date or file point at it ("make it calendar
# days" is about the request; "14 days after that date", "summarize the redacted version" are not)
_RESULT_NOUN = lazy(r"\b(?:that|the|this|its)\s+(?!same\b)(?:\w+\s+)?(?:date|day|deadline|file|document|draft|copy|"
                    r"version|output)\b|\b(?:from|after|before|since)\s+(?:that|it|then)\b(?!\s+same\b)", re.I)
# words that announce a new matter; with every value said, the request starts afresh
_AFRESH = lazy(r"\b(?:new|separate|different|unrelated|fresh|brand[\s-]new|another\s+(?:matter|patient|client|case))\b", re.I)
_SAME = lazy(r"\bsame\b", re.I)
# words for the file an action wrote, as opposed to the one it read ("the redacted version", "the draft")
_ARTIFACT = lazy(r"\b(?:the|that|this|its)\s+(?:\w+\s+)?(?:draft|copy|version|output)\b|"
                       r"\b(?:redacted|generated|drafted|resulting|new)\s+(?:file|document|one|text)\b", re.I)
_SAME_ACTION_SURE = 0.85  # a named other action at or above this is a request for that action


@dataclass
class Turn:
    """What the last run was: enough to continue it."""

    id: int | None
    action: str
    params: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    text: str = ""


def pointed(text: str) -> bool:
    """Whether the words point at the last result ("convert it", "from that date", "redact the draft")."""
    return bool(_THAT.search(text))


def waits_on_result(specs, prev_action: str, text: str) -> bool:
    """Whether a later step's words take something from the result of the step before it ("convert it",
    "convert the payment to GBP", "dose 6 mg/kg using the IBW"), so what it lacks comes when that has run."""
    if pointed(text):
        return True
    prev = specs.get(prev_action)
    return prev is not None and _named_field(prev, Turn(None, prev_action), text) is not None


def continue_match(resolver, specs, last: Turn | None, text: str, match: Match | None = None) -> Match:
    """The match for `text` as a follow-up of `last` where it is one, else the plain match.

    `resolver` must offer `resolve(text)` and `fill_for(action_id, text) -> (values, reasons)`; `specs`
    maps action ids to ActionSpecs. The returned match has `follows` (the turn's id) and `changed`
    (the slot names the new words set) when it continues the turn.
    """
    match = match if match is not None else resolver.resolve(text)
    if last is None or last.action not in specs:
        return match
    match = _no_repaired_system(resolver, match, text)
    said = bool(_REFERS.search(text) or _CONTINUES.search(text))
    if match.action in (None, last.action) or match.confidence < _SAME_ACTION_SURE:
        # "the last flow was 6500", "drops by half a point", "double it": changes to the last values
        from intents import conversation_edits

        changed = conversation_edits.edits(specs[last.action], last.params, text, getattr(resolver, "lexicon", None))
        if changed:
            merged = _merge(specs[last.action], last, match, changed)
            merged.explain = dict(match.explain or {}, followup=f"changes to {last.action}'s values")
            return merged
    if match.action and match.action != last.action and match.confidence >= _SAME_ACTION_SURE:
        option = _option_of_last(resolver, specs, last, match, text) if match.missing else None
        return option or _inherit(specs, last, match, said, getattr(resolver, "lexicon", None))
    if match.action == last.action:
        if not match.missing and (not said or _AFRESH.search(text)):
            return match  # a complete new request for the same action ("also a separate NDA for ..."): afresh
        return _merge(specs[last.action], last, match, dict(match.slots))
    # No action, or an unsure other one: do the words give values for the last action?
    values, reasons = resolver.fill_for(last.action, text)
    if values and not values_about(resolver, specs, last.action, text, values, bool(_CONTINUES.search(text))):
        values = {}
    if not values:
        if match.action and match.action != last.action and (said or match.confidence >= 0.6):
            return _inherit(specs, last, match, said, getattr(resolver, "lexicon", None))
        if said or pointed(text):
            found = _carried_candidate(resolver, specs, last, match, text) or \
                _free_text_follow(resolver, specs[last.action], last, match, text)
            if found is not None:
                return found
        return match  # nothing of the last action in it: refused or answered on its own
    if match.action and not match.missing and not said and match.confidence >= 0.6:
        return match  # a complete request for something else, unsure but whole
    merged = _merge(specs[last.action], last, match, values)
    merged.explain = dict(match.explain or {}, followup=f"values for {last.action}", slots=reasons)
    return merged


# nouns that point back at the last turn's things ("the same file", "that amount", "for that long"): they
# are not foreign to an action that takes those things from it
_BACK_NOUNS = {"file", "document", "draft", "copy", "version", "output", "amount", "figure", "number", "result",
               "answer", "value", "rate", "term", "one", "thing", "same", "long", "numbers", "flow", "flows",
               "parties", "party", "values", "period", "redacted", "original"}
_BACK_STEMS: set[str] = set()


def _back_nouns() -> set[str]:
    if not _BACK_STEMS:
        from intents.resolver.text import stem

        _BACK_STEMS.update(stem(w) for w in _BACK_NOUNS)
    return _BACK_STEMS


def _field_words(spec) -> set[str]:
    """Stems of an action's slot and result field names: "the total interest" is about a loan payment."""
    from intents.resolver.text import stem

    names = [s.name for s in spec.slots] + list(spec.result_fields)
    return {stem(w) for n in names for w in n.lower().split("_") if len(w) > 2 and w not in _UNIT_WORDS}


_CANDIDATE_MIN = 0.12  # a candidate the classifier ranks at least this high may be completed from the last turn


def _carried_candidate(resolver, specs, last: Turn, match: Match, text: str) -> Match | None:
    """A request refused on its own words for want of values ("summarize the draft for me", "what
    citations are in the same file?", "just give me the monthly payment then") that refers back: the
    classifier's best candidate for the words, when the last turn completes it and the words are its own
    (no foreign content words). Never a system action: those are about the terminal, not the work."""
    from intents.resolver import Alternative

    top = [t["action"] for t in (match.explain or {}).get("top") or () if t.get("score", 0) >= _CANDIDATE_MIN]
    top += [a.action for a in match.alternatives if a.action not in top]
    lexicon = getattr(resolver, "lexicon", None)
    for candidate in candidates(resolver, specs, last.action, match, text):
        action_id = candidate.action
        got = _inherit(specs, last, candidate, said=True, lexicon=lexicon)
        if got.missing or got.follows is None:
            continue
        others = [Alternative(a, c) for a, c in ((x.action, x.confidence) for x in match.alternatives) if a != action_id]
        return dataclasses.replace(got, confidence=0.75, alternatives=others,
                                   explain=dict(got.explain or {}, followup=f"{action_id}, completed from {last.action}"))
    return None


def candidates(resolver, specs, last_action: str, match: Match, text: str):
    """The classifier's candidates for words refused for want of values, best first, as matches with the
    values the words give: never a system action nor the last action itself, and only where the words
    are the candidate's own (at most one foreign content word, and one word of its own at least)."""
    top = [t["action"] for t in (match.explain or {}).get("top") or () if t.get("score", 0) >= _CANDIDATE_MIN]
    top += [a.action for a in match.alternatives if a.action not in top]
    for action_id in top:
        spec = specs.get(action_id)
        if spec is None or action_id.startswith("system.") or action_id == last_action:
            continue
        values, _ = resolver.fill_for(action_id, text)
        strange, _bare = resolver.foreign_words(action_id, text)
        own_words = _field_words(spec)
        strange = [w for w in strange if w not in _back_nouns() and w not in own_words]
        content = [t for t in (match.explain or {}).get("tokens") or () if not t.startswith("<")]
        if len(strange) > 1 or not [t for t in content if t not in strange and t not in _back_nouns()]:
            continue  # a foreign word too many, or no word of the candidate's own ("what about the weather?")
        missing = [s.name for s in spec.slots if s.required and s.name not in values]
        yield Match(text=text, action=action_id, slots=values, confidence=0.6, missing=missing,
                    explain=match.explain)


_ABOUT = lazy(r"^\s*(?:(?:and|but|ok(?:ay)?|now|so|then|hmm+|also)[\s,]+)*(?:(?:what|how)\s+about|same\s+for|"
                    r"and\s+for|now\s+for|then\s+for|try|and|now)\s+(?:for\s+|with\s+)?(?P<v>.+?)\s*[?.!]*\s*$", re.I)


def _free_text_follow(resolver, spec, last: Turn, match: Match, text: str) -> Match | None:
    """ "what about viral pneumonia" after a look-up of one free-text value: the words after the follow-up
    lead replace it, when the classifier still places the words near the last action (and not nearer
    the out-of-scope examples: "what about the weather?" stays refused)."""
    required = [s for s in spec.slots if s.required]
    if len(required) != 1 or not _free_text(required[0]):
        return None
    lexicon = getattr(resolver, "lexicon", None)
    kind = lexicon.kind(required[0].kind) if lexicon is not None else None
    if required[0].kind not in ("text", None) and (kind is None or kind.base != "text"):
        return None
    top = [t for t in (match.explain or {}).get("top") or () if t.get("score", 0) >= _CANDIDATE_MIN]
    if not top or top[0]["action"] != spec.id:
        return None
    m = _ABOUT.match(text)
    if not m:
        return None
    value = m.group("v").strip()
    for rx in getattr(kind, "strip", ()) or ():
        value = re.sub(rx, "", value, flags=re.I).strip()
    if not re.search(r"[A-Za-z]{3}", value) or value.lower() in ("it", "that", "this", "them", "those"):
        return None
    merged = _merge(spec, last, match, {required[0].name: value})
    merged.explain = dict(match.explain or {}, followup=f"a new {required[0].name} for {spec.id}")
    return merged


def _option_of_last(resolver, specs, last: Turn, match: Match, text: str) -> Match | None:
    """ "use ideal body weight, he's 175 cm" after a creatinine clearance names another action (body
    weight) but cannot run it on its own words, while it sets an option of the last action to another
    of its choices: it changes the last request."""
    spec = specs[last.action]
    values, reasons = resolver.fill_for(last.action, text)
    options = [k for k, v in values.items() if spec.slot(k) is not None and not spec.slot(k).required
               and spec.slot(k).choices and v != last.params.get(k, spec.slot(k).default)]
    if not options or not values_about(resolver, specs, last.action, text, values, False):
        return None
    merged = _merge(spec, last, match, values)
    merged.explain = dict(match.explain or {}, followup=f"an option of {last.action}", slots=reasons)
    return merged


def _no_repaired_system(resolver, match: Match, text: str) -> Match:
    """In the middle of work, a system action decided by a word the spelling repair changed ("and the plain
    monthly payment?" read as "plan") is the repair's mistake: the words are read again without it."""
    repairs = (match.explain or {}).get("typo_repairs") or {}
    if not (match.action or "").startswith("system.") or not repairs:
        return match
    bare = text
    for wrong in repairs:
        bare = re.sub(rf"\b{re.escape(wrong)}\b", " ", bare, flags=re.I)
    again = resolver.resolve(" ".join(bare.split()))
    if (again.action or "").startswith("system."):
        return match
    return dataclasses.replace(again, text=text)


def values_about(resolver, specs, action_id: str, text: str, values: dict, new_words_ok: bool) -> bool:
    """Whether the values the words give for an action are about it: the other words are its own or
    follow-up words. "book me a table for two" holds a number, but it is not about a loan; with
    `new_words_ok`, a free-text value's own words ("what about viral pneumonia") do not count against it."""
    strange, bare = resolver.foreign_words(action_id, text)
    strange = [w for w in strange if w not in _back_nouns()]  # "a one-way version", "the same file"
    if not (len(strange) > 1 or (strange and bare)):
        return True
    return new_words_ok and any(_free_text(specs[action_id].slot(k)) for k in values)


def _free_text(slot) -> bool:
    return slot is not None and slot.type == "string" and not slot.choices and slot.kind not in (
        "date", "currency", "choice", "boolean") + _DOCUMENT_KINDS


def _merge(spec, last: Turn, match: Match, new_values: dict[str, Any]) -> Match:
    from intents import conversation_edits

    params = {k: v for k, v in last.params.items() if spec.slot(k) is not None}
    new_values = dict(new_values)
    conversation_edits.widen_lists(spec, params, match.text, new_values)  # "also card numbers"
    conversation_edits.keep_year(spec, params, match.text, new_values)  # "served March 5" keeps its year
    for name in pending_from_result(spec, spec, match.text):  # "and 14 days after that date"
        got = result_value(spec, last, spec.slot(name))
        if got is not None and name not in new_values:
            new_values[name] = got[1]
    params.update(new_values)
    missing = [s.name for s in spec.slots if s.required and s.name not in params]
    return dataclasses.replace(
        match, action=spec.id, slots=params, missing=missing, follows=last.id, changed=sorted(new_values),
        confidence=max(match.confidence if match.action == spec.id else 0.0, 0.9),
        alternatives=[a for a in match.alternatives if a.action != spec.id],
    )


def inherit(specs, last: Turn, match: Match, lexicon=None) -> Match:
    """A step of a compound request takes what it lacks from the step before it."""
    return _inherit(specs, last, match, said=False, lexicon=lexicon)


def _inherit(specs, last: Turn, match: Match, said: bool, lexicon=None) -> Match:
    """Another action: what it lacks comes from the last turn. In order: a result field the words name
    ("convert the total interest to EUR"), the last values by slot name, the last result for "that"/"it"
    (its headline figure, its date, the file it wrote), then by kind where exactly one last value has it."""
    spec = specs[match.action]
    if not match.missing:
        return match if not said else dataclasses.replace(match, follows=last.id, changed=sorted(match.slots))
    prev = specs[last.action]
    values = dict(match.slots)
    carried: dict[str, str] = {}
    named = _named_field(prev, last, match.text, spec, match)
    # "that same amount", "at the same rate": the values said before, not the result
    pointed = bool(_THAT.search(match.text)) and not _SAME.search(match.text)
    artifact = bool(_ARTIFACT.search(match.text)) and bool(prev.render.document)
    waiting = set(pending_from_result(spec, prev, match.text))  # "from that due date", "redact it"
    used_result = False
    for name in list(match.missing):
        slot = spec.slot(name)
        if slot is None:
            continue
        if named is not None and not used_result and _numeric(slot):
            used_result = True
            if last.result is None:
                continue  # named, but not there yet: the chain fills it when the step before has run
            values[name] = _in_unit(lexicon, slot, last.result[named], _result_unit(last.result, named))
            carried[name] = f"the last result's {named}"
            continue
        if artifact and slot.kind in _DOCUMENT_KINDS and not used_result:
            got = result_value(prev, last, slot)  # "summarize the redacted version": the file it wrote
            if got is not None:
                values[name] = got[1]
                carried[name] = f"the last result's {got[0]}"
                used_result = True
                continue
            if last.result is None:
                continue  # a later step of a chain: the file is not written yet
        if name in waiting:
            if last.result is None:
                continue  # "14 court days from that due date": the date the step before will give
            got = result_value(prev, last, slot)
            if got is not None:
                values[name] = got[1]
                carried[name] = f"the last result's {got[0]}"
                used_result = True
                continue
        if name in last.params and last.params[name] is not None:
            values[name] = last.params[name]
            carried[name] = f"{last.action}'s {name}"
            continue
        if pointed and not used_result and _takes_result(slot, prev):
            got = result_value(prev, last, slot)
            if got is not None:
                values[name] = _in_unit(lexicon, slot, got[1], _result_unit(last.result, got[0]))
                carried[name] = f"the last result's {got[0]}"
                used_result = True  # "that" is one thing
                continue
            if last.result is None:
                continue  # "it" is a result not there yet (a later step of a chain): never a guess
        same_kind = [s for s in prev.slots if s.kind and s.kind == slot.kind and s.unit == slot.unit
                     and last.params.get(s.name) is not None]
        if len(same_kind) > 1:  # an optional value left at its default ("current savings 0") was not said
            same_kind = [s for s in same_kind if s.required or last.params.get(s.name) != s.default]
        if len(same_kind) == 1:
            values[name] = last.params[same_kind[0].name]
            carried[name] = f"{last.action}'s {same_kind[0].name}"
            continue
        # a value given with the unit it is in ("creatinine 1.4 mg/dL to umol/L"): the one numeric value of
        # the last request whose unit the slot's kind converts
        given = _unit_given(lexicon, slot, prev, last) if _numeric(slot) else None
        if given is not None:
            values[name] = given[1]
            carried[name] = f"{last.action}'s {given[0]}"
            continue
    # optional slots of the same name carry too ("and his creatinine clearance" keeps the sex said)
    for slot in spec.slots:
        if slot.name not in values and not slot.required and slot.name in last.params and \
                prev.slot(slot.name) is not None and last.params[slot.name] != prev.slot(slot.name).default:
            values[slot.name] = last.params[slot.name]
            carried[slot.name] = f"{last.action}'s {slot.name}"
    if not carried:
        return match
    _home_currency(spec, prev, last, values, carried)
    missing = [s.name for s in spec.slots if s.required and s.name not in values]
    explain = dict(match.explain or {}, carried=carried)
    return dataclasses.replace(match, slots=values, missing=missing, follows=last.id,
                               changed=sorted(match.slots), explain=explain)


def _result_unit(result: dict | None, field: str) -> str | None:
    """The unit a result field is in, when the result says it: "<field>_unit", the field's name with
    "value" as "unit" ("from_value" -> "from_unit"), or "unit" beside the headline."""
    if not result:
        return None
    stem = field.rsplit("_", 1)[0] if "_" in field else field
    for name in (f"{field}_unit", field.replace("value", "unit"), f"{stem}_unit", "unit"):
        if name != field and isinstance(result.get(name), str):
            return result[name]
    return None


def _in_unit(lexicon, slot, value, unit: str | None):
    """A carried number in the slot's unit: 123.8 umol/L of creatinine is 1.4 for a slot in mg/dL. Values
    whose unit the slot's kind does not know are carried as they are."""
    kind = lexicon.kind(slot.kind) if lexicon is not None and slot.kind and unit else None
    if kind is None or not kind.units or not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    from intents.kinds import canonical_unit

    found = canonical_unit(kind, unit)
    if found is None:
        return value
    return round(value * found[1], 4)


def _unit_given(lexicon, slot, prev, last: Turn):
    """(slot name, value in `slot`'s unit) for the one number the last request gave with a unit slot beside
    it that `slot`'s kind knows, else None."""
    kind = lexicon.kind(slot.kind) if lexicon is not None and slot.kind else None
    if kind is None or not kind.units:
        return None
    from intents.kinds import canonical_unit

    units = [last.params.get(s.name) for s in prev.slots if isinstance(last.params.get(s.name), str)
             and canonical_unit(kind, last.params[s.name]) is not None and _is_unit_slot(lexicon, s)]
    numbers = [s for s in prev.slots if _numeric(s) and isinstance(last.params.get(s.name), (int, float))
               and not isinstance(last.params.get(s.name), bool)]
    if len(units) != 1 or len(numbers) != 1:
        return None
    return numbers[0].name, _in_unit(lexicon, slot, last.params[numbers[0].name], units[0])


def _is_unit_slot(lexicon, slot) -> bool:
    kind = lexicon.kind(slot.kind) if lexicon is not None and slot.kind else None
    return slot.kind == "unit" or (kind is not None and kind.base == "unit")


_DOCUMENT_KINDS = ("source", "document", "path")
_UNIT_WORDS = {"kg", "pct", "mg", "ml", "min", "m2", "ms", "cm", "dl", "bpm", "mmol", "umol", "text"}


def _numeric(slot) -> bool:
    return slot.type in ("number", "integer")


def _takes_result(slot, prev) -> bool:
    """Whether a slot could be filled from the last result at all (by its type)."""
    return _numeric(slot) or slot.kind == "date" or (slot.kind in _DOCUMENT_KINDS and bool(prev.render.document))


def result_value(prev, last: Turn, slot):
    """(field, value) of the last result that "that"/"it" gives a slot: the headline figure for a number,
    the result's date for a date, the file it wrote for a document; None when it has none."""
    if not last.result:
        return None
    render = prev.render
    if slot.kind in _DOCUMENT_KINDS:
        field = render.document
        value = last.result.get(field) if field else None
        return (field, value) if isinstance(value, str) and value else None
    if slot.kind == "date":
        fields = ([render.headline] if render.headline_format == "date" and render.headline else []) + \
            [f for f in prev.result_fields if f.endswith("date")]
        for f in fields:
            value = last.result.get(f)
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return f, value
        return None
    if _numeric(slot):
        headline = _headline(prev, last)
        if headline is not None and _fits_headline(slot, headline[1]):
            return headline[0], headline[2]
    return None


def _named_field(prev, last: Turn, text: str, spec=None, match: Match | None = None) -> str | None:
    """The numeric result field the words name ("the total interest", "the interest earned", "the IBW",
    "the payment"): the field most of whose name (less its unit), or of its declared label, is said, when
    no other ties with it. Words that name the new action itself (`spec`: "the payment with an extra
    100/month" asks for a loan payment) or a choice the new words set ("crcl on adjusted weight" sets
    the weight basis) name no field."""
    said = set(re.findall(r"[a-z0-9]+", text.lower()))
    if spec is not None:
        said -= set(re.findall(r"[a-z0-9]+", spec.id.split(".", 1)[-1].lower()))
        # and words of its own result ("just give me the monthly payment and total interest then")
        said -= {w for f in spec.result_fields if f not in prev.result_fields for w in f.lower().split("_")}
        said -= {w for f in spec.result_fields if f in prev.result_fields and spec.id != prev.id
                 for w in f.lower().split("_")}
        for slot in spec.slots:
            value = (match.slots.get(slot.name) if match is not None else None)
            if isinstance(value, str) and (slot.choices or slot.kind == "choice"):
                said -= set(re.findall(r"[a-z0-9]+", value.lower()))
    labels = prev.render.labels or {}
    scored = []
    # before the result exists (a later step of a chain) its fields are known by name from the spec
    fields = last.result.items() if last.result else ((f, 0.0) for f in prev.result_fields)
    for f, v in fields:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        best = None
        for name in [f.lower().replace("_", " ")] + ([labels[f].lower()] if f in labels else []):
            words = [w for w in re.findall(r"[a-z0-9]+", name) if w not in _UNIT_WORDS]
            hit = sum(1 for w in words if w in said)
            if hit and words and (best is None or (hit, hit / len(words)) > best[:2]):
                best = (hit, hit / len(words), f)
        if best:
            scored.append(best)
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[1][:2] == scored[0][:2]):
        return None
    return scored[0][2]


def pending_from_result(spec, prev, text: str) -> list[str]:
    """For a request about the same action that points at the last result ("14 days after that date",
    "redact it"): the slots the result, not the last values, fills."""
    out = []
    for slot in spec.slots:
        if slot.kind == "date" and (prev.render.headline_format == "date"):
            out.append(slot.name)
        elif slot.kind in _DOCUMENT_KINDS and prev.render.document:
            out.append(slot.name)
    if not out or not _RESULT_NOUN.search(text):  # (the pattern is compiled only when it can matter)
        return []
    return out[:1]


def _home_currency(spec, prev, last: Turn, values: dict, carried: dict) -> None:
    """An amount carried from a result is in the last action's currency: the one it was given, else the
    user's home currency (INTENT_CURRENCY, else the locale's territory), so "convert that to euros" after a
    loan payment converts from the currency the loan was in."""
    if not any(spec.slot(n) is not None and spec.slot(n).kind == "money" for n in carried):
        return
    wanted = [s for s in spec.slots if s.required and s.kind == "currency" and s.name not in values]
    if not wanted:
        return
    given = [last.params[s.name] for s in prev.slots if s.kind == "currency" and last.params.get(s.name)]
    code = given[0] if len(given) == 1 else home_currency()
    if code:
        values[wanted[0].name] = code
        carried[wanted[0].name] = "the carried amount's currency" if given else "your home currency (INTENT_CURRENCY)"


def home_currency() -> str | None:
    """The user's currency: INTENT_CURRENCY, else the currency of the locale's territory (en_GB -> GBP)."""
    import os

    code = os.environ.get("INTENT_CURRENCY", "").strip().upper()
    if re.fullmatch(r"[A-Z]{3}", code):
        return code
    for var in ("LC_ALL", "LC_MONETARY", "LANG"):
        loc = os.environ.get(var, "")
        m = re.match(r"[a-z]{2,3}_([A-Z]{2})", loc)
        if m:
            try:
                from babel.numbers import get_territory_currencies

                found = get_territory_currencies(m.group(1))
            except Exception:
                found = []
            if found:
                return found[0]
    return "USD"


def _headline(spec, last: Turn):
    """(field, format, value) of the last result's headline figure, when it is a finite number."""
    if not last.result:
        return None
    name = spec.render.headline
    candidates = [name] if name else []
    candidates += [f for f in spec.result_fields if f not in candidates]
    for f in candidates:
        v = last.result.get(f)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            fmt = spec.render.headline_format if f == name else "number"
            return f, fmt, v
    return None


def _fits_headline(slot, fmt: str) -> bool:
    if fmt == "money":
        return slot.kind in (None, "money", "number")
    if fmt == "percent":
        return slot.kind in (None, "percent", "number")
    return slot.kind in (None, "number") or slot.type in ("number", "integer")
