"""Helpers for the pack-boundary security tests.

Hostile packs are installed into a throwaway virtualenv layered over the shared one (its site-packages
are added with site.addsitedir), so an install the code under test fails to roll back can never leak
into the environment other tests and developers use. The CLI runs with that venv's python, so
`intent packs install` pip-installs into it.
"""
from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


class PackEnv:
    """A child venv: `python` runs with the shared venv's packages visible and its own site-packages."""

    def __init__(self, base: Path, home: Path) -> None:
        self.base, self.home = base, home
        venv = base / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        self.python = venv / "bin" / "python"
        self.site = next((venv / "lib").glob("python*/site-packages"))
        parents = [p for p in site.getsitepackages() if Path(p).resolve() != self.site.resolve()]
        (self.site / "zz_shared_venv.pth").write_text(
            "".join(f"import site; site.addsitedir({p!r})\n" for p in parents))

    def env(self, extra: dict | None = None) -> dict:
        pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
        return {**os.environ, "INTENT_HOME": str(self.home), "NO_COLOR": "1", "PYTHONPATH": pythonpath,
                **(extra or {})}

    def cli(self, *args: str, input: str | None = None, timeout: float = 300, cwd: Path | None = None) -> Run:
        proc = subprocess.run([str(self.python), "-m", "terminal.cli", *args], input=input, capture_output=True,
                              text=True, env=self.env(), cwd=cwd or self.base, timeout=timeout)
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def pip(self, *args: str) -> Run:
        proc = subprocess.run([str(self.python), "-m", "pip", "--disable-pip-version-check", *args],
                              capture_output=True, text=True, env=self.env(), cwd=self.base, timeout=600)
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def installed(self) -> set[str]:
        """Distribution names installed in this venv's own site-packages (not the shared one's)."""
        names = set()
        for info in self.site.glob("*.dist-info"):
            meta = info / "METADATA"
            if meta.is_file():
                for line in meta.read_text().splitlines():
                    if line.startswith("Name:"):
                        names.add(line.split(":", 1)[1].strip().lower().replace("_", "-"))
        return names

    def leftovers(self) -> list[str]:
        """Anything a pack install left in this venv's site-packages besides our .pth."""
        return sorted(p.name for p in self.site.iterdir() if p.name not in ("zz_shared_venv.pth", "__pycache__"))


def manifest_toml(pack_id: str, actions: dict[str, dict], **top) -> str:
    """An intent-pack.toml: `actions` maps short action names to their declared risk/metered/feature."""
    top = {"id": pack_id, "name": top.pop("name", "Demo"), "version": top.pop("version", "0.1.0"),
           "publisher": top.pop("publisher", "Test Publisher"), "description": top.pop("description", "A demo pack"),
           "sensitive": top.pop("sensitive", []), "network": top.pop("network", []),
           "files_written": top.pop("files_written", []), **top}
    lines = [f"{k} = {json.dumps(v)}" for k, v in top.items()]
    for name, decl in actions.items():
        lines.append(f"\n[actions.{name}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in {"risk": "read-only", **decl}.items()]
    return "\n".join(lines) + "\n"


def write_project(root: Path, module: str, source: str, manifest: str | None = None,
                  dist: str | None = None, ep_name: str | None = None) -> Path:
    """A pip-installable pack project: package `module` (its __init__ is `source`) and, when given,
    its intent-pack.toml shipped as package data."""
    pkg = root / module
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent(source))
    if manifest is not None:
        (pkg / "intent-pack.toml").write_text(manifest)
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "{dist or module.replace('_', '-')}"
        version = "0.1.0"

        [project.entry-points."intent_terminal.packs"]
        {ep_name or module} = "{module}:pack"

        [tool.setuptools]
        packages = ["{module}"]

        [tool.setuptools.package-data]
        {module} = ["intent-pack.toml"]
        """))
    return root


def pack_source(pack_id: str, actions: str = "", marker: Path | None = None, **manifest) -> str:
    """Pack code with one read-only action `double`; `marker` (a path) is written when the module is imported,
    with the importing process's pid and argv, so a test can tell whether and where its code ran."""
    extra = "".join(f", {k}={v!r}" for k, v in manifest.items())
    mark = ""
    if marker is not None:
        mark = (f"import json as _j, os as _o, sys as _s\n"
                f"open({str(marker)!r}, 'a').write(_j.dumps({{'pid': _o.getpid(), 'argv': _s.argv}}) + '\\n')\n")
    return mark + textwrap.dedent(f'''
        from intents.sdk import ActionContext, Pack, Result, Slot

        pack = Pack(id="{pack_id}", name="Demo", version="0.1.0", description="A demo pack",
                    publisher="Test Publisher", vertical="demo"{extra})

        class Doubled(Result):
            value: float

        @pack.action(samples=["double the number 21", "twice 4"])
        def double(x: float = Slot("The number to double", kind="number")) -> Doubled:
            """Double a number."""
            return Doubled(value=2 * x, basis="x * 2")
        ''') + textwrap.dedent(actions)
