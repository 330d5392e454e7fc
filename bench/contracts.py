"""legal.contract_summary field by field on the agreements in tests/data/legal/agreements.

    python bench/contracts.py                    # the code on PYTHONPATH (this checkout)
    PYTHONPATH=/path/to/other/checkout python bench/contracts.py   # another version, same agreements

Prints, for each field, how many agreements it reads exactly as written by hand in
tests/test_legal_contracts.py (renewal and liability_cap: the expected words are contained), and the
median time per agreement. The set was written alongside the readers, so it is a regression figure,
not an independent accuracy estimate.
"""
from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    spec = importlib.util.spec_from_file_location("expected", HERE / "tests" / "test_legal_contracts.py")
    expected = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(expected)
    from vertical_packs.legal import contracts

    fields = ("parties", "effective_date", "term", "governing_law", "renewal", "termination_notice", "liability_cap")
    right = dict.fromkeys(fields, 0)
    times = []
    for name, want in expected.EXPECTED.items():
        text = (expected.AGREEMENTS / f"{name}.txt").read_text()
        t0 = time.perf_counter()
        got = _summary(contracts, text)
        times.append(time.perf_counter() - t0)
        for field, value in zip(fields, want):
            have = got.get(field)
            if field in ("renewal", "liability_cap") and value is not None:
                right[field] += bool(have) and value in have
            else:
                right[field] += have == value
    n = len(expected.EXPECTED)
    print(f"contract_summary on {n} agreements ({contracts.__file__})")
    for field in fields:
        print(f"  {field:<20} {right[field]:>2}/{n}")
    print(f"  median {statistics.median(times) * 1000:.1f} ms per agreement")


def _summary(contracts, text: str) -> dict:
    """The fields from whatever readers this version of the module has (older ones lack some)."""
    parties, _roles = contracts.find_parties(text)
    _raw, eff = contracts.find_effective_date(text)
    out = {"parties": parties, "effective_date": eff.isoformat() if eff else None,
           "term": contracts.find_term(text)[1], "governing_law": contracts.find_governing_law(text)}
    clauses = getattr(contracts, "clauses", None)
    if clauses is not None:
        for field, reader in (("renewal", clauses.find_renewal), ("termination_notice", clauses.find_termination_notice),
                              ("liability_cap", clauses.find_liability_cap)):
            found = reader(text)
            out[field] = found.value if found else None
    return out


if __name__ == "__main__":
    sys.exit(main())
