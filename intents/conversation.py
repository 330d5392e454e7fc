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
from typing import Any

from intents.resolver import Match
from intents.resolver.lazyre import lazy, lazy_words

# Words that tie a request to the turn before it. They never decide an action by themselves; they only
# say "the last one" when the new words alone leave something open.
_REFERS = lazy_words(r"\b(?:", (
    "that", "it", "this", "those", "them", "these", "same", "his", "her", "hers", "him", "he", "she", "they", "their",
    "instead", "again", "too", "also", "previous", r"last\s+one", r"the\s+result", r"the\s+answer", "matching",
    "similar", "another", r"one\s+more"), r")\b", re.I)
_THEN_END = lazy(r"\bthen\s*[?.!]*\s*$", re.I)
_CONTINUES = lazy_words(r"^\s*(?:", (
    "and", "but", "now", "no", "nope", "sorry", "actually", "oops", "wait", "then", "also", "ok(?:ay)?", "so",
    r"what\s+about", r"how\s+about", r"scratch\s+that", "correction", r"my\s+(?:bad|mistake)", r"hold\s+on",
    r"i\s+meant", r"i\s+mean", "rather", r"what\s+if", r"make\s+it", r"change\s+(?:it|that|the)", "instead", "same",
    "try", "with", "at", "for", "over", "in"), r")\b", re.I)
# "that"/"it" point at the last result's figure; a pronoun for a person ("his") only at the values
_THAT = lazy_words(r"\b(?:", (
    "that", "it", "this", r"the\s+result", r"the\s+answer", r"the\s+figure", r"the\s+amount",
    r"the\s+(?:\w+\s+)?(?:file|document|draft|copy|version|output)"), r")\b", re.I)
# within the same action, only words that name the result's date or file point at it ("make it calendar
# days" is about the request; "14 days after that date", "summarize the redacted version" are not)
# ("the 30 day version" is a request with 30 days: a number is no word naming the result)
_RESULT_NOUN = lazy(r"\b(?:that|the|this|its)\s+(?!same\b)(?:(?!\d)\w+\s+)?(?:date|day|deadline|file|document|draft|copy|"
                    r"version|output)\b|\b(?:from|after|before|since)\s+(?:that|it|then)\b(?!\s+same\b)", re.I)
# words that announce a new matter; with every value said, the request starts afresh
_AFRESH = lazy(r"\b(?:new|separate|different|unrelated|fresh|brand[\s-]new|another\s+(?:matter|patient|client|case))\b", re.I)
_SAME = lazy(r"\bsame\b", re.I)
# words for the file an action wrote, as opposed to the one it read ("the draft", "the generated file"); a
# participle of the last action's own name ("the redacted file", "the watermarked one") too: _artifact
_ARTIFACT = lazy(r"\b(?:the|that|this|its)\s+(?:\w+\s+)?(?:draft|copy|version|output)\b|"
                 r"\b(?:generated|resulting|new|output)\s+(?:file|document|one|text)\b", re.I)
_MADE = lazy(r"\b([a-z]+)\s+(?:file|document|one|text|pdf|copy|version)\b", re.I)
_SAME_ACTION_SURE = 0.85  # a named other action at or above this is a request for that action


_NEW_DICT: Any = object()  # Turn's default params: a new dict for each turn


class Turn:
    """What the last run was: enough to continue it.

    `earlier`: when it was the last step of a compound request, the steps before it (a list of Turns, or a
    callable that reads them only when needed), so "and 15 years" after "payment ..., then convert it to
    euros" can continue the step whose values the words change. (A plain class: a dataclass would build
    its methods with exec() at every cold `-c`, ~0.4 ms.)"""

    __slots__ = ("id", "action", "params", "result", "text", "earlier")

    def __init__(self, id: int | None, action: str, params: dict[str, Any] = _NEW_DICT,
                 result: dict[str, Any] | None = None, text: str = "", earlier: Any = None) -> None:
        self.id, self.action, self.result, self.text, self.earlier = id, action, result, text, earlier
        self.params = {} if params is _NEW_DICT else params

    def _key(self):
        return (self.id, self.action, self.params, self.result, self.text, self.earlier)

    def __eq__(self, other):
        return self._key() == other._key() if type(other) is Turn else NotImplemented

    __hash__ = None  # (as a dataclass with eq: mutable, unhashable)

    def __repr__(self) -> str:
        return (f"Turn(id={self.id!r}, action={self.action!r}, params={self.params!r}, result={self.result!r}, "
                f"text={self.text!r}, earlier={self.earlier!r})")


def pointed(text: str) -> bool:
    """Whether the words point at the last result ("convert it", "from that date", "redact the draft")."""
    return bool(_THAT.search(text))


def _artifact(prev, text: str) -> bool:
    """Whether the words name the file `prev` wrote rather than the one it read: "the draft", "the
    generated file", or a participle of its own name before a file word ("the redacted file" after a
    redaction, "the stamped pdf" after a pack's `stamp` action)."""
    return bool(_ARTIFACT.search(text)) or bool(_participles(prev, text)) or bool(_made_words(prev, text))


_DETERMINED = lazy(r"\b(?:the|that|this|its|your|my)\s+([a-z]+)\b", re.I)


def _made_words(prev, text: str) -> list[str]:
    """ "summarize that nda", "redact the nda you just drafted" after drafting one: a noun of the last
    action's own name after a determiner names what it made (with the words of its name beside it); only
    for an action that writes a file."""
    if not prev.render.document:
        return []
    found = _DETERMINED.findall(text)
    if not found:
        return []
    from intents.resolver.text import stem

    names = {stem(w) for w in _name_words(prev.id.split(".", 1)[-1])}
    nouns = [w for w in found if stem(w.lower()) in names]
    if not nouns:
        return []
    return nouns + [w for w in re.findall(r"[A-Za-z]+", text) if w not in nouns and stem(w.lower()) in names]


def _participles(prev, text: str) -> list[str]:
    """The words of `text` that name `prev`'s output by its own name ("redacted" before "file")."""
    found = _MADE.findall(text)
    if not found:
        return []
    from intents.resolver.text import stem

    names = {stem(w) for w in _name_words(prev.id.split(".", 1)[-1])}
    return [w for w in found if w.lower().endswith(("ed", "en")) and stem(w.lower()) in names]


def _not_the_maker(resolver, specs, last: Turn, match: Match, text: str) -> Match:
    """ "how many words are in the stamped file?" after a `stamp`: the participle of the last action's
    name draws the classifier back to it, but it names what that action made. The words are read again
    without it; another action they then ask for is the request (which takes that file)."""
    spec = specs[last.action]
    if match.action != last.action or not spec.render.document:
        return match
    words = _participles(spec, text) or _made_words(spec, text)
    if not words:
        return match
    bare = text
    for w in words:
        bare = re.sub(rf"\b{re.escape(w)}\b", " ", bare)
    again = resolver.resolve(" ".join(bare.split()))
    if again.action is None:
        # refused without it for want of values ("summarize the copy"): what the refusal leans to is read
        # on as a candidate the last turn may complete, when that is another action
        top = [t["action"] for t in (again.explain or {}).get("top") or () if t.get("score", 0) >= _CANDIDATE_MIN]
        if top and top[0] != last.action and not top[0].startswith("system.") and top[0] in specs:
            return dataclasses.replace(again, text=text)
        return match
    if again.action == last.action or again.action.startswith("system.") or again.confidence < 0.5:
        return match
    return dataclasses.replace(again, text=text)


