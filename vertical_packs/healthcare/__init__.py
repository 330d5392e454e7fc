"""The healthcare pack: clinical calculators, ICD-10-CM look-up, lab unit conversion, FHIR export.

Every calculator shows its formula, its inputs with units and its citation in `basis`, so a clinician can
review the basis independently (the FDA's non-device clinical decision support criterion,
FD&C Act §520(o)(1)(E)).
"""
from __future__ import annotations

from vertical_packs.healthcare.manifest import pack
from vertical_packs.healthcare import body, cardio, dosing, fhir, icd10, labs, renal  # noqa: F401  (register actions, the fhir format)

__all__ = ["pack"]
