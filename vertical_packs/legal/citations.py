"""legal.extract_citations: full case citations found by eyecite, each with the text it matched.

eyecite reads the year from the parenthetical it finds after a citation, and in a string cite it can take a
later case's year ("Bush v. Gore, 531 U.S. 98 (2000); Lissner v. Saad, 1 F.4th 1 (1st Cir. 2021)" gives Bush
2021). We re-read the year from the parenthetical that directly follows each citation (after its pin cite
and any parallel citations) and say when we corrected eyecite.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from pydantic import BaseModel

from intents.sdk import ActionContext, Render, Result, Slot
from vertical_packs.legal.manifest import pack
from vertical_packs.legal.sources import MAX_TEXT_CHARS, SOURCE_DESCRIPTION, read_source

# after a citation: an optional pin cite ("347-348", "at 5 n.3", "¶ 12") then the court/year parenthetical
_PIN = re.compile(r"\s*,?\s*(?:at\s+)?(?:[\d*¶§]+[\d\-–—,&n.\s*]*?)?\s*(?=\()")
_PAREN = re.compile(r"\(([^()]{0,120})\)")
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_PARALLEL_GAP = re.compile(r"\s*,\s*")


class Citation(BaseModel):
    text: str  # exactly what was matched in the source
    volume: str | None = None
    reporter: str | None = None  # normalised by eyecite: "F. 2d" -> "F.2d"
    page: str | None = None
    year: int | None = None
    case_name: str | None = None
    short_name: str | None = None  # the short form of the case name (Bluebook 10.9): "Bush" for Bush v. Gore
    court: str | None = None  # eyecite's court id: scotus, ca1 ...
    pin_cite: str | None = None
    parallel_to: str | None = None  # the citation this one is a parallel of, if any
    year_note: str | None = None  # set when our year differs from eyecite's
    name_note: str | None = None  # set when eyecite's case name belonged to an earlier citation


class Citations(Result):
    count: int
    citations: list[Citation]
    other_citations: dict[str, int] = {}  # statutes, Id., supra and short forms, counted not listed
    source: str


@pack.action(
    title="Extract case citations",
    samples=[
        "list the cases cited in brief.pdf",
        "extract citations from motion.docx",
        "what cases does opinion.txt cite",
        "find all case citations in the memo at ~/cases/memo.md",
        "pull the case law citations out of brief.pdf",
        "citations in Bush v. Gore, 531 U.S. 98 (2000)",
        "show me every reporter citation in exhibit_a.pdf",
        "which cases are cited in the complaint.docx",
        "extract the case cites from this text: see Roe v. Wade, 410 U.S. 113 (1973)",
        "parse citations in appellate_brief.pdf",
        "get the volume reporter and page of each case cited in reply.docx",
        "build a table of authorities for brief.pdf",
        "list cited cases",
        "eyecite the opinion in ruling.txt",
    ],
    templates=[
        "(list|show|extract|find|pull|get) [all|every|the] [case|case law|reporter] (citations|cites|cases cited) (in|from) {source}",
        "(what|which) cases (does|are) [cited in] {source} [cite]",
        "[build|make] [a] table of authorities (for|from) {source}",
        "citations in {source}",
    ],
    render=Render(kind="table", table="citations", headline="count"),
    timeout_s=60,
)
def extract_citations(
    source: str = Slot(SOURCE_DESCRIPTION, kind="source", question="Which file (or paste the text)?",
                       max_length=MAX_TEXT_CHARS),
    ctx: ActionContext = None,
) -> Citations:
    """Full case citations in a document or text, with volume, reporter, page and year."""
    src = read_source(source)
    found, other = find_citations(src.text, ctx.cache_dir if ctx is not None else None,
                                  ctx.shared_cache_dir if ctx is not None else None)
    corrected = sum(1 for c in found if c.year_note)
    return Citations(
        count=len(found),
        citations=found,
        other_citations=other,
        source=src.label,
        basis=f"eyecite {_version('eyecite')} full case citations (its bundled reporters and courts databases); "
        "years read from the "
        "parenthetical directly after each citation"
        + (f"; {corrected} year(s) differ from eyecite's own reading (string-cite year bleed)" if corrected else "")
        + ". Check each against the matched text.",
    )


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def find_citations(text: str, cache: Path | None = None, shared: Path | None = None
                   ) -> tuple[list[Citation], dict[str, int]]:
    """eyecite's full case citations in `text`; `cache` is the pack's cache folder (or none), `shared` the
    installation's (the courts table depends only on the installed courts-db)."""
    _speed_up_eyecite(cache, shared)
    from eyecite import clean_text, get_citations
    from eyecite.models import FullCaseCitation

    # eyecite logs harmless tokenizer overlaps as warnings; they would clutter the terminal
    logging.getLogger("eyecite").setLevel(logging.ERROR)
    # PDF and hard-wrapped text break citations across lines ("93 S. Ct.\n705"); eyecite wants one space
    text = clean_text(text, ["all_whitespace"])
    found = get_citations(text)
    full = sorted((c for c in found if isinstance(c, FullCaseCitation)), key=lambda c: c.span()[0])
    other: dict[str, int] = {}
    for c in found:
        if not isinstance(c, FullCaseCitation):
            kind = _KIND.get(type(c).__name__, "other")
            other[kind] = other.get(kind, 0) + 1
    starts = {c.span()[0]: c for c in full}
    parallel: dict[int, str] = {}
    years = []
    for c in full:
        year, links = _year_after(text, c, starts)
        years.append(year)
        for key, value in links.items():
            parallel.setdefault(key, value)
    out = []
    previous_end = 0
    primary_names: tuple[str | None, str | None] = (None, None)
    for c, year in zip(full, years):
        groups = c.groups
        eyecite_year = _int(getattr(c.metadata, "year", None))
        note = None
        if year is None:
            year = eyecite_year if _year_is_local(text, c, starts) else None
        elif eyecite_year is not None and eyecite_year != year:
            note = f"eyecite read {eyecite_year}; the parenthetical after this citation says {year}"
        if parallel.get(id(c)) is None:
            plaintiff, defendant, name_note = _case_name(text, c, previous_end)
            primary_names = (plaintiff, defendant)
            previous_end = _end_with_pin(c)
        else:  # a parallel citation names the same case as the one it follows
            (plaintiff, defendant), name_note = primary_names, None
        out.append(
            Citation(
                text=c.matched_text(),
                volume=groups.get("volume"),
                reporter=c.corrected_reporter() or groups.get("reporter"),
                page=groups.get("page"),
                year=year,
                case_name=f"{plaintiff} v. {defendant}" if plaintiff and defendant else (
                    f"In re {defendant}" if defendant and _IN_RE.search(text[max(0, c.span()[0] - 120):c.span()[0]])
                    else None),
                short_name=short_name(plaintiff, defendant),
                name_note=name_note,
                court=c.metadata.court,
                pin_cite=c.metadata.pin_cite,
                parallel_to=parallel.get(id(c)),
                year_note=note,
            )
        )
    return out, other


