"""Name a US jurisdiction the way people say it ("US-CA", "CA", "California", "federal") and get one code back.

Kept free of heavy imports: the state table is `holidays.US.subdivisions_aliases`, loaded on first use.
"""
from __future__ import annotations

import re
from functools import lru_cache

from intents.sdk import ParameterError

FEDERAL = "US-federal"
_FEDERAL_WORDS = {"us-federal", "federal", "us federal", "fed", "frcp", "federal court", "us", "usa", "u.s.",
                  "united states", "us federal court", "federal rules"}


@lru_cache(maxsize=1)
def us_states() -> dict[str, str]:
    """Lower-case state/territory name -> two-letter code, e.g. 'new york' -> 'NY'."""
    import holidays

    return {name.lower(): code for name, code in holidays.US.subdivisions_aliases.items()}


def state_name(code: str) -> str:
    return next(name.title() if name != "virgin islands, u.s." else "U.S. Virgin Islands"
                for name, c in us_states().items() if c == code)


def parse_us_jurisdiction(value: str, param: str = "jurisdiction") -> tuple[str, str | None]:
    """('US-federal', None) or ('US-CA', 'CA'); ParameterError naming `param` for anything else."""
    raw = (value or "").strip()
    key = re.sub(r"\s+", " ", raw.lower()).strip(" .")
    if key in _FEDERAL_WORDS or key.replace("_", "-") in _FEDERAL_WORDS:
        return FEDERAL, None
    states = us_states()
    codes = set(states.values())
    m = re.fullmatch(r"(?:us|usa)[-_ ]([a-z]{2})", key)
    if m and m.group(1).upper() in codes:
        code = m.group(1).upper()
        return f"US-{code}", code
    if len(key) == 2 and key.upper() in codes:
        return f"US-{key.upper()}", key.upper()
    name = re.sub(r"^(the )?(state|commonwealth) of ", "", key)
    name = re.sub(r" (state|state court|courts?)$", "", name)
    if name in states:
        return f"US-{states[name]}", states[name]
    raise ParameterError(
        param,
        f"unknown jurisdiction '{raw}': use US-federal, or a US state or territory as US-CA, CA or California",
    )
