"""Compound requests: "X, then Y" and "X and Y" with two actions run both, in order.

A split is only ever taken when every part names an action of its own and neighbouring parts name
different ones, so "draft an NDA between Acme and Bob" or "loan of 300k and 6.5% over 30 years" stay one
request. Values said once for several actions at the end ("bmi and bsa for 80 kg, 180 cm") are shared
backwards: a step takes what it lacks from the words of the steps after it, never from those before it
(those belong to earlier actions, whose results carry forward instead: "..., then convert it to euros").
"""
from __future__ import annotations

import dataclasses
import re

from intents.resolver import Match

# "then" joins steps for sure; "and", "&" and "plus" only when both sides are whole requests (a bare comma
# never: "kidney function for a 50 yo man, creatinine 1.3" is one request)
_THEN = re.compile(r"\s*(?:[,;.]\s*|\s)(?:and\s+then|then|after\s+that|afterwards|next)\s*[,:]?\s+|\s*;\s*", re.I)
# the same without "after that", which may instead qualify what follows ("9 court days after that due date")
_THEN_FIRM = re.compile(r"\s*(?:[,;.]\s*|\s)(?:and\s+then|then|afterwards|next)\s*[,:]?\s+|\s*;\s*", re.I)
_AND = re.compile(r",?\s+(?:and|plus|&)\s+", re.I)
MAX_STEPS = 4
_STEP_SURE = 0.6  # each part of a "then" must name its action at least this surely ...
_AND_SURE = 0.8  # ... and of an "and", where a wrong split costs more


def may_be(text: str) -> bool:
    """Cheap test: is there a joint at which the text could be two requests?"""
    if len(text) > 600:
        return False
    if _THEN.search(text) or _AND.search(text):
        return True
    if "," not in text:
        return False
    from intents.conversation import pointed

    return pointed(text)  # "..., convert it to CAD": a comma before words about the result


def split(resolver, specs, text: str) -> list[Match] | None:
    """The steps of a compound request, or None when the text is one request. Each step is resolved on
    its own words, takes values said after it that it lacks, and what it still lacks from the step before
    it (its values now; its result, for "it"/"that", when the chain runs)."""
    if len(text) > 600:
        return None  # a pasted document is one request, whatever its sentences say
    tried = []
    for joints in (_THEN, _THEN_FIRM):
        parts = [p for p in joints.split(text) if p and p.strip()]
        for parts in (_at_pointed_commas(resolver, parts), parts):  # (more steps first: the cut is tested by _chain)
            if 1 < len(parts) <= MAX_STEPS and parts not in tried:
                tried.append(parts)
                steps = _chain(resolver, specs, parts, strict=False)
                if steps:
                    return steps
    listed = _listed(resolver, text)
    if listed is not None:  # "bmi, bsa and ideal body weight for a woman, 165 cm, 70 kg"
        steps = _chain(resolver, specs, listed, strict=True)
        if steps:
            return steps
    found = None
    for m in _AND.finditer(text):
        steps = _chain(resolver, specs, [text[: m.start()], text[m.end():]], strict=True)
        if steps:
            if found is None:
                found = steps
            # "redact ssns and card numbers from a.docx and extract ...": of several "and"s, the one after a
            # request whole on its own words, rather than one that splits a list and lends it the rest
            if not resolver.resolve(text[: m.start()]).missing:
                return steps
    if found is not None:
        return found
    if _COMMA.search(text):  # "payment on 300k ..., convert it to CAD": a comma before words about the result
        parts = _at_pointed_commas(resolver, [text])
        if 1 < len(parts) <= MAX_STEPS and parts not in tried:
            return _chain(resolver, specs, parts, strict=False)
    return None


def _listed(resolver, text: str) -> list[str] | None:
    """ "A, B and C for <values>": the pieces before the last "and" cut at their commas, when each of them
    is only the name of a request, with no value (the values said once at the end are shared backwards);
    None when the words are no such list."""
    ands = list(_AND.finditer(text))
    if not ands or "," not in text[: ands[-1].start()]:
        return None
    m = ands[-1]
    pieces = [p.strip() for p in re.split(r"\s*,\s*", text[: m.start()])]
    if not 2 <= len(pieces) < MAX_STEPS or any(not p for p in pieces):
        return None
    lexicon = getattr(resolver, "lexicon", None)
    if any(_words_only(p, lexicon) != " ".join(p.split()) for p in pieces):
        return None  # a value in a piece: a comma inside one request ("egfr for a man, creatinine 1.3 and ...")
    return pieces + [text[m.end():]]


# a comma (or ", and") before a piece that points at the result of what precedes it ("..., convert it to
# CAD, and then ..."): a joint only there, since a bare comma most often lists values of one request
_COMMA = re.compile(r",\s+(?:and\s+)?", re.I)


