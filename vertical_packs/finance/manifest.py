from intents.sdk import Pack

pack = Pack(
    id="finance",
    name="Finance",
    version="0.1.0",
    description="Loans and amortisation, compound growth and savings goals, NPV and IRR, currency conversion.",
    publisher="Intent Terminal",
    vertical="finance",
    sensitive=["financial"],
    disclaimers=["Not investment, tax or financial advice."],
)
