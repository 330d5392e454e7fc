"""Exact templates, the first tier: "[the] (time|duration) to (go|travel) {distance} at {speed}".

Syntax (hassil's, minus its rule references): `[x]` optional, `(a|b)` alternatives, `{slot}` a slot.
Templates match the tagged text, so a typed slot ({principal}: money) matches only an entity of its
kind (`<money>`), never a run of words; only free-text slots (party, source, query, topic, pack) take
words, non-greedily, so "between {first} and {second}" splits "Acme and Bob" where it should.
"""
from __future__ import annotations

import re

from intents.resolver.lexicon import Lexicon

_CORE = Lexicon()

_NOT_KEPT = re.compile(r"[^\w<>\s'/.-]")
_END_DOT = re.compile(r"(?<=\w)[.](?=\s|$)")
_SPACES = re.compile(r"\s+")
_PLACEHOLDER_SPACED = re.compile(r"\s*(<[a-z_0-9]+>)\s*")
_PRESENT = re.compile(r"<[a-z_0-9]+>|[a-z][a-z']{2,}")
_WORD_RUN = re.compile(r"\w+")  # the runs a \b-bounded word of a template must be one of


def _normal(text: str) -> str:
    text = _NOT_KEPT.sub(" ", text.lower())
    if "." in text:
        text = _END_DOT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _spaced(m: re.Match) -> str:
    return " " + m.group(1) + " "


def _meets(groups: list[set[str]], present: set[str]) -> bool:
    """Whether the text names one word or placeholder of each of a template's required groups."""
    for g in groups:
        if g.isdisjoint(present):
            return False
    return True


def _says(runs: set[str], words: list) -> bool:
    """Whether a text of these \\w+ runs holds an alternative of each of a template's whole-word
    requirements (Templates._words_of): a set is any one of its words, a tuple any one of its sets."""
    for need in words:
        if type(need) is frozenset:
            if runs.isdisjoint(need):
                return False
        else:
            for alt in need:
                if alt <= runs:
                    break
            else:
                return False
    return True


def compile_template(template: str, kinds: dict[str, str | None], lexicon: Lexicon | None = None) -> str | None:
    """Regex source for a template, or None when it does not parse (a pack author's typo must not
    break resolving). Only an index build compiles templates: the tree module stays off the start-up path."""
    from intents.resolver.template_tree import Group, Seq, SlotRef, Space, TemplateError, parse

    try:
        tree = parse(template.lower())
    except TemplateError:
        return None
    lex = lexicon or _CORE
    seen: dict[str, int] = {}

    def render(seq) -> str:
        out = []
        for item in seq.items:
            if isinstance(item, Space):
                out.append(r"\s*")
            elif isinstance(item, Group):
                out.append("(?:" + "|".join(render(o) for o in item.options) + ")" + ("?" if item.optional else ""))
            elif isinstance(item, SlotRef):
                ent = lex.entity_kinds(kinds.get(item.name))
                if ent:
                    out.append("(?:" + "|".join(f"<{k}>" for k in ent) + ")")
                elif re.fullmatch(r"[a-z_][a-z_0-9]*", item.name):
                    # a slot named twice ("[{formula}] qtc ... [{formula}]") captures under a second name
                    seen[item.name] = seen.get(item.name, 0) + 1
                    group = item.name if seen[item.name] == 1 else f"{item.name}__{seen[item.name]}"
                    out.append(rf"(?P<{group}>[^<>]+?)")
                else:
                    raise TemplateError(item.name)
            else:
                tok = item.text
                word = re.escape(_normal(tok))
                # word boundaries: "(in|from)" must not match inside "finance"
                out.append((r"\b" if tok[:1].isalnum() else "") + word + (r"\b" if tok[-1:].isalnum() else ""))
        return "".join(out)

    try:
        return render(tree)
    except TemplateError:
        return None


def required_words(src: str) -> set[str]:
    """Words every sentence the template accepts contains (outside optional and alternative groups):
    a cheap filter, so that only templates whose words are all present get compiled and tried."""
    depth, words, buf = 0, set(), []
    i = 0
    while i < len(src):
        c = src[i]
        if c == "\\":
            buf.append(" ")  # an escape (\b, \s, \.) is never part of a word
            i += 2
            continue
        if c == "(":
            if depth == 0:
                words |= set(re.findall(r"[a-z][a-z']{2,}", "".join(buf)))
                buf = []
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            buf.append(c)
        i += 1
    words |= set(re.findall(r"[a-z][a-z']{2,}", "".join(buf)))
    return words


def required_groups(src: str) -> list[set[str]]:
    """For each mandatory top-level group of alternatives ("(?:loan|mortgage)", "(?:<money>|<number>)"),
    the words or placeholders one of which must be in the text. Groups with an alternative that has
    no word of its own are left out (they could match anything)."""
    groups, depth, start, i = [], 0, None, 0
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0 and start is not None:
                optional = src[i + 1:i + 2] in ("?", "*")
                body = src[start:i + 1]
                if not optional and body.startswith("(?:"):
                    alts = _split_top(body[3:-1])
                    words = [set(re.findall(r"<[a-z_0-9]+>|[a-z][a-z']{2,}", re.sub(r"\\[a-z]", " ", a))) for a in alts]
                    if words and all(words):
                        groups.append(set().union(*words))
                start = None
        i += 1
    return groups


