"""What no pack offers: an out-of-scope class for the classifier, written for this purpose.

Most are near the domains the packs serve (trading, diagnosis, litigation), where a similarity-only
matcher is most tempted to guess. They are examples of refusal, not a blocklist: the classifier learns
their words like any action's, and an utterance closer to them than to any action is refused.
"""
from __future__ import annotations

OUT_OF_SCOPE = [
    # finance, near-domain
    "purchase 50 shares of microsoft", "sell my tesla stock", "place a limit order on bitcoin",
    "what is the share price of amazon", "short the s&p 500", "open a brokerage account",
    "transfer money to my savings account", "pay my credit card bill", "what's my bank balance",
    "should i invest in gold", "give me a stock tip", "apply for a credit card", "refinance my house with my bank",
    "file my taxes", "how much tax do i owe", "book an appointment with my financial advisor",
    "send 20 dollars to john", "what is the dow doing today", "crypto prices", "predict the market",
    # healthcare, near-domain
    "what illness do i have", "diagnose this rash", "prescribe me antibiotics", "book a doctor appointment",
    "is this mole cancer", "refill my prescription", "what should i take for a headache",
    "call an ambulance", "find a dentist near me", "symptoms of the flu", "interpret my x-ray",
    "schedule surgery", "am i having a heart attack", "order lab tests for me",
    # legal, near-domain
    "sue my neighbour", "represent me in court", "find me a divorce lawyer", "am i guilty",
    "file a complaint against my landlord", "how do i get out of jail", "fight my parking ticket",
    "write my will", "start a class action", "appeal the verdict for me", "register a trademark",
    "is it legal to record a phone call", "get a restraining order",
    # general
    "what's the weather tomorrow", "play some jazz", "set an alarm for 7 am", "tell me a joke",
    "who won the game last night", "order a pizza", "translate this into french", "send an email to my boss",
    "turn off the lights", "what time is it in tokyo", "book a flight to paris", "how tall is mount everest",
    "write a poem about the sea", "what's the capital of peru", "recommend a movie", "how do i boil an egg",
    "open youtube", "call mom", "remind me to buy milk", "who are you", "what is the meaning of life",
    "navigate to the nearest gas station", "make a reservation for two", "read me the news",
    # requests that borrow the packs' words but ask for something else
    "pay the electricity bill", "pay off my car loan now", "make my loan payment to the bank",
    "put 5000 into an etf", "buy a mutual fund", "move my retirement money into bonds",
    "will the judge rule in my favour", "what are my chances at trial", "cancel my gym contract for me",
    "terminate my lease", "sign this document for me", "e-file the motion with the court", "notary near me",
    "a recipe for lasagna", "what should i cook tonight", "who built you", "what are you called", "do you have a name",
    "are you a robot", "how are you today", "thank you", "what is your favourite colour",
    "is my heart rate normal", "why is my blood sugar high", "what does a high creatinine mean",
    "how much does a lawyer cost", "how much does a bmi test cost", "explain what interest is",
    # two things named with "between ... and ...", the way parties are, about something else
    "what is the difference between a roth ira and a 401k", "drug interactions between aspirin and warfarin",
    "compare apple and microsoft", "how far is it between london and paris", "mediate a dispute between my tenants",
    # other documents than the ones the packs draft
    "draft a lease agreement", "write a partnership agreement", "prepare an employment contract",
    "draft a cease and desist letter",
]
