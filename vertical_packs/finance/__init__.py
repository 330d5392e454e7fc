"""The finance pack: loans, savings, NPV/IRR and currency conversion."""
from __future__ import annotations

from vertical_packs.finance.manifest import pack
from vertical_packs.finance import loans  # noqa: F401  (registers actions)

__all__ = ["pack"]
