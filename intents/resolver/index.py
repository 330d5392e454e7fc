"""The resolver index: TF-IDF word and bigram vectors of every installed action's samples (tagged, so
"300k" and "$450,000" are both `<money>`), its title, its templates expanded, and the out-of-scope
examples; an inverted index over them; the compiled templates; the vocabulary for typo repair.

Built once per catalog and cached as JSON under INTENT_HOME/cache, keyed by the registry's
catalog_key and this package's own version, so a changed pack or a changed resolver rebuilds it.

The cache is compact so that 5,000 actions load in a few tens of milliseconds: the postings (some
600,000 (document, weight) pairs at that size) are flat arrays of unsigned integers in a file beside the
JSON (resolver-*.bin), decoded per feature when a query first uses it; weights and idf are kept to five
decimals, as integers. Loading makes a few hundred thousand objects instead of millions, with the
garbage collector off meanwhile (collections over a half-built index were most of the old load time).

The cache is a file the user can write, so it is only an index: it names which action a text is
nearest, never what runs or what is allowed (dispatch and the entitlement gate decide that from the
packs' own code). It is never executed (JSON and integer arrays, no pickle), it must carry the stamp of
this catalog and resolver, and what it holds cannot break resolving: every integer decodes to a finite
weight, a document number past the end is dropped, a malformed part means a rebuild.
"""
from __future__ import annotations

import gc
import hashlib
import itertools
import json
import math
import os
import sys
from array import array
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from intents.resolver import entities, oos, template_tree, templates, text
from intents.resolver.lexicon import Lexicon

INDEX_VERSION = 10  # 7: the catalog's lexicon (pack kinds, units, words); 8: packs' negatives too; 9: arrays;
# 10: out-of-scope examples an installed action serves left out
OOS = "_oos"
_HERE = Path(__file__).resolve().parent
SCALE = 100_000  # weights and idf to five decimals: stored as integers, so any stored value is finite
_ARRAYS = ("doc_action", "centroids", "starts", "docs", "weights", "idf", "bag_starts", "bag_words")


