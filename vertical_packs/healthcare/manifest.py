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
)
