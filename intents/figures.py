"""Numbers written into text (a result's basis, a message) the way a person reads them: grouped, never
in exponent form. `figure(2e6)` -> "2,000,000", `figure(6.5)` -> "6.5", `figure(0.0004)` -> "0.0004".
Exported by the SDK (intents.sdk.figure), so every pack writes its figures the same way."""
from __future__ import annotations

import math


def figure(value: float | int, places: int = 6) -> str:
    """Grouped thousands, up to `places` decimals without trailing zeros."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    if value != 0 and abs(value) < 10 ** -places:
        return f"{value:.{places}g}"  # too small to write out: significant digits instead
    return f"{value:,.{places}f}".rstrip("0").rstrip(".")
