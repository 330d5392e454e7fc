"""The local resolver: tag entities, try exact templates, else the statistical tier; refuse what is out
of scope; fill slots by role; say how sure it is and what is missing.

    tag -> templates (exact: confidence ~0.97) -> n-gram nearest neighbour (+ slot-kind fit) -> slots
"""
from __future__ import annotations

import math
import time
from typing import Any

from intents.resolver import Alternative, Interactive, Match, document, entities, slots as slot_roles, text
from intents.resolver.index import OOS, load_or_build, no_gc

ACCEPT = 0.30  # below this similarity nothing is close enough
ACCEPT_BARE = 0.45  # the bar when no value in the text fills any of the action's slots ...
BARE_SUPPORT = 0.65  # ... and a third or more of its words are not the action's own
_GENERIC = {"", "text", "document", "passage", "paragraph", "clause"}
_OBJECTS = {"me", "us", "him", "her", "them", "my", "our"}  # "<verb> me ...": whom the verb is for
FOREIGN_CONF, FOREIGN_SUPPORT = 0.55, 0.30  # below both: refused (see _classify)
RERANK_GAP = 0.10  # candidates this close to the best are re-ranked by how well their slots fill
ALTERNATIVE_GAP = 0.12  # actions scoring within this of the best are offered as alternatives
UNSURE_CAP = 0.85  # the most an answer resting on little (see _thin) may claim: above the LLM threshold, below "sure"


