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
from vertical_packs.legal import clauses
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
    _Rx(rf"\b(?:made|entered\s+into|executed)(?:\s+and\s+entered\s+into)?\s+(?:as\s+of\s+|on\s+|this\s+)(?:this\s+)?({DATE})", re.I),
    _Rx(rf"\bdated\s+(?:as\s+of\s+)?({DATE})", re.I),
    _Rx(rf"\bcommenc\w*\s+(?:on\s+)?({DATE})", re.I),
]
# where the preamble's party list ends: a full stop that does not close "Inc." or "Ltd.", or one that is
# followed by a new sentence, a blank line or the recitals
_ABBREV = "".join(rf"(?<!\b{a})(?<!\b{a.upper()})" for a in ("Inc", "Ltd", "Corp", "Co", "LLC", "LLP", "PLC", "N\\.A", "S\\.A", "Jr",
                                           "Sr", "St", "No", "Mr", "Ms", "Mrs", "Dr", "L\\.P", "P\\.C", "U\\.S", "Pte", "Pty", "K\\.K",
                                           "B\\.V", "N\\.V", "A\\.G", "S\\.L", "S\\.p\\.A", "S\\.A\\.S"))
_INITIAL = r"(?<!\b[A-Z])"  # "JANE R. DOE": a middle initial does not end the party list
_SENTENCE = r"(?:The|This|Each|In|It|All|Both|Whereas|Now|WHEREAS|NOW|RECITALS|Recitals)\b"
_BETWEEN = _Rx(rf"\b(?i:by\s+and\s+)?(?i:between):?\s+(.{{3,700}}?)(?:{_ABBREV}{_INITIAL}\.(?:\s|$)|\.\s+(?={_SENTENCE})|\n\s*\n"
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
_PARTIES_BLOCK = _Rx(r"^\s*PARTIES\s*:?\s*$(.{10,3000}?)(?=^\s*(?:BACKGROUND|RECITALS|WHEREAS|AGREED\s+TERMS|IT\s+IS\s+AGREED|"
                     r"NOW|1\.\s)|\Z)", re.M | re.S)
_NUMBERED_ITEM = _Rx(r"^\s*\(?(?:\d{1,2}|[ivx]{1,4}|[a-d])\)\.?\s+|^\s*\d{1,2}\.\s+", re.M)
_NAMED_ROLE = _Rx(r"((?:[A-Z][\w&'’.-]*,?\s+){0,5}[A-Z][\w&'’.-]*)\s*\(\s*(?:the\s+|hereinafter\s+)?[\"“]([A-Z][\w ]{1,30})[\"”]\s*\)")
_NOT_PARTY_ROLES = {"agreement", "effective date", "lease", "note", "term", "initial term", "services", "territory",
                    "products", "premises", "confidential information", "commencement date", "schedule", "contract",
                    "license", "licence", "fees", "work", "deliverables", "plan", "policy", "property", "loan"}
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
    governing_law_text: str | None = None
    amounts: list[Amount]
    renewal: str | None = None  # "renews automatically for successive terms of 1 year, unless ..."
    renewal_text: str | None = None
    termination_notice: str | None = None  # "30 days": the notice a party gives to end the agreement
    termination_notice_text: str | None = None
    liability_cap: str | None = None  # the cap as the contract words it ("the fees paid in the 12 months ...")
    liability_cap_amount: float | None = None  # when the cap is a sum of money
    liability_cap_currency: str | None = None
    liability_cap_text: str | None = None
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
    law = clauses.find_governing_law(text)
    amounts = find_amounts(text)
    renewal = clauses.find_renewal(text)
    notice = clauses.find_termination_notice(text)
    cap = clauses.find_liability_cap(text)
    cap_amounts = find_amounts(cap.value, limit=1) if cap else []
    summary = ContractSummary(
        parties=parties,
        roles=roles,
        effective_date=eff,
        effective_date_text=eff_text,
        term=term,
        term_text=term_raw,
        governing_law=law.value if law else None,
        governing_law_text=law.text if law else None,
        amounts=amounts,
        renewal=renewal.value if renewal else None,
        renewal_text=renewal.text if renewal else None,
        termination_notice=notice.value if notice else None,
        termination_notice_text=notice.text if notice else None,
        liability_cap=cap.value if cap else None,
        liability_cap_amount=cap_amounts[0].value if cap_amounts else None,
        liability_cap_currency=cap_amounts[0].currency if cap_amounts else None,
        liability_cap_text=cap.text if cap else None,
        source=src.label,
        basis="Clause patterns read sentence by sentence (\"by and between\", defined-term roles, \"effective as "
        "of\", the term and its renewal, notice of termination, the limitation of liability, \"governed by the "
        "laws of\", currency amounts); periods in words or digits (\"two (2) years\") normalised to digits, the "
        "digits winning when they disagree; jurisdictions matched against US states, Canadian provinces, "
        "Australian states (holidays) and CLDR country names (babel); dates parsed by dateparser. "
        "Read the contract itself for anything that matters: unusual drafting is missed, not guessed.",
    )
    # the clauses every contract has; renewal, termination notice and a liability cap are often absent by
    # design, so their null says "the contract has none we could read" without listing them here
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
    if len(parties) < 2:
        _numbered_parties(head, parties, roles)
    if len(parties) < 2:
        # 'Riverbend Cafe LLC ("Borrower") promises to pay to the order of Clara Nguyen ("Lender")'
        for m in _NAMED_ROLE.finditer(head[:5000]):
            name, role = _clean_party(m.group(1)), m.group(2).strip()
            if name and role.lower() not in _NOT_PARTY_ROLES and name not in parties and len(parties) < 6:
                parties.append(name)
                roles.setdefault(name, role)
    return parties[:6], roles


def _numbered_parties(head: str, parties: list[str], roles: dict[str, str]) -> None:
    """English-style preambles: 'PARTIES (1) Thames Components Limited, a company ... (the "Supplier"); and (2) ...'."""
    block = _PARTIES_BLOCK.search(head)
    if not block:
        return
    items = list(_NUMBERED_ITEM.finditer(block.group(1)))
    for i, item in enumerate(items):
        end = items[i + 1].start() if i + 1 < len(items) else len(block.group(1))
        body = block.group(1)[item.end():end]
        name = _clean_party(re.split(r",|\(|;", body, maxsplit=1)[0])
        if name and name not in parties:
            parties.append(name)
            role = _ROLE.search(body)
            if role and (role.group(1) or role.group(2)):
                roles[name] = (role.group(1) or role.group(2)).strip()


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
    """(the words, normalised): ('twelve (12) months', '12 months')."""
    found = clauses.find_term(text, DATE)
    return (found.text, found.value) if found else (None, None)


def find_governing_law(text: str) -> str | None:
    found = clauses.find_governing_law(text)
    return found.value if found else None


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