def _at_pointed_commas(resolver, parts: list[str]) -> list[str]:
    """`parts`, each cut again at the commas whose following piece points at a result ("convert it to CAD",
    "what's that in yen"): a value ("creatinine 1.3") or a name never does, so those commas stay; nor
    does a piece that gives values to the request before it ("..., make it 3 years" changes that one)."""
    from intents.conversation import pointed

    out = []
    for part in parts:
        pieces = _COMMA.split(part)
        if len(pieces) < 2:
            out.append(part)
            continue
        current = pieces[0]
        for piece in pieces[1:]:
            if pointed(piece) and re.search(r"[a-z]{3}", current, re.I) and not _changes(resolver, current, piece):
                out.append(current)
                current = piece
            else:  # (the comma is kept as it was said: the piece belongs to the words before it)
                current = f"{current}, {piece}"
        out.append(current)
    return out


def _changes(resolver, before: str, piece: str) -> bool:
    """Whether `piece` gives a value to the action the words `before` it ask for."""
    m = resolver.resolve(before)
    if m.action is None:
        return True  # nothing whole before it: no step to cut off
    values, _ = resolver.fill_for(m.action, piece)
    return bool(values)


def _chain(resolver, specs, parts: list[str], strict: bool) -> list[Match] | None:
    from intents.conversation import Turn, by_result_word, candidates, inherit, pointed, result_fills, waits_on_result

    sure = _AND_SURE if strict else _STEP_SURE
    steps: list[Match] = []
    parts = [p.strip() for p in parts]
    for i, part in enumerate(parts):
        m = _unrepaired(resolver, resolver.resolve(part), part)
        prev = steps[-1] if steps else None
        if prev is not None and m.action == prev.action:
            other = by_result_word(resolver, specs, prev.action, part)  # "..., then the payment at that apr"
            if other is not None:
                m = other
        if prev is None and m.action is not None and not m.missing and m.confidence < sure and \
                not m.action.startswith("system.") and waits_on_result(specs, m.action, parts[1]):
            # "what's the monthly on 420k ... and convert it to GBP": a first part whole on its own words
            # (the resolver took it), followed by words about its result, is a step however plainly it
            # names its action; the later part must still name its own surely
            m = dataclasses.replace(m, confidence=sure)
        # the strict test (the words alone name the action) is for a later part that is not whole on its
        # own, the kind that may be only the first part's values ("... and creatinine 1.3")
        # a later part about the step before's result ("and convert it to GBP", "then give it to me in
        # euros", "and the total paid in euros"): the result gives what it lacks, so its own words need only
        # not be foreign to it, where the words naming that result's fields are no one's own
        about = prev is not None and m.action is not None and m.action != prev.action and \
            not m.action.startswith("system.") and m.confidence >= sure and waits_on_result(specs, prev.action, part)
        named = _names_action(resolver, m, part, sure, strict and prev is not None and bool(m.missing) and not about,
                              first=prev is None, about=specs.get(prev.action) if about else None)
        if m.action is None and prev is not None and pointed(part):
            # "..., after that summarize the redacted file": refused alone for want of values, which the
            # step before gives (its result, once it has run)
            found = next(candidates(resolver, specs, prev.action, m, part), None)
            if found is not None:
                m, named = found, True
        if prev is not None and named and m.action == prev.action and not m.missing and not prev.missing and \
                any(prev.slots.get(k) != v for k, v in m.slots.items()):
            pass  # the same action again, whole and with other values: "icd10 for x; icd10 for y"
        elif prev is not None and (not named or m.action == prev.action):
            again = _again(resolver, specs, prev, part, then=not strict)
            if again is not None:
                m, named = again, True
            elif m.action == prev.action:
                return None  # the same action again, with nothing new: one request
        if not named or m.action.startswith("system."):
            return None  # "help, then ..." is a question about the terminal, not a chain of work
        steps.append(m)
    for i, m in enumerate(steps):  # values said once for several actions, at the end, are shared
        if m.missing and i + 1 < len(parts):
            values, _ = resolver.fill_for(m.action, " ".join(parts[i + 1:]))
            taken = {k: v for k, v in values.items() if k in m.missing}
            if taken:
                steps[i] = dataclasses.replace(m, slots=dict(m.slots, **taken),
                                               missing=[n for n in m.missing if n not in taken])
    for i in range(1, len(steps)):  # what a later step lacks, the one before it gave
        prev = steps[i - 1]
        steps[i] = dataclasses.replace(inherit(specs, Turn(None, prev.action, prev.slots), steps[i],
                                               getattr(resolver, "lexicon", None)), follows=None)
        for earlier in reversed(steps[: i - 1]):
            # "loan ..., convert it to CAD, and then show the amortization": what the step before (a
            # conversion) cannot give, an earlier step may, by name: the newest that has it
            if not steps[i].missing or waits_on_result(specs, prev.action, parts[i]):
                break
            got = inherit(specs, Turn(None, earlier.action, earlier.slots), steps[i], getattr(resolver, "lexicon", None))
            if len(got.missing) < len(steps[i].missing):
                steps[i] = dataclasses.replace(got, follows=None)
    if any(m.missing and not (i and waits_on_result(specs, steps[i - 1].action, parts[i])
                              and result_fills(specs, steps[i - 1].action, m))
           for i, m in enumerate(steps)):
        # every step must be whole (or wait on the step before it for "it"): "egfr, 70 year old man and
        # creatinine 1.4" or "costs 50,000 up front and then returns 12,000, 15,000 ..." are one request
        return None
    return steps