class LocalResolver(Interactive):
    def __init__(self, actions: list, index: dict, packs: dict[str, str] | None = None) -> None:
        with no_gc():  # thousands of actions make tens of thousands of objects, none of them cyclic garbage
            self._setup(actions, index, packs)

    def _setup(self, actions: list, index: dict, packs: dict[str, str] | None) -> None:
        from intents.resolver.classifier import Classifier
        from intents.resolver.lexicon import Lexicon
        from intents.resolver.templates import Templates

        self.actions = {a.id: a for a in actions}
        self.lexicon = Lexicon.from_json(index.get("lexicon"))
        self.classifier = Classifier(index, self.lexicon.text_words)
        self.classifier.declared_of = self._declared_of
        self.templates = Templates(index["templates"])
        self.packs = packs or {}
        self._action_vocab: set[str] | None = None
        self.kind_sets = {a.id: {s.kind for s in a.slots if s.kind} for a in actions}
        # action -> its slot that takes a pasted document
        self.document_slots = {a.id: s.name for a in actions for s in a.slots if s.kind in document.DOCUMENT_KINDS}
        self._served: dict[str, set[str]] = {}
        self._kind_groups: list[str] | None = None  # one action per distinct set of slot kinds
        self._fits: dict[frozenset, dict[str, float]] = {}  # see _fits_for
        self._choice_words: dict[str, list[tuple[str, str]]] | None = None  # see _choices_said

    @classmethod
    def for_registry(cls, registry) -> "LocalResolver":
        actions = registry.actions()
        installed = getattr(registry, "installed_packs", lambda: [])()
        negatives = {p.manifest.id: list(getattr(p, "negatives", [])) for p in installed if getattr(p, "negatives", None)}

        def lexicon():
            from intents.resolver.lexicon import Lexicon

            vocab, syn = registry.vocabulary() if hasattr(registry, "vocabulary") else ({}, {})
            kinds = registry.kinds() if hasattr(registry, "kinds") else []
            return Lexicon.build(actions, kinds, vocab, syn)

        from intents.paths import shared_cache_root

        home = getattr(registry, "home", None)
        index = load_or_build(actions, home, registry.catalog_key, lexicon, negatives,
                              shared=shared_cache_root() if home is not None else None)
        packs: dict[str, str] = {}
        for pid, spec in getattr(registry, "packs", {}).items():
            packs[pid.lower()] = pid
            for w in spec.manifest.name.lower().split():
                packs.setdefault(w, pid)
        return cls(actions, index, packs)

    @classmethod
    def for_actions(cls, actions: list, home=None, key: str = "adhoc", kinds=None, vocabulary=None,
                    synonyms=None, negatives: dict[str, list[str]] | None = None) -> "LocalResolver":
        from intents.resolver.lexicon import Lexicon

        return cls(actions, load_or_build(actions, home, key, lambda: Lexicon.build(actions, kinds, vocabulary, synonyms),
                                          negatives))

    @classmethod
    def for_packs(cls, packs: list, home=None) -> "LocalResolver":
        """A resolver over live `intents.sdk.Pack` objects (a pack under development, a test)."""
        actions = [a.spec for p in packs for a in p.actions.values()]
        kinds = [k for p in packs for k in p.kinds.values()]
        vocab = {k: v for p in packs for k, v in p.vocabulary.items()}
        syn = {k: v for p in packs for k, v in p.synonyms.items()}
        negatives = {p.id: list(p.negatives) for p in packs if getattr(p, "negatives", None)}
        key = "packs-" + "-".join(f"{p.id}{p.manifest.version}" for p in packs)
        return cls.for_actions(actions, home, key, kinds, vocab, syn, negatives)

    # ---- resolving -----------------------------------------------------------------------------
    def resolve(self, text_in: str) -> Match:
        t0 = time.perf_counter()
        if not isinstance(text_in, str):
            text_in = str(text_in)
        clipped = text_in[: entities.MAX_CHARS]
        tagged = entities.tag(clipped, lexicon=self.lexicon)
        placeholder = tagged.placeholder_text()
        explain: dict[str, Any] = {
            "normalized": tagged.text,
            "entities": [e.to_json() for e in tagged.entities],
        }
        if len(text_in) > entities.MAX_CHARS:
            explain["clipped_to"] = entities.MAX_CHARS

        doc = self._document(clipped) if len(clipped) >= document.MIN_BODY_CHARS and self.document_slots else None
        if doc is not None:
            # the instruction decided the action; its options fill from its own words, the payload is the document
            action_id, confidence, alts, info, head, at = doc
            spec = self.actions[action_id]
            values, reasons = slot_roles.fill(spec, head, None, self.packs, self.lexicon)
            slot = self.document_slots[action_id]
            values[slot] = text_in[at: at + 1_000_000].strip()
            reasons[slot] = f"the text after the request ({len(values[slot])} characters)"
            explain.update(info)
            explain["document"] = {"instruction": head.text, "starts_at": at}
            return self._match(text_in, spec, values, reasons, confidence, alts, explain, t0)

        fills: dict = {}  # this text's fills by action, shared by the checks below and the final fill
        hit = self._template(tagged, placeholder, fills)
        if hit is not None:
            action_id, captures, confidence = hit
            explain["tier"] = "template"
            alts = []
        else:
            captures = {}
            action_id = None
            low = clipped.lower()  # the pattern holds "following" or "this" (beyond ASCII, re.I folds more)
            pasted = slot_roles.TEXT_FOLLOWS.search(clipped) if (
                "following" in low or "this" in low or not clipped.isascii()) else None
            if pasted and len(pasted.group("body")) > 40:
                # "summarize the following agreement This Agreement is made between A and B ...": the
                # request is the words before the pasted text, whose own words (parties) must not decide;
                # "the following text" itself says nothing, a contract or brief says what it is
                doc = pasted.group("doc") or ""
                head = entities.tag(clipped[: pasted.start()] + ("" if doc.lower() in _GENERIC else " " + doc), lexicon=self.lexicon)
                action_id, confidence, alts, info = self._classify(head, head.placeholder_text(), pasted=True)
                info["classified"] = "the request before the pasted text"
            if action_id is None:  # nothing pasted, or the request alone says too little: the whole text
                action_id, confidence, alts, info = self._classify(tagged, placeholder, fills=fills)
            explain.update(info)
        if action_id is None:
            explain["ms"] = round((time.perf_counter() - t0) * 1000, 3)
            return Match(text=text_in, action=None, confidence=confidence, alternatives=alts, explain=explain)

        spec = self.actions[action_id]
        values, reasons = self._fill(spec, tagged, captures, True, fills)
        if len(text_in) > entities.MAX_CHARS and {"source", "document"} & {s.kind for s in spec.slots}:
            self._long_source(spec, text_in, values, reasons)
        return self._match(text_in, spec, values, reasons, confidence, alts, explain, t0)

    def _match(self, text_in, spec, values, reasons, confidence, alts, explain, t0) -> Match:
        action_id = spec.id
        missing = [s.name for s in spec.slots if s.required and s.name not in values]
        if explain.get("tier") == "statistical" and confidence > UNSURE_CAP:
            thin = self._thin(spec, values, explain.get("tokens", []), explain.get("evidence", 0))
            if thin:
                explain["capped"] = f"confidence at most {UNSURE_CAP}: {thin}"
                confidence = UNSURE_CAP
        explain["slots"] = reasons
        explain["ms"] = round((time.perf_counter() - t0) * 1000, 3)
        return Match(text=text_in, action=action_id, slots=values, confidence=round(confidence, 3),
                     missing=missing, alternatives=alts, explain=explain)

    def fill_for(self, action_id: str, text_in: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The values `text_in` gives for one given action's slots, with the reason for each (used to
        read a follow-up against the last action)."""
        spec = self.actions.get(action_id)
        if spec is None:
            return {}, {}
        tagged = entities.tag(str(text_in)[: entities.MAX_CHARS], lexicon=self.lexicon)
        return slot_roles.fill(spec, tagged, None, self.packs, self.lexicon)

    def foreign_words(self, action_id: str, text_in: str) -> tuple[list[str], bool]:
        """The content words of `text_in` that the action's own sentences never use, and whether every
        value in it is a bare number: a follow-up made of a value and follow-up words ("no, 5.5%") is
        about the last action, while "book me a table for two" only happens to hold a number."""
        idx = self.classifier.index_of.get(action_id)
        tagged = entities.tag(str(text_in)[: entities.MAX_CHARS], lexicon=self.lexicon)
        vocab = self.classifier.vocab_of(idx) if idx is not None else set()
        words = [t for t in text.tokens(tagged.placeholder_text(), self.lexicon.text_words) if not t.startswith("<")]
        strange = [t for t in words if t not in vocab and t not in text.FOLLOW_UP_WORDS]
        bare = all(e.kind == "number" for e in tagged.entities)
        return strange, bare

    def _document(self, clipped: str):
        """The first instruction before a pasted payload that names an action with a document slot (see
        intents/resolver/document.py), classified on its own words: (action, confidence, alternatives,
        explain info, the instruction tagged, where the payload starts), or None."""
        for head_text, at in document.candidates(clipped):
            head = entities.tag(head_text, lexicon=self.lexicon)
            placeholder = head.placeholder_text()
            hit = self._template(head, placeholder)
            if hit is not None and hit[0] in self.document_slots:
                return hit[0], hit[2], [], {"tier": "template"}, head, at
            action_id, confidence, alts, info = self._classify(head, placeholder, pasted=True)
            if action_id in self.document_slots:
                info["classified"] = "the request before the pasted text"
                return action_id, confidence, alts, info, head, at
        return None

    def _fill(self, spec, tagged, captures, explain: bool, fills: dict | None):
        """slot_roles.fill, once per action and captures for one tagged text (`fills`, kept by resolve):
        the template check, the re-ranking and the refusal checks fill actions the final fill may fill
        again, with a reason for every empty slot (explain), which it adds to the same filling."""
        if fills is None:
            return slot_roles.fill(spec, tagged, captures, self.packs, self.lexicon, explain=explain)
        got = fills.get(spec.id)
        if got is None or got[0] is not spec or not (got[1] is captures or (not got[1] and not captures)):
            filler = slot_roles.Filler(spec, tagged, captures, self.packs, self.lexicon, explain=False)
            filler.fill()
            got = fills[spec.id] = (spec, captures, filler)
        filler = got[2]
        if explain:  # the final fill: its caller may change what it returns, so it is not served again
            del fills[spec.id]
            filler._why_empty(list(spec.slots))
        return filler.slots, filler.reasons

    def _template(self, tagged, placeholder: str, fills: dict | None = None):
        """The most specific template whose free-text captures hold up: a required captured slot must
        really fill, and an optional free-text capture must be mostly words the catalog knows ("help
        me sue my neighbour" is not help on the topic "me sue my neighbour")."""
        partial = None
        for action_id, captures in self.templates.matches(placeholder):
            spec = self.actions.get(action_id)
            if spec is None:
                continue
            if not captures:
                return action_id, captures, 0.97
            values, _ = self._fill(spec, tagged, captures, False, fills)
            filled, sound = True, True
            for name, captured in captures.items():
                slot = spec.slot(name)
                if slot is None:
                    continue
                if slot.required and name not in values:
                    filled = False  # "redact a file": the right action, the file still to ask for
                elif not slot.required and slot.kind == "text":
                    words = [t for t in text.tokens(captured, self.lexicon.text_words) if not t.startswith("<")]
                    known = sum(1 for t in words if t in self.action_vocab)
                    sound = not words or known * 2 >= len(words)
                    if captured.split()[:1] and captured.split()[0].lower() in _OBJECTS:
                        sound = False  # "help me pay off my loan": a request to do something, not a topic
            if filled and sound:
                return action_id, captures, 0.97
            if sound and partial is None:
                partial = (action_id, captures, 0.85)
        return partial

    @property
    def action_vocab(self) -> set[str]:
        """Words the actions' own sentences use (not the out-of-scope examples')."""
        if self._action_vocab is None:
            c = self.classifier
            self._action_vocab = set().union(*(c.vocab_of(i) for i in range(len(c.ids)) if i != c.oos_index))
        return self._action_vocab

    def _declared_of(self, action_id: str) -> set[str]:
        """The tokens of the cue words an action's slots declare that no sentence of the catalog uses
        ("feed" for the servings wanted): words the pack says its requests use, and only it. A cue word
        the samples use ("rate") already counts where they put it; its choices' words are values said
        instead (`_choices_said`)."""
        spec = self.actions.get(action_id)
        cues = [c for s in (spec.slots if spec is not None else ()) for c in (s.cues or ())]
        if not cues:
            return set()
        known = self.classifier.vocab_set
        return {t for t in text.tokens(" ".join(cues), self.lexicon.text_words) if not t.startswith("<") and t not in known}

    def _choices_said(self, toks: list[str]) -> dict[str, int]:
        """action -> how many of its choice slots the request names a value of ("grams of honey in half
        a cup": a measure, an ingredient, a measure), when it names two or more. Such a word is a value
        said, as an entity is, and counts as `_kind_fit` counts a kind served; a choice is a word, so no
        entity says it. One alone is one word in common ("open my email" beside a redactor's kinds)."""
        if self._choice_words is None:
            table: dict[str, list[tuple[str, str]]] = {}
            for a in self.actions.values():
                for sl in a.slots:
                    said = sl.choice_words()
                    if sl.type == "boolean" or not said:
                        continue
                    for t in set(text.tokens(" ".join(w.replace("_", " ") for w in said), self.lexicon.text_words)):
                        if len(t) >= 2 and not t.startswith("<"):  # "c" or "g" alone say too little
                            table.setdefault(t, []).append((a.id, sl.name))
            self._choice_words = table
        got: dict[str, set[str]] = {}
        for t in set(toks):
            for aid, name in self._choice_words.get(t, ()):
                got.setdefault(aid, set()).add(name)
        return {aid: len(names) for aid, names in got.items() if len(names) >= 2}

    def _ranked(self, scores: dict[int, float], kinds: set[str], chosen: dict[str, int] | None = None) -> list[tuple[float, str]]:
        ranked = []
        ids = self.classifier.ids
        fits = self._fits_for(kinds)
        chosen = chosen or {}
        for idx, s in scores.items():
            aid = ids[idx]
            if aid != OOS:
                fit = fits.get(aid)
                if fit is None:
                    fit = fits[aid] = self._kind_fit(aid, kinds)
                s += 0.08 * (fit + chosen.get(aid, 0))
            ranked.append((s, aid))
        ranked.sort(reverse=True)
        return ranked

    def _classify(self, tagged, placeholder: str, pasted: bool = False, fills: dict | None = None):
        toks = text.tokens(placeholder, self.lexicon.text_words)
        toks, repairs = self.classifier.query_tokens(toks, self.lexicon.declared_words)
        info: dict[str, Any] = {"tier": "statistical", "tokens": toks}
        if repairs:
            info["typo_repairs"] = repairs
        kinds = {e.kind for e in tagged.entities}
        # Only the candidates are scored (a big catalog's common words touch thousands of sentences):
        # enough when four actions lead anything left out, whose score is at most `bound` plus what the
        # kinds said can add to any action. Only the best four are ever read below; otherwise all of them.
        scores, _coverage, bound = self.classifier.candidate_scores(toks)
        chosen = self._choices_said(toks)
        ranked = self._ranked(scores, kinds, chosen)
        if bound:
            leaders = [s for s, a in ranked[:5] if a != OOS]
            if len(leaders) < 4 or leaders[3] <= bound + 0.08 * (self._max_fit(kinds) + max(chosen.values(), default=0)):
                scores, _coverage = self.classifier.scores(toks)
                ranked = self._ranked(scores, kinds, chosen)
        info["top"] = [{"action": a, "score": round(s, 3)} for s, a in ranked[:4]]
        if not ranked or all(t == "<number>" for t in toks):
            info["refused"] = "no words to go on" if ranked else "nothing close enough"
            return None, 0.0, [], info
        best, best_id = ranked[0]
        actions_only = [(s, a) for s, a in ranked if a != OOS]
        oos_score = scores.get(self.classifier.oos_index, 0.0)
        if best_id == OOS or best < ACCEPT or not actions_only:
            info["refused"] = "closest to out-of-scope examples" if best_id == OOS else "nothing close enough"
            conf = _calibrate(actions_only[0][0], actions_only[0][0] - max(oos_score, actions_only[1][0] if len(actions_only) > 1 else 0)) if actions_only else 0.0
            alts = [Alternative(action=a, confidence=round(_calibrate(s, 0), 3)) for s, a in actions_only[:2] if s >= ACCEPT]
            return None, round(min(conf, 0.49), 3), alts, info
        actions_only = self._rerank(actions_only, tagged, info, fills)
        s1, a1 = actions_only[0]
        spec = self.actions[a1]
        support = self.classifier.support(toks, self.classifier.index_of[a1])
        info["support"] = round(support, 3)
        gives_source = pasted and any(x.kind in ("source", "document") for x in spec.slots)  # the pasted text will be its source
        if s1 < ACCEPT_BARE and support < BARE_SUPPORT and spec.required and not gives_source and \
                not any(e.kind not in ("number",) for e in tagged.entities):
            # Nothing said fills any of its slots and the words are only loosely alike: "pay my
            # mortgage bill" is not a request to calculate a mortgage payment.
            values, _ = self._fill(spec, tagged, None, False, fills)
            if not values:
                info["refused"] = f"loosely like {a1} ({s1:.2f}) with none of its values"
                conf = round(min(_calibrate(s1, 0), 0.49), 3)
                return None, conf, [Alternative(action=a1, confidence=conf)], info
        evidence = info["evidence"] = self._evidence(toks, a1)
        if evidence <= 1 and support < 1.0 and not gives_source:
            # One word of the action's own, the rest not its words, and no value said that fills any of
            # its slots: "show my browsing history", "a cheaper dental plan", "run the dishwasher" share
            # one word with an action and ask for something else.
            values, _ = self._fill(spec, tagged, None, False, fills)
            if not values:
                info["refused"] = f"one word in common with {a1} ({s1:.2f}), no value for it"
                conf = round(min(_calibrate(s1, 0), 0.49), 3)
                return None, conf, [Alternative(action=a1, confidence=conf)], info
        s2 = actions_only[1][0] if len(actions_only) > 1 else 0.0
        margin = s1 - max(s2, oos_score)
        conf = _calibrate(s1, margin)
        if conf < FOREIGN_CONF and support < FOREIGN_SUPPORT:
            # Unsure, and most of the words are not the action's own: "calculate the CHA2DS2-VASc score
            # for a 75 year old woman" borrows a calculator's words for something no pack offers.
            info["refused"] = f"loosely like {a1} ({s1:.2f}), in mostly other words (support {support:.2f})"
            conf = round(min(conf, 0.49), 3)
            return None, conf, [Alternative(action=a1, confidence=conf)], info
        alts = [Alternative(action=a, confidence=round(_calibrate(s, s - s1), 3))
                for s, a in actions_only[1:4] if s1 - s <= ALTERNATIVE_GAP]
        return a1, conf, alts, info

    def _thin(self, spec, values: dict, toks: list[str], evidence: int) -> str | None:
        """Why an answer the words alone favour rests on too little to be called sure (None if it does
        not): the similarity is calibrated on words, and a request that names few of the action's words
        and gives few of its values is as often something else ("set the oven to 20 percent", "the
        exchange rate in berlin", "that would be correct")."""
        required = [s.name for s in spec.slots if s.required]
        foreign = sum(1 for t in set(toks) if not t.startswith("<") and t not in self.classifier.vocab_set)
        if not required:
            return "few of its words and some no action uses" if evidence <= 2 and foreign else None
        filled = sum(1 for n in required if n in values)
        if filled == 0:
            return "none of its values given"
        if filled < len(required) and evidence <= 1:
            return "one of its words, some of its values"
        if filled * 2 < len(required) and evidence <= 2:
            return "few of its words, fewer than half its values"
        return None

    def shortlist(self, text_in: str, k: int = 8) -> list[str]:
        """The k actions most worth offering the LLM tier for a request the local tier could not settle,
        ranked by the same general signals it resolves with, however far below its acceptance line: word
        similarity to the samples (with typo repair), the kinds of the values said that the action's
        slots take, and the share of the request's words the action uses. No pack is favoured."""
        tagged = entities.tag(str(text_in)[: entities.MAX_CHARS], lexicon=self.lexicon)
        toks, _ = self.classifier.query_tokens(text.tokens(tagged.placeholder_text(), self.lexicon.text_words),
                                               self.lexicon.declared_words)
        if not toks:
            return []  # nothing to rank by ("what can you do" is all function words): the caller's fallback
        scores, _ = self.classifier.scores(toks)
        kinds = {e.kind for e in tagged.entities}
        ranked = []
        for idx, aid in enumerate(self.classifier.ids):
            if idx == self.classifier.oos_index:
                continue
            s = scores.get(idx, 0.0) + 0.08 * self._kind_fit(aid, kinds) + 0.1 * self.classifier.support(toks, idx)
            ranked.append((s, aid))
        ranked.sort(key=lambda pair: (-pair[0], pair[1]))
        return [aid for _, aid in ranked[:k]]

    def _evidence(self, toks: list[str], action_id: str) -> int:
        """How many distinct words of the request the action's own sentences use."""
        vocab = self.classifier.vocab_of(self.classifier.index_of[action_id])
        return sum(1 for t in set(toks) if not t.startswith("<") and t in vocab)

    def _rerank(self, ranked: list, tagged, info: dict, fills: dict | None = None) -> list:
        """Close candidates are compared by how well the values said fill their slots: "loan 300000
        rate 6 term 30" fills a loan, while as a QT interval 300000 ms is rejected."""
        if len(ranked) < 2:
            return ranked
        top = ranked[0][0]
        close = [(s, a) for s, a in ranked[:3] if top - s <= RERANK_GAP]
        if len(close) < 2:
            return ranked
        adjusted = []
        for s, a in close:
            spec = self.actions[a]
            values, reasons = self._fill(spec, tagged, None, False, fills)
            required = [x.name for x in spec.slots if x.required]
            filled = sum(1 for n in required if n in values) / len(required) if required else 1.0  # nothing to ask for
            rejected = sum(1 for r in reasons.values() if r.startswith("rejected"))
            adjusted.append((s + 0.06 * filled - 0.08 * rejected, a))
        info["reranked"] = [{"action": a, "score": round(s, 3)} for s, a in sorted(adjusted, reverse=True)]
        return sorted(adjusted, reverse=True) + ranked[len(close):]

    def _fits_for(self, kinds: set[str]) -> dict[str, float]:
        """action -> `_kind_fit` for this set of entity kinds, filled as actions are asked for: requests
        say few distinct sets of kinds, and every candidate of every request asks."""
        key = frozenset(kinds)
        got = self._fits.get(key)
        if got is None:
            if len(self._fits) >= 1024:  # bounded: arbitrary input must not grow it without end
                self._fits.clear()
            got = self._fits[key] = {}
        return got

    def _max_fit(self, kinds: set[str]) -> float:
        """The most `_kind_fit` gives any action for these kinds (actions share a few slot-kind sets)."""
        if self._kind_groups is None:
            groups: dict[frozenset, str] = {}
            for aid, wanted in self.kind_sets.items():
                groups.setdefault(frozenset(wanted), aid)
            self._kind_groups = list(groups.values())
        return max((self._kind_fit(aid, kinds) for aid in self._kind_groups), default=0.0)

    def _kind_fit(self, action_id: str, kinds: set[str]) -> float:
        """How well the entities said fit the action's slots: +1 per slot kind served, -0.5 per
        distinctive entity the action cannot use."""
        served = self._served.get(action_id)
        if served is None:  # asked for every candidate of every request: the set is built once per action
            served = self._served[action_id] = self._served_by(self.kind_sets.get(action_id, set()))
        fit = 0.0
        for k in kinds:
            if k in ("number", "quoted"):
                continue
            fit += 1.0 if k in served else -0.5
        return fit

    def _served_by(self, wanted: set[str]) -> set[str]:
        """The entity kinds that can fill one of these slot kinds: their own entities, a pack kind's
        values, names for party kinds, paths for documents, and values in a unit a slot's kind knows
        ("126 mg/dL" serves a unit slot too)."""
        out: set[str] = set()
        pack_kinds = self.lexicon.pack_kinds
        for sk in wanted:
            out.update(self.lexicon.entity_kinds(sk))
            out.add(sk)
            spec = self.lexicon.kind(sk)
            if spec is not None and spec.base == "party":
                out.add("party")
            if sk in ("source", "document"):
                out.add("path")
            if sk in pack_kinds and pack_kinds[sk].units:
                units = set(pack_kinds[sk].units)
                out.update(n for n, other in pack_kinds.items() if other.units and units & set(other.units))
        return out

    @staticmethod
    def _long_source(spec, text_in: str, values: dict, reasons: dict) -> None:
        """A pasted document longer than the matching window: the source is everything after the
        first colon, up to 1 MB."""
        slot = next(s for s in spec.slots if s.kind in ("source", "document"))
        head = text_in[: entities.MAX_CHARS]
        pos = head.find(":")
        if pos >= 0:
            values[slot.name] = text_in[pos + 1: pos + 1 + 1_000_000].strip()
            reasons[slot.name] = "the (long) text after the colon"


def _calibrate(score: float, margin: float) -> float:
    """Similarity and margin to a 0-1 confidence: about 0.5 at the accept line and near 1 for a close,
    well-separated match; a runner-up within reach halves it at worst, so two near-equal actions give
    a confidence below the LLM tier's default threshold (0.75) and the alternatives say which."""
    base = 1 / (1 + math.exp(-12.0 * (score - ACCEPT)))
    separation = 0.5 + 0.5 * min(1.0, max(margin, 0.0) / 0.15)
    return round(base * separation, 3)
