"""What no pack offers, in no pack's words: the domain-free part of the out-of-scope class.

Requests from everyday life (small talk, replies, devices, travel, shopping, media, work tools) that a
similarity-only matcher would otherwise pin on whichever action shares one word with them. Near-domain
requests ("pay my mortgage bill", "book a doctor appointment") are each pack's own to declare
(`Pack(negatives=[...])`); the index adds the installed packs' negatives to these. They are examples of
refusal, not a blocklist: the classifier learns their words like any action's, and an utterance closer
to them than to any action is refused.
"""
from __future__ import annotations

OUT_OF_SCOPE = [
    # assistants, weather, time, errands
    "what's the weather tomorrow", "will it rain this afternoon", "set an alarm for 7 am", "wake me at six",
    "start a ten minute timer", "remind me to buy milk", "what time is it in tokyo", "what's today's date",
    "put the dentist visit in my diary", "what's on my agenda this afternoon", "move my meeting to thursday",
    "read me the news", "what's trending today", "take a note", "make a shopping list",
    "navigate to the nearest gas station", "how long is my commute", "order a taxi to the station",
    # small talk, replies and corrections (not greetings: "good morning, ..." often opens a real request)
    "tell me a joke", "who are you", "what is the meaning of life", "who built you", "what are you called",
    "do you have a name", "are you a robot", "how are you today", "thank you", "what is your favourite colour",
    "that is correct", "yes that's right", "no that's wrong", "exactly",
    "sounds good to me", "never mind", "forget about it", "that is not what i meant", "say it again",
    "you misunderstood", "i'm bored", "i'm tired", "what's up", "nice one", "cool", "ok then",
    # language and general knowledge
    "translate this into french", "what's the german word for cheese", "how do you say thanks in japanese",
    "what does this word mean", "how do you spell accommodation", "how tall is mount everest",
    "what's the capital of peru", "who wrote pride and prejudice", "why is the sky blue",
    "how far is it between london and paris", "who won the game last night", "when does the season start",
    # media and home devices, with numbers the way people give them
    "play some jazz", "skip this song", "turn up the volume", "set the volume to 30 percent",
    "recommend a movie", "next episode", "turn off the lights", "dim the bedroom lights to 40 percent",
    "set the thermostat to 21 degrees", "lock the front door", "start the robot vacuum", "preheat the oven to 180",
    "open youtube", "call mom", "text my brother i'm on my way", "send an email to my boss",
    # travel, food, shopping, orders
    "book a flight to paris", "find a hotel near the airport", "check in for my flight", "is my train delayed",
    "make a reservation for two", "order a pizza", "how do i boil an egg", "a recipe for lasagna",
    "what should i cook tonight", "how many grams in a cup of flour", "where is my package",
    "track my order", "return these shoes", "is this on sale",
    # work tools and accounts of other services
    "reset my password", "the wifi is not working", "my laptop is slow", "install zoom", "share my screen",
    "request time off next week", "submit my timesheet", "how many vacation days do i have left",
    "book a meeting room", "cancel my streaming subscription", "what did i order last time",
]