# Bluebook 10.9: a short form names the first party, unless it is a government or a common litigant
_GOVERNMENT = re.compile(r"^(?:the\s+)?(?:United\s+States(?:\s+of\s+America)?|U\.\s?S\.|State(?:\s+of\s+\w+(?:\s\w+)?)?|"
                         r"People(?:\s+of\s+.*)?|Commonwealth(?:\s+of\s+.*)?|Government(?:\s+of\s+.*)?|"
                         r"City\s+of\s+.*|County\s+of\s+.*|Town\s+of\s+.*|Village\s+of\s+.*|"
                         r"Commissioner(?:\s+of\s+.*)?|Secretary\s+of\s+.*|Attorney\s+General.*)$", re.I)
_IN_RE = re.compile(r"\b(?:In\s+re|Ex\s+parte|In\s+the\s+Matter\s+of|Matter\s+of)\s+[^,;()]{1,80},?\s*$")
_V_NAME = re.compile(r"((?:[A-Z][\w.'’&-]*\s+){0,5}[A-Z][\w.'’&-]*)\s+v\.\s+((?:[A-Z][\w.'’&,-]*\s+){0,5}[A-Z][\w.'’&-]*),?\s*$")


def short_name(plaintiff: str | None, defendant: str | None) -> str | None:
    """'Bush' for Bush v. Gore, 'Nixon' for United States v. Nixon, 'Gault' for In re Gault."""
    if plaintiff and not _GOVERNMENT.match(plaintiff.strip()):
        return _first_words(plaintiff)
    if defendant:
        return _first_words(defendant)
    return _first_words(plaintiff) if plaintiff else None


