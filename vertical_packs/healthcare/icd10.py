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
    from vertical_packs.healthcare.icd10_index import RELEASE, code_in, get_index, library_version

    text = query.strip()
    if not text:
        raise ParameterError("query", "give a code such as E11.9 or words such as 'type 2 diabetes'")
    index = get_index(ctx.home if ctx is not None else None)
    code, dotted = code_in(text)
    mode = "search"
    if code and code in index.position:
        hits, mode = index.lookup(code)[: limit + 1], "code"
    elif code and (hits := index.prefixed(code, limit)):
        mode = "code"
    elif code and dotted:  # written as a code (E11.99): searching its pieces as words would mislead
        raise ParameterError("query", f"{code} is not a code in the {RELEASE}")
    else:
        hits = index.search(text, limit)
        if not hits and code:
            raise ParameterError("query", f"{code} is not a code in the {RELEASE}")
    matches = [ICDMatch(code=index.codes[i], description=index.descriptions[i], billable=index.billable[i]) for i in hits]
    if mode == "code" and code in index.position:
        how = f"code {code} and its {len(matches) - 1} direct children shown"
    elif mode == "code":
        how = f"codes beginning {code}"
    else:
        how = "keyword search over code descriptions and inclusion terms, exact words ranked first, then shorter descriptions"
    return ICDLookup(
        matches=matches,
        count=len(matches),
        mode=mode,
        release=RELEASE,
        basis=f"{RELEASE}, via simple-icd-10-cm {library_version()}; {how}. 'billable' = a leaf code "
        "(valid for claims). Verify the final code against the official tabular list and guidelines.",
    )
