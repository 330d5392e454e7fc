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
