"""Write the broad negative sets: realistic requests from other domains that no installed pack serves.

    python tests/data/negatives/generate.py      # rewrites tuning.jsonl and heldout.jsonl next to it

Written for this project (no public NLU data set was used or consulted): combinatorial templates over
many domains (banking, travel, shopping, HR, IT support, smart home, small talk, cooking, sports,
media, productivity, insurance, education, government, and near-domain requests that share words with
the built-in packs: loan, payment, plan, history, help, rate, contract, court, dose, heart rate ...),
plus the hand-written lines in handwritten.txt. Deterministic (a fixed seed). Each line goes to the
tuning half or the held-out half by a hash of its text, so a line never moves between halves when
the templates grow. Tune on tuning.jsonl; report heldout.jsonl alongside, never tune on it.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 14
PER_TEMPLATE = 90  # at most this many expansions of any one template, sampled

# ---- shared fillers ----------------------------------------------------------------------------
ASK = ["", "can you ", "could you ", "please ", "i want to ", "i'd like to ", "i need to ", "help me ",
       "how do i ", "is it possible to ", "i would like to ", "can i ", "hey, ", "quick question, can i "]
WANT = ["", "i want ", "i need ", "i'd like ", "get me ", "can i get ", "i'm looking for ", "please find "]
TAIL = ["", "", "", " please", " for me", " today", " right now", " asap", "?", " thanks"]
CITY = ["paris", "tokyo", "new york", "chicago", "madrid", "berlin", "lisbon", "denver", "boston", "rome",
        "san diego", "toronto", "mumbai", "seoul", "cape town", "austin", "dublin", "vienna"]
DAY = ["tomorrow", "on friday", "next monday", "this weekend", "tonight", "on the 12th", "next week",
       "in two hours", "at 5 pm", "on march 3rd", "later today", "sunday morning"]
PERSON = ["mom", "my boss", "john", "sarah", "the landlord", "my sister", "dr patel", "the team", "alex",
          "my wife", "customer support", "grandma"]
NUM = ["2", "3", "5", "10", "20", "50", "100", "250", "40", "12"]
MONEY = ["$20", "50 dollars", "$1,200", "300 euros", "$75", "£40", "100 bucks", "$2,500", "15 dollars"]

T: dict[str, list[tuple[str, dict]]] = {}


def add(domain: str, template: str, **slots: list[str]) -> None:
    T.setdefault(domain, []).append((template, slots))


# ---- banking (near finance: payment, loan, rate, interest, balance, transfer) ---------------------
ACCT = ["checking account", "savings account", "credit card", "debit card", "joint account", "business account"]
add("banking", "{ask}{verb} my {acct}{tail}", ask=ASK, verb=["close", "freeze", "unfreeze", "open", "activate",
    "cancel", "upgrade", "lock", "report a problem with"], acct=ACCT, tail=TAIL)
add("banking", "what's the balance on my {acct}{tail}", acct=ACCT, tail=TAIL)
add("banking", "{ask}transfer {money} from my {acct} to {person}{tail}", ask=ASK, money=MONEY,
    acct=ACCT, person=PERSON, tail=TAIL)
add("banking", "why was my {acct} {what}", acct=ACCT, what=["declined", "charged twice", "blocked", "charged a fee",
    "not working at the atm", "refused abroad", "charged a foreign transaction fee"])
add("banking", "{ask}{verb} a {thing}{tail}", ask=ASK, verb=["order", "request", "replace", "dispute", "cancel"],
    thing=["new card", "chargeback", "replacement pin", "stolen card", "check book", "direct deposit form",
           "wire transfer", "pending transaction", "standing order", "card payment"], tail=TAIL)
add("banking", "my {thing} {state}", thing=["card", "transfer", "payment", "direct deposit", "refund",
    "cash withdrawal", "top up", "pin"], state=["hasn't arrived", "is still pending", "was declined", "didn't go through",
    "is missing", "failed", "got stuck", "was reversed", "is taking too long"])
add("banking", "{ask}{act} my loan{tail}", ask=ASK, act=["apply for", "check the status of", "pay off", "defer",
    "make a payment on", "speak to someone about", "get a statement for", "increase"], tail=TAIL)
add("banking", "what is the {rate} {where}", rate=["interest rate", "exchange fee", "overdraft fee", "apr",
    "savings rate", "atm fee", "wire fee"], where=["on my credit card", "at your bank", "for a personal loan",
    "for international transfers", "on my account", "for students", "this month"])
add("banking", "{ask}{act}{tail}", ask=ASK, act=["set up autopay", "change my pin", "update my address",
    "add a beneficiary", "link my paypal", "enable overdraft protection", "get a bank statement",
    "see my recent transactions", "report fraud on my account", "verify my identity", "get my routing number",
    "find my iban", "raise my credit limit", "pay my bill online", "cancel a payment", "stop a check"], tail=TAIL)
add("banking", "how long does a {what} take", what=["transfer", "wire", "refund", "card delivery", "direct deposit",
    "loan approval", "international payment", "check to clear"])

# ---- insurance, utilities, telecom (near: plan, payment, policy) ----------------------------------
add("insurance", "{want}a {adj} {kind} plan{tail}", want=WANT, adj=["new", "cheaper", "better", "family",
    "basic", "premium", "different"], kind=["insurance", "health insurance", "phone", "data", "dental", "car insurance",
    "internet", "travel insurance", "pet insurance", "life insurance", "mobile"], tail=TAIL)
add("insurance", "{ask}{act} my {policy}{tail}", ask=ASK, act=["renew", "cancel", "change", "upgrade",
    "downgrade", "pause", "compare", "file a claim on"], policy=["insurance policy", "phone plan", "car insurance",
    "home insurance", "data plan", "gym membership", "streaming subscription", "meal plan", "broadband contract"],
    tail=TAIL)
add("insurance", "does my {policy} cover {what}", policy=["insurance", "health plan", "travel insurance",
    "warranty", "renters insurance", "car insurance"], what=["a broken phone", "flood damage", "dental work",
    "a rental car", "lost luggage", "physical therapy", "theft", "hail damage", "an ambulance ride"])
add("insurance", "my {bill} is {state}", bill=["electricity bill", "phone bill", "water bill", "gas bill",
    "internet bill", "cable bill"], state=["too high", "wrong", "late", "double what it was", "overdue", "missing"])
add("insurance", "{ask}pay my {bill}{tail}", ask=ASK, bill=["phone bill", "water bill", "internet bill", "rent",
    "electric bill", "parking fine", "tuition", "council tax"], tail=TAIL)

# ---- travel ------------------------------------------------------------------------------------
add("travel", "{ask}book a {what} to {city} {day}{tail}", ask=ASK, what=["flight", "train", "bus", "hotel",
    "rental car", "ferry", "cheap flight", "one way ticket"], city=CITY, day=DAY, tail=TAIL)
add("travel", "{ask}{act} my {thing}{tail}", ask=ASK, act=["cancel", "change", "check in for", "upgrade",
    "reschedule", "confirm"], thing=["flight", "hotel booking", "reservation", "car rental", "seat", "train ticket",
    "cruise", "trip"], tail=TAIL)
add("travel", "is my flight to {city} {state}", city=CITY, state=["on time", "delayed", "cancelled", "boarding",
    "full"])
add("travel", "what's the {thing} in {city}", thing=["weather", "time", "best hotel", "best restaurant",
    "exchange rate", "population", "tipping custom", "visa requirement", "sales tax"], city=CITY)
add("travel", "{want}{thing} in {city}{tail}", want=WANT, thing=["a hotel", "things to do", "a good sushi place",
    "a cheap hostel", "an airbnb", "a tour guide", "a bike rental", "museums", "a taxi"], city=CITY, tail=TAIL)
add("travel", "how {adj} is {city} from {city2}", adj=["far", "long a flight", "long a drive"], city=CITY, city2=CITY)
add("travel", "do i need a {doc} to travel to {place}", doc=["visa", "passport", "vaccine", "covid test",
    "travel adapter"], place=["japan", "canada", "brazil", "the uk", "australia", "india", "mexico", "kenya"])

# ---- shopping and orders -------------------------------------------------------------------------
ITEM = ["shoes", "headphones", "a laptop", "paper towels", "a birthday gift", "groceries", "a coffee maker",
        "running shoes", "a winter jacket", "dog food", "a phone case", "printer ink", "a yoga mat"]
add("shopping", "{ask}{act} {item}{tail}", ask=ASK, act=["order", "buy", "find", "reorder", "compare prices for",
    "add to my cart", "return", "track my order of"], item=ITEM, tail=TAIL)
add("shopping", "where is my {thing}", thing=["order", "package", "delivery", "refund", "parcel", "return label"])
add("shopping", "{ask}{act} my order{tail}", ask=ASK, act=["cancel", "track", "change the address on", "return",
    "expedite", "split"], tail=TAIL)
add("shopping", "add {food} to my {list}", food=["milk", "eggs", "bananas", "toilet paper", "olive oil", "bread",
    "coffee", "rice"], list=["shopping list", "grocery list", "cart", "list"])
add("shopping", "is {item} on sale", item=ITEM)
add("shopping", "what's the return policy for {item}", item=ITEM)

# ---- HR and workplace (near: history, plan, request, leave) --------------------------------------
add("hr", "{ask}{act}{tail}", ask=ASK, act=["put in a vacation request", "request time off", "submit my timesheet",
    "check my pto balance", "see my pay stub", "update my direct deposit", "enroll in benefits",
    "change my tax withholding", "book a meeting room", "file an expense report", "request a new laptop",
    "see the holiday calendar", "report sick", "apply for parental leave", "view my performance review",
    "schedule a one on one with my manager", "update my emergency contact", "get my w-2",
    "see my employment history", "check my training plan", "view my career plan", "see the org chart"],
    tail=TAIL)
add("hr", "how many {what} do i have left", what=["vacation days", "sick days", "pto hours", "personal days",
    "holidays", "training credits"])
add("hr", "when is {what}", what=["payday", "the next holiday", "open enrollment", "my review", "the team offsite",
    "the all hands", "the benefits deadline", "my work anniversary"])
add("hr", "{ask}take {n} days off {day}{tail}", ask=ASK, n=["2", "3", "5", "a few"], day=DAY, tail=TAIL)

# ---- IT support (near: install, remove, help, packs, history) ------------------------------------
APP = ["zoom", "outlook", "chrome", "slack", "excel", "the vpn", "teams", "spotify", "photoshop", "my printer",
       "the wifi", "bluetooth", "my webcam", "dropbox"]
add("it", "{ask}{act} {app}{tail}", ask=ASK, act=["install", "uninstall", "update", "reset", "restart", "fix",
    "reinstall", "connect to", "log out of", "set up"], app=APP, tail=TAIL)
add("it", "{app} {state}", app=APP, state=["is not working", "keeps crashing", "won't open", "is slow",
    "won't connect", "keeps freezing", "says access denied", "is asking for a password"])
add("it", "{ask}{act}{tail}", ask=ASK, act=["reset my password", "clear my browser history", "delete my search history",
    "recover a deleted file", "free up disk space", "back up my phone", "change my email signature",
    "turn on two factor authentication", "unlock my account", "map a network drive", "update my drivers",
    "check for viruses", "speed up my computer", "show my browsing history", "export my chat history"], tail=TAIL)
add("it", "how do i {act} on {os}", act=["take a screenshot", "change the wallpaper", "install fonts",
    "uninstall an app", "check my storage", "turn off updates", "find my ip address", "see my call history"],
    os=["windows", "mac", "my iphone", "android", "linux", "my chromebook"])

# ---- smart home and devices ---------------------------------------------------------------------
ROOM = ["living room", "kitchen", "bedroom", "office", "garage", "bathroom", "hallway", "porch"]
add("home", "{ask}turn {onoff} the {dev} in the {room}{tail}", ask=["", "", "please ", "can you "],
    onoff=["on", "off"], dev=["lights", "lamp", "fan", "tv", "heater", "air conditioner", "speaker"], room=ROOM,
    tail=TAIL)
add("home", "set the {dev} to {n}{unit}", dev=["thermostat", "heat", "ac", "oven", "volume"],
    n=["68", "72", "20", "350", "5", "40"], unit=["", " degrees", " percent"])
add("home", "{act} the {thing}", act=["lock", "unlock", "open", "close", "check"], thing=["front door",
    "garage door", "back door", "blinds", "windows", "security camera"])
add("home", "dim the {room} lights to {n} percent", room=ROOM, n=["20", "30", "50", "10"])
add("home", "{ask}{act}{tail}", ask=["", "please ", "can you "], act=["start the vacuum", "run the dishwasher",
    "arm the alarm", "water the garden", "show the front door camera", "make the lights warmer",
    "start the washing machine", "turn on do not disturb"], tail=TAIL)

# ---- productivity, calendar, messages ------------------------------------------------------------
add("productivity", "{ask}{act} {person} {day}{tail}", ask=ASK, act=["call", "text", "email", "remind me to call",
    "schedule a meeting with", "send a message to", "set up a call with"], person=PERSON, day=DAY, tail=TAIL)
add("productivity", "set {a} {what} for {when}", a=["a", "an"], what=["alarm", "timer", "reminder"],
    when=["7 am", "10 minutes", "noon", "tomorrow morning", "6:30", "an hour", "25 minutes"])
add("productivity", "what's on my {what} {day}", what=["calendar", "schedule", "agenda", "to do list"], day=DAY)
add("productivity", "{ask}{act}{tail}", ask=ASK, act=["add an event to my calendar", "cancel my 3 pm meeting",
    "move my dentist appointment", "read my last email", "delete the reminder", "clear my to do list",
    "share my location", "take a note", "read my notes", "start a voice memo", "what did i miss",
    "check my voicemail", "show my call history", "show me my watch history", "show my order history",
    "show my purchase history", "see my ride history", "my listening history"], tail=TAIL)

# ---- small talk and assistant ------------------------------------------------------------------
add("smalltalk", "{x}", x=["hi", "hello there", "good morning", "how are you doing", "what's up", "thanks a lot",
    "you're awesome", "that would be correct", "yes that's right", "no that's wrong", "that is not what i asked",
    "never mind", "forget it", "ok cool", "sounds good", "i don't understand", "can you repeat that",
    "say that again", "are you there", "what's your name", "how old are you", "where are you from",
    "do you like music", "tell me something interesting", "i'm bored", "i'm so tired today", "good night",
    "see you later", "you are not helpful", "that's not correct", "correct", "exactly", "yes please",
    "no thanks", "maybe later", "i love you", "are you human", "who made you", "what are you", "do you dream",
    "what is your favorite food", "how is your day going", "tell me a fun fact", "sing me a song",
    "what can't you do", "let's play a game", "that's hilarious", "wow", "cool thanks", "perfect",
    "that's it", "nothing else", "stop", "cancel that", "go back", "undo that", "what did you say",
    "i meant the other one", "not that one", "you misunderstood me", "lol", "haha nice", "ok",
    "i appreciate it", "how's the weather looking", "do you have feelings", "can we be friends"])
add("smalltalk", "what's the {lang} word for {w}", lang=["spanish", "french", "german", "italian", "japanese",
    "chinese", "portuguese", "korean"], w=["pasta", "thank you", "apple", "library", "friend", "water", "cheese",
    "goodbye", "computer", "beautiful"])
add("smalltalk", "how do you say {w} in {lang}", w=["hello", "good night", "i love you", "cheers", "excuse me",
    "where is the bathroom", "happy birthday", "sorry"], lang=["spanish", "french", "german", "italian", "japanese",
    "mandarin", "russian", "arabic"])
add("smalltalk", "{ask}translate {phrase} into {lang}", ask=ASK, phrase=["this sentence", "good morning",
    "my name is anna", "where is the train station", "this email", "the menu"], lang=["french", "spanish",
    "german", "dutch", "greek", "hindi"])
add("smalltalk", "what does {w} mean", w=["serendipity", "ubiquitous", "ephemeral", "lol", "yeet", "hygge",
    "schadenfreude", "irony", "gaslighting"])
add("smalltalk", "how do you spell {w}", w=["necessary", "restaurant", "definitely", "bureaucracy", "rhythm",
    "separate", "accommodate"])
add("smalltalk", "tell me a {kind}", kind=["joke", "story", "riddle", "dad joke", "fun fact", "bedtime story",
    "knock knock joke", "quote"])

# ---- cooking and food --------------------------------------------------------------------------
DISH = ["lasagna", "pancakes", "chicken curry", "banana bread", "risotto", "tacos", "chocolate cake", "pad thai",
        "sourdough", "chili", "guacamole", "a smoothie", "fried rice", "meatballs"]
add("cooking", "{ask}{act} {dish}{tail}", ask=ASK, act=["make", "cook", "bake", "find a recipe for",
    "order", "get the ingredients for"], dish=DISH, tail=TAIL)
add("cooking", "how long do i {act} {food}", act=["boil", "bake", "roast", "grill", "microwave", "steam"],
    food=["an egg", "a chicken breast", "salmon", "potatoes", "broccoli", "a steak", "rice", "corn"])
add("cooking", "how many {u1} in a {u2}", u1=["cups", "tablespoons", "teaspoons", "ounces", "grams"],
    u2=["cup", "pint", "stick of butter", "quart", "pound", "tablespoon"])
add("cooking", "what can i substitute for {food}", food=["eggs", "butter", "buttermilk", "baking soda",
    "heavy cream", "sour cream", "brown sugar", "cornstarch"])
add("cooking", "{want}a {adj} restaurant {where}{tail}", want=WANT, adj=["vegan", "italian", "cheap",
    "romantic", "kid friendly", "thai", "brunch"], where=["nearby", "downtown", "near me", "open now"], tail=TAIL)
add("cooking", "how many calories are in {food}", food=["a banana", "a slice of pizza", "a beer", "an avocado",
    "a big mac", "a glass of wine", "oatmeal"])
add("cooking", "{ask}make a meal plan for {what}{tail}", ask=ASK, what=["the week", "weight loss", "a vegetarian",
    "my family", "keto"], tail=TAIL)

# ---- sports, media, news, knowledge -------------------------------------------------------------
TEAM = ["the lakers", "the yankees", "arsenal", "real madrid", "the patriots", "the warriors", "manchester united",
        "the cubs", "the chiefs", "barcelona"]
add("sports", "{q} {team} {what}", q=["did", "when do", "who do", "how did"], team=TEAM,
    what=["win last night", "play next", "play on sunday", "do this season"])
add("sports", "what's the score of the {team} game", team=TEAM)
add("sports", "{ask}{act}{tail}", ask=["", "can you "], act=["show me the nba standings", "who won the super bowl",
    "when does the world cup start", "show the premier league table", "what's the tennis schedule",
    "who is leading the tour de france", "give me the f1 results", "how many goals did messi score",
    "find me a pickup basketball game", "track my run", "start a workout", "log my swim", "plan my marathon training",
    "what's my running pace", "count my steps today"], tail=TAIL)
add("media", "{ask}play {what}{tail}", ask=["", "please ", "can you "], what=["some jazz", "my workout playlist",
    "the latest podcast episode", "taylor swift", "rain sounds", "the news", "a movie", "the next episode",
    "lofi beats", "classical music", "something relaxing"], tail=TAIL)
add("media", "{act} the {thing}", act=["pause", "skip", "replay", "turn up", "turn down", "stop"],
    thing=["music", "song", "video", "podcast", "volume", "audiobook"])
add("media", "{want}a {kind} {about}{tail}", want=WANT, kind=["movie", "book", "podcast", "documentary", "tv show",
    "song"], about=["about space", "like inception", "for kids", "to watch tonight", "about history",
    "with tom hanks", "about cooking"], tail=TAIL)
add("knowledge", "{q}", q=["who was the first president", "how far is the moon", "why is the sky blue",
    "how tall is the eiffel tower", "what's the capital of australia", "who wrote hamlet",
    "when did world war two end", "how many planets are there", "what is photosynthesis",
    "what's the population of canada", "how does a vaccine work", "who invented the telephone",
    "what is the speed of light", "how deep is the ocean", "what's the biggest animal",
    "how do airplanes fly", "when was the internet invented", "what language do they speak in brazil",
    "how many bones are in the human body", "what causes earthquakes", "what is inflation",
    "what's the stock market", "how do taxes work", "what's a recession", "what time is it",
    "what day is it today", "how many days until christmas", "what's the date next tuesday",
    "what's 15 percent of 80", "what is 12 times 14", "square root of 144", "convert 5 miles to km",
    "how many ounces in a pound", "what's 72 fahrenheit in celsius"])
add("knowledge", "{ask}{act}{tail}", ask=["", "can you ", "please "], act=["read me the news", "give me the headlines",
    "what's trending", "what's the weather", "will it rain tomorrow", "how hot will it be today",
    "is it going to snow", "what's the forecast for the weekend", "what's the air quality",
    "when is sunset"], tail=TAIL)

# ---- education, government, real estate, cars, pets, fitness --------------------------------------
add("misc", "{ask}{act}{tail}", ask=ASK, act=["renew my driver's license", "register to vote", "apply for a passport",
    "pay a parking ticket", "find my polling place", "renew my car registration", "get a fishing license",
    "change my address with the post office", "apply for unemployment", "check my tax refund status",
    "enroll in a class", "drop a course", "check my grades", "find a tutor", "register for the exam",
    "submit my homework", "book a driving test", "schedule an oil change", "find a mechanic",
    "get a car wash", "check my tire pressure", "find a dog walker", "book a vet appointment",
    "find a babysitter", "hire a plumber", "get a quote for painting my house", "find an apartment to rent",
    "list my house for sale", "schedule a house viewing", "get a moving truck", "book a haircut",
    "find a gym near me", "cancel my gym membership", "sign up for yoga classes", "find a running club"],
    tail=TAIL)
add("misc", "how much does it cost to {act}", act=["fix a cracked screen", "paint a room", "replace a roof",
    "rent a car for a week", "ship a package to canada", "adopt a dog", "get braces", "go to college",
    "build a deck", "repair a transmission"])

# ---- near-domain: finance words, other requests ----------------------------------------------------
add("near_finance", "{ask}{act}{tail}", ask=ASK, act=["buy 10 shares of apple", "sell my bitcoin", "check my 401k",
    "move money into my ira", "open a roth ira", "what is my credit score", "improve my credit score",
    "pay my mortgage", "make my car payment", "refinance with my bank", "get preapproved for a mortgage",
    "find a mortgage broker", "compare credit cards", "dispute a charge", "find a financial advisor",
    "what stocks should i buy", "how is the market doing", "what's the price of gold", "file my tax return",
    "get my tax documents", "split the bill with friends", "venmo alex 20 dollars", "request money from sarah",
    "what's my net worth", "track my spending", "set a budget for groceries", "how much did i spend on food",
    "show my spending history", "where did my money go this month", "cancel my subscription payment",
    "what's the mortgage rate today", "lock in my mortgage rate", "increase my loan limit", "ask for a raise",
    "tip calculator for dinner"], tail=TAIL)
add("near_finance", "how much {q}", q=["is my paycheck", "do i have in savings", "did i spend last month",
    "is a house in denver", "should i tip", "is the stock of tesla", "is rent in boston", "does netflix cost",
    "is my car worth", "is bitcoin today", "do i owe on my credit card"])
# ---- near-domain: health words -----------------------------------------------------------------
add("near_health", "{ask}{act}{tail}", ask=ASK, act=["book a doctor's appointment", "refill my prescription",
    "find a pharmacy open now", "find a dentist", "call my doctor", "cancel my physical", "check my heart rate",
    "start a meditation", "log my weight", "track my sleep", "order my contact lenses", "find urgent care",
    "schedule a flu shot", "get my vaccination record", "talk to a nurse", "find a therapist",
    "remind me to take my pills", "how much water should i drink", "how many steps did i walk",
    "is ibuprofen safe with coffee", "what's a normal blood pressure", "book a massage",
    "my blood pressure reading history", "show my workout history", "what's my resting heart rate",
    "set a medication reminder", "order vitamins", "find a covid testing site"], tail=TAIL)
add("near_health", "i have a {what}", what=["headache", "sore throat", "fever", "rash", "cough", "toothache",
    "stomach ache", "backache", "cold"])
add("near_health", "what should i do about {what}", what=["a bee sting", "a sprained ankle", "a sunburn", "insomnia",
    "a nosebleed", "back pain", "hiccups"])
# ---- near-domain: legal words ---------------------------------------------------------------------
add("near_legal", "{ask}{act}{tail}", ask=ASK, act=["cancel my phone contract", "get out of my lease",
    "sign the rental agreement", "find a lawyer near me", "contest a speeding ticket", "report a crime",
    "get a copy of my birth certificate", "notarize a document", "file a police report",
    "change my name legally", "sue for small claims", "get a divorce", "write a will", "get power of attorney",
    "trademark my logo", "read my employment contract", "renew my contract with the gym",
    "when is my court date", "pay my court fine", "respond to jury duty", "postpone jury duty",
    "fill out a customs form", "apply for a work permit", "check my visa status",
    "send the contract to the client", "print the contract", "email the agreement to bob",
    "scan this document", "save this document as pdf", "share the document with the team",
    "summarize this article", "summarize this email", "summarize the news", "summarize the meeting"],
    tail=TAIL)
add("near_legal", "how many days {q}", q=["until my vacation", "until my birthday", "are left in the year",
    "until the weekend", "since i started", "do i have to return this item", "until payday",
    "is the return window"])

# ---- near-system: plan, history, help, packs, install ------------------------------------------------
add("near_system", "{ask}{act}{tail}", ask=ASK, act=["plan a trip to italy", "plan my week", "plan a birthday party",
    "make a workout plan", "plan a road trip", "plan a wedding", "help me write a cover letter",
    "help me with my homework", "help me fix my bike", "help me choose a laptop", "help me sleep",
    "help my kid with math", "clear the history", "delete my history", "history of the roman empire",
    "tell me about the history of jazz", "what happened in history today", "pack my suitcase",
    "what should i pack for a beach trip", "a six pack of beer", "order a pack of diapers",
    "install a ceiling fan", "install new tires", "remove a stain", "remove the wallpaper",
    "remove a wasp nest", "what plans do you offer", "compare phone plans", "change my data plan",
    "cancel my subscription to netflix", "upgrade my spotify subscription", "what's included in prime",
    "show me my recent orders", "what did i order last time", "my recent searches",
    "what did i watch yesterday", "what songs did i play recently", "the last thing i bought"], tail=TAIL)


def expand(template: str, slots: dict[str, list[str]], rng: random.Random) -> list[str]:
    names = [n for n in slots]
    combos = list(itertools.product(*(slots[n] for n in names)))
    rng.shuffle(combos)
    out = []
    for combo in combos[:PER_TEMPLATE]:
        s = template.format(**dict(zip(names, combo)))
        out.append(" ".join(s.split()).replace(" ?", "?"))
    return out


def half(text: str) -> str:
    return "heldout" if hashlib.sha256(text.lower().encode()).digest()[0] % 2 else "tuning"


def main() -> None:
    rng = random.Random(SEED)
    rows: dict[str, dict] = {}
    for domain, templates in T.items():
        for template, slots in templates:
            for s in expand(template, slots, rng):
                rows.setdefault(s.lower(), {"text": s, "action": None, "domain": domain, "source": "template"})
    for line in (HERE / "handwritten.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            domain, _, text = line.partition("\t")
            rows.setdefault(text.lower(), {"text": text, "action": None, "domain": domain, "source": "hand"})
    out = {"tuning": [], "heldout": []}
    for key in sorted(rows):
        out[half(key)].append(rows[key])
    for name, items in out.items():
        with open(HERE / f"{name}.jsonl", "w") as f:
            for r in items:
                f.write(json.dumps(r) + "\n")
        print(f"{name}: {len(items)} lines ({sum(r['source'] == 'hand' for r in items)} hand-written)")


if __name__ == "__main__":
    main()
