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
    # near-domain requests this pack does not serve: the resolver refuses them instead of guessing
    negatives=[
        "purchase 50 shares of microsoft", "sell my tesla stock", "place a limit order on bitcoin",
        "what is the share price of amazon", "short the s&p 500", "open a brokerage account",
        "transfer money to my savings account", "pay my credit card bill", "what's my bank balance",
        "should i invest in gold", "give me a stock tip", "apply for a credit card", "refinance my house with my bank",
        "file my taxes", "how much tax do i owe", "book an appointment with my financial advisor",
        "send 20 dollars to john", "what is the dow doing today", "crypto prices", "predict the market",
        "pay the electricity bill", "pay off my car loan now", "make my loan payment to the bank",
        "put 5000 into an etf", "buy a mutual fund", "move my retirement money into bonds",
        "explain what interest is", "what is the difference between a roth ira and a 401k",
        "compare apple and microsoft", "what's my credit score", "dispute a charge on my card",
        "why was my card declined", "when is my loan payment due", "increase my credit limit",
        "what's the interest rate at my bank", "how much money is in my account",
        "report my card stolen", "split the dinner bill with friends",
    ],
)