def waits_on_result(specs, prev_action: str, text: str) -> bool:
    """Whether a later step's words take something from the result of the step before it ("convert it",
    "convert the payment to GBP", "dose 6 mg/kg using the IBW"), so what it lacks comes when that has run."""
    if pointed(text):
        return True
    prev = specs.get(prev_action)
    return prev is not None and _named_field(prev, Turn(None, prev_action), text) is not None


def result_fills(specs, prev_action: str, match: Match) -> bool:
    """Whether the result of `prev_action` can give what `match` still lacks: one thing (its figure, its
    date or the file it wrote), so one missing slot of a type a result fills ("count the words in the
    redacted file" is no deadline waiting on a redaction: a deadline lacks a date and a number of days)."""
    prev, spec = specs.get(prev_action), specs.get(match.action)
    if prev is None or spec is None:
        return False
    slots = [spec.slot(n) for n in match.missing]
    if any(s is None for s in slots):
        return False
    # (the currency an amount is in comes with it: the result's, or the home currency; see _home_currency)
    rest = [s for s in slots if s.kind != "currency"]
    return len(rest) <= 1 and all(_takes_result(s, prev) for s in rest) and \
        (len(rest) == 1 or len(slots) == len(rest))


def continue_match(resolver, specs, last: Turn | None, text: str, match: Match | None = None) -> Match:
    """The match for `text` as a follow-up of `last` where it is one, else the plain match.

    `resolver` must offer `resolve(text)` and `fill_for(action_id, text) -> (values, reasons)`; `specs`
    maps action ids to ActionSpecs. The returned match has `follows` (the turn's id) and `changed`
    (the slot names the new words set) when it continues the turn.
    """
    match = match if match is not None else resolver.resolve(text)
    if last is None or last.action not in specs:
        return match
    resolver = _Once(resolver)  # the readings below ask the same questions of the same words more than once
    match = _not_the_maker(resolver, specs, last, _no_repaired_system(resolver, match, text), text)
    step = _earlier_step(resolver, specs, last, match, text)
    if step is not None:
        return continue_match(resolver, specs, step, text, match)
    said = bool(_REFERS.search(text) or _THEN_END.search(text) or _CONTINUES.search(text))
    if match.action == last.action and match.slots:
        other = by_result_word(resolver, specs, last.action, text)  # "... at that apr" after an APR
        if other is not None:
            got = _inherit(specs, last, other, said=True, lexicon=getattr(resolver, "lexicon", None))
            if not got.missing and got.follows is not None:
                return dataclasses.replace(got, explain=dict(got.explain or {},
                                                             followup=f"{got.action} on {last.action}'s result"))
    if match.action in (None, last.action) or match.confidence < _SAME_ACTION_SURE or \
            _edit_of_the_last(resolver, specs, last, match, text):
        # "the last flow was 6500", "drops by half a point", "double it": changes to the last values
        from intents import conversation_edits

        changed = conversation_edits.edits(specs[last.action], last.params, text, getattr(resolver, "lexicon", None),
                                           relative_ok=lambda named: _about_a_change(resolver, specs, last, text, named))
        if changed:
            merged = _merge(specs[last.action], last, match, changed)
            merged.explain = dict(match.explain or {}, followup=f"changes to {last.action}'s values")
            return merged
    if match.action and match.action != last.action and not match.action.startswith("system."):
        kept = _still_the_last(resolver, specs, last, match, text)
        if kept is not None:
            return kept
    if (match.action or "").startswith("system.") and not last.action.startswith("system."):
        kept = _not_the_terminal(resolver, specs, last, match, text)
        if kept is not None:
            return kept
    if match.action is None:
        shown = _asks_a_result(resolver, specs, last, match, text)  # "and what's the total paid then?"
        if shown is not None:
            return dataclasses.replace(shown, explain=dict(match.explain or {},
                                                           followup=f"{last.action}'s result again"))
    if match.action and match.action != last.action and match.confidence >= _SAME_ACTION_SURE:
        option = _option_of_last(resolver, specs, last, match, text) if match.missing else None
        return option or _inherit(specs, last, match, said, getattr(resolver, "lexicon", None))
    if match.action == last.action:
        if not match.missing and (not said or _AFRESH.search(text)):
            return match  # a complete new request for the same action ("also a separate NDA for ..."): afresh
        reasons = (match.explain or {}).get("slots") or {}
        values = _said_for(resolver, specs, specs[last.action], text, dict(match.slots), reasons, last)
        stray = bool(values) and _stray_numbers(specs[last.action], values, reasons)
        if not values or stray:
            # "and for hypertension", "what about type 1 diabetes" after a look-up: the action again, its
            # value in free text (a number inside it, with no cue word of its own, is part of it)
            found = _free_text_follow(resolver, specs[last.action], last, match, text, stray)
            if found is not None:
                return found
        return _merge(specs[last.action], last, match, values)
    # No action, or an unsure other one: do the words give values for the last action?
    values, reasons = resolver.fill_for(last.action, text)
    values = _said_for(resolver, specs, specs[last.action], text, values, reasons, last)
    if values and _stray_numbers(specs[last.action], values, reasons):
        found = _free_text_follow(resolver, specs[last.action], last, match, text, True)
        if found is not None:
            return found
    if values and not values_about(resolver, specs, last.action, text, values, bool(_CONTINUES.search(text))):
        values = {}
    if not values:
        if match.action and match.action != last.action and (said or match.confidence >= 0.6):
            return _inherit(specs, last, match, said, getattr(resolver, "lexicon", None))
        if said or pointed(text) or _participles(specs[last.action], text):  # "the redacted one"
            found = _carried_candidate(resolver, specs, last, match, text) or \
                _free_text_follow(resolver, specs[last.action], last, match, text) or \
                _sibling(resolver, specs, last, match, text)
            if found is not None:
                return found
        return match  # nothing of the last action in it: refused or answered on its own
    if match.action and not match.missing and not said and match.confidence >= 0.6:
        return match  # a complete request for something else, unsure but whole
    asked = _asks_other(resolver, specs, last, match, text)
    if asked is not None:
        return asked
    merged = _merge(specs[last.action], last, match, values)
    merged.explain = dict(match.explain or {}, followup=f"values for {last.action}", slots=reasons)
    return merged


_THAT_FIELD = lazy(r"\b(?:that|this|the\s+same|the|its)\s+([a-z]+(?:\s+[a-z]+)?)\b", re.I)


