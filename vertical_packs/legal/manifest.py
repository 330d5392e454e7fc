"""The legal pack's manifest: kept apart from the actions so that importing it costs nothing."""
from __future__ import annotations

from intents.sdk import Pack

pack = Pack(
    id="legal",
    name="Legal",
    version="0.1.0",
    description="Court deadlines under FRCP 6(a), citation extraction, NDA drafting, redaction, contract summaries.",
    publisher="Intent Terminal",
    vertical="legal",
    sensitive=["privileged", "PII"],
    disclaimers=[
        "Not legal advice. Check deadlines against the governing rules, local rules, court orders and state "
        "holidays. A deadline set for a specific date is not rolled forward."
    ],
    # near-domain requests this pack does not serve: the resolver refuses them instead of guessing
    negatives=[
        "sue my neighbour", "represent me in court", "find me a divorce lawyer", "am i guilty",
        "file a complaint against my landlord", "how do i get out of jail", "fight my parking ticket",
        "write my will", "start a class action", "appeal the verdict for me", "register a trademark",
        "is it legal to record a phone call", "get a restraining order",
        "will the judge rule in my favour", "what are my chances at trial", "cancel my gym contract for me",
        "terminate my lease", "sign this document for me", "e-file the motion with the court", "notary near me",
        "how much does a lawyer cost", "mediate a dispute between my tenants",
        "draft a lease agreement", "write a partnership agreement", "prepare an employment contract",
        "draft a cease and desist letter", "take three days off next week", "book two days off from monday",
        "how many days off do i have", "when is my jury duty", "print the contract", "email the agreement to the client",
    ],
)
pack.words(vocabulary={"nda": "non disclosure agreement", "pii": "personal information"},
           synonyms={"nda": "nda", "ndas": "nda", "non-disclosure": "nda", "nondisclosure": "nda",
                     "confidentiality": "nda", "cites": "citation", "cited": "citation", "citations": "citation",
                     "cases": "case"})

# ---- the legal pack's value kinds, on the public SDK (intents.sdk.Pack.kind) -------------------------
US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
}
OTHER_LAW = {"england": "England and Wales", "english": "England and Wales", "uk": "England and Wales",
             "scotland": "Scotland", "scottish": "Scotland", "ontario": "Ontario", "ireland": "Ireland",
             "germany": "Germany", "german": "Germany", "france": "France", "french": "France",
             "singapore": "Singapore", "switzerland": "Switzerland", "swiss": "Switzerland"}
pack.kind("court_jurisdiction", base="choice",
          values={**{name: f"US-{code}" for name, code in US_STATES.items()}, "federal": "US-federal",
                  "frcp": "US-federal"},
          description="Whose court holidays count: US-federal or a state as US-CA", examples=["California", "federal"])
pack.kind("governing_law", base="choice",
          values={**{name: name.title() for name in US_STATES}, **OTHER_LAW},
          description="Whose law governs a contract: a US state or a country", examples=["Delaware", "England"])
# Contract parties: names end at the words of the rest of a drafting request; a pair can be labelled
# ("disclosing party X, receiving party Y"), said with a verb ("X discloses ... to Y") or follow the
# document's name ("NDA: Umbrella Corp & Cyberdyne Systems"); once the action is an NDA, looser forms.
_AFTER = r"\b(?:nda|agreement|contract)"
pack.kind("contract_party", base="party",
          cues=["governed", "lasting", "mutual", "one-way", "covering", "effective", "term", "pursuant"],
          pairs=[r"\b(?:party\s*(?:a|1|one)|first\s+party|disclosing\s+party)\s*[:=\-–]?\s*(?:is\s+)?(?P<a>%NAME%)"
                 r"\s*[,;]?\s*(?:and\s+)?(?:the\s+)?(?:party\s*(?:b|2|two)|second\s+party|receiving\s+party)\s*[:=\-–]?\s*"
                 r"(?:is\s+)?(?P<b>%NAME%)%END%",
                 r"(?-i:(?P<a>%CAPITALISED%)\s+(?:discloses|disclosing|will\s+disclose|is\s+disclosing|shares|will\s+share)\s+"
                 r"(?:[a-z]+\s+){0,3}?(?:to|with)\s+(?P<b>%CAPITALISED%))%END%",
                 _AFTER + r"\s*(?:(?P<colon>[:\-–])\s*|\s+)%NOT_A_NAME%(?P<a>[A-Za-z]%NAME_REST%)\s*"
                 r"(?:&|/|\bvs\.?|(?(colon)\band\b|(?!x)x))\s*%NOT_A_NAME%(?P<b>[A-Za-z]%NAME_REST%)%END%"],
          extract=[_AFTER + r"\s+(?!between|for|with)(?P<a>\S.*?)\s+(?:and|&)\s+(?P<b>.+?)%END%",
                   _AFTER + r"\s+(?:for|with)\s+(?P<a>.+?)%END%"],
          strip=[r"^(?:nda|agreement|contract)$"],
          description="A party to a contract: a person's or organisation's name, two of them from 'between A and "
                      "B', 'party A X, party B Y', 'X discloses to Y' or 'NDA: X & Y'",
          examples=["between Acme Corp and Beta LLC", "NDA: Umbrella Corp & Cyberdyne Systems"])