def _split_top(body: str) -> list[str]:
    parts, depth, cur, i = [], 0, [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            cur.append(body[i:i + 2])
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def filing_keys(entries: list) -> list[list[str]]:
    """For each compiled template (action, src, required words, required groups): what it is filed under
    in `Templates`' inverted index. Its rarest required word (every sentence it accepts has it), else
    each alternative of its rarest mandatory group (every sentence has one of them), else nothing (it is
    visited always). Rarest among these templates: the shorter the list a query walks."""
    freq: dict[str, int] = {}
    for _, _, words, groups in entries:
        for w in words:
            freq[w] = freq.get(w, 0) + 1
        for g in groups:
            for w in g:
                freq[w] = freq.get(w, 0) + 1
    keys = []
    for _, _, words, groups in entries:
        if words:
            keys.append([min(words, key=lambda w: (freq[w], w))])
        elif groups:
            keys.append(sorted(min(groups, key=lambda g: (sum(freq[w] for w in g), sorted(g)))))
        else:
            keys.append([])
    return keys


class Templates:
    """Templates compiled on first use: a catalog of thousands of templates costs nothing at start-up,
    and a query compiles only the few whose required words it contains.

    An inverted index keeps a query from visiting every template: each template is filed under one thing
    every sentence it accepts must contain (see `filing_keys`; the index build stores them as each entry's
    fifth field), so a query looks at the templates filed under its own words only, and at the few filed
    under nothing. The full check runs on those as before: the index only leaves out templates that check
    would reject. An entry's word sets are made when a query first needs them; a malformed entry (only a
    damaged cache has one) is never a match."""

    def __init__(self, compiled: list) -> None:
        entries = []
        for entry in compiled:
            if len(entry) >= 4:
                entries.append(entry)
            else:
                src = entry[1]
                entries.append((entry[0], src, sorted(required_words(src)), [sorted(g) for g in required_groups(src)]))
        self.entries = entries
        if entries and all(len(e) >= 5 for e in entries):
            keys = [e[4] for e in entries]
        else:
            keys = filing_keys([e[:4] for e in entries])
        self._checks: dict[int, tuple | None] = {}
        self._rx: dict[int, re.Pattern | None] = {}
        self._words: dict[int, list] = {}  # see _words_of
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []
        by_word = self._by_word
        for i, filed in enumerate(keys):
            try:
                if not filed:
                    raise TypeError
                for k in filed:
                    by_word.setdefault(k, []).append(i)
            except TypeError:  # filed under nothing (or, in a damaged cache, under something unusable)
                self._always.append(i)

    @property
    def items(self) -> list[tuple[str, str, set[str], list[set[str]]]]:
        """(action, regex source, required words, required groups) of every well-formed template."""
        return [c for c in (self._check(i) for i in range(len(self.entries))) if c is not None]

    def _check(self, i: int):
        got = self._checks.get(i, False)
        if got is False:
            try:
                action, src, words, groups = self.entries[i][:4]
                if not (isinstance(action, str) and isinstance(src, str)):
                    raise TypeError(action)
                got = (action, src, set(words), [set(g) for g in groups])
            except (TypeError, ValueError):
                got = None
            self._checks[i] = got
        return got

    def _words_of(self, i: int, src: str) -> list:
        """The whole words template i cannot match without (intents.resolver.literals.whole_words):
        its required words above are those of three letters or more, and a template that fails on a
        missing "in" or "at" still costs its full regex, with a backtracking wildcard or two."""
        got = self._words.get(i)
        if got is None:
            from intents.resolver.literals import whole_words

            got = []
            for alternatives in whole_words(src):
                if all(len(alt) == 1 for alt in alternatives):  # one word of several: a set to intersect
                    got.append(frozenset().union(*alternatives))
                else:
                    got.append(tuple(alternatives))
            self._words[i] = got
        return got

    def match(self, placeholder_text: str) -> tuple[str, dict[str, str]] | None:
        found = self.matches(placeholder_text)
        return found[0] if found else None

    def candidates(self, present: set[str]) -> list[int]:
        """The templates worth checking against a text with these words and placeholders, in order."""
        hits = set(self._always)
        by_word = self._by_word
        for w in present:
            filed = by_word.get(w)
            if filed:
                hits.update(filed)
        return sorted(hits)

    def matches(self, placeholder_text: str) -> list[tuple[str, dict[str, str]]]:
        """Every template that matches, the most specific first (the fewest characters left to
        wildcards)."""
        found = []
        text = _normal(placeholder_text)
        if "<" in text:  # every placeholder with one space either side
            text = _PLACEHOLDER_SPACED.sub(_spaced, text).strip()
        present = set(_PRESENT.findall(text))
        runs = None  # the text's \w+ runs, read when a template names whole words (see _words_of)
        for i in self.candidates(present):
            checked = self._check(i)
            if checked is None:
                continue
            action, src, needed, groups = checked
            if not needed <= present or not _meets(groups, present):
                continue
            words = self._words.get(i)
            if words is None:
                words = self._words_of(i, src)
            if words:
                if runs is None:
                    runs = set(_WORD_RUN.findall(text))
                if not _says(runs, words):
                    continue  # a word it cannot match without ("in", "at") is not in the text
            if i not in self._rx:
                try:
                    self._rx[i] = re.compile(src)
                except re.error:
                    self._rx[i] = None  # a pack author's broken template never breaks resolving
            rx = self._rx[i]
            m = rx.fullmatch(text) if rx is not None else None
            if m:
                caps = {}
                for k, v in m.groupdict().items():
                    if v:
                        caps.setdefault(k.split("__")[0], v.strip())
                found.append((sum(len(v) for v in caps.values()), i, action, caps))
        found.sort()
        return [(action, caps) for _, _, action, caps in found]
