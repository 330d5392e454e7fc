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
