"""Units for `kind="quantity"` slots: any unit pint knows, converted to the slot's unit, a dimension
mismatch refused.

pint costs ~110 ms to import and more to build its registry, far over the resolver's start-up budget,
so it runs only when the index is built: `build_table` writes every spelling of every unit of the
dimensions the catalog's quantity slots need (plus common units of other dimensions, so that "8 kg"
for a speed is refused rather than ignored) as (dimensions, factor to SI base, offset). At resolve
time `parse` reads a written unit against that table, composing "miles per hour", "km/h", "kWh",
"square metres" from their parts, with no pint at all.
"""
from __future__ import annotations

import re
from typing import Any

# Dimensions every quantity catalog gets, so a unit of the wrong dimension is recognised and refused.
COMMON_DIMS = ["[length]", "[mass]", "[time]", "[temperature]", "[length] ** 3", "[length] ** 2",
               "[length] / [time]", "[mass] * [length] ** 2 / [time] ** 2", "[mass] * [length] ** 2 / [time] ** 3",
               "[mass] / [length] / [time] ** 2", "[mass] * [length] / [time] ** 2"]
_PREFIXES = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "c": 1e-2, "m": 1e-3, "µ": 1e-6, "u": 1e-6, "n": 1e-9,
             "kilo": 1e3, "mega": 1e6, "giga": 1e9, "tera": 1e12, "centi": 1e-2, "milli": 1e-3, "micro": 1e-6,
             "nano": 1e-9}
_PREFIXABLE = {"meter", "metre", "gram", "second", "liter", "litre", "joule", "watt", "newton", "pascal", "volt",
               "ampere", "hertz", "calorie", "watt_hour", "electron_volt", "byte", "bit", "ohm", "tonne"}
# said the way people say them, not the way pint names them
_ALIASES = {"kph": "kilometer/hour", "kmh": "kilometer/hour", "kmph": "kilometer/hour", "mph": "mile/hour",
            "kwh": "kilowatt_hour", "kWh": "kilowatt_hour", "kw": "kilowatt", "Wh": "watt_hour", "MWh": "megawatt_hour",
            "mins": "minute", "hrs": "hour", "hr": "hour", "secs": "second", "sec": "second", "kms": "kilometer",
            "°C": "degree_Celsius", "°F": "degree_Fahrenheit", "celsius": "degree_Celsius",
            "fahrenheit": "degree_Fahrenheit", "centigrade": "degree_Celsius", "lbs": "pound", "kcal": "kilocalorie",
            "cc": "cubic_centimeter", "knots": "knot", "feet": "foot", "inches": "inch"}
# "325 deg f", "180 degrees c": a degree word and the scale's letter, as recipes and forecasts write them
_ALIASES.update({f"{deg} {letter}": name for deg in ("deg", "degs", "deg.", "degree", "degrees")
                 for letter, name in (("f", "degree_Fahrenheit"), ("F", "degree_Fahrenheit"),
                                      ("c", "degree_Celsius"), ("C", "degree_Celsius"))})


def _dims_key(dims: dict[str, float]) -> str:
    return "*".join(f"{k}^{v:g}" for k, v in sorted(dims.items()) if v) or "1"


def build_table(targets: set[str]) -> dict[str, Any]:
    """Spellings -> [dimensions key, factor to SI base, offset] for the dimensions `targets` need."""
    import pint

    ureg = pint.UnitRegistry()
    dims_needed: set[str] = set()
    for d in COMMON_DIMS:
        dims_needed.add(_dims_key(dict(ureg.get_dimensionality(d))))
    for t in targets:
        try:
            dims = dict(ureg.parse_units(_pint_name(t)).dimensionality)
        except Exception:
            continue
        dims_needed.add(_dims_key(dims))
        for k in dims:
            dims_needed.add(_dims_key({k: 1}))
    table: dict[str, list] = {}

    def add(spelling: str, name: str) -> None:
        if not spelling or spelling in table or len(spelling) > 40:
            return
        try:
            unit = ureg.parse_units(name)
            key = _dims_key(dict(unit.dimensionality))
            if key not in dims_needed:
                return
            zero = ureg.Quantity(0, unit).to_base_units().magnitude
            one = ureg.Quantity(1, unit).to_base_units().magnitude
        except Exception:
            return
        table[spelling] = [key, one - zero, zero]

    for name in list(ureg._units):
        d = ureg._units[name]
        for spelling in {name, getattr(d, "symbol", None) or "", *getattr(d, "aliases", ())}:
            add(spelling, name)
            add(spelling.replace("_", " "), name)
        if name in _PREFIXABLE or d.name in _PREFIXABLE:
            for p, _ in _PREFIXES.items():
                long = len(p) > 1
                for spelling in ({name} if long else {getattr(d, "symbol", "") or ""}):
                    if spelling:
                        add(p + spelling, p + name if long else p + (d.symbol or ""))
    for spelling, name in _ALIASES.items():
        add(spelling, name)
    return table


def _pint_name(unit: str) -> str:
    return _ALIASES.get(unit, unit).replace("µ", "u")


_SINGULAR = (("ies", "y"), ("ches", "ch"), ("ses", "s"), ("es", "e"), ("s", ""))


def _word(table: dict, word: str):
    for w in (word, word.lower()):
        if w in table:
            return table[w]
        for suf, rep in _SINGULAR:
            if w.endswith(suf) and len(w) > len(suf) + 1 and w[: -len(suf)] + rep in table:
                return table[w[: -len(suf)] + rep]
    return None


def _split_key(key: str) -> dict[str, float]:
    if key == "1":
        return {}
    out = {}
    for part in key.split("*"):
        k, v = part.rsplit("^", 1)
        out[k] = float(v)
    return out


