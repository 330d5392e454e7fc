"""The healthcare pack's manifest: who it is, what data it touches (PHI), what it must always say."""
from __future__ import annotations

from intents.sdk import Pack

pack = Pack(
    id="healthcare",
    name="Healthcare",
    version="0.2.0",
    description="eGFR, creatinine clearance, BMI, BSA, QTc, weight-based dosing, ICD-10-CM, lab unit conversion.",
    publisher="Intent Terminal",
    vertical="healthcare",
    sensitive=["PHI"],
    disclaimers=[
        "Not medical advice. For qualified clinicians; verify results; not a substitute for clinical judgement."
    ],
    # near-domain requests this pack does not serve: the resolver refuses them instead of guessing
    negatives=[
        "what illness do i have", "diagnose this rash", "prescribe me antibiotics", "book a doctor appointment",
        "is this mole cancer", "refill my prescription", "what should i take for a headache",
        "call an ambulance", "find a dentist near me", "symptoms of the flu", "interpret my x-ray",
        "schedule surgery", "am i having a heart attack", "order lab tests for me",
        "is my heart rate normal", "why is my blood sugar high", "what does a high creatinine mean",
        "how much does a bmi test cost", "drug interactions between aspirin and warfarin",
        "track my sleep", "log my weight for today", "count my steps", "start a workout",
        "my watch says my pulse is high", "find a pharmacy open now", "book a flu shot",
    ],
)

# ---- the healthcare pack's value kinds and words, on the public SDK (intents.sdk.Pack.kind) ----------
# Lab units first: "1.1 mg/dL" is tagged as a lab value, which a creatinine slot (same units) takes too.
_MG_DL = {"mg/dL": 1, "mg/dl": "mg/dL", "mgdl": "mg/dL", "mg/deciliter": "mg/dL", "mg/decilitre": "mg/dL",
          "milligram/deciliter": "mg/dL", "milligrams/deciliter": "mg/dL", "milligram/decilitre": "mg/dL",
          "milligrams/decilitre": "mg/dL"}
_MMOL = {"mmol/L": 1, "mmol": "mmol/L", "millimole/liter": "mmol/L", "millimoles/liter": "mmol/L",
         "millimole/litre": "mmol/L", "millimoles/litre": "mmol/L"}
_UMOL = {"umol/L": 1, "µmol/L": "umol/L", "umol": "umol/L", "micromol/L": "umol/L", "micromole/liter": "umol/L",
         "micromoles/liter": "umol/L", "micromole/litre": "umol/L", "micromoles/litre": "umol/L"}
pack.kind("lab_unit", base="unit", units={**_MG_DL, **_MMOL, **_UMOL, "mmol/mol": 1, "%": 1},
          description="The unit a lab value is written in: mg/dL, mmol/L or umol/L",
          examples=["126 mg/dL", "7 mmol/L", "88 umol/L"], spoken=["milligrams per decilitre", "millimoles per litre"])
pack.kind("creatinine", base="quantity", unit="mg/dL",
          units={**_MG_DL, **{k: (1 / 88.42 if v == 1 else v) for k, v in _UMOL.items()}},
          ranges={"umol/L": [20, 2000]}, minimum=0.1, maximum=20,
          cues=["creatinine", "cr", "scr", "creat", "serum"],
          description="Serum creatinine in mg/dL; µmol/L is converted (÷ 88.42), as is a bare number above 20 "
                      "said after a creatinine cue", examples=["creatinine 1.1", "scr 88 umol/L"],
          spoken=["milligrams per decilitre", "micromoles per litre"])
pack.kind("qt", base="quantity", unit="ms",
          units={"ms": 1, "msec": "ms", "millisecond": "ms", "milliseconds": "ms", "millisec": "ms",
                 "s": 1000, "sec": "s", "secs": "s", "second": "s", "seconds": "s"},
          minimum=200, maximum=700, cues=["qt", "interval"],
          description="A QT interval in milliseconds (seconds are converted)", examples=["QT 420 ms", "0.42 s"],
          spoken=["milliseconds"])
pack.kind("heart_rate", base="quantity", unit="bpm",
          units={"bpm": 1, "beats/min": "bpm", "beats/minute": "bpm", "beat/minute": "bpm", "/min": "bpm"},
          minimum=20, maximum=250, cues=["hr", "heart", "rate", "pulse", "bpm", "rr"],
          description="A heart rate in beats per minute", examples=["HR 75", "72 bpm"], spoken=["beats per minute"])
pack.kind("dose_per_kg", base="quantity", unit="mg/kg",
          units={"mg/kg": 1, "mgkg": "mg/kg", "mg/kilo": "mg/kg", "mg/kilogram": "mg/kg", "milligram/kg": "mg/kg",
                 "milligrams/kg": "mg/kg", "milligram/kilogram": "mg/kg", "milligrams/kilogram": "mg/kg",
                 "milligrams/kilograms": "mg/kg", "milligram/kilo": "mg/kg", "milligrams/kilo": "mg/kg",
                 "milligrams/kilos": "mg/kg", "mg/kilos": "mg/kg"},
          minimum=0.01, maximum=100, cues=["dose", "dosing", "mg"],
          description="A weight-based dose in mg per kg", examples=["15 mg/kg", "10 mg per kilo"],
          spoken=["milligrams per kilogram"])
pack.kind("dose", base="quantity", unit="mg", units={"mg": 1, "milligram": "mg", "milligrams": "mg"},
          cues=["max", "maximum", "cap", "capped", "single", "exceed", "limit"],
          description="A dose in milligrams", examples=["500 mg", "max 1000 mg"], spoken=["milligrams"])
pack.kind("query", base="text", normalise="upper",
          pattern=r"\b(?P<value>[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)\b|\b(?P<low>[a-tv-z]\d[0-9a-z]\.[0-9a-z]{1,4}|(?<=code )[a-tv-z]\d[0-9a-z])\b",
          extract=[r"\b(?:code|codes|icd[- ]?10(?:[- ]?cm)?|icd|diagnosis code|dx code|diagnosis)\s+(?:code\s+)?(?:for|of|on|about)\s+(?P<value>.+)$",
                   r"^\s*icd[- ]?10(?:[- ]?cm)?\s+(?:codes?\s+)?(?!for\b|of\b|codes?\b)(?P<value>.+)$",
                   r"\b(?:look ?up|lookup|search|find|search for|what is the code for|code for|codes for|icd[- ]?10 for|icd for)\s+(?P<value>.+?)(?:\s+(?:in|on)\s+icd[- ]?10.*)?$"],
          strip=[r"^(?:10\s+|cm\s+)?(?:for|of|about|on)\s+", r"^(?:the|a|an)\s+",
                 r"\s+(?:in|on|using)\s+icd[- ]?10.*$|\s+(?:icd[- ]?10\s*)?codes?$|\s+please$",
                 r"^(?:icd[- ]?10|code|codes|a code|diagnosis)$"],
          description="An ICD-10-CM code or the words of a diagnosis to look up",
          examples=["E11.9", "code for type 2 diabetes"])
pack.words(vocabulary={"bmi": "body mass index", "bsa": "body surface area", "crcl": "creatinine clearance",
                       "egfr": "glomerular filtration rate", "gfr": "glomerular filtration rate",
                       "qtc": "corrected qt interval", "icd": "diagnosis code", "dob": "date birth", "scr": "scr",
                       "ckd": "ckd"})