def by_result_word(resolver, specs, prev_action: str, text: str) -> Match | None:
    """ "the payment on 250k over 30 years at that apr" after an APR: "that apr" names the last result by
    its field, which draws the classifier back to the last action; without those words the request is for
    another action (which takes the figure, see _inherit). None when the words name no result field, or
    ask for no other action without them."""
    prev = specs.get(prev_action)
    if prev is None:
        return None
    if prev.render.document:  # "summarize the redacted copy": the participle of its name draws it back
        words = _participles(prev, text)
        if words:
            bare = text
            for w in words:
                bare = re.sub(rf"\b{re.escape(w)}\b", " ", bare)
            again = resolver.resolve(" ".join(bare.split()))
            if again.action not in (None, prev_action) and not again.action.startswith("system.") and \
                    again.action in specs and again.confidence >= 0.5:
                return dataclasses.replace(again, text=text)
            if again.action is None:  # refused for want of the file, which the last turn wrote
                found = next(candidates(resolver, specs, prev_action, again, text), None)
                if found is not None:
                    return found
    if "th" not in text.lower() and "its" not in text.lower():
        return None
    for m in _THAT_FIELD.finditer(text):
        words = m.group(1).lower().split()
        turn = Turn(None, prev_action)
        if _field_said(prev, turn, set(words)) is None:
            continue
        m_end = m.end()
        if len(words) == 2 and _field_said(prev, turn, {words[1]}) is None and \
                _field_said(prev, turn, {words[0]}) is not None:
            m_end = m.start(1) + len(words[0])  # "that rate over 4 years", "the npv to GBP": the first word
        # (read as "it": "convert the npv to GBP" is "convert it to GBP", to what it is in)
        bare = " ".join((text[:m.start()] + " it " + text[m_end:]).split())
        again = resolver.resolve(bare)
        if again.action is None or again.action == prev_action or again.action.startswith("system.") or \
                again.action not in specs or again.confidence < 0.5:
            continue
        return dataclasses.replace(again, text=text)
    return None


def _asks_a_result(resolver, specs, last: Turn, match: Match, text: str) -> Match | None:
    """ "and what's the total paid then?", "how much is the total interest?" after a loan payment, refused on
    their own words: they name a result field of the last action, give it no value, and hold no word
    foreign to it; the answer is the last request again (its result holds the figure). Not when the
    classifier leans to another action whose result has that field ("just the monthly payment" after an
    amortization asks for the payment alone)."""
    spec = specs[last.action]
    field = _named_field(spec, last, text) if spec.result_fields else None
    if field is None:
        return None
    for t in (match.explain or {}).get("top") or ():
        other = specs.get(t.get("action"))
        if t.get("score", 0) >= _CANDIDATE_MIN and other is not None and other.id != spec.id and \
                field in other.result_fields:
            return None
    values, _reasons = resolver.fill_for(last.action, text)
    if values:
        return None
    strange, _bare = resolver.foreign_words(last.action, text)
    back = _back_for(spec, getattr(resolver, "lexicon", None), text)
    if [w for w in strange if w not in back and w not in _correcting()]:
        return None
    return _merge(spec, last, Match(text=text, action=last.action, slots={}, confidence=0.9), {})


def _stray_numbers(spec, values: dict, reasons: dict) -> bool:
    """Whether the values are only numbers for optional slots, each read with no cue word of its own
    ("type 1 diabetes" gives a result limit 1), for an action that asks one free-text value: then the
    numbers are more likely words of that text than values."""
    required = [s for s in spec.slots if s.required]
    if len(required) != 1 or not _free_text(required[0]):
        return False
    for name in values:
        slot = spec.slot(name)
        if slot is None or slot.required or not _numeric(slot) or _cue_score(reasons.get(name)) >= 1.0:
            return False
    return bool(values)


def _about_a_change(resolver, specs, last: Turn, text: str, named: bool) -> bool:
    """Whether words that say a relative change ("10% more", "double it") are about the last request:
    "my rent is 10% more this year" or "twice as many people came" say a change of something else. Words
    that name the slot they change may hold one word of their own ("put in 5k more up front"); words
    that name none may hold none."""
    from intents import conversation_edits

    back = _back_for(specs[last.action], getattr(resolver, "lexicon", None), text)
    strange, _bare = resolver.foreign_words(last.action, text)
    strange = [w for w in strange if w not in back and w not in _correcting()
               and w not in conversation_edits.change_words()]
    return len(strange) <= (1 if named else 0)


def _edit_of_the_last(resolver, specs, last: Turn, match: Match, text: str) -> bool:
    """ "a rate one point lower" after a loan payment: another action ranks first, surely, but the words
    are a change of a value and every content word is the last action's own (or a word of change)."""
    if match.action not in specs:
        return False
    from intents import conversation_edits

    if not conversation_edits.may_edit(text, specs.get(last.action)):
        return False
    back = _back_for(specs[last.action], getattr(resolver, "lexicon", None), text)
    quick = _strange_tokens(resolver, last.action, match)
    if quick is None:
        quick, _bare = resolver.foreign_words(last.action, text)
    return not [w for w in quick if w not in back and w not in _correcting()
                and w not in conversation_edits.change_words()]


class _Once:
    """The resolver, with `fill_for` and `foreign_words` answered once per (action, text) for one follow-up."""

    def __init__(self, resolver) -> None:
        self._resolver = resolver
        self._seen: dict = {}

    def __getattr__(self, name):
        return getattr(self._resolver, name)

    def fill_for(self, action_id: str, text: str):
        key = ("fill", action_id, text)
        if key not in self._seen:
            values, reasons = self._resolver.fill_for(action_id, text)
            self._seen[key] = (values, reasons)
        values, reasons = self._seen[key]
        return dict(values), reasons

    def foreign_words(self, action_id: str, text: str):
        key = ("foreign", action_id, text)
        if key not in self._seen:
            self._seen[key] = self._resolver.foreign_words(action_id, text)
        strange, bare = self._seen[key]
        return list(strange), bare


def _earlier_step(resolver, specs, last: Turn, match: Match, text: str) -> Turn | None:
    """After a compound request, words that give no value to its last step but do to an earlier one
    ("and 15 years" after "payment on 300k ..., then convert it to euros"): that step, newest first."""
    if last.earlier is None or (match.action not in (None, last.action) and not match.missing
                                and match.confidence >= _SAME_ACTION_SURE):
        return None
    values, _ = resolver.fill_for(last.action, text)
    if _no_counts(specs[last.action], text, values):
        return None
    steps = last.earlier() if callable(last.earlier) else last.earlier
    for step in reversed(list(steps or ())):
        if step.action not in specs or step.action == last.action:
            continue
        values, _ = resolver.fill_for(step.action, text)
        values = _no_counts(specs[step.action], text, values)
        if values and values_about(resolver, specs, step.action, text, values, False):
            return step
    return None


