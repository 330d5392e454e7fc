"""legal.redact: write a copy of a document with SSNs, phone numbers, emails, card numbers and IBANs removed.

Every candidate is checked before it is redacted: SSNs against the SSA's issuing rules (python-stdnum),
card numbers by the Luhn checksum and length, IBANs by their ISO 13616 check digits (python-stdnum),
phone numbers by libphonenumber's validity data (phonenumberslite). Names are redacted only when given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from intents.sdk import ActionContext, ParameterError, Render, Result, Risk, Slot
from vertical_packs.legal.manifest import pack
from vertical_packs.legal.sources import MAX_TEXT_CHARS, SOURCE_DESCRIPTION, Source, read_source

KINDS = ("ssn", "phone", "email", "card", "iban", "name")
_SYNONYMS = {
    "ssn": "ssn", "ssns": "ssn", "social security numbers": "ssn", "social security number": "ssn",
    "social security": "ssn", "tin": "ssn",
    "phone": "phone", "phones": "phone", "phone numbers": "phone", "phone number": "phone",
    "telephone numbers": "phone", "telephone": "phone",
    "email": "email", "emails": "email", "email addresses": "email", "e-mail": "email", "e-mails": "email",
    "card": "card", "cards": "card", "card numbers": "card", "credit cards": "card", "credit card numbers": "card",
    "credit card": "card", "pan": "card",
    "iban": "iban", "ibans": "iban", "bank accounts": "iban", "account numbers": "iban",
    "name": "name", "names": "name",
}
LABELS = {"ssn": "SSN", "phone": "PHONE", "email": "EMAIL", "card": "CARD", "iban": "IBAN", "name": "NAME"}
PRIORITY = {k: i for i, k in enumerate(("iban", "card", "ssn", "email", "phone", "name"))}

_SSN = re.compile(r"(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])")
# nine digits with no separators are only taken as an SSN when labelled as one
_SSN_LABELLED = re.compile(r"(?:\bSSN|\bS\.S\.N\.|Social\s+Security\s+(?:No\.?|Number|#))\s*(?:is|:|#|-)?\s*(\d{9})\b", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b")
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str

    @property
    def token(self) -> str:
        return f"[REDACTED {LABELS[self.kind]}]"


class Redacted(Result):
    path: str
    redactions: dict[str, int]
    total: int
    source: str
    redacted_text: str | None = None  # only for text given inline, so it can be used directly


@pack.action(
    title="Redact personal data",
    samples=[
        "redact SSNs and phone numbers in exhibit.txt",
        "redact exhibit_b.docx",
        "remove all personal information from deposition.pdf",
        "scrub emails and phone numbers from notes.md",
        "redact social security numbers from the client file intake.docx",
        "black out credit card numbers and IBANs in statement.txt",
        "anonymize the PII in discovery_production.pdf",
        "redact the names John Smith and Jane Doe from memo.docx",
        "make a redacted copy of complaint.txt",
        "hide account numbers in settlement.docx",
        "strip personal data from this: call me at 415-555-0132 or jane@example.com",
        "redact pii",
        "sanitize exhibit 4 at ~/case/exhibit4.txt before sharing",
        "redact emails in correspondence.md",
    ],
    templates=[
        "(redact|remove|scrub|strip|black out|hide|anonymize|sanitize) [all] [the] [{kinds}] (in|from) {source}",
        "(redact|anonymize|sanitize) {source}",
        "make a redacted copy of {source}",
        "redact [the names] {names} (in|from) {source}",
    ],
    risk=Risk.WRITES_FILES,
    render=Render(kind="record", document="path"),
    timeout_s=60,
)
def redact(
    source: str = Slot(SOURCE_DESCRIPTION, kind="source", question="Which file (or paste the text)?",
                       max_length=MAX_TEXT_CHARS),
    kinds: list[str] = Slot("What to redact: ssn, phone, email, card, iban (default: all of them)",
                            default=["ssn", "phone", "email", "card", "iban"], kind="list", max_length=50,
                            synonyms={"ssn": "ssn", "social security number": "ssn", "social security": "ssn",
                                      "phone": "phone", "phone number": "phone", "telephone number": "phone",
                                      "telephone": "phone", "mobile number": "phone", "email": "email",
                                      "e-mail": "email", "email address": "email", "card": "card",
                                      "card number": "card", "credit card": "card", "credit card number": "card",
                                      "debit card": "card", "iban": "iban", "bank account": "iban",
                                      "account number": "iban"}),
    names: list[str] = Slot("Names of people or parties to redact too (names are not detected automatically)",
                            default=[], kind="list", max_length=1000),
    region: str = Slot("Country whose phone numbers may be written without +code (ISO 3166, e.g. US, GB)",
                       default="US", kind="text", max_length=40),
    ctx: ActionContext = None,
) -> Redacted:
    """A redacted copy of a document: SSNs, phone numbers, emails, card numbers and IBANs, each validated."""
    wanted = _kinds(kinds, names)
    region = _region(region)
    src = read_source(source)
    ctx = ctx or ActionContext(home=Path.cwd())
    if src.kind == "docx":
        out, counts = _redact_docx(src, wanted, names, region, ctx)
    else:
        hits = find_pii(src.text, wanted, names, region)
        text = apply(src.text, hits)
        out = ctx.output_path(_out_name(src, ".md" if src.path and src.path.suffix.lower() in (".md", ".markdown") else ".txt",
                                        names))
        out.write_text(text, encoding="utf-8")
        counts = _count(hits)
    total = sum(counts.values())
    return Redacted(
        path=str(out),
        redactions=counts,
        total=total,
        source=src.label,
        redacted_text=out.read_text(encoding="utf-8") if src.kind == "inline" else None,
        basis="SSNs validated by python-stdnum us.ssn (SSA area/group/serial rules; 078-05-1120 and 666-xx are "
        "never issued); card numbers by the Luhn checksum, 13-19 digits; IBANs by ISO 13616 mod-97 check digits; "
        f"phone numbers by libphonenumber validity data (region {region} for numbers without +code); emails by "
        "pattern" + ("; names as given, case-insensitive" if names else "; names are not detected, give them to "
        "redact them") + (". PDF text was extracted, so the copy is plain text" if src.kind == "pdf" else "")
        + ". Review the copy before sharing: validation skips malformed numbers.",
    )


def _kinds(kinds: list[str], names: list[str]) -> set[str]:
    wanted = set()
    for k in kinds or []:
        key = re.sub(r"\s+", " ", str(k).strip().lower())
        if key in ("all", "everything", "pii", "personal data"):
            wanted.update(("ssn", "phone", "email", "card", "iban"))
            continue
        if key not in _SYNONYMS:
            raise ParameterError("kinds", f"unknown kind '{k}'; choose from ssn, phone, email, card, iban")
        wanted.add(_SYNONYMS[key])
    if names:
        for n in names:
            if len(str(n).strip()) < 2:
                raise ParameterError("names", f"'{n}' is too short to redact safely")
        wanted.add("name")
    if not wanted:
        raise ParameterError("kinds", "nothing to redact: give at least one of ssn, phone, email, card, iban")
    return wanted


def _region(region: str) -> str:
    from phonenumbers import SUPPORTED_REGIONS

    code = (region or "US").strip().upper()
    if code == "UK":
        code = "GB"
    if code not in SUPPORTED_REGIONS:
        raise ParameterError("region", f"'{region}' is not an ISO 3166 country code that has phone numbers")
    return code


def find_pii(text: str, kinds: set[str], names: list[str] | None = None, region: str = "US") -> list[Hit]:
    """Validated hits, non-overlapping, in text order (higher-priority kinds win overlaps)."""
    candidates: list[Hit] = []
    if "iban" in kinds:
        candidates += _ibans(text)
    if "card" in kinds:
        candidates += _cards(text)
    if "ssn" in kinds:
        from stdnum.us import ssn

        candidates += [Hit(m.start(), m.end(), "ssn") for m in _SSN.finditer(text) if ssn.is_valid(m.group(0))]
        candidates += [Hit(m.start(1), m.end(1), "ssn") for m in _SSN_LABELLED.finditer(text) if ssn.is_valid(m.group(1))]
    if "email" in kinds:
        candidates += [Hit(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    if "phone" in kinds:
        import phonenumbers

        matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
        candidates += [Hit(m.start, m.end, "phone") for m in matcher]
    if "name" in kinds:
        for name in names or []:
            candidates += [Hit(m.start(), m.end(), "name") for m in name_pattern(name).finditer(text)]
    kept: list[Hit] = []
    for hit in sorted(candidates, key=lambda h: (PRIORITY[h.kind], h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def name_pattern(name: str) -> re.Pattern:
    """A given name wherever it occurs: any case, any run of spaces or a line break between its words, ' or ’
    alike, and bounded by non-word characters (so 'Acme Inc.' matches with its period, 'Ann' not in 'Annex')."""
    parts = []
    for part in str(name).split():
        parts.append("".join("['’]" if ch in "'’" else re.escape(ch) for ch in part))
    return re.compile(r"(?<!\w)" + r"[\s\u00a0]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _cards(text: str) -> list[Hit]:
    from stdnum import luhn

    hits = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        # issuer numbers start 2-6; 13-19 digits; the Luhn check rules out most other long numbers
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn.is_valid(digits):
            hits.append(Hit(m.start(), m.end(), "card"))
    return hits


def _ibans(text: str) -> list[Hit]:
    from stdnum import iban

    hits = []
    for m in _IBAN.finditer(text):
        candidate = m.group(0)
        # the pattern may swallow a following capitalised word: shorten until the check digits agree
        while len(candidate.replace(" ", "")) >= 15:
            if iban.is_valid(candidate):
                hits.append(Hit(m.start(), m.start() + len(candidate), "iban"))
                break
            candidate = candidate[:-1].rstrip()
    return hits


def apply(text: str, hits: list[Hit]) -> str:
    parts, pos = [], 0
    for h in hits:
        parts += [text[pos:h.start], h.token]
        pos = h.end
    parts.append(text[pos:])
    return "".join(parts)


def _count(hits: list[Hit]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.kind] = counts.get(h.kind, 0) + 1
    return counts


def _out_name(src: Source, suffix: str, names: list[str] | None = None) -> str:
    """The copy's file name; a given name in the original's ('smith-intake.docx') is redacted there too."""
    stem = src.path.stem if src.path else "text"
    for name in names or []:
        words = [re.escape(w) for w in str(name).split()]
        if words:  # "John Smith" in "john_smith-intake", "JohnSmith.notes", "john.smith"
            stem = re.sub(r"[\s._-]*".join(words), "name", stem, flags=re.IGNORECASE)
    return f"{stem}.redacted{suffix}"


def _redact_docx(src: Source, kinds: set[str], names: list[str], region: str, ctx: ActionContext):
    """Redact paragraph by paragraph, keeping each run's formatting; tables, headers and footers too."""
    from docx import Document

    doc = Document(str(src.path))
    counts: dict[str, int] = {}
    for paragraph in _paragraphs(doc):
        runs = list(paragraph.runs)
        text = "".join(r.text for r in runs)
        hits = find_pii(text, kinds, names, region) if text.strip() else []
        if not hits:
            continue
        for kind, n in _count(hits).items():
            counts[kind] = counts.get(kind, 0) + n
        pos = 0
        for run in runs:
            start, end = pos, pos + len(run.text)
            run.text = _redact_slice(text, start, end, hits)
            pos = end
        leftover = "".join(r.text for r in runs)
        if any(h.token not in leftover for h in hits):  # text outside runs (fields, hyperlinks): replace whole
            for r in runs[1:]:
                r.text = ""
            if runs:
                runs[0].text = apply(text, hits)
    _redact_properties(doc, kinds, names, region, counts)
    out = ctx.output_path(_out_name(src, ".docx", names))
    doc.save(str(out))
    return out, counts


