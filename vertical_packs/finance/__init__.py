"""The finance pack: loans, savings, NPV/IRR and currency conversion."""
from __future__ import annotations

from vertical_packs.finance.manifest import pack

# The modules that declare its actions, in the order the catalog lists them. The SDK imports them when
# the pack's actions are first read (listing, discovery, `intent packs check`), and a run only the one
# declaring the action it runs (Pack.include: a loan payment never imports the currency code).
pack.include(".loans", ".savings", ".cashflows", ".currency")

__all__ = ["pack"]
