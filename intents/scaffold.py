"""`intent packs new NAME`: write a complete, working pack project to start from.

The scaffold has a pyproject with the entry point, the static manifest consent is built from
(`<name>/intent-pack.toml`, shipped as package data), one action with a typed parameters model, sample
utterances and templates, a test and a README. It passes `intent packs check` as written.
"""
from __future__ import annotations

import re
from pathlib import Path
from string import Template

from intents.errors import BadParameters
from intents.safe_files import open_new

TEMPLATE_DIR = Path(__file__).with_name("scaffold_template")


def scaffold(name: str, parent: Path, publisher: str = "Your name") -> Path:
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,40}", name):
        raise BadParameters(
            f"'{name}' is not a valid pack name: use lower-case letters, digits and _ (e.g. weather_demo)", param="name"
        )
    root = parent / name
    if root.exists() and any(root.iterdir()):
        raise BadParameters(f"{root} already exists and is not empty; choose another name or --dir", param="name")
    values = {"name": name, "title": name.replace("_", " ").title(), "publisher": publisher,
              "dist": name.replace("_", "-")}
    for src in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        rel = src.relative_to(TEMPLATE_DIR).with_suffix("")
        rel = Path(str(rel).replace("PACKAGE", name))
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open_new(dest, perms=0o644) as fh:  # never through a planted link, never over a file
            fh.write(Template(src.read_text()).substitute(values))
    return root