def _asks_other(resolver, specs, last: Turn, match: Match, text: str) -> Match | None:
    """ "and if I put 50k in today instead, what does it grow to?" after a savings goal: the words give a
    value the last action could take, but they ask for another action (the classifier's pick, unsure) in
    a word of its own that the last action never uses; that action, completed from the last turn, is
    the request."""
    if not match.action or match.action == last.action or match.action.startswith("system.") or \
            match.action not in specs:
        return None
    strange_last, _ = resolver.foreign_words(last.action, text)
    back = _back_for(specs[last.action], getattr(resolver, "lexicon", None), text)
    strange_last = [w for w in strange_last if w not in back and w not in _correcting()]
    if not strange_last:
        return None
    strange_other, _ = resolver.foreign_words(match.action, text)
    if not [w for w in strange_last if w not in strange_other]:
        return None  # no word of the other action's own: only words nobody uses
    got = _inherit(specs, last, match, said=True, lexicon=getattr(resolver, "lexicon", None))
    if got.missing or got.follows is None:
        return None
    why = f"{match.action}, completed from {last.action}"
    return dataclasses.replace(got, explain=dict(got.explain or {}, followup=why))


_IT = lazy(r"\b(?:it|that)\b", re.I)


def _cue_score(reason) -> float:
    """How strongly the slot filler says a value's cue words placed it ("... cue score 3.00 ...")."""
    m = re.search(r"cue score (\d+(?:\.\d+)?)", str(reason or ""))
    return float(m.group(1)) if m else 0.0


def _sibling(resolver, specs, last: Turn, match: Match, text: str) -> Match | None:
    """ "and with 500 extra a month, how fast is it paid off?" after an amortization schedule: refused on
    its own words, which give a value to a slot the last action does not have. A candidate of the
    classifier's that has that slot and takes every other value it needs from the last request by name
    is the request: the same calculation with one more value."""
    if not (_CONTINUES.search(text) or _IT.search(text)):
        return None  # "I spent 500 extra this month" is not about the loan: a follow-up says it is one
    last_spec = specs[last.action]
    top = [t["action"] for t in (match.explain or {}).get("top") or () if t.get("score", 0) >= _CANDIDATE_MIN]
    top += [a.action for a in match.alternatives if a.action not in top]
    for action_id in top:
        spec = specs.get(action_id)
        if spec is None or action_id.startswith("system.") or action_id == last.action:
            continue
        values, reasons = resolver.fill_for(action_id, text)
        new = [k for k in values if last_spec.slot(k) is None]
        if not new or any(_cue_score(reasons.get(k)) < 1.0 for k in new):
            continue  # a value only a slot the last action lacks takes, and said with its own cue word
        if any(s.required and s.name not in values and last.params.get(s.name) is None for s in spec.slots):
            continue
        candidate = Match(text=text, action=action_id, slots=values, confidence=0.6,
                          missing=[s.name for s in spec.slots if s.required and s.name not in values],
                          explain=match.explain)
        got = _inherit(specs, last, candidate, said=True, lexicon=getattr(resolver, "lexicon", None))
        if got.missing or got.follows is None:
            continue
        return dataclasses.replace(got, confidence=0.7,
                                   explain=dict(got.explain or {}, followup=f"{action_id} with one more value"))
    return None


def _still_the_last(resolver, specs, last: Turn, match: Match, text: str) -> Match | None:
    """ "what about married filing jointly?" after a tax estimate, "scratch that, creatinine is 1.4" after
    an eGFR, "and a 5 year term" after an NDA: the classifier ranks another action first, but the words
    change values of the last one and every word in them is the last action's own (its sentences, its
    slots' and results' words, follow-up and correction words). They correct the last request; another
    action has to be asked for in a word the last one does not use ("and his creatinine clearance")."""
    spec = specs[last.action]
    back = _back_for(spec, getattr(resolver, "lexicon", None), text)
    quick = _strange_tokens(resolver, last.action, match)
    quick = [w for w in quick or () if w not in back and w not in _correcting()]
    if quick and [w for w in quick if w not in _value_words(resolver, last.action, text)]:
        return None  # (from the classifier's own tokens: most requests for another action stop here)
    values, reasons = resolver.fill_for(last.action, text)
    values = _said_for(resolver, specs, spec, text, values, reasons, last)
    if not match.missing and len(match.slots) > len(values):
        return None  # "what is 2000 euros in dollars": the other action takes more of what was said
    if not any(last.params.get(k, getattr(spec.slot(k), "default", None)) != v for k, v in values.items()):
        return None
    strange, _bare = resolver.foreign_words(last.action, text)
    said = _value_words(resolver, last.action, text, values)
    if [w for w in strange if w not in back and w not in _correcting() and w not in said]:
        return None
    merged = _merge(spec, last, match, values)
    merged.explain = dict(match.explain or {}, followup=f"values for {last.action}", slots=reasons)
    return merged


def _not_the_terminal(resolver, specs, last: Turn, match: Match, text: str) -> Match | None:
    """ "the 15 year version", "the 8 year plan then": a terminal command drawn by a noun of its own
    ("version", "plan"), in words that change a value of the last request and are otherwise about it.
    A terminal command takes no value of the work, so the values say what the words are."""
    spec = specs[last.action]
    values, reasons = resolver.fill_for(last.action, text)
    values = _said_for(resolver, specs, spec, text, values, reasons, last)
    if not values or not any(last.params.get(k, getattr(spec.slot(k), "default", None)) != v
                             for k, v in values.items()):
        return None
    if not values_about(resolver, specs, last.action, text, values, False):
        return None
    merged = _merge(spec, last, match, values)
    merged.explain = dict(match.explain or {}, followup=f"values for {last.action}", slots=reasons)
    return merged


def _strange_tokens(resolver, action_id: str, match: Match) -> list[str] | None:
    """The classifier's content tokens for the words that `action_id`'s sentences never use (a cheap first
    look before `foreign_words`, which tags the text again); None when the resolver does not say."""
    tokens = (match.explain or {}).get("tokens")
    local = getattr(resolver, "local", resolver)
    classifier = getattr(local, "classifier", None)
    if tokens is None or classifier is None:
        return None
    idx = classifier.index_of.get(action_id)
    if idx is None:
        return None
    from intents.resolver.text import FOLLOW_UP_WORDS

    vocab = classifier.vocab_of(idx)
    return [t for t in tokens if not t.startswith("<") and t not in vocab and t not in FOLLOW_UP_WORDS]


# words that take back what was just said ("scratch that", "my mistake", "I misspoke"): about the turn
_CORRECTING_WORDS = ("scratch", "mistake", "misspoke", "misspeak", "typo", "wrong", "hold", "fix", "correct",
                     "rather", "forget", "ignore", "bad", "sorry", "oops", "actually", "meant", "mean", "wait",
                     "instead", "change", "make", "what", "about", "how", "if", "and", "now", "then", "also")
_CORRECTING_STEMS: set[str] = set()


