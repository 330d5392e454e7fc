"""The finance pack: loans, savings, NPV/IRR and currency conversion."""
from __future__ import annotations

from vertical_packs.finance.manifest import pack

# importing the modules registers their actions, in the order the catalog lists them
from vertical_packs.finance import loans  # noqa: E402,F401
from vertical_packs.finance import savings  # noqa: E402,F401
from vertical_packs.finance import cashflows  # noqa: E402,F401
from vertical_packs.finance import currency  # noqa: E402,F401

__all__ = ["pack"]
