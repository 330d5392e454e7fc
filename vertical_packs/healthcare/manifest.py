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