def _first_words(name: str) -> str:
    """Drop the tail a short form leaves off: 'Brown, et al.' -> 'Brown'; 'Ashcroft' stays."""
    name = re.sub(r",?\s+(?:et\s+al\.?|Inc\.?|LLC|Corp\.?|Co\.?|Ltd\.?)$", "", name.strip())
    return name.strip(" ,")


def _case_name(text: str, c, previous_end: int) -> tuple[str | None, str | None, str | None]:
    """(plaintiff, defendant, note): eyecite's names when they are written before this citation and after the
    previous one; when its names belong to an earlier case (it walks back past a sentence end), the
    'X v. Y,' written right before the citation instead, else none."""
    plaintiff, defendant = c.metadata.plaintiff, c.metadata.defendant
    if not (plaintiff or defendant):
        return plaintiff, defendant, None
    window = text[previous_end:c.span()[0]]
    if all(n is None or n in window for n in (plaintiff, defendant)):
        return plaintiff, defendant, None
    m = _V_NAME.search(window[-200:])
    note = (f"eyecite named this case {(plaintiff + ' v. ') if plaintiff else ''}{defendant}, a name from an "
            "earlier citation")
    if m:
        return m.group(1), m.group(2).rstrip(","), note + f"; the text before it names {m.group(1)} v. {m.group(2)}"
    return None, None, note


_KIND = {"FullLawCitation": "statute", "FullJournalCitation": "journal", "IdCitation": "id", "SupraCitation": "supra",
         "ShortCaseCitation": "short_case", "ReferenceCitation": "reference", "UnknownCitation": "unknown"}


_patched = False
_COURTS_FORMAT = 1  # bump when what the court table holds changes


def _speed_up_eyecite(cache: Path | None = None, shared: Path | None = None) -> None:
    """Make eyecite cost less, once per process; call it before eyecite is imported.

    1. Its court look-up re-normalises all ~2,800 court names on every citation (quadratic on a long brief):
       same algorithm below, names normalised once (and kept in the pack's cache folder, `cache`, as a
       verified file keyed by the courts-db version and data files), answers cached.
    2. eyecite.helpers imports courts-db's court list at import time, which makes courts-db parse and
       template its JSON (~50 ms) although courts-db loads it lazily by design and only that look-up reads
       it: the list is handed over on demand instead (the same list, from courts-db's own loader).
    3. After each full citation it regex-scans the whole rest of the document for "Name, at 12" reference
       citations. We neither list nor resolve those, so that scan is switched off.
    """
    global _patched
    if _patched:
        return
    import sys
    from functools import lru_cache

    if "eyecite.helpers" not in sys.modules:
        import courts_db

        if "courts" not in vars(courts_db):
            courts_db.courts = _CourtsOnDemand()
    import regex
    from eyecite import find, helpers

    find.extract_reference_citations = lambda citation, document: []

    original = helpers.get_court_by_paren
    normalised = _normalised_courts(cache, shared)

    @lru_cache(maxsize=4096)
    def get_court_by_paren(paren_string: str) -> str | None:
        court_str = regex.sub(r"[^\w]", "", paren_string).lower()
        court_code = None
        if court_str:
            for s, court_id in normalised:
                if s == court_str:
                    return court_id
                if s.startswith(court_str):
                    court_code = court_id
        return court_code

    get_court_by_paren.original = original  # kept for the equivalence test
    helpers.get_court_by_paren = get_court_by_paren
    _patched = True