def _product(table: dict, words: list[str]):
    """ "kilowatt hour", "nautical mile", "square metre", "m^2", "m²": one unit from words."""
    if not words:
        return None
    power = 1
    if words[0].lower() in ("square", "sq") and len(words) > 1:
        power, words = 2, words[1:]
    elif words[0].lower() == "cubic" and len(words) > 1:
        power, words = 3, words[1:]
    joined = "_".join(words)
    m = re.fullmatch(r"(.+?)(?:\^?([23])|([²³]))", joined)
    entry = _word(table, joined) or (_word(table, " ".join(words)) if len(words) > 1 else None)
    if entry is None and m:
        entry = _word(table, m.group(1))
        power = int(m.group(2) or {"²": 2, "³": 3}[m.group(3)])
    if entry is None:
        return None
    if power == 1:
        return entry
    dims = {k: v * power for k, v in _split_key(entry[0]).items()}
    return [_dims_key(dims), entry[1] ** power, 0.0]


_SEP = {"/", "per", "an", "a", "each", "every"}


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COUNTS = {"hundred": 100.0, "thousand": 1000.0}


def _side(table: dict, toks: list[str], joined: bool = False):
    """One side of a compound unit: a count first ("100 km", "100m2": a rate per hundred of them), then
    one unit ("kilowatt hour"), or, when written joined (`joined`: "tonne-km", pint's "N*m"), a product
    of units, each word its own. Words merely side by side are not multiplied: in "350 km at" the "at"
    (pint's technical atmosphere) is the next word, not a unit of the distance."""
    factor = 1.0
    if toks and _NUMBER.fullmatch(toks[0]):
        factor, toks = float(toks[0]), toks[1:]
    elif len(toks) > 1 and toks[0].lower() in _COUNTS:  # "per hundred square metres"
        factor, toks = _COUNTS[toks[0].lower()], toks[1:]
    if not toks or any(_NUMBER.fullmatch(t) for t in toks):
        return None
    got = _product(table, toks)
    if got is None and len(toks) > 1 and joined:
        dims: dict[str, float] = {}
        scale = 1.0
        for t in toks:
            one = _product(table, [t])
            if one is None or one[2]:
                return None
            for k, v in _split_key(one[0]).items():
                dims[k] = dims.get(k, 0) + v
            scale *= one[1]
        got = [_dims_key(dims), scale, 0.0]
    if got is None or factor == 1.0:
        return got
    return [got[0], got[1] * factor, 0.0]


def parse(table: dict, phrase: str):
    """[dimensions key, factor, offset] of a written unit ("km/h", "miles per hour", "kWh", "L/100 km",
    pint's own "kg/(100 m**2)"), or None."""
    if not table:
        return None
    alias = _ALIASES.get(phrase) or _ALIASES.get(phrase.lower())
    if alias and "/" in alias:
        phrase = alias
    joined = "-" in phrase or "*" in phrase or "·" in phrase
    if "(" in phrase or "*" in phrase or "·" in phrase:  # pint's spelling of a slot's unit: "L/(100 km)", "m**2", "N*m"
        phrase = phrase.replace("**", "^").replace("*", " ").replace("·", " ").replace("(", " ").replace(")", " ")
    toks = [t for t in re.split(r"\s+|(?<=\w)(?=/)|(?<=/)(?=\w)|-|(?<=\d)(?=[A-Za-zµ])", phrase.strip()) if t]
    low = [t.lower() for t in toks]
    # each separator after the first divides again: "mg per kg per hour", "mg/kg/h"
    cuts = [i for i, t in enumerate(low) if t in _SEP]
    if not cuts:
        return _side(table, toks, joined) if not toks or not _NUMBER.fullmatch(toks[0]) else None
    num = _side(table, toks[:cuts[0]], joined)
    if num is None or num[2]:
        return None
    dims, factor = _split_key(num[0]), num[1]
    for a, b in zip(cuts, cuts[1:] + [len(toks)]):
        den = _side(table, toks[a + 1:b], joined)
        if den is None or den[2] or not den[1]:
            return None
        for k, v in _split_key(den[0]).items():
            dims[k] = dims.get(k, 0) - v
        factor /= den[1]
    return [_dims_key(dims), factor, 0.0]


def convert(table: dict, value: float, written: str, target: str) -> tuple[float | None, str | None]:
    """`value` in the unit `written`, in `target`; or (None, why not)."""
    src, dst = parse(table, written), parse(table, target)
    if dst is None:
        return None, f"the slot's unit '{target}' is not a unit pint knows"
    if src is None:
        return None, f"'{written}' is not a unit"
    if src[0] != dst[0]:
        return None, f"'{written}' is {describe(src[0])}, the slot wants {describe(dst[0])} ({target})"
    base = value * src[1] + src[2]
    out = (base - dst[2]) / dst[1]
    return (round(out, 10) if abs(out) >= 1e-6 else out), None


_NAMES = {"[length]^1": "a length", "[mass]^1": "a mass", "[time]^1": "a time", "[temperature]^1": "a temperature",
          "[length]^1*[time]^-1": "a speed", "[length]^2": "an area", "[length]^3": "a volume",
          "[length]^2*[mass]^1*[time]^-2": "an energy", "[length]^2*[mass]^1*[time]^-3": "a power",
          "[length]^-1*[mass]^1*[time]^-2": "a pressure", "[length]^1*[mass]^1*[time]^-2": "a force"}


def describe(key: str) -> str:
    return _NAMES.get(key, key.replace("^1", "").replace("*", "·"))