def _unrepaired(resolver, m: Match, part: str) -> Match:
    """A part the spelling repair turned into a terminal command or into nothing ("then the plain payment",
    "plain" read as "plan"): read again without the repaired word, when that names an action of the work."""
    repairs = (m.explain or {}).get("typo_repairs") or {}
    if not repairs or (m.action is not None and not m.action.startswith("system.")):
        return m
    bare = part
    for wrong in repairs:
        bare = re.sub(rf"\b{re.escape(wrong)}\b", " ", bare, flags=re.I)
    again = resolver.resolve(" ".join(bare.split()))
    if again.action is None or again.action.startswith("system."):
        return m
    return dataclasses.replace(again, text=part)


def _names_action(resolver, m: Match, part: str, sure: float, strict: bool, first: bool = False,
                  about=None) -> bool:
    """Whether a part asks for its action in words of its own, not only values: for "and" the words
    alone must name it; for "then" one of them must be the action's own. With `about` (the spec of the
    step before, whose result the part takes), words naming that result's fields are not foreign, and a
    part that points at it ("give it to me in euros") needs no other word."""
    if m.action is None or m.confidence < sure:
        return False
    bare = _words_only(part, getattr(resolver, "lexicon", None))
    if strict:
        alone = resolver.resolve(bare)
        return alone.action == m.action and alone.confidence >= sure
    strange, _ = resolver.foreign_words(m.action, bare)
    from intents.resolver import text as words

    lex = getattr(resolver, "lexicon", None)
    content = [t for t in words.tokens(bare, lex.text_words if lex is not None else None) if not t.startswith("<")]
    if about is not None:
        from intents.conversation import _field_words, pointed

        fields = _field_words(about)
        strange = [w for w in strange if w not in fields]
        if not content:
            return pointed(part) and bare != " ".join(part.split())  # "it" and a value of its own
    if not content:
        return first  # values alone ("21 days from 2025-09-02") name an action only as the first request
    return len(strange) < len(content)


def _again(resolver, specs, prev: Match, part: str, then: bool = False) -> Match | None:
    """A part that repeats the step before it with other values ("payment on 220k at 5.9% for 15 yrs and
    for 30 yrs", "qtc with bazett, and then fridericia"): only when that step was whole and the part
    changes a value it was given."""
    from intents.conversation import pending_from_result, pointed, values_about

    # a step before that waits on its own step before ("..., then 10 days after that date, then 5 days after
    # that date") is repeated only by words that point at its result too
    if prev.missing and not (then and pointed(part)):
        return None

    values, _ = resolver.fill_for(prev.action, part)
    if not values or not values_about(resolver, specs, prev.action, part, values, new_words_ok=True):
        return None
    spec = specs[prev.action]
    # a value it changes: one it was given, or after "then" a default it ran with ("then a one-way
    # version"; "... and put it on my calendar" is one request with an option)
    if not any(prev.slots.get(k, getattr(spec.slot(k), "default", None)) != v for k, v in values.items()
               if k in prev.slots or (then and spec.slot(k) is not None and not spec.slot(k).required)):
        return None
    slots = dict(prev.slots, **values)
    for name in pending_from_result(spec, spec, part):  # "then 14 court days from that due date"
        if name not in values:
            slots.pop(name, None)
    missing = [s.name for s in spec.slots if s.required and s.name not in slots]
    return Match(text=part, action=prev.action, slots=slots, confidence=prev.confidence, missing=missing,
                 changed=sorted(values))


def _words_only(part: str, lexicon=None) -> str:
    """The part without the values in it: what is left must still name the action ("irr of ..."), not
    merely describe values ("weight 160 lbs, height 5 foot 8" is the rest of a BSA request)."""
    from intents.resolver import entities

    tagged = entities.tag(part, lexicon=lexicon)  # the catalog's kinds: a pack's units are values too
    out, pos = [], 0
    for e in sorted(tagged.entities, key=lambda e: e.start):
        if e.start >= pos:
            out.append(tagged.text[pos:e.start])
            pos = e.end
    out.append(tagged.text[pos:])
    return " ".join(" ".join(out).split())