class _CourtsOnDemand:
    """courts_db.courts until something reads it: then courts-db's own loader runs and the real list is used."""

    def _real(self) -> list:
        import courts_db

        real = vars(courts_db).get("courts")
        if real is None or real is self:
            from courts_db.utils import load_courts_db

            real = courts_db.courts = load_courts_db()
        return real

    def __iter__(self):
        return iter(self._real())

    def __len__(self) -> int:
        return len(self._real())

    def __getitem__(self, item):
        return self._real()[item]

    def __getattr__(self, name: str):
        return getattr(self._real(), name)


def _normalise_all() -> list[tuple[str, str]]:
    import regex
    from eyecite import helpers

    strip = regex.compile(r"[^\w]")  # what eyecite's look-up does to each name, compiled once
    return [(strip.sub("", c["citation_string"]).lower(), str(c["id"])) for c in helpers.courts]


_COURTS_SCHEMA = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE court(pos INTEGER PRIMARY KEY, norm TEXT NOT NULL, id TEXT NOT NULL)",
]


def _courts_meta() -> dict[str, str]:
    import json
    import os

    import courts_db
    import regex

    data = Path(courts_db.__file__).parent / "data"
    files = sorted([str(p.relative_to(data)), st.st_size, st.st_mtime_ns]
                   for p in data.rglob("*") if p.is_file() for st in [os.stat(p)])
    return {"format": str(_COURTS_FORMAT), "courts_db": _version("courts-db"), "regex": regex.__version__,
            "data": json.dumps(files, separators=(",", ":"))}


def _normalised_courts(cache: Path | None, shared: Path | None = None) -> list[tuple[str, str]]:
    """(normalised citation string, court id) for every court, in courts-db's order."""
    if cache is None:
        return _normalise_all()
    import sqlite3

    from intents.sdk import CacheFileError, cached_sqlite, discard_cache_file

    def write(db) -> None:
        db.executemany("INSERT INTO court VALUES (?, ?, ?)", ((i, s, c) for i, (s, c) in enumerate(_normalise_all())))

    store = None
    try:
        store = cached_sqlite(cache, f"courts-{_version('courts-db')}-v{_COURTS_FORMAT}-", _COURTS_SCHEMA,
                              _courts_meta(), write, "Indexing the courts database once, for the cache…",
                              shared=shared)
        rows = store.db.execute("SELECT norm, id FROM court ORDER BY pos").fetchall()
        if not rows:
            raise CacheFileError("no courts")
        return [(str(s), str(c)) for s, c in rows]
    except (sqlite3.Error, CacheFileError, OSError):
        discard_cache_file(getattr(store, "path", None))
        return _normalise_all()
    finally:
        if store is not None:
            store.close()


def _end_with_pin(c) -> int:
    end = c.span()[1]
    pin_end = getattr(c.metadata, "pin_cite_span_end", None)
    return max(end, pin_end or 0)


def _year_after(text: str, c, starts: dict) -> tuple[int | None, dict]:
    """The year in the parenthetical that follows `c`, skipping its pin cite and parallel citations."""
    parallel: dict = {}
    pos = _end_with_pin(c)
    for _ in range(4):  # "410 U.S. 113, 93 S. Ct. 705, 35 L. Ed. 2d 147 (1973)"
        gap = _PARALLEL_GAP.match(text, pos)
        nxt = starts.get(gap.end()) if gap else None
        if nxt is None:
            break
        parallel[id(nxt)] = c.matched_text()
        pos = _end_with_pin(nxt)
    pin = _PIN.match(text, pos)
    if pin is None or pin.end() - pos > 60:
        return None, parallel
    paren = _PAREN.match(text, pin.end())
    if paren is None:
        return None, parallel
    years = _YEAR.findall(paren.group(1))
    return (int(years[-1]) if years else None), parallel


def _year_is_local(text: str, c, starts: dict) -> bool:
    """Without a parenthetical right after it, trust eyecite's year only if no other citation intervenes."""
    year = getattr(c.metadata, "year", None)
    if not year:
        return False
    end = _end_with_pin(c)
    where = text.find(str(year), end)
    return where != -1 and not any(end < s < where for s in starts)


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
