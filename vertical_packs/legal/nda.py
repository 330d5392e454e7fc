"""legal.draft_nda: a mutual or one-way NDA as a Word document (docxtpl) and a Markdown copy.

The clauses are written here once and rendered into both formats; templates/nda.docx only lays them out.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from intents.sdk import ActionContext, ParameterError, Render, Result, Risk, Slot
from vertical_packs.legal.jurisdictions import FEDERAL, parse_us_jurisdiction, state_name
from vertical_packs.legal.manifest import pack

# laws commonly chosen for commercial contracts outside the US: name -> how the clause says it
FOREIGN_LAWS = {
    "england and wales": "the laws of England and Wales", "england": "the laws of England and Wales",
    "uk": "the laws of England and Wales", "united kingdom": "the laws of England and Wales",
    "english law": "the laws of England and Wales", "scotland": "the laws of Scotland",
    "northern ireland": "the laws of Northern Ireland", "ireland": "the laws of Ireland",
    "ontario": "the laws of the Province of Ontario and the federal laws of Canada applicable therein",
    "british columbia": "the laws of the Province of British Columbia and the federal laws of Canada applicable therein",
    "new south wales": "the laws of New South Wales, Australia", "victoria": "the laws of Victoria, Australia",
    "singapore": "the laws of the Republic of Singapore", "hong kong": "the laws of the Hong Kong SAR",
    "germany": "the laws of the Federal Republic of Germany", "switzerland": "the laws of Switzerland",
    "netherlands": "the laws of the Netherlands", "the netherlands": "the laws of the Netherlands",
    "france": "the laws of France", "india": "the laws of India", "new zealand": "the laws of New Zealand",
}
_COMMONWEALTHS = {"KY", "MA", "PA", "VA"}
_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


class Clause(BaseModel):
    number: int
    heading: str
    text: str


class Draft(Result):
    path: str
    format: str
    markdown_path: str
    title: str
    party_a: str
    party_b: str
    mutual: bool
    term: str
    governing_law: str
    effective_date: date
    fields_to_fill: list[str] = []  # signature blocks: names, titles, dates


@pack.action(
    title="Draft an NDA",
    samples=[
        "draft an NDA between Acme and Bob",
        "mutual nda between Initech LLC and Globex for 3 years under New York law",
        "one-way non-disclosure agreement from Acme Corp to Jane Smith",
        "write a confidentiality agreement between Stark Industries and Wayne Enterprises",
        "draft a mutual NDA for Acme Inc. and Beta Ltd, 5 year term, California law",
        "create an NDA between Hooli and Pied Piper governed by Delaware law",
        "prepare a unilateral NDA where Umbrella Corp discloses to Dr. Alice Jones for 1 year",
        "non disclosure agreement between Contoso and Fabrikam under the laws of England and Wales",
        "I need an NDA with Northwind Traders",
        "generate a 2 year mutual confidentiality agreement between Vandelay Industries and Kramerica",
        "draft nda acme beta effective today",
        "make a one way nda, Tyrell Corporation disclosing to Blade Runner LLC, Texas law, 4 years",
        "new NDA document",
        "NDA between Soylent Corp and Cyberdyne Systems",
    ],
    templates=[
        "(draft|write|create|prepare|generate|make) [a|an] [mutual|one-way|unilateral] (nda|non-disclosure agreement|non disclosure agreement|confidentiality agreement) between {party_a} and {party_b} [for {term_years} years] [under {governing_law} law]",
        "[mutual|one-way] (nda|non-disclosure agreement) (between|for) {party_a} and {party_b} [governed by {governing_law} law] [for {term_years} years]",
        "[a] [one-way|unilateral] (nda|non-disclosure agreement) [where] {party_a} (discloses|disclosing) to {party_b}",
    ],
    risk=Risk.WRITES_FILES,
    metered=True,
    feature="legal.draft_nda",
    render=Render(kind="document", document="path"),
)
def draft_nda(
    party_a: str = Slot("The first party (the disclosing party in a one-way NDA)", kind="contract_party",
                        question="Who is the first party?", max_length=1000,
                        cues=["discloser", "disclosing", "sender"]),
    party_b: str = Slot("The second party (the receiving party in a one-way NDA)", kind="contract_party",
                        question="Who is the other party?", max_length=1000,
                        cues=["recipient", "receiving", "receiver", "counterparty"]),
    mutual: bool = Slot("Mutual (both disclose) or one-way (party_a discloses to party_b)", default=True,
                        kind="boolean", synonyms={"one-way": "false", "oneway": "false", "unilateral": "false",
                                                  "one-sided": "false", "non-mutual": "false", "nonmutual": "false",
                                                  "not mutual": "false", "mutual": "true", "two-way": "true",
                                                  "twoway": "true", "bilateral": "true", "reciprocal": "true"}),
    term_years: float = Slot("How long the confidentiality obligations last, in years", default=2, kind="years",
                             cues=["term", "lasting", "last", "lasts", "for", "years", "confidentiality"],
                             gt=0, le=25),
    governing_law: str = Slot("Whose law governs: a US state (Delaware, New York, US-CA) or e.g. England and Wales",
                              default="Delaware", kind="governing_law", max_length=200),
    effective_date: date | None = Slot("Effective date (default: today)", default=None, kind="date",
                                       ge=date(1990, 1, 1), le=date(2100, 12, 31)),
    ctx: ActionContext = None,
) -> Draft:
    """A mutual or one-way non-disclosure agreement as .docx (and Markdown), ready to review and sign."""
    ctx = ctx or ActionContext(home=Path.cwd())
    a, b = _party(party_a, "party_a"), _party(party_b, "party_b")
    if a.casefold() == b.casefold():
        raise ParameterError("party_b", f"the two parties are the same ('{b}'); an NDA needs two parties")
    law_name, law_clause, us_law = governing(governing_law)
    effective = effective_date or ctx.now().date()
    if not 1990 <= effective.year <= 2100:
        raise ParameterError("effective_date", f"{effective.isoformat()} is not a plausible effective date")
    term = term_text(term_years)
    title = "Mutual Non-Disclosure Agreement" if mutual else "Non-Disclosure Agreement"
    clauses = nda_clauses(a, b, mutual, term, law_clause, us_law=us_law)
    context = {
        "title": title.upper(),
        "intro": intro(a, b, mutual, effective),
        "clauses": [c.model_dump() for c in clauses],
        "witness": "IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.",
        "party_a": a,
        "party_b": b,
        "effective_date_text": long_date(effective),
    }
    stem = "NDA-" + "-".join(_slug(p) for p in (a, b))
    docx_path = ctx.output_path(stem + ".docx")
    render_docx(context, docx_path)
    md_path = ctx.output_path(docx_path.stem + ".md")
    md_path.write_text(render_markdown(context), encoding="utf-8")
    return Draft(
        path=str(docx_path),
        format="docx",
        markdown_path=str(md_path),
        title=title,
        party_a=a,
        party_b=b,
        mutual=mutual,
        term=term,
        governing_law=law_name,
        effective_date=effective,
        fields_to_fill=["signatory names", "titles", "signature dates"],
        basis=f"{'Mutual' if mutual else 'One-way'} NDA from the Intent Terminal template (docxtpl); "
        f"{len(clauses)} clauses; term {term}; governed by {law_clause}; effective {effective.isoformat()}. "
        "A starting draft for a lawyer's review, not a reviewed contract.",
    )


def governing(value: str) -> tuple[str, str, bool]:
    """(short name, clause wording, is a US law) for a governing-law slot value."""
    raw = (value or "").strip()
    key = re.sub(r"\s+", " ", raw.lower()).strip(" .")
    key = re.sub(r"^(the )?laws? of ", "", key)
    key = re.sub(r" law$", "", key)
    if key in FOREIGN_LAWS:
        clause = FOREIGN_LAWS[key]
        return clause.removeprefix("the laws of ").split(" and the federal")[0], clause, False
    try:
        code, subdiv = parse_us_jurisdiction(key, param="governing_law")
    except ParameterError:
        raise ParameterError(
            "governing_law",
            f"unknown governing law '{raw}': name a US state (Delaware, New York, US-CA) or one of "
            "England and Wales, Ontario, Singapore, Germany ...",
        ) from None
    if code == FEDERAL or subdiv is None:
        raise ParameterError("governing_law", "contracts are governed by a state's law, not US federal law: name a state")
    name = state_name(subdiv)
    if subdiv == "DC":
        return "District of Columbia", "the laws of the District of Columbia", True
    if name in _territories():
        return name, f"the laws of {name}", True
    kind = "Commonwealth" if subdiv in _COMMONWEALTHS else "State"
    return name, f"the laws of the {kind} of {name}", True


def _territories() -> set[str]:
    return {"American Samoa", "Guam", "Northern Mariana Islands", "Puerto Rico", "U.S. Virgin Islands",
            "United States Minor Outlying Islands"}


def _party(value: str, param: str) -> str:
    name = re.sub(r"\s+", " ", (value or "")).strip().strip(",;")
    if not name:
        raise ParameterError(param, "give the party's name")
    if len(name) > 200:
        raise ParameterError(param, f"a party name of {len(name)} characters is implausible (limit 200)")
    if not re.search(r"[A-Za-z]", name):
        raise ParameterError(param, f"'{name}' does not look like a person or company name")
    return name


def term_text(years: float) -> str:
    months = round(years * 12)
    if months < 1:
        raise ParameterError("term_years", "the term must be at least one month")
    if months % 12 == 0:
        n = months // 12
        return f"{_words(n)} ({n}) year{'s' if n != 1 else ''}"
    return f"{_words(months)} ({months}) month{'s' if months != 1 else ''}"


def _words(n: int) -> str:
    if n < 20:
        return _WORDS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens - 2] + (f"-{_WORDS[ones]}" if ones else "")
    return str(n)


def long_date(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:40] or "party"


def intro(a: str, b: str, mutual: bool, effective: date) -> str:
    roles = ("(each a \"Party\" and together the \"Parties\")" if mutual
             else "(\"Recipient\"; each a \"Party\")")
    first = "" if mutual else " (\"Discloser\")"
    return (f"This {'Mutual ' if mutual else ''}Non-Disclosure Agreement (the \"Agreement\") is entered into as of "
            f"{long_date(effective)} (the \"Effective Date\") by and between {a}{first} and {b} {roles}.")


def nda_clauses(a: str, b: str, mutual: bool, term: str, law_clause: str, us_law: bool) -> list[Clause]:
    if mutual:
        discloser, recipient = "a Party disclosing Confidential Information (\"Discloser\")", "the other Party (\"Recipient\")"
        purpose = (f"The Parties wish to explore a possible business relationship between {a} and {b} (the "
                   "\"Purpose\") and, in doing so, each may disclose Confidential Information to the other.")
    else:
        discloser, recipient = a, b
        purpose = (f"{a} wishes to disclose Confidential Information to {b} so that {b} may evaluate a possible "
                   "business relationship with it (the \"Purpose\").")
    items = [
        ("Purpose", purpose),
        ("Confidential Information",
         f"\"Confidential Information\" means all non-public information disclosed by {discloser} to "
         f"{recipient}, in any form, that is marked or identified as confidential or that a reasonable person "
         "would understand to be confidential given its nature and the circumstances of disclosure, including "
         "business plans, financial information, customer data, technical data, know-how and trade secrets."),
        ("Exclusions",
         "Confidential Information does not include information that Recipient can show (a) is or becomes "
         "publicly available through no breach of this Agreement; (b) was lawfully known to Recipient before "
         "disclosure without a duty of confidentiality; (c) is lawfully received from a third party without a "
         "duty of confidentiality; or (d) is independently developed by Recipient without use of the "
         "Confidential Information."),
        ("Obligations",
         "Recipient shall (a) use Confidential Information only for the Purpose; (b) not disclose it to anyone "
         "except its employees, officers, advisers and contractors who need to know it for the Purpose and are "
         "bound by confidentiality obligations at least as protective as these; and (c) protect it with at "
         "least the care it uses for its own confidential information of like importance, and no less than "
         "reasonable care. Recipient is responsible for any breach by those to whom it discloses."),
        ("Compelled Disclosure",
         "If Recipient is required by law, regulation or court order to disclose Confidential Information, it "
         "may do so after giving Discloser prompt written notice (where lawful) and reasonable help in seeking "
         "a protective order, and shall disclose only the part legally required."),
        ("Term",
         f"This Agreement starts on the Effective Date and Recipient's obligations continue for {term} from the "
         "Effective Date, except that obligations regarding trade secrets continue for as long as the "
         "information remains a trade secret under applicable law. Either Party may end further disclosures at "
         "any time by written notice."),
        ("Return or Destruction",
         "On Discloser's written request, Recipient shall promptly return or destroy Confidential Information "
         "and confirm this in writing, except copies kept under a legal obligation or in routine backups, which "
         "remain subject to this Agreement."),
        ("No License or Warranty",
         "All Confidential Information remains the property of Discloser. No license or other right is granted "
         "except as expressly stated. Confidential Information is provided \"as is\", without warranty of any "
         "kind. Neither Party is obliged to disclose any information or to enter into any further agreement."),
        ("Remedies",
         "Unauthorized use or disclosure may cause irreparable harm for which damages are not an adequate "
         "remedy, so Discloser may seek injunctive relief in addition to any other remedy, without posting bond "
         "where permitted."),
    ]
    if us_law:
        items.append(("Whistleblower Immunity Notice",
                      "Under 18 U.S.C. § 1833(b), an individual is not liable under any federal or state trade "
                      "secret law for disclosing a trade secret in confidence to a government official or an "
                      "attorney solely to report or investigate a suspected violation of law, or in a filing "
                      "made under seal in a lawsuit or other proceeding."))
    items += [
        ("Governing Law",
         f"This Agreement is governed by {law_clause}, without regard to its conflict-of-laws rules."),
        ("General",
         "This Agreement is the entire agreement of the Parties on its subject and supersedes prior "
         "understandings on it. It may be amended or waived only in a writing signed by both Parties. If any "
         "provision is unenforceable, the rest remains in effect. Neither Party may assign it without the other's "
         "written consent, except to a successor to substantially all of its business. It may be signed in "
         "counterparts, including by electronic signature."),
    ]
    return [Clause(number=i, heading=h, text=t) for i, (h, t) in enumerate(items, start=1)]


def render_docx(context: dict, path: Path) -> None:
    from docxtpl import DocxTemplate

    from vertical_packs.legal.nda_template import TEMPLATE, build

    if TEMPLATE.exists():
        template = TEMPLATE
    else:  # an install that lost the shipped file: build it where we may write, not into site-packages
        import tempfile

        template = build(Path(tempfile.mkdtemp(prefix="intent-nda-")) / "nda.docx")
    doc = DocxTemplate(str(template))
    missing = set(doc.get_undeclared_template_variables()) - set(context)
    if missing:  # a restyled template asking for fields we do not supply would leave blanks in a contract
        raise RuntimeError(f"the NDA template needs fields this version does not fill: {sorted(missing)}")
    doc.render(context, autoescape=True)
    doc.save(str(path))


def render_markdown(context: dict) -> str:
    lines = [f"# {context['title']}", "", context["intro"], ""]
    for c in context["clauses"]:
        lines += [f"**{c['number']}. {c['heading']}.** {c['text']}", ""]
    lines += [context["witness"], "", "| | |", "|---|---|", f"| **{context['party_a']}** | **{context['party_b']}** |"]
    lines += ["| By: ____________________ | By: ____________________ |", "| Name: | Name: |", "| Title: | Title: |",
              "| Date: | Date: |", ""]
    return "\n".join(lines)
