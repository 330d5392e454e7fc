"""A request with a document: the instruction first, then the pasted text it is about.

"summarize this contract: This Services Agreement is made between A and B ...", "redact this <five
sentences>", "can you give me the key terms of this agreement. This Agreement ...": the words before the
payload say what to do, and the payload's own words (two parties, dates, a term) must not decide the
action. This module only finds where the instruction may end; the resolver then classifies each candidate
instruction and keeps the first that names an action with a document slot.

Candidate ends, in order: a colon, the end of the first sentence or line, and (for text pasted with no
punctuation at all) just after a pointing phrase ("this", "this contract", "the following", "below",
"here"). The rest must be long enough to be a document rather than a few more words of the request.
"""
from __future__ import annotations

import re

from intents.resolver.text import STOP

DOCUMENT_KINDS = ("source", "document")  # slot kinds that take pasted text (or a file path)
MIN_BODY_CHARS = 60
MIN_BODY_WORDS = 10
MAX_HEAD_CHARS = 160  # an instruction is a line, not a paragraph

_COLON = re.compile(r":\s+")
_SENTENCE = re.compile(r"(?<=[a-z0-9)\]])[.?!]\s+(?=\S)|\s*\n\s*", re.I)
_POINTING = re.compile(r"\b(?:this|these|the\s+following|following|below|here)\b(?:\s+([a-z]+))?", re.I)


def _long(body: str) -> bool:
    return len(body) >= MIN_BODY_CHARS and len(body.split()) >= MIN_BODY_WORDS


def candidates(text: str) -> list[tuple[str, int]]:
    """(instruction, where the payload starts) pairs worth classifying, best first."""
    head_zone = text[:MAX_HEAD_CHARS + 2]
    m = _COLON.search(head_zone)
    if m and m.start() > 0 and _long(text[m.end():]):
        return [(text[: m.start()].rstrip(), m.end())]  # a colon says where the request ends
    ends: list[tuple[int, int, int]] = []  # (where the phrase starts, preference, where the request ends)
    m = _SENTENCE.search(head_zone)
    if m and m.start() > 0:
        ends.append((m.start(), 0, m.start()))
    for m in _POINTING.finditer(head_zone):
        noun = m.group(1)
        # "this contract This Agreement ...": the noun belongs to the request; "this My name is ...":
        # a capital or a function word starts the payload
        if noun and noun[0].islower() and noun.lower() not in STOP:
            ends.append((m.start(), 0, m.end()))
        ends.append((m.start(), 1, m.start(1) - 1 if noun else m.end()))
        if len(ends) >= 8:
            break
    out, seen = [], set()
    for _, _, end in sorted(ends):
        at = len(text) - len(text[end:].lstrip(" ,;:.-\t\n"))
        if end > 0 and at not in seen and _long(text[at:]):
            seen.add(at)
            out.append((text[:end].rstrip(" ,;-"), at))
    return out