def _correcting() -> set[str]:
    if not _CORRECTING_STEMS:
        from intents.resolver.text import stem

        _CORRECTING_STEMS.update(stem(w) for w in _CORRECTING_WORDS)
    return _CORRECTING_STEMS


_COUNT = lazy_words(r"\b(", (r"\d+", "one", "two", "three", "four", "five", "six", "both"),
                    r")\s+(?:[a-z-]+\s+)?([a-z]+)\b", re.I)
_THINGS: dict[tuple[str, int], frozenset[str]] = {}
_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "both": 2}


def _no_counts(spec, text: str, values: dict) -> dict:
    """ "with the same two parties" counts parties: a number said just before a word that names another of
    the action's things (a slot that holds no number: its name or kind) is a count of them, not a value
    for a number slot ("a 2 year term" stays a term)."""
    found = _COUNT.findall(text)
    if not found or not values:
        return values
    from intents.resolver.slots import CUES
    from intents.resolver.text import stem

    def words(s):
        return _name_words(s.name) + _name_words(s.kind or "")

    def norm(w):  # the stemmer keeps "days": a plural s is dropped on both sides
        w = stem(w.lower())
        return w[:-1] if w.endswith("s") and len(w) > 3 else w

    # ("a 30 calendar day period" after a deadline stays 30 days: a word of a number slot is no thing)
    key = (spec.id, id(spec))
    things = _THINGS.get(key)
    if things is None:
        things = _THINGS[key] = frozenset(
            {norm(w) for s in spec.slots if not _numeric(s) for w in words(s)} -
            {norm(w) for s in spec.slots if _numeric(s)
             for w in words(s) + list(s.cues or ()) + list(CUES.get(s.kind, ()))})
    counts = set()
    for number, noun in found:
        if norm(noun) in things:
            counts.add(float(_COUNT_WORDS.get(number.lower(), number)))
    if not counts:
        return values
    return {k: v for k, v in values.items()
            if not (_numeric(spec.slot(k)) if spec.slot(k) is not None else False) or v not in counts}


_AT = lazy(r" from '[^']*' at (\d+)-(\d+)$")
_CUE_COUNTS: dict[tuple[int, int], dict[str, int]] = {}


def _cue_counts(specs) -> dict[str, int]:
    """How many slots of the installed actions declare each cue word (their own cues and the words of
    their names): a word few slots declare says more about which slot a value is for."""
    key = (id(specs), len(specs))
    got = _CUE_COUNTS.get(key)
    if got is None:
        got = {}
        for spec in specs.values():
            for slot in spec.slots:
                for w in _own_cues(slot):
                    got[w] = got.get(w, 0) + 1
        if len(_CUE_COUNTS) > 8:
            _CUE_COUNTS.clear()
        _CUE_COUNTS[key] = got
    return got


def _own_cues(slot) -> set[str]:
    return {c.lower() for c in slot.cues or ()} | set(_name_words(slot.name))


def _cued(word: str, cues: set[str]) -> str | None:
    """The cue of `cues` a said word is ("saved" is "saved"; "saving" names the cue "save")."""
    if word in cues:
        return word
    return next((c for c in cues if len(c) >= 4 and word.startswith(c)), None)


def _by_own_cue(resolver, specs, spec, text: str, values: dict, reasons: dict, movable=None) -> dict:
    """ "with 150 extra on it each month" after a loan payment, "I already have 8k saved" after a savings
    goal: the slot filler gives a lone value to the first slot of its kind that a word near it cues
    ("with", "have"); in a follow-up, where that slot already has its value, the value goes to another
    slot of the same kind when the words near it cue that one more: each cue word counts by how few of
    the installed slots declare it ("extra", "already" against "with", "have"), nearer words more, and a
    word that cues both counts for neither. With no cue either way, a value inside only one of the two
    slots' declared ranges goes there ("the 2023 version" is a tax year, not 2023 miles)."""
    if not values:
        return values
    moved = dict(values)
    tagged = None
    for name, value in values.items():
        slot = spec.slot(name)
        if slot is None or not _numeric(slot) or isinstance(value, bool) or not isinstance(value, (int, float)) \
                or (movable is not None and name not in movable):
            continue
        # (a value said with its unit stays with slots in that unit: 150 km is no duration)
        bare = str(reasons.get(name, "")).startswith("plain number")
        others = [t for t in spec.slots if t is not slot and t.kind == slot.kind and _numeric(t)
                  and t.name not in moved and (bare or t.unit == slot.unit)]
        at = _AT.search(str(reasons.get(name, "")))
        if not others or at is None:
            continue
        if tagged is None:
            from intents.resolver import entities

            tagged = entities.tag(text, lexicon=getattr(resolver, "lexicon", None))
            counts = _cue_counts(specs)
        start, end = int(at.group(1)), int(at.group(2))
        low = tagged.text.lower()
        nxt = min((e.start for e in tagged.entities if e.start >= end), default=len(low))
        prv = max((e.end for e in tagged.entities if e.end <= start), default=0)
        # the words of the value itself ("200 extra every month" is one monthly amount) are the nearest
        near = [(w, 0) for w in re.findall(r"[a-z]+", low[start:end])] + \
               [(w, d) for d, w in enumerate(reversed(re.findall(r"[a-z]+", low[prv:start])[-4:]))] + \
               [(w, d) for d, w in enumerate(re.findall(r"[a-z]+", low[end:nxt])[:4])]

        def score(a, b):
            mine, theirs = _own_cues(a), _own_cues(b)
            total = 0.0
            for w, d in near:
                cue = _cued(w, mine)
                if cue is not None and _cued(w, theirs) is None:
                    total += 1.0 / (max(1, counts.get(cue, 1)) * (1 + d))
            return total

        def fits(t):
            return (t.minimum is None or value >= t.minimum) and (t.maximum is None or value <= t.maximum)

        for other in others:
            mine, theirs = score(slot, other), score(other, slot)
            narrow = mine == theirs == 0 and fits(other) and other.minimum is not None and \
                other.maximum is not None and not (slot.minimum is not None and slot.maximum is not None)
            if (theirs > mine or narrow) and fits(other):
                moved.pop(name)
                moved[other.name] = _carried(getattr(resolver, "lexicon", None), other, slot, value)
                break
    return moved


def _said_for(resolver, specs, spec, text: str, values: dict, reasons: dict, last: Turn | None = None) -> dict:
    """The values the words of a follow-up give the last action's slots: counts dropped, and a lone value
    moved to the slot of its kind the words mean (`_lone_of_pair`, `_by_own_cue`); with `last`, a value
    that is the last one while the words say another of its kind too, the other (`_the_new_one`)."""
    values = _lone_of_pair(spec, text, _no_counts(spec, text, values), reasons)
    values = _by_own_cue(resolver, specs, spec, text, values, reasons)
    return _the_new_one(resolver, spec, last, text, values) if last is not None and values else values


