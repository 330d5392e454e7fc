"""The template syntax, parsed once: `[x]` optional, `(a|b)` alternatives, `{slot}` a slot (hassil's
syntax, minus its rule references and lists).

One tree serves every reader of templates: the matcher compiles it to a regular expression
(templates.py), the index expands it into a few sentences to learn from (index.py), and the voice
grammar draws spoken sentences from it (terminal/voice/grammar.py). hassil's own parser was weighed:
it brings rule references and lists we do not use, parses into its own classes, and costs an import
on the start-up path; our grammar is a dozen lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Union

_TOKEN = re.compile(r"\[|\]|\(|\)|\||\{[^{}]*\}|[^\[\]()|{}\s]+|\s+")


@dataclass
class Word:
    text: str


@dataclass
class Space:
    pass


@dataclass
class SlotRef:
    name: str


@dataclass
class Group:
    """Alternatives; `optional` for `[...]` (which may hold alternatives too: `[a|b]`)."""

    options: list["Seq"]
    optional: bool = False


@dataclass
class Seq:
    items: list[Union[Word, Space, SlotRef, Group]] = field(default_factory=list)


class TemplateError(ValueError):
    pass


def parse(template: str, strict: bool = True) -> Seq:
    """The tree of a template. `strict` raises TemplateError on unbalanced brackets; otherwise (the
    voice grammar, which must never fail) a missing closer is implied and a stray one ignored."""
    tokens = [t for t in _TOKEN.findall(template)]
    pos = 0

    def seq(closers: str) -> tuple[Seq, str | None]:
        nonlocal pos
        out = Seq()
        while pos < len(tokens):
            t = tokens[pos]
            pos += 1
            if t == "|" and closers:
                return out, "|"
            if t in ("]", ")"):
                if t in closers:
                    return out, t
                if strict:
                    raise TemplateError(f"unexpected '{t}' in {template!r}")
                continue
            if t in ("[", "("):
                closer = "]" if t == "[" else ")"
                options = []
                while True:
                    body, end = seq(closer)
                    options.append(body)
                    if end == "|":
                        continue
                    if end is None and strict:
                        raise TemplateError(f"unclosed '{t}' in {template!r}")
                    break
                out.items.append(Group(options, optional=t == "["))
            elif t.isspace():
                out.items.append(Space())
            elif t.startswith("{"):
                out.items.append(SlotRef(t[1:-1].split(":")[0].strip()))
            elif t == "|":
                out.items.append(Word(t))  # a bar outside any group is a literal
            else:
                out.items.append(Word(t))
        return out, None

    tree, _ = seq("")
    return tree


def walk(tree: Seq, choose: Callable[[Group], Seq | None], word: Callable[[str], str],
         slot: Callable[[str], str], space: str = " ") -> str:
    """Render one sentence: `choose` picks a group's option (None drops an optional one)."""
    out = []
    for item in tree.items:
        if isinstance(item, Word):
            out.append(word(item.text))
        elif isinstance(item, Space):
            out.append(space)
        elif isinstance(item, SlotRef):
            out.append(slot(item.name))
        else:
            picked = choose(item)
            if picked is not None:
                out.append(walk(picked, choose, word, slot, space))
    return "".join(out)


def slots(tree: Seq) -> list[str]:
    """Every slot the template names."""
    found = []
    for item in tree.items:
        if isinstance(item, SlotRef):
            found.append(item.name)
        elif isinstance(item, Group):
            for option in item.options:
                found += slots(option)
    return found
