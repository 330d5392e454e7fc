"""Heart-rate correction of the QT interval: Bazett, Fridericia, Framingham (Sagie) and Hodges."""
from __future__ import annotations

import math
from typing import Literal

from intents.sdk import Render, Result, Slot
from vertical_packs.healthcare.manifest import pack

Formula = Literal["bazett", "fridericia", "framingham", "hodges"]

# formula -> (expression shown in the basis, citation)
FORMULAS: dict[str, tuple[str, str]] = {
    "bazett": ("QTc = QT / sqrt(RR)", "Bazett HC, Heart 1920;7:353-70"),
    "fridericia": ("QTc = QT / RR^(1/3)", "Fridericia LS, Acta Med Scand 1920;53:469-86"),
    "framingham": ("QTc = QT + 154 x (1 - RR)", "Sagie A et al. (Framingham Heart Study), Am J Cardiol 1992;70:797-801"),
    "hodges": ("QTc = QT + 1.75 x (HR - 60)", "Hodges M et al., J Am Coll Cardiol 1983;1:694"),
}


class QTcResult(Result):
    qtc_ms: float
    formula: str
    rr_s: float


def correct_qt(qt_ms: float, heart_rate_bpm: float, formula: str) -> float:
    rr = 60.0 / heart_rate_bpm  # RR interval in seconds
    if formula == "bazett":
        return qt_ms / math.sqrt(rr)
    if formula == "fridericia":
        return qt_ms / rr ** (1 / 3)
    if formula == "framingham":
        return qt_ms + 154 * (1 - rr)
    return qt_ms + 1.75 * (heart_rate_bpm - 60)


@pack.action(
    title="Corrected QT interval (QTc)",
    samples=[
        "qtc qt 400 hr 75 fridericia",
        "qtc for qt 400 ms at heart rate 75",
        "corrected qt interval 440 ms hr 90 bazett",
        "bazett qtc qt 380 heart rate 110",
        "what is the qtc with a qt of 420 and a rate of 60",
        "framingham qtc 410 ms 85 bpm",
        "hodges correction qt 390 hr 100",
        "calculate qtc using fridericia, qt 460, pulse 72",
        "qt 500 ms at 120 bpm corrected",
        "correct the qt interval of 350 for a heart rate of 45",
        "qtc please qt 430 rate 68",
        "is a qt of 480 at hr 95 prolonged",
        "qtc calculator",
        "corrected qt",
    ],
    templates=[
        "[{formula}] (qtc|corrected qt [interval]) [for] [qt] {qt_ms} [at] [heart rate|hr|rate] {heart_rate_bpm} [{formula}]",
        "[{formula}] qt {qt_ms} (hr|heart rate|rate|pulse) {heart_rate_bpm} [{formula}]",
    ],
    render=Render(kind="headline", headline="qtc_ms", headline_format="number", units={"qtc_ms": "ms"}),
)
def qtc(
    qt_ms: float = Slot("Measured QT interval in milliseconds", kind="qt", unit="ms", ge=150, le=800,
                        question="What is the measured QT interval (ms)?"),
    heart_rate_bpm: float = Slot("Heart rate in beats per minute", kind="heart_rate", unit="bpm", ge=20, le=300,
                                 question="What is the heart rate (bpm)?"),
    formula: Formula = Slot("Correction formula: bazett, fridericia, framingham or hodges", default="bazett",
                            kind="choice", synonyms={"qtcb": "bazett", "qtcf": "fridericia", "qtcfra": "framingham",
                                                     "qtch": "hodges"}),
) -> QTcResult:
    """QT interval corrected for heart rate (Bazett by default; Fridericia, Framingham or Hodges on request)."""
    value = correct_qt(qt_ms, heart_rate_bpm, formula)
    expression, citation = FORMULAS[formula]
    rr = 60.0 / heart_rate_bpm
    return QTcResult(
        qtc_ms=round(value, 1),
        formula=formula,
        rr_s=round(rr, 4),
        basis=f"{formula.title()}: {expression}, QT = {qt_ms:g} ms, HR = {heart_rate_bpm:g} bpm, "
        f"RR = 60/HR = {rr:.4f} s -> QTc = {value:.1f} ms. Source: {citation}. "
        "Bazett over-corrects at high heart rates; Fridericia or Framingham are preferred there.",
    )
