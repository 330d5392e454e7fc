"""The registry against the contract: ../shared/CATALOG.md's action ids, parameters and result fields,
and docs/actions.md generated from the registry."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from intents.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT.parent / "shared" / "CATALOG.md"


def catalog_rows() -> list[tuple[str, list[tuple[str, bool, str | None]], list[str]]]:
    rows = []
    for line in CATALOG.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not re.fullmatch(r"[a-z]+\.[a-z_0-9]+", cells[0]):
            continue
        params = []
        plain = re.sub(r"\([^)]*\)", "", cells[1])
        for token in filter(None, (t.strip() for t in plain.split(","))):
            if token in ("–", "-"):
                continue
            name, optional, default = token, False, None
            if "?" in token:
                name, _, rest = token.partition("?")
                optional, default = True, rest.lstrip("=").strip() or None
            params.append((name.strip(), optional, default))
        fields = re.sub(r"\[[^\]]*\]|\{[^}]*\}|\([^)]*\)", "", cells[2])
        rows.append((cells[0], params, [f.strip() for f in fields.split(",") if f.strip()]))
    return rows


pytestmark = pytest.mark.skipif(not CATALOG.exists(), reason="../shared/CATALOG.md is not beside this checkout")


def _ids():
    return [r[0] for r in catalog_rows()] if CATALOG.exists() else []


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return Registry.load(tmp_path_factory.mktemp("home"))


def test_catalog_parsed():
    assert len(catalog_rows()) >= 25


@pytest.mark.parametrize("action_id", _ids())
def test_action_matches_catalog(registry, action_id):
    _, params, fields = next(r for r in catalog_rows() if r[0] == action_id)
    spec = registry.spec(action_id)
    names = {s.name: s for s in spec.slots}
    for name, optional, default in params:
        assert name in names, f"{action_id}: parameter {name} missing (has {sorted(names)})"
        slot = names[name]
        assert slot.required is not optional, f"{action_id}: {name} required={slot.required}, catalog optional={optional}"
        if optional and default not in (None, "latest"):
            got = slot.default
            same = str(got).lower() == default.lower()
            try:
                same = same or float(got) == float(default)
            except (TypeError, ValueError):
                pass
            assert same, f"{action_id}: {name} default {got!r}, catalog says {default}"
    extra_required = set(spec.required) - {n for n, _, _ in params}
    assert not extra_required, f"{action_id}: required parameters not in the catalog: {extra_required}"
    for field in fields:
        assert field in spec.result_fields, f"{action_id}: result field {field} missing (has {spec.result_fields})"


def test_docs_are_generated_from_registry():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