def _the_new_one(resolver, spec, last: Turn, text: str, values: dict) -> dict:
    """ "and if he were female" after a man: the slot filler reads the first value of a kind ("he"), which
    is the one the turn had; the words also say another of that kind, which is the change."""
    same = [k for k, v in values.items() if last.params.get(k) == v and spec.slot(k) is not None
            and spec.slot(k).kind and not _numeric(spec.slot(k))]
    if not same:
        return values
    from intents.resolver import entities

    tagged = entities.tag(text, lexicon=getattr(resolver, "lexicon", None))
    out = dict(values)
    for name in same:
        kind = spec.slot(name).kind
        others = {e.value for e in tagged.entities if e.kind == kind and e.value != values[name]}
        if len(others) == 1:
            out[name] = others.pop()
    return out


class _Lexicon:
    """What `_by_own_cue` asks of a resolver, when only its lexicon is at hand."""

    __slots__ = ("lexicon",)

    def __init__(self, lexicon: Any = None) -> None:
        self.lexicon = lexicon


def _lone_of_pair(spec, text: str, values: dict, reasons: dict) -> dict:
    """ "make that yen instead" after a conversion: one value of a kind two slots share, said with no
    word that places it, goes to the slot a request fills first only for want of a better reading; in a
    follow-up it changes the other one, what is asked for ("convert X *to* ..."). "from pounds instead"
    and "no, 750 pounds" (the amount's own currency) keep their reading."""
    if len(values) != 1:
        return values
    (name, value), = values.items()
    slot = spec.slot(name)
    if slot is None or not slot.kind or "first named" not in str(reasons.get(name, "")) or \
            re.search(r"\bfrom\b", text, re.I):
        return values
    same = [s for s in spec.slots if s.kind == slot.kind]
    if len(same) != 2 or same[0] is not slot:
        return values
    return {same[1].name: value}


# nouns that point back at the last turn's things, whatever its pack ("the same file", "that amount", "for
# that long"): they are not foreign to an action that takes those things from it. The last action's own
# words (its slots, kinds, result fields, labels, name) point back too: see _back_words.
# Nouns for "the same request with one value changed" too ("the 15 year version", "the 8 year plan", "a
# 20 mg/kg scenario"): a follow-up with no verb names its change by a value and one of these.
_BACK_NOUNS = {"file", "document", "draft", "copy", "version", "output", "amount", "figure", "number", "numbers",
               "result", "answer", "value", "values", "one", "thing", "same", "long", "period", "original",
               "variant", "variation", "scenario", "case", "option", "alternative", "plan", "equivalent", "setup",
               "situation", "example", "edition", "calculation", "run", "instead", "choice", "setting", "flavour",
               "flavor",
               # the one a request is about, in any field's words ("same patient ten years older")
               "patient", "person", "client", "customer", "individual", "subject"}
_BACK_STEMS: set[str] = set()
_OWN_STEMS: dict[tuple[str, int], frozenset[str]] = {}


def _back_nouns() -> set[str]:
    if not _BACK_STEMS:
        from intents.resolver.text import stem

        _BACK_STEMS.update(stem(w) for w in _BACK_NOUNS)
    return _BACK_STEMS


def _back_words(spec, lexicon=None) -> frozenset[str]:
    """Stems of the words that point back at a turn of `spec`: the generic ones above, and the words its
    declaration gives its things by (slot names, their kinds and the kinds' cue words, the slots' cues,
    result field names and labels, the action's own name). "with the same parties" after an NDA, "the same
    flows" after an NPV, "at that speed" after a travel time: any pack's, from its specs alone."""
    if spec is None:
        return frozenset(_back_nouns())
    key = (spec.id, id(spec))
    got = _OWN_STEMS.get(key)
    if got is None:
        from intents.resolver.slots import CUES
        from intents.resolver.text import stem

        words = set(_name_words(spec.id.split(".", 1)[-1]))
        for slot in spec.slots:
            words.update(_name_words(slot.name))
            words.update(c for c in slot.cues or () if len(c) > 3)
            words.update(w for e in getattr(slot, "elements", None) or () for w in e.split() if len(w) > 3)
            if slot.kind:
                words.update(_name_words(slot.kind))
                words.update(c for c in CUES.get(slot.kind, ()) if len(c) > 3)
                kind = lexicon.kind(slot.kind) if lexicon is not None else None
                if kind is not None and kind.base != "party":  # a party kind's cues end a name; no nouns
                    words.update(c for c in kind.cues or () if len(c) > 3 and " " not in c)
        for f in spec.result_fields:
            words.update(_name_words(f))
        for label in (spec.render.labels or {}).values():
            words.update(w for w in re.findall(r"[a-z]+", label.lower()) if len(w) > 2)
        got = frozenset({stem(w) for w in words} | _back_nouns())
        _OWN_STEMS[key] = got
    return got


_KEPT = lazy(r"\bsame\s+([a-z]+)(?:\s+([a-z]+))?", re.I)


def _back_for(spec, lexicon, text: str) -> frozenset[str]:
    """`_back_words`, and the words said just after "same" in these words: "same labs at 65", "the same
    terms but 3 years" keep a thing of the last turn, whatever the field calls it."""
    back = _back_words(spec, lexicon)
    if "same" not in text.lower():
        return back
    from intents.resolver.text import stem

    kept = {stem(w.lower()) for m in _KEPT.finditer(text) for w in m.groups()
            if w and w.lower() not in ("but", "at", "for", "with", "and", "in", "on", "as")}
    return back | kept if kept else back


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", name.lower()) if len(w) > 2 and w not in _UNIT_WORDS]


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
    back = _back_for(specs.get(last_action), getattr(resolver, "lexicon", None), text)
    for action_id in top:
        spec = specs.get(action_id)
        if spec is None or action_id.startswith("system.") or action_id == last_action:
            continue
        values, _ = resolver.fill_for(action_id, text)
        strange, _bare = resolver.foreign_words(action_id, text)
        own_words = _field_words(spec)
        strange = [w for w in strange if w not in back and w not in own_words]
        content = [t for t in (match.explain or {}).get("tokens") or () if not t.startswith("<")]
        # (a word of the last action's the candidate uses too counts as its own: "the monthly payment then")
        if len(strange) > 1 or not [t for t in content if t not in strange and t not in _back_nouns()]:
            continue  # a foreign word too many, or no word of the candidate's own ("what about the weather?")
        missing = [s.name for s in spec.slots if s.required and s.name not in values]
        yield Match(text=text, action=action_id, slots=values, confidence=0.6, missing=missing,
                    explain=match.explain)


_ABOUT = lazy(r"^\s*(?:(?:and|but|ok(?:ay)?|now|so|then|hmm+|also)[\s,]+)*(?:(?:what|how)\s+about|same\s+for|"
                    r"and\s+for|now\s+for|then\s+for|try|and|now)\s+(?:for\s+|with\s+)?(?P<v>.+?)\s*[?.!]*\s*$", re.I)


