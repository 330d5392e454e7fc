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
# The words finance users say that the samples may not (the resolver's index learns them).
pack.words(
    vocabulary={"npv": "net present value", "irr": "internal rate return", "fv": "future value", "pmt": "payment",
                "apr": "interest rate", "fx": "currency exchange", "roi": "return investment", "yield": "irr",
                "growth": "grow"},
    synonyms={"repayment": "payment", "repayments": "payment", "installment": "payment", "instalment": "payment",
              "installments": "payment", "instalments": "payment", "payments": "payment", "pay": "payment",
              "mortgage": "loan", "mortgages": "loan", "loans": "loan", "borrow": "loan", "borrowing": "loan"},
)
