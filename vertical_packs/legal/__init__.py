"""The legal pack: court deadlines, citations, NDA drafts, redaction, contract summaries."""
from __future__ import annotations

from vertical_packs.legal.manifest import pack
from vertical_packs.legal import citations, contracts, deadlines, nda, redaction  # noqa: F401  (registers actions)

__all__ = ["pack"]