def _free_text_follow(resolver, spec, last: Turn, match: Match, text: str, numbers_in_it: bool = False) -> Match | None:
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
    # the classifier places the words at the last action, or nowhere at all (words no action and no
    # out-of-scope example uses: "what about gout?"); never nearer another action or out of scope
    placed = match
    if numbers_in_it:  # (the classifier reads a bare number as a value of whatever takes numbers)
        placed = resolver.resolve(" ".join(re.sub(r"\d+(?:[.,]\d+)*", " ", text).split()))
    top = [t for t in (placed.explain or {}).get("top") or () if t.get("score", 0) >= _CANDIDATE_MIN]
    if top and top[0]["action"] != spec.id:
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
    `new_words_ok`, a free-text value's own words ("what about viral pneumonia") do not count against it.
    The words a value was read from are the value, not foreign ("english law instead" names a governing
    law by "english"), and a choice or a name said is no bare number."""
    strange, bare = resolver.foreign_words(action_id, text)
    back = _back_for(specs.get(action_id), getattr(resolver, "lexicon", None), text)
    strange = [w for w in strange if w not in back]  # "a one-way version", "the same file"
    if strange:
        spec = specs.get(action_id)
        said = _value_words(resolver, action_id, text, values)
        strange = [w for w in strange if w not in said]
        bare = bare and not any(spec is not None and spec.slot(k) is not None and not _numeric(spec.slot(k))
                                for k in values)
    if not (len(strange) > 1 or (strange and bare)):
        return True
    return new_words_ok and any(_free_text(specs[action_id].slot(k)) for k in values)


_QUOTED = lazy(r"'([^']+)'")


def _value_words(resolver, action_id: str, text: str, values: dict | None = None) -> set[str]:
    """Stems of the words the slot filler read `values` (all it read, by default) from: the spans its
    reasons quote."""
    filled, reasons = resolver.fill_for(action_id, text)
    from intents.resolver.text import stem

    out = set()
    for name in filled if values is None else values:
        for span in _QUOTED.findall(str(reasons.get(name, ""))):
            out.update(stem(w) for w in re.findall(r"[a-z]+", span.lower()))
    return out


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
        elif got is None and name not in new_values and last.result and _pair_from_result(spec, last, name):
            new_values[name] = _pair_from_result(spec, last, name)  # "convert that to yen": from what it was in
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
    prev = specs[last.action]
    # an optional slot the words fill from the last result ("what was 500 euros in dollars on that date"
    # after a deadline): asked for as if it were missing, and only ever from the result
    optional = [n for n in pending_from_result(spec, prev, match.text) if spec.id != prev.id
                and not spec.slot(n).required and match.slots.get(n) is None] if prev.render else []
    if not match.missing and optional and last.result:
        got = result_value(prev, last, spec.slot(optional[0]))
        if got is not None:
            match = dataclasses.replace(match, slots=dict(match.slots, **{optional[0]: got[1]}),
                                        explain=dict(match.explain or {},
                                                     carried={optional[0]: f"the last result's {got[0]}"}))
            return dataclasses.replace(match, follows=last.id, changed=sorted(k for k in match.slots
                                                                              if k != optional[0]))
    if not match.missing:
        if not said:
            return match
        # "and the standard deduction for that status": nothing required is missing, but an option said
        # last time (not its default) and not said now carries by name
        values, carried = dict(match.slots), {}
        _carry_options(spec, prev, last, values, carried, lexicon)
        explain = dict(match.explain or {}, carried=carried) if carried else match.explain
        return dataclasses.replace(match, slots=values, follows=last.id, changed=sorted(match.slots),
                                   explain=explain)
    values = dict(match.slots)
    # "..., and the apr with fees of 2800": a lone value the words give a slot the last turn fills by name
    # anyway goes to the slot of its kind they cue more (the fees, not the principal said before)
    shared = {k for k in values if prev.slot(k) is not None and last.params.get(k) is not None}
    if shared and match.missing:
        values = _by_own_cue(_Lexicon(lexicon), specs, spec, match.text, values,
                             (match.explain or {}).get("slots") or {}, movable=shared)
        if values != match.slots:
            match = dataclasses.replace(match, slots=values, missing=[s.name for s in spec.slots
                                                                     if s.required and s.name not in values])
            values = dict(values)
    carried: dict[str, str] = {}
    named = _named_field(prev, last, match.text, spec, match)
    # "that same amount", "at the same rate": the values said before, not the result
    pointed = bool(_THAT.search(match.text)) and not _SAME.search(match.text)
    artifact = bool(prev.render.document) and _artifact(prev, match.text)
    waiting = set(pending_from_result(spec, prev, match.text))  # "from that due date", "redact it"
    used_result = False
    by_word = None  # the last slot a number was carried from because the words name it
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
        if slot.kind == "date" and not used_result and last.result:
            field = _date_field_said(prev, last, match.text)  # "90 days after the effective date"
            if field is not None:
                values[name] = last.result[field]
                carried[name] = f"the last result's {field}"
                used_result = True
                continue
        if _numeric(slot) and slot.kind in (None, "number") and not used_result:
            source = _slot_said(prev, last, match.text)  # "convert his creatinine to umol/L" after an eGFR
            # (before "that": "that creatinine" names the value it was, not the result)
            if source is not None:
                values[name] = last.params[source.name]
                carried[name] = f"{last.action}'s {source.name}"
                by_word = source
                continue
        # a slot waiting on the result ("14 court days from that due date"), or "that" where the result is
        # in the slot's own unit ("then dose 4 mg/kg based on that" after an ideal body weight: the result,
        # not the weight the last request was given)
        if name in waiting or (pointed and not used_result and _result_in_unit(prev, slot)):
            if last.result is None:
                continue  # a later step of a chain: the result is not there yet
            got = result_value(prev, last, slot)
            if got is not None:
                values[name] = got[1]
                carried[name] = f"the last result's {got[0]}"
                used_result = True
                continue
            pair = _pair_from_result(prev, last, name) if prev.id == spec.id else None
            if pair is not None:  # "then convert that to CHF" after USD -> GBP: from GBP
                values[name] = pair
                carried[name] = f"the currency of {last.action}'s result" if slot.kind == "currency" else \
                    f"{last.action}'s result"
                continue
        if name in last.params and last.params[name] is not None:
            values[name] = _carried(lexicon, slot, prev.slot(name), last.params[name])
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
            values[name] = _carried(lexicon, slot, same_kind[0], last.params[same_kind[0].name])
            carried[name] = f"{last.action}'s {same_kind[0].name}"
            continue
        # a value given with the unit it is in ("creatinine 1.4 mg/dL to umol/L"): the one numeric value of
        # the last request whose unit the slot's kind converts
        given = _unit_given(lexicon, slot, prev, last) if _numeric(slot) else None
        if given is not None:
            values[name] = given[1]
            carried[name] = f"{last.action}'s {given[0]}"
            continue
    if by_word is not None and by_word.unit:
        # the number carried by its name is in that slot's declared unit: a unit slot the new action lacks
        # says so (the creatinine of an eGFR is in mg/dL)
        for slot in spec.slots:
            if slot.required and slot.name not in values and _is_unit_slot(lexicon, slot):
                values[slot.name] = by_word.unit
                carried[slot.name] = f"the unit of {last.action}'s {by_word.name}"
                break
    _carry_options(spec, prev, last, values, carried, lexicon)
    if not carried:
        return match
    _home_currency(spec, prev, last, values, carried)
    missing = [s.name for s in spec.slots if s.required and s.name not in values]
    explain = dict(match.explain or {}, carried=carried)
    return dataclasses.replace(match, slots=values, missing=missing, follows=last.id,
                               changed=sorted(match.slots), explain=explain)


def _date_field_said(prev, last: Turn, text: str) -> str | None:
    """The one date field of the last result the words name by its own words ("the effective date" names
    effective_date; "date" alone names none), else None."""
    said = set(re.findall(r"[a-z]+", text.lower()))
    found = []
    for f in prev.result_fields:
        value = last.result.get(f)
        words = [w for w in f.lower().split("_") if w not in ("date", "on", "at")]
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and words and \
                all(w in said for w in words):
            found.append(f)
    return found[0] if len(found) == 1 else None


def _slot_said(prev, last: Turn, text: str):
    """The one numeric slot of the last request, with a value, that the words name by its name or kind
    ("his creatinine" after an eGFR names creatinine_mg_dl), else None."""
    from intents.resolver.text import stem

    said = {stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}
    found = [s for s in prev.slots if _numeric(s) and isinstance(last.params.get(s.name), (int, float))
             and not isinstance(last.params.get(s.name), bool)
             and said & {stem(w) for w in _name_words(s.name) + _name_words(s.kind or "") if len(w) > 3}]
    return found[0] if len(found) == 1 else None


def _result_in_unit(prev, slot) -> bool:
    """Whether the last action's headline figure is in `slot`'s unit ("ibw_kg" for a slot in kg, or a
    unit the render declares for it): then "that" gives the slot that figure, even where the last
    request had a value of the slot's name."""
    headline = prev.render.headline
    if not headline or not slot.unit or not _numeric(slot):
        return False
    unit = slot.unit.lower()
    declared = (prev.render.units or {}).get(headline)
    return (declared or "").lower() == unit or headline.lower().endswith("_" + re.sub(r"[^a-z0-9]", "_", unit))


