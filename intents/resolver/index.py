"""The resolver index: TF-IDF word and bigram vectors of every installed action's samples (tagged, so
"300k" and "$450,000" are both `<money>`), its title, its templates expanded, and the out-of-scope
examples; an inverted index over them; the compiled templates; the vocabulary for typo repair.

Built once per catalog and cached as JSON under INTENT_HOME/cache, keyed by the registry's
catalog_key and this package's own version, so a changed pack or a changed resolver rebuilds it.
"""
from __future__ import annotations

import hashlib
from collections import Counter
import itertools
import json
import math
import os
import re
from pathlib import Path

from intents.resolver import entities, oos, templates, text
from intents.resolver.slots import ENTITY_KINDS

INDEX_VERSION = 7
OOS = "_oos"
_HERE = Path(__file__).resolve().parent


def code_stamp() -> str:
    """Changes when any resolver module changes, so a new resolver never reads an old index."""
    h = hashlib.sha256(str(INDEX_VERSION).encode())
    for p in sorted(_HERE.glob("*.py")):
        st = p.stat()
        h.update(f"{p.name}:{st.st_mtime_ns}:{st.st_size};".encode())
    return h.hexdigest()[:12]


_GROUP = re.compile(r"\(([^()\[\]]*)\)")
_OPTIONAL = re.compile(r"\[([^()\[\]]*)\]")
_SLOT = re.compile(r"\{([a-z_0-9]+)\}")


def expand_template(template: str, kinds: dict[str, str | None], limit: int = 4) -> list[str]:
    """A few sentences a template accepts (first and last alternatives, with and without optionals),
    slots written as their entity placeholder, for the statistical tier to learn from."""
    def alt_of(src: str, pick: int, optional: bool) -> str:
        def group(m: re.Match) -> str:
            opts = m.group(1).split("|")
            return opts[min(pick, len(opts) - 1)] if pick >= 0 else opts[-1]

        def opt(m: re.Match) -> str:
            opts = m.group(1).split("|")
            return opts[min(pick, len(opts) - 1)] if optional else ""

        prev = None
        while prev != src:
            prev = src
            src = _GROUP.sub(group, src)
            src = _OPTIONAL.sub(opt, src)
        return src

    def slot(m: re.Match) -> str:
        kinds_ = ENTITY_KINDS.get(kinds.get(m.group(1)) or "", ())
        return f" <{kinds_[0]}> " if kinds_ else " " + m.group(1).replace("_", " ") + " "

    out = []
    for pick, optional in itertools.product((0, 1, -1), (True, False)):
        s = _SLOT.sub(slot, alt_of(template.lower(), pick, optional))
        s = " ".join(s.split())
        if s and s not in out:
            out.append(s)
        if len(out) >= limit:
            break
    return out


def _doc_tokens(sentence: str, tagged: bool = True) -> list[str]:
    if tagged:
        sentence = entities.tag(sentence, spell=False).placeholder_text()
    return text.tokens(sentence)


def _add_with_centroid(docs: list, centroids: list, action: int, token_lists: list[list[str]]) -> None:
    """One document per sentence (nearest neighbour) and one for all of them together: the action's
    whole vocabulary, so a word only this action uses ("bsa") counts even in a sentence unlike any
    sample."""
    bag: dict[str, float] = {}
    for toks in token_lists:
        if toks:
            f = text.features(toks)
            docs.append((action, f))
            for k, v in f.items():
                if " " not in k:  # words only: the sentences' own documents carry the word pairs
                    bag[k] = bag.get(k, 0.0) + v
    if bag:
        centroids.append(len(docs))
        docs.append((action, bag))


MAX_PACK_NEGATIVES = 500  # per pack: examples of refusal, not a second catalog


def pack_negatives(actions: list, negatives: dict[str, list[str]]) -> list[str]:
    """The installed packs' own negatives that may join the out-of-scope class. A pack's negative that
    says what an action of the catalog says (its tokens equal a sample's) is dropped: a pack author cannot
    make the resolver refuse another pack's requests by declaring them foreign."""
    said = set()
    for a in actions:
        for sample in (*a.samples, a.title):
            said.add(tuple(_doc_tokens(sample)))
    out = []
    for lines in negatives.values():
        for line in list(lines)[:MAX_PACK_NEGATIVES]:
            toks = tuple(_doc_tokens(str(line)[:500]))
            if toks and toks not in said:
                out.append(str(line)[:500])
    return out


def build(actions: list, negatives: dict[str, list[str]] | None = None) -> dict:
    docs: list[tuple[int, dict[str, float]]] = []
    centroids: list[int] = []  # doc numbers of each action's whole-bag document
    ids = [a.id for a in actions] + [OOS]
    compiled: list[tuple[str, str]] = []
    for i, a in enumerate(actions):
        kinds = {s.name: s.kind for s in a.slots}
        sentences = [(s, True) for s in a.samples] + [(a.title, False)]
        for tpl in a.templates:
            src = templates.compile_template(tpl, kinds)
            if src:  # the cheap pre-filter is computed once here, not at every start-up
                compiled.append((a.id, src, sorted(templates.required_words(src)),
                                 [sorted(g) for g in templates.required_groups(src)]))
            sentences += [(s, False) for s in expand_template(tpl, kinds)]
        _add_with_centroid(docs, centroids, i, [_doc_tokens(s, tagged) for s, tagged in sentences])
    refusals = [*oos.OUT_OF_SCOPE, *pack_negatives(actions, negatives or {})]
    _add_with_centroid(docs, centroids, len(actions), [_doc_tokens(s) for s in refusals])
    df: Counter = Counter()
    for _, f in docs:
        df.update(f.keys())
    n = len(docs)
    idf = {k: math.log((n + 1) / (c + 0.5)) for k, c in df.items()}
    weight = {k: v * (0.6 if " " in k else 1.0) for k, v in idf.items()}
    postings: dict[str, list] = {k: [] for k in df}
    log = math.log
    for d, (_, f) in enumerate(docs):
        vec = [(k, (1 + log(v)) * weight[k] if v != 1 else weight[k]) for k, v in f.items()]
        norm = math.sqrt(sum(w * w for _, w in vec)) or 1.0
        for k, w in vec:
            postings[k].append((d, int(w / norm * 1e5) / 1e5))
    vocab = sorted({k for k in df if " " not in k and not k.startswith("<")})
    return {
        "ids": ids,
        "doc_action": [a for a, _ in docs],
        "centroids": centroids,
        "idf": {k: round(v, 5) for k, v in idf.items()},
        "postings": postings,
        "templates": compiled,
        "vocab": vocab,
    }


def load_or_build(actions: list, home: Path | None, key: str, negatives: dict[str, list[str]] | None = None) -> dict:
    """The cached index for this catalog (packs' negatives included), building (and caching) it when
    missing or stale."""
    stamp = f"{key}-{code_stamp()}"
    if negatives:
        stamp += "-" + hashlib.sha256(json.dumps(negatives, sort_keys=True).encode()).hexdigest()[:8]
    path = home / "cache" / f"resolver-{stamp}.json" if home else None
    if path is not None:
        try:
            data = json.loads(path.read_text())
            if data.get("ids") == [a.id for a in actions] + [OOS]:
                return data
        except (OSError, ValueError):
            pass
    from intents.progress import status

    with status(f"building the resolver index over {len(actions)} actions (once per set of packs)…"):
        data = build(actions, negatives)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("resolver-*.json"):  # one index per home is enough
                old.unlink(missing_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, separators=(",", ":")))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home still resolves, it just rebuilds each time
    return data
