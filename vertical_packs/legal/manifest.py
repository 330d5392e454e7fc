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