@contextmanager
def no_gc():
    """The collector off while a large index is parsed or built: it would walk the growing heap again and
    again for cycles that plain lists and dicts of numbers never make."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Postings:
    """feature -> its documents and weights, over flat arrays: `starts[i]:starts[i + 1]` is feature i's
    slice of `docs` and `weights` (documents ascending, weights times SCALE). A feature's lists are
    decoded when a query first uses them and kept. The idf of every feature, and each action's own
    words (its whole-bag document's features: `bag_starts`/`bag_words`) sit beside them."""

    def __init__(self, features: list[str], starts: array, docs: array, weights: array, idf: array,
                 n_docs: int, bag_starts: array, bag_words: array) -> None:
        self.features = features
        self.pos = dict(zip(features, range(len(features))))
        self.starts, self.docs, self.weights, self._idf = starts, docs, weights, idf
        self.n_docs = n_docs
        self.bag_starts, self.bag_words = bag_starts, bag_words
        self._lists: dict[int, tuple[list[int], list[float]]] = {}

    def __len__(self) -> int:
        return len(self.features)

    def __contains__(self, k: str) -> bool:
        return k in self.pos

    def length(self, k: str) -> int:
        i = self.pos.get(k)
        return 0 if i is None else max(self.starts[i + 1] - self.starts[i], 0)

    def lengths(self) -> list[int]:
        """Every feature's list length (a damaged cache's negative one is over no limit)."""
        st = self.starts.tolist()
        return list(map(int.__sub__, st[1:], st))

    def get(self, k: str) -> tuple[list[int], list[float]] | None:
        """(documents, weights) of feature `k`, or None when no document has it."""
        i = self.pos.get(k)
        if i is None:
            return None
        got = self._lists.get(i)
        if got is None:
            a, b = self.starts[i], self.starts[i + 1]
            docs = self.docs[a:b].tolist()
            ws = [n / SCALE for n in self.weights[a:b]]
            if docs and max(docs) >= self.n_docs:  # only a damaged cache: what is left still resolves
                pairs = [(d, w) for d, w in zip(docs, ws) if d < self.n_docs]
                docs, ws = [d for d, _ in pairs], [w for _, w in pairs]
            got = self._lists[i] = (docs, ws)
        return got

    def idf(self, k: str, default: float | None = None) -> float | None:
        i = self.pos.get(k)
        return default if i is None else self._idf[i] / SCALE

    def bag(self, action: int) -> set[str]:
        """The features of an action's whole-bag document: the words its sentences use."""
        if not 0 <= action < len(self.bag_starts) - 1:
            return set()
        feats, n = self.features, len(self.features)
        return {feats[f] for f in self.bag_words[self.bag_starts[action]:self.bag_starts[action + 1]] if f < n}

    @classmethod
    def from_dicts(cls, postings: dict[str, list[tuple[int, int]]], idf: dict[str, float], n_docs: int,
                   bags: list[list[str]]) -> "Postings":
        features = list(postings)
        starts, docs, weights = array("I", [0]), array("I"), array("I")
        for k in features:
            for d, w in postings[k]:
                docs.append(d)
                weights.append(w)
            starts.append(len(docs))
        pos = {k: i for i, k in enumerate(features)}
        bag_starts, bag_words = array("I", [0]), array("I")
        for words in bags:
            bag_words.extend(pos[w] for w in words)
            bag_starts.append(len(bag_words))
        idf_q = array("I", (round(idf[k] * SCALE) for k in features))
        return cls(features, starts, docs, weights, idf_q, n_docs, bag_starts, bag_words)


def code_stamp() -> str:
    """Changes when any resolver module changes, so a new resolver never reads an old index."""
    h = hashlib.sha256(str(INDEX_VERSION).encode())
    for p in sorted(_HERE.glob("*.py")):
        st = p.stat()
        h.update(f"{p.name}:{st.st_mtime_ns}:{st.st_size};".encode())
    return h.hexdigest()[:12]


def expand_template(template: str, kinds: dict[str, str | None], limit: int = 4, lexicon: Lexicon | None = None) -> list[str]:
    """A few sentences a template accepts (first and last alternatives, with and without optionals),
    slots written as their entity placeholder, for the statistical tier to learn from."""
    tree = template_tree.parse(template.lower(), strict=False)
    lex = lexicon or Lexicon()

    def slot(name: str) -> str:
        kinds_ = lex.entity_kinds(kinds.get(name))
        return f" <{kinds_[0]}> " if kinds_ else " " + name.replace("_", " ") + " "

    out = []
    for pick, optional in itertools.product((0, 1, -1), (True, False)):
        def choose(g, pick=pick, optional=optional):
            if g.optional and not optional:
                return None
            return g.options[min(pick, len(g.options) - 1)]

        s = " ".join(template_tree.walk(tree, choose, str, slot).split())
        if s and s not in out:
            out.append(s)
        if len(out) >= limit:
            break
    return out


def _doc_tokens(sentence: str, tagged: bool = True, lexicon: Lexicon | None = None, memo: dict | None = None) -> list[str]:
    """A sample's tokens, tagged (`<money>`) unless it is a template's expansion. `memo`: one build's
    sentences already read (a sample is read for the index and again against the packs' negatives);
    the list returned is shared, read only."""
    if memo is not None:
        got = memo.get((sentence, tagged))
        if got is None:
            got = memo[(sentence, tagged)] = _doc_tokens(sentence, tagged, lexicon)
        return got
    if tagged:
        sentence = entities.tag(sentence, spell=False, lexicon=lexicon).placeholder_text()
    return text.tokens(sentence, lexicon.text_words if lexicon is not None else None)


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


def pack_negatives(actions: list, negatives: dict[str, list[str]], lexicon: Lexicon | None = None,
                   memo: dict | None = None) -> list[str]:
    """The installed packs' own negatives that may join the out-of-scope class. A pack's negative that
    says what an action of the catalog says (its tokens equal a sample's) is dropped: a pack author cannot
    make the resolver refuse another pack's requests by declaring them foreign."""
    if not any(negatives.values()):
        return []  # no pack declares any: nothing to compare the samples with
    said = set()
    for a in actions:
        for sample in (*a.samples, a.title):
            said.add(tuple(_doc_tokens(sample, True, lexicon, memo)))
    out = []
    for lines in negatives.values():
        for line in list(lines)[:MAX_PACK_NEGATIVES]:
            toks = tuple(_doc_tokens(str(line)[:500], True, lexicon, memo))
            if toks and toks not in said:
                out.append(str(line)[:500])
    return out


def _declared_tokens(action, lexicon: Lexicon | None) -> list[str]:
    """The tokens of the words an action's slots declare: their choices, synonyms and cue words."""
    said = []
    for s in action.slots:
        said += [*s.choice_words(), *(s.cues or ())]
    if not said:
        return []
    toks = text.tokens(" ".join(w.replace("_", " ") for w in said), lexicon.text_words if lexicon is not None else None)
    return sorted({t for t in toks if not t.startswith("<")})


def served_elsewhere(examples: list[str], words: list[set[str]], lexicon: Lexicon | None = None,
                     memo: dict | None = None) -> list[str]:
    """The domain-free out-of-scope examples no installed action serves: one all of whose words are one
    action's own words ("how many grams in a cup of flour" beside a kitchen pack's converter) is that
    pack's request, not a refusal, and is left out. The terminal's examples are "what no pack offers";
    an installed pack that offers it must not be refused for it."""
    out = []
    for line in examples:
        toks = {t for t in _doc_tokens(line, True, lexicon, memo) if not t.startswith("<")}
        # one word in common is what these examples are there to refuse ("who are you" beside "who")
        if len(toks) < 2 or not any(toks <= w for w in words):
            out.append(line)
    return out


def build(actions: list, lexicon: Lexicon | None = None, negatives: dict[str, list[str]] | None = None) -> dict:
    lexicon = lexicon or Lexicon.build(actions)
    docs: list[tuple[int, dict[str, float]]] = []
    centroids: list[int] = []  # doc numbers of each action's whole-bag document
    ids = [a.id for a in actions] + [OOS]
    compiled: list[tuple[str, str]] = []
    memo: dict = {}  # sentence -> tokens: tagging is most of a build, and samples recur
    words: list[set[str]] = []  # each action's own words: its sentences' and its slots' declared ones
    for i, a in enumerate(actions):
        kinds = {s.name: s.kind for s in a.slots}
        sentences = [(s, True) for s in a.samples] + [(a.title, False)]
        for tpl in a.templates:
            src = templates.compile_template(tpl, kinds, lexicon)
            if src:  # the cheap pre-filter is computed once here, not at every start-up
                compiled.append((a.id, src, sorted(templates.required_words(src)),
                                 [sorted(g) for g in templates.required_groups(src)]))
            sentences += [(s, False) for s in expand_template(tpl, kinds, lexicon=lexicon)]
        token_lists = [_doc_tokens(s, tagged, lexicon, memo) for s, tagged in sentences]
        _add_with_centroid(docs, centroids, i, token_lists)
        words.append({t for toks in token_lists for t in toks if not t.startswith("<")} | set(_declared_tokens(a, lexicon)))
    compiled = [(*entry, keys) for entry, keys in zip(compiled, templates.filing_keys(compiled))]
    refusals = [*served_elsewhere(oos.OUT_OF_SCOPE, words, lexicon, memo),
                *pack_negatives(actions, negatives or {}, lexicon, memo)]
    _add_with_centroid(docs, centroids, len(actions), [_doc_tokens(s, True, lexicon, memo) for s in refusals])
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
            postings[k].append((d, int(w / norm * 1e5)))  # the weight is this / SCALE
    vocab = sorted({k for k in df if " " not in k and not k.startswith("<")})
    # each action's own words: the features of its whole-bag document (one per action, in order)
    bags: list[list[str]] = [[] for _ in ids]
    for d in centroids:
        bags[docs[d][0]] = [k for k in docs[d][1] if " " not in k]
    return {
        "ids": ids,
        "doc_action": [a for a, _ in docs],
        "centroids": centroids,
        "postings": Postings.from_dicts(postings, {k: round(v, 5) for k, v in idf.items()}, len(docs), bags),
        "templates": compiled,
        "vocab": vocab,
        "lexicon": lexicon.to_json(),
    }


def _le_bytes(a: array) -> bytes:
    if sys.byteorder == "big":  # the file is little-endian wherever it was written
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def dumps(data: dict, stamp: str) -> tuple[str, bytes]:
    """The index as the cache's two files: the JSON part and the arrays' bytes. The arrays file starts
    with a random tag the JSON names, so a JSON file is only ever read with its own arrays."""
    p: Postings = data["postings"]
    arrays = {"doc_action": array("I", data["doc_action"]), "centroids": array("I", data["centroids"]),
              "starts": p.starts, "docs": p.docs, "weights": p.weights, "idf": p._idf,
              "bag_starts": p.bag_starts, "bag_words": p.bag_words}
    tag = os.urandom(16)
    chunks, where, at = [tag], {}, len(tag)
    for k, a in arrays.items():
        raw = _le_bytes(a)
        where[k] = [at, len(a)]
        chunks.append(raw)
        at += len(raw)
    header = json.dumps({"format": INDEX_VERSION, "stamp": stamp, "ids": data["ids"], "features": p.features,
                         "templates": data["templates"], "vocab": data["vocab"], "lexicon": data["lexicon"],
                         "arrays": where, "arrays_size": at, "arrays_tag": tag.hex()}, separators=(",", ":"))
    return header, b"".join(chunks)


def _array(blob: bytes, where) -> array:
    at, n = where
    if type(at) is not int or type(n) is not int or at < 16 or n < 0 or at + 4 * n > len(blob):
        raise ValueError("array outside the arrays file")
    a = array("I")
    a.frombytes(memoryview(blob)[at:at + 4 * n])
    if sys.byteorder == "big":
        a.byteswap()
    return a


def _refuse_constant(name: str):
    raise ValueError(f"{name} in a resolver index")


def _strings(value) -> bool:
    return type(value) is list and set(map(type, value)) <= {str}


def loads(text: str, blob: bytes, stamp: str, ids: list[str]) -> dict | None:
    """The index in a cache's JSON text and arrays, or None when it is not this catalog's (another stamp,
    other actions) or not well formed: the caller rebuilds it. Checked here: what could break resolving (the
    shapes and types of what is read, lengths of arrays that index each other); a template entry's
    inside is checked when a query first reaches it (templates.Templates)."""
    try:
        with no_gc():
            raw = json.loads(text, parse_constant=_refuse_constant)
            if type(raw) is not dict or raw.get("format") != INDEX_VERSION or raw.get("stamp") != stamp:
                return None
            if raw.get("ids") != ids or not _strings(raw.get("features")) or not _strings(raw.get("vocab")):
                return None
            templates_ = raw.get("templates")
            if type(templates_) is not list or not set(map(type, templates_)) <= {list}:
                return None
            if len(blob) != raw.get("arrays_size") or blob[:16].hex() != raw.get("arrays_tag"):
                return None
            arrays = {k: _array(blob, raw["arrays"][k]) for k in _ARRAYS}
            features = raw["features"]
            if len(arrays["starts"]) != len(features) + 1 or len(arrays["idf"]) != len(features):
                return None
            if len(arrays["docs"]) != len(arrays["weights"]) or len(arrays["bag_starts"]) != len(ids) + 1:
                return None
            doc_action = arrays["doc_action"].tolist()
            if doc_action and max(doc_action) >= len(ids):
                return None
            postings = Postings(features, arrays["starts"], arrays["docs"], arrays["weights"], arrays["idf"],
                                len(doc_action), arrays["bag_starts"], arrays["bag_words"])
            return {"ids": ids, "doc_action": doc_action, "centroids": arrays["centroids"].tolist(),
                    "postings": postings, "templates": templates_, "vocab": raw["vocab"],
                    "lexicon": raw.get("lexicon")}
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        return None


def load_or_build(actions: list, home: Path | None, key: str, lexicon_of=None,
                  negatives: dict[str, list[str]] | None = None, shared: Path | None = None) -> dict:
    """The cached index for this catalog (packs' negatives included), building (and caching) it when
    missing or stale. `shared` (the installation's shared cache folder): an index there for exactly these
    actions seeds a new home, and one built here is left there too (checked like the home's when read)."""
    stamp = f"{key}-{code_stamp()}"
    if negatives:
        stamp += "-" + hashlib.sha256(json.dumps(negatives, sort_keys=True).encode()).hexdigest()[:8]
    name = f"resolver-{stamp}.json"
    folders = [f for f in (home / "cache" if home else None, shared) if f is not None]
    ids = [a.id for a in actions] + [OOS]
    for folder in folders:
        try:
            path = folder / name
            data = loads(path.read_text(), path.with_suffix(".bin").read_bytes(), stamp, ids)
            if data is not None:
                return data
        except (OSError, ValueError):
            pass
    from intents.progress import status

    with status(f"building the resolver index over {len(actions)} actions (once per set of packs)…"):
        data = build(actions, lexicon_of() if lexicon_of is not None else None, negatives)
    if folders:
        header, arrays = dumps(data, stamp)
    for folder in folders:  # the home's own copy, then the installation's for its next new home
        try:
            from intents.safe_files import private_dir, write_atomic

            path = folder / name
            private_dir(folder)
            for old in [*folder.glob("resolver-*.json"), *folder.glob("resolver-*.bin")]:
                old.unlink(missing_ok=True)  # one index per home (and per installation) is enough
            write_atomic(path.with_suffix(".bin"), arrays)  # the arrays first: the JSON names them
            write_atomic(path, header)
        except OSError:
            pass  # a read-only home still resolves, it just rebuilds each time
    return data
