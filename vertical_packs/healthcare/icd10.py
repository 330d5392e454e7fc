"""ICD-10-CM look-up: a code (with its children) or words (ranked matches), April 2026 release."""
from __future__ import annotations

from pydantic import BaseModel

from intents.sdk import ActionContext, ParameterError, Render, Result, Slot
from vertical_packs.healthcare.manifest import pack


class ICDMatch(BaseModel):
    code: str
    description: str
    billable: bool


class ICDLookup(Result):
    matches: list[ICDMatch]
    count: int
    mode: str  # "code" or "search"
    release: str


@pack.action(
    title="ICD-10-CM look-up",
    samples=[
        "icd 10 code for type 2 diabetes with hyperglycemia",
        "what is icd-10 e11.9",
        "look up icd code I10",
        "icd10 e119",
        "diagnosis code for essential hypertension",
        "icd code for community acquired pneumonia",
        "find the icd-10-cm code for acute kidney failure",
        "what does J45.909 mean",
        "icd 10 for copd with acute exacerbation",
        "code for atrial fibrillation",
        "icd-10 code lookup for major depressive disorder single episode",
        "search icd for urinary tract infection",
        "billing code for hyperlipidemia",
        "icd 10 lookup",
    ],
    templates=[
        "[what is] [the] (icd|icd 10|icd-10|icd10|icd-10-cm) [code] [for|of] {query}",
        "(diagnosis|billing) code for {query}",
        "[look up|lookup|search] icd [code] [for] {query}",
    ],
    render=Render(kind="table", table="matches"),
)
def icd10_lookup(
    query: str = Slot("An ICD-10-CM code (E11.9, e119) or words describing the diagnosis", kind="query",
                      min_length=1, max_length=500, question="Which code or diagnosis?"),
    limit: int = Slot("Most matches to return", default=10, kind="integer", ge=1, le=100,
                      cues=["top", "first", "limit", "matches", "results", "most"]),
    ctx: ActionContext = None,
) -> ICDLookup:
    """Look up an ICD-10-CM code (with its children) or search the codes by words."""
    import sqlite3

    from intents.sdk import CacheFileError
    from vertical_packs.healthcare.icd10_index import RELEASE, forget_index, get_index, library_version

    text = query.strip()
    if not text:
        raise ParameterError("query", "give a code such as E11.9 or words such as 'type 2 diabetes'")
    cache, shared = (ctx.cache_dir, ctx.shared_cache_dir) if ctx is not None else (None, None)
    try:
        matches, mode, code, exact = _look_up(get_index(cache, shared), text, limit)
    except (sqlite3.Error, CacheFileError):  # the index file went bad under this process: rebuilt, asked again
        forget_index(damaged=True)
        matches, mode, code, exact = _look_up(get_index(cache, shared), text, limit)
    if mode == "code" and exact:
        how = f"code {code} and its {len(matches) - 1} direct children shown"
    elif mode == "code":
        how = f"codes beginning {code}"
    else:
        how = ("keyword search over code descriptions and inclusion terms; what a clinician usually means first: "
               "codes with more of the words asked, then billable codes, then the general form (unspecified, "
               "essential, uncomplicated) before specific or rare ones; perinatal, pregnancy, congenital, history "
               "and screening codes only when the words ask for them")
    return ICDLookup(
        matches=matches,
        count=len(matches),
        mode=mode,
        release=RELEASE,
        basis=f"{RELEASE}, via simple-icd-10-cm {library_version()}; {how}. 'billable' = a leaf code "
        "(valid for claims). Verify the final code against the official tabular list and guidelines.",
    )


def _look_up(index, text: str, limit: int) -> tuple[list[ICDMatch], str, str | None, bool]:
    """(matches, "code" or "search", the code asked about, whether that code itself exists)."""
    from vertical_packs.healthcare.icd10_index import RELEASE, code_in

    code, dotted = code_in(text)
    mode = "search"
    exact = bool(code and code in index.position)
    if exact:
        hits, mode = index.lookup(code)[: limit + 1], "code"
    elif code and (hits := index.prefixed(code, limit)):
        mode = "code"
    elif code and dotted:  # written as a code (E11.99): searching its pieces as words would mislead
        raise ParameterError("query", f"{code} is not a code in the {RELEASE}")
    else:
        hits = clinical_order(index, text, index.search(text, max(5 * limit, 60)))[:limit]
        if not hits and code:
            raise ParameterError("query", f"{code} is not a code in the {RELEASE}")
    matches = [ICDMatch(code=index.codes[i], description=index.descriptions[i], billable=index.billable[i]) for i in hits]
    return matches, mode, code, exact


# Codes for a particular setting: perinatal (P), pregnancy (O), congenital malformations (Q), encounters and
# history (Z). A clinician asking for "pneumonia" means J18.9, not P23 congenital pneumonia, unless the words
# say newborn, pregnancy ... (ICD-10-CM chapters 15-17 and 21 are only used in those settings).
_SETTINGS = {  # setting -> (its chapters, the words that ask for it)
    "perinatal": ("PQ", frozenset("newborn newborns neonatal neonate neonates perinatal congenital fetal fetus "
                                  "utero birth infant".split())),
    "pregnancy": ("O", frozenset("pregnancy pregnant puerperium puerperal postpartum obstetric maternal "
                                 "childbirth delivery antepartum gestational".split())),
    "history": ("Z", frozenset("history screening encounter family sequela examination".split())),
}
# qualifiers of the default form of a condition: they do not make a code more specific than what was asked
_DEFAULT_FORM = frozenset("unspecified specified not elsewhere classified nos site organism without complications "
                          "uncomplicated essential primary initial encounter".split())


def clinical_order(index, query: str, hits: list[int]) -> list[int]:
    """Re-rank search hits the way a clinician reads them (stable within equal keys)."""
    from vertical_packs.healthcare.icd10_index import expand, tokens

    asked = set(expand(query))
    settings_asked = {name for name, (_ch, words) in _SETTINGS.items() if asked & words}

    def setting_of(i: int, words: set[str]) -> str | None:
        chapter = index.codes[i][:1]
        by_chapter = next((name for name, (chapters, _cue) in _SETTINGS.items() if chapter in chapters), None)
        return by_chapter or next((name for name, (_ch, cue) in _SETTINGS.items() if words & cue), None)

    def key(pos_and_i):
        pos, i = pos_and_i
        words = set(tokens(index.descriptions[i]))
        setting = setting_of(i, words)
        # the setting asked for ("newborn pneumonia") first, general codes next, other settings last
        place = 0 if setting in settings_asked else (1 if setting is None else 2)
        matched = sum(1 for w in asked if w in words or any(x.startswith(w) for x in words if len(w) >= 4))
        extra = len(words - asked - _DEFAULT_FORM)
        return (place, -matched, not index.billable[i], extra, pos)

    return [i for _pos, i in sorted(enumerate(hits), key=key)]


@pack.prepare(what="ICD-10 index")
def prepare_icd10_index(ctx: ActionContext) -> None:
    """The ICD-10-CM search index, built once (`intent packs prepare`, the terminal UI's first start) into the
    installation's shared cache when it can be written, so that every home of the installation opens the same
    file (else into the pack's cache folder), and stamped as checked (icd10_stamp.py), so that the first
    look-up opens it like every later one, without hashing it. Cheap when it is there."""
    from vertical_packs.healthcare.icd10_index import get_index
    from vertical_packs.healthcare.icd10_store import ensure_stamped

    index = get_index(ctx.cache_dir, ctx.shared_cache_dir)
    if index.db.path is not None:
        ensure_stamped(index.db.path.parent)