def _carry_options(spec, prev, last: Turn, values: dict, carried: dict, lexicon=None) -> None:
    """Optional slots of the same name carry too ("and his creatinine clearance" keeps the sex said),
    when the last request set them to something other than their default."""
    for slot in spec.slots:
        if slot.name not in values and not slot.required and slot.name in last.params and \
                prev.slot(slot.name) is not None and last.params[slot.name] != prev.slot(slot.name).default:
            values[slot.name] = _carried(lexicon, slot, prev.slot(slot.name), last.params[slot.name])
            carried[slot.name] = f"{last.action}'s {slot.name}"


def _carried(lexicon, slot, source, value):
    """A value carried from slot `source` of the last action into `slot`, in `slot`'s unit: "the kinetic
    energy at that speed" after a travel time takes 60 km/h as 16.67 m/s. Units that do not convert
    (or no units) carry the value as it is."""
    if source is None or not source.unit or not slot.unit or source.unit == slot.unit or not _numeric(slot) \
            or not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    table = getattr(lexicon, "units", None)
    if table:
        from intents.resolver import units

        out, _why = units.convert(table, float(value), source.unit, slot.unit)
        if out is not None:
            return round(out, 6)
    return _in_unit(lexicon, slot, value, source.unit)


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
    # "the apr payment" after an APR: the action's own name says whose payment, the other words which field
    own = set(re.findall(r"[a-z0-9]+", prev.id.split(".", 1)[-1].lower()))
    if said - own:
        found = _field_said(prev, last, said - own)
        if found is not None:
            return found
    return _field_said(prev, last, said)


def _field_said(prev, last: Turn, said: set) -> str | None:
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
    if out and _RESULT_NOUN.search(text):  # (the pattern is compiled only when it can matter)
        return out[:1]
    if spec.id == prev.id and _THAT.search(text) and _BARE_THAT.search(text) and (
            _again_on_it(spec, text) or (_pair_first(spec) and _ASKS_IT.search(text))):
        # "convert that to yen" after a conversion: the same action on its own result, whose figure is the
        # first number it takes, and the first of a pair of slots of one kind (the currency it is in)
        numbers = [s for s in spec.slots if s.required and _numeric(s)]
        return [numbers[0].name] + _pair_first(spec) if numbers and _headline_of(prev) else []
    return []


def _again_on_it(spec, text: str) -> bool:
    """Whether the words ask for the action, by its own name, on "that"/"it" ("convert that", "then
    convert it into pounds"); "do it in yen instead" changes the request, it does not chain it."""
    names = [re.escape(w[:5]) for w in _name_words(spec.id.split(".", 1)[-1]) if len(w) > 3]
    return bool(names) and re.search(rf"\b(?:{'|'.join(names)})\w*\s+(?:that|it|this)\b", text, re.I) is not None


# a question about the result itself ("what's that in yen", "how much is it in francs"): for an action that
# turns a value of one kind into another (a pair of slots of one kind), the result is the new input
_ASKS_IT = lazy(r"\b(?:what(?:'s|\s+is|\s+was|\s+would\s+(?:that|it)\s+be)|how\s+much\s+is)\s+(?:that|it|this)?\b", re.I)
# "that"/"it" as a thing of its own ("convert that to yen"), not "that speed" naming a value by its slot
_BARE_THAT = lazy(r"\b(?:that|it|this)\b(?!\s+(?:same|very)\b)(?=\s*(?:[?.!,;]|$|(?:to|in|into|for|from|at|as|and|"
                  r"then|too|again|instead|please|now|by|with|over|on|up|down|back)\b))", re.I)


def _headline_of(prev) -> bool:
    return bool(prev.render.headline or any(True for _ in prev.result_fields))


def _pair_first(spec) -> list[str]:
    """The first slot of each pair of slots of one kind that holds no number (from_currency of a
    from/to pair): what the input is in, which is what the result is in when the result is the input."""
    out = []
    for slot in spec.slots:
        same = [s for s in spec.slots if s.kind and s.kind == slot.kind and not _numeric(s)]
        if len(same) == 2 and same[0] is slot:
            out.append(slot.name)
    return out


def _pair_from_result(spec, last: Turn, name: str):
    """The value the first slot `name` of a pair takes when the last result is the new input: the last
    value of the pair's second slot ("convert that to yen" after USD -> EUR converts from EUR)."""
    slot = spec.slot(name)
    same = [s for s in spec.slots if s.kind == slot.kind and not _numeric(s)] if slot is not None else []
    if len(same) == 2 and same[0] is slot:
        return last.params.get(same[1].name)
    return None


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
