"""legal.contract_summary: parties, effective date, term, governing law and amounts from a contract.

Regexes find the clauses contracts conventionally use ("by and between X ("Landlord") and Y", "effective as
of", "for a term of two (2) years", "governed by the laws of the State of New York", "$2,500.00"); dateparser
(imported on first use: it is slow to load) turns the date it finds into ISO form. What is not found is null,
never guessed.
"""
from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from intents.sdk import Render, Result, Slot
from vertical_packs.legal.manifest import pack
from vertical_packs.legal.sources import SOURCE_DESCRIPTION, read_source

class _Rx:
    """A regex compiled on first use: these patterns take ~0.1 s to compile, which importing the pack (to run
    some other legal action) should not pay."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)


_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATE = (rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?{_MONTHS},?\s+\d{{4}}"
        r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})")
_EFFECTIVE = [
    _Rx(rf"({DATE})\s*\(\s*(?:the\s+)?[\"“”']Effective\s+Date[\"“”']", re.I),
    _Rx(rf"[\"“”']Effective\s+Date[\"“”']\s+(?:means|shall\s+mean|is)\s+({DATE})", re.I),
    _Rx(rf"\bEffective\s+Date\s*[:\-]\s*({DATE})", re.I),
    _Rx(rf"\beffective\s+(?:as\s+of\s+|on\s+|from\s+)?({DATE})", re.I),
    _Rx(rf"\b(?:made|entered\s+into|executed)(?:\s+and\s+entered\s+into)?\s+(?:as\s+of\s+|on\s+|this\s+)({DATE})", re.I),
    _Rx(rf"\bdated\s+(?:as\s+of\s+)?({DATE})", re.I),
    _Rx(rf"\bcommenc\w*\s+(?:on\s+)?({DATE})", re.I),
]
_NUM_WORD = r"(?:[a-z]+(?:-[a-z]+)?\s+)?\(?\d+(?:\.\d+)?\)?"
_TERM = [
    _Rx(rf"\b(?:initial\s+)?term\s+of\s+(?:this\s+\w+\s+)?(?:shall\s+be\s+|is\s+|will\s+be\s+)?(?:for\s+)?(?:a\s+period\s+of\s+)?"
               rf"({_NUM_WORD}\s+(?:years?|months?|weeks?|days?))", re.I),
    _Rx(rf"\bfor\s+a\s+(?:term|period)\s+of\s+({_NUM_WORD}\s+(?:years?|months?|weeks?|days?))", re.I),
    _Rx(rf"\bobligations\s+(?:hereunder\s+|under\s+this\s+\w+\s+)?(?:shall\s+|will\s+)?(?:continue|survive|remain\s+in\s+effect)\s+for\s+"
               rf"(?:a\s+period\s+of\s+)?({_NUM_WORD}\s+(?:years?|months?))", re.I),
    _Rx(rf"\b(?:continue|remain)\s+in\s+(?:full\s+force\s+and\s+)?effect\s+for\s+({_NUM_WORD}\s+(?:years?|months?|weeks?|days?))", re.I),
    _Rx(rf"\b(?:term|period)\s+of\s+([a-z]+(?:-[a-z]+)?\s+(?:years?|months?))", re.I),
]
_LAW = [
    _Rx(r"\bgoverned\s+by(?:,?\s+and\s+(?:shall\s+be\s+)?(?:construed|interpreted)(?:\s+and\s+enforced)?\s+in\s+accordance\s+with,?)?"
               r"\s+(?:the\s+)?(?:internal\s+|substantive\s+)?laws?\s+of\s+(?:the\s+)?(?:State|Commonwealth|Province)?\s*(?:of\s+)?"
               r"([A-Z][A-Za-z.]*(?:\s+(?:and\s+)?[A-Z][A-Za-z.]*){0,3})"),
    _Rx(r"\b(?:construed|interpreted)(?:\s+and\s+enforced)?\s+in\s+accordance\s+with\s+(?:the\s+)?laws?\s+of\s+(?:the\s+)?"
               r"(?:State|Commonwealth|Province)?\s*(?:of\s+)?([A-Z][A-Za-z.]*(?:\s+(?:and\s+)?[A-Z][A-Za-z.]*){0,3})"),
    _Rx(r"\bgoverned\s+by\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+law\b"),
]
# where the preamble's party list ends: a full stop that does not close "Inc." or "Ltd.", or one that is
# followed by a new sentence, a blank line or the recitals
_ABBREV = "".join(rf"(?<!\b{a})" for a in ("Inc", "Ltd", "Corp", "Co", "LLC", "LLP", "PLC", "N\\.A", "S\\.A", "Jr",
                                           "Sr", "St", "No", "Mr", "Ms", "Mrs", "Dr", "L\\.P", "P\\.C", "U\\.S"))
_SENTENCE = r"(?:The|This|Each|In|It|All|Both|Whereas|Now|WHEREAS|NOW|RECITALS|Recitals)\b"
_BETWEEN = _Rx(rf"\b(?i:by\s+and\s+)?(?i:between):?\s+(.{{3,700}}?)(?:{_ABBREV}\.(?:\s|$)|\.\s+(?={_SENTENCE})|\n\s*\n"
               r"|\bWHEREAS\b|\bWITNESSETH\b|\bRECITALS\b)", re.S)
_ROLE = _Rx(r"\(\s*(?:each\s+a\s+|together\s+|collectively\s+)?(?:the\s+|hereinafter(?:\s+(?:referred\s+to\s+as|called))?\s+(?:the\s+)?)?"
            r"[\"“”']([^\"“”']{2,40})[\"“”'][^)]{0,80}\)"
            # unquoted: "(the Company)", "(hereinafter the Employee)"
            r"|\(\s*(?:hereinafter\s+(?:referred\s+to\s+as\s+)?)?the\s+([A-Z][A-Za-z]*(?:\s[A-Z][A-Za-z]*){0,3})\s*\)")
_DESCRIPTOR = _Rx(r",\s*(?:an?|the)\s+[A-Za-z ]*(?:company|corporation|partnership|LLC|individual|organization|"
                         r"association|bank|trust|limited|entity|resident|person)\b.*$|,\s*(?:with|having)\s+(?:its|an?)\s.*$|"
                         r",\s*(?:located|residing|whose)\b.*$", re.I | re.S)
_ROLE_LINE = _Rx(r"^\s*(Landlord|Tenant|Lessor|Lessee|Buyer|Seller|Purchaser|Licensor|Licensee|Employer|Employee|"
                        r"Company|Consultant|Client|Contractor|Vendor|Customer|Borrower|Lender|Discloser|Recipient|"
                        r"Service Provider|Supplier|Party A|Party B)\s*:\s*([^\n]{2,120})$", re.M)
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_AMOUNT_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = _Rx(
    rf"(?P<sym>US\$|[$€£¥])\s?(?P<n1>{_AMOUNT_NUM})(?:\s?(?P<m1>million|billion|thousand)\b)?"
    rf"|\b(?P<code>USD|EUR|GBP|CAD|AUD|CHF|JPY|INR|SGD)\s?(?P<n2>{_AMOUNT_NUM})(?:\s?(?P<m2>million|billion|thousand)\b)?"
    rf"|\b(?P<n3>{_AMOUNT_NUM})\s?(?P<m3>million|billion|thousand)?\s?(?P<word>(?:US\s)?dollars|euros|pounds(?:\s+sterling)?|USD|EUR|GBP)\b",
    re.I,
)
_MULT = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORD_CURRENCY = {"dollars": "USD", "us dollars": "USD", "euros": "EUR", "pounds": "GBP", "pounds sterling": "GBP"}


class Amount(BaseModel):
    text: str
    value: float
    currency: str | None
    context: str  # the words before it, so "rent" or "security deposit" can be seen


class ContractSummary(Result):
    parties: list[str]
    roles: dict[str, str] = {}  # party -> the role the contract defines ("Landlord")
    effective_date: date | None
    effective_date_text: str | None = None
    term: str | None
    term_text: str | None = None
    governing_law: str | None
    amounts: list[Amount]
    source: str
    not_found: list[str] = []


@pack.action(
    title="Summarize a contract",
    samples=[
        "summarize the contract in lease.docx",
        "who are the parties to agreement.pdf",
        "what law governs the services agreement in msa.docx",
        "key terms of employment_contract.pdf",
        "give me the parties, term and governing law of nda.docx",
        "what is the effective date of license_agreement.txt",
        "summarise this contract: contract.md",
        "how much is the rent in lease.pdf",
        "extract the dollar amounts from the purchase agreement spa.docx",
        "contract summary for vendor_agreement.pdf",
        "what's the term of the lease in ~/docs/lease.docx",
        "review the key terms of this agreement",
        "pull the parties and amounts from consulting-agreement.docx",
        "when does the agreement in supply.pdf take effect",
    ],
    templates=[
        "(summarize|summarise|review) [the] [key terms of] [the] (contract|agreement|lease) (in|from|at) {source}",
        "(who are|list) the parties (to|in) {source}",
        "(what|which) law governs [the] [contract|agreement] [in] {source}",
        "[what is] the (effective date|term|governing law) of {source}",
        "(key terms|contract summary) (of|for) {source}",
    ],
    render=Render(kind="record"),
    timeout_s=60,
)
def contract_summary(
    source: str = Slot(SOURCE_DESCRIPTION, kind="source", question="Which contract (a file path, or paste the text)?"),
) -> ContractSummary:
    """Parties, effective date, term, governing law and money amounts of a contract."""
    src = read_source(source)
    text = src.text
    parties, roles = find_parties(text)
    eff_text, eff = find_effective_date(text)
    term_raw, term = find_term(text)
    law = find_governing_law(text)
    amounts = find_amounts(text)
    summary = ContractSummary(
        parties=parties,
        roles=roles,
        effective_date=eff,
        effective_date_text=eff_text,
        term=term,
        term_text=term_raw,
        governing_law=law,
        amounts=amounts,
        source=src.label,
        basis="Clause patterns (\"by and between\", defined-term roles, \"effective as of\", \"term of\", "
        "\"governed by the laws of\", currency amounts) read from the text; dates parsed by dateparser. "
        "Read the contract itself for anything that matters: unusual drafting is missed, not guessed.",
    )
    summary.not_found = [f for f in ("parties", "effective_date", "term", "governing_law", "amounts")
                         if not getattr(summary, f)]
    return summary


def find_parties(text: str) -> tuple[list[str], dict[str, str]]:
    head = text[:20000]  # parties are named in the preamble
    parties: list[str] = []
    roles: dict[str, str] = {}
    m = _BETWEEN.search(head)
    if m:
        segment = re.sub(r"\s+", " ", m.group(1))
        role_marks = list(_ROLE.finditer(segment))
        if role_marks:
            pos = 0
            for r in role_marks:
                chunk = segment[pos:r.start()]
                role = (r.group(1) or r.group(2)).strip()
                # '(each a "Party" ...)' after "X and Y" names both parties at once
                chunks = (re.split(r",?\s+and\s+(?=[A-Z])", chunk) if role.lower() in ("party", "parties")
                          else [chunk])
                for piece in chunks:
                    name = _clean_party(piece)
                    if name and name not in parties:
                        parties.append(name)
                        if role.lower() not in ("party", "parties"):
                            roles[name] = role
                pos = r.end()
        else:
            names = re.split(r",?\s+and\s+(?=[A-Z])", segment, maxsplit=1)
            for chunk in names:
                name = _clean_party(chunk)
                if name and name not in parties:
                    parties.append(name)
    if len(parties) < 2:
        for line in _ROLE_LINE.finditer(text):
            name = _clean_party(line.group(2))
            if name and name not in parties and not name.lower().startswith(("by", "name", "title", "_")):
                parties.append(name)
                roles.setdefault(name, line.group(1))
    return parties[:6], roles


def _clean_party(chunk: str) -> str | None:
    chunk = chunk.strip(" ,;:")
    chunk = re.sub(r"^(?:and|&)\s+", "", chunk, flags=re.I)
    chunk = _DESCRIPTOR.sub("", chunk).strip(" ,;:")
    chunk = re.sub(r"\s*\([^)]*\)\s*$", "", chunk).strip(" ,;:")
    if not chunk or len(chunk) > 120 or not re.search(r"[A-Za-z]", chunk):
        return None
    return chunk


def find_effective_date(text: str) -> tuple[str | None, date | None]:
    for pattern in _EFFECTIVE:
        m = pattern.search(text[:30000])
        if m:
            raw = re.sub(r"\s+", " ", m.group(1)).strip()
            return raw, parse_date(raw)
    return None, None


def parse_date(raw: str) -> date | None:
    import dateparser

    cleaned = re.sub(r"^the\s+", "", raw, flags=re.I)
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", cleaned)
    cleaned = re.sub(r"\s+day\s+of\s+", " ", cleaned, flags=re.I)
    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "MDY"}
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def find_term(text: str) -> tuple[str | None, str | None]:
    for pattern in _TERM:
        m = pattern.search(text)
        if m:
            raw = re.sub(r"\s+", " ", m.group(1)).strip()
            return raw, _normalise_term(raw)
    return None, None


_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBERS.update({"eighteen": 18, "twenty-four": 24, "thirty": 30, "thirty-six": 36, "sixty": 60, "ninety": 90,
                 "fifteen": 15, "twenty": 20, "forty-eight": 48})


def _normalise_term(raw: str) -> str:
    unit = re.search(r"(year|month|week|day)s?$", raw, re.I).group(1).lower()
    digits = re.search(r"\d+(?:\.\d+)?", raw)
    if digits:
        n = float(digits.group(0))
    else:
        word = raw.split()[0].lower()
        if word not in _NUMBERS:
            return raw
        n = _NUMBERS[word]
    n_text = f"{n:g}"
    return f"{n_text} {unit}{'' if n == 1 else 's'}"


_ADJECTIVES = {"English": "England and Wales", "Scottish": "Scotland", "Irish": "Ireland", "German": "Germany",
               "French": "France", "Swiss": "Switzerland", "Dutch": "the Netherlands", "Indian": "India"}


def find_governing_law(text: str) -> str | None:
    for pattern in _LAW:
        m = pattern.search(text)
        if m:
            name = re.sub(r"\s+", " ", m.group(1)).strip(" .")
            name = re.sub(r"\s+(?:without|excluding|and\s+the|applicable)\b.*$", "", name)
            return _ADJECTIVES.get(name, name) or None
    return None


def find_amounts(text: str, limit: int = 100) -> list[Amount]:
    out = []
    for m in _AMOUNT.finditer(text):
        num = m.group("n1") or m.group("n2") or m.group("n3")
        mult = (m.group("m1") or m.group("m2") or m.group("m3") or "").lower()
        value = float(num.replace(",", "")) * _MULT.get(mult, 1)
        if m.group("sym"):
            currency = "USD" if m.group("sym").upper() == "US$" else _CURRENCY_SYMBOLS[m.group("sym")]
        elif m.group("code"):
            currency = m.group("code").upper()
        else:
            word = m.group("word").lower()
            currency = word.upper() if len(word) == 3 else _WORD_CURRENCY.get(word.replace("us ", ""), None)
        before = re.sub(r"\s+", " ", text[max(0, m.start() - 80):m.start()]).strip()
        context = before.split(". ")[-1][-60:]
        out.append(Amount(text=m.group(0).strip(), value=round(value, 2), currency=currency, context=context))
        if len(out) >= limit:
            break
    return out