_PROPERTIES = ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category")


def _redact_properties(doc, kinds: set[str], names: list[str], region: str, counts: dict[str, int]) -> None:
    """The document's own metadata (author, last modified by, title ...) often holds the very names."""
    props = doc.core_properties
    for field in _PROPERTIES:
        value = getattr(props, field, None)
        if not value:
            continue
        hits = find_pii(value, kinds, names, region)
        if hits:
            setattr(props, field, apply(value, hits))
            for kind, n in _count(hits).items():
                counts[kind] = counts.get(kind, 0) + n


def _redact_slice(text: str, start: int, end: int, hits: list[Hit]) -> str:
    pieces, cur = [], start
    for h in hits:
        if h.end <= start or h.start >= end:
            continue
        if h.start > cur:
            pieces.append(text[cur:h.start])
        if h.start >= start:
            pieces.append(h.token)  # the token sits in the run where the match begins
        cur = max(cur, min(h.end, end))
    pieces.append(text[cur:end])
    return "".join(pieces)


def _paragraphs(doc):
    seen: dict[int, object] = {}  # id -> element, kept alive so ids are not reused

    def from_container(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                        continue
                    seen[id(cell._tc)] = cell._tc
                    yield from from_container(cell)

    yield from from_container(doc)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            yield from from_container(part)
