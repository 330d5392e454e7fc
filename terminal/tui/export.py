"""What leaves the terminal with a result: the clipboard, CSV and JSON exports, the folder a file is in.

No Textual here (like format.py beside it): each function takes plain data and says what it did in one
line the TUI can show as it is.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from terminal.render import written_files  # noqa: F401  (one rule for "which files did it write")
from terminal.tui.format import as_csv

# The system clipboard tools, in the order a session would most likely have them. Each reads the text on
# stdin. OSC 52 alone reaches no clipboard inside tmux (without set-clipboard) or in many terminals.
CLIPBOARD_TOOLS: tuple[tuple[str, ...], ...] = (
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
    ("pbcopy",),
)


@dataclass
class Copied:
    ok: bool
    how: str  # "wl-copy", "xclip", ... or "" when no tool took it
    saved: Path | None = None  # where the text went instead
    error: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            return f"copied to the clipboard ({self.how})"
        where = f"; the text is saved in {self.saved}" if self.saved else ""
        return f"could not copy: {self.error or 'no clipboard tool (wl-copy, xclip, xsel, pbcopy) found'}{where}"


def _tools_for_session(env: dict[str, str]) -> list[tuple[str, ...]]:
    """The tools that can work here: wl-copy needs Wayland, xclip/xsel an X display, pbcopy macOS."""
    out = []
    for tool in CLIPBOARD_TOOLS:
        name = tool[0]
        if name == "wl-copy" and not env.get("WAYLAND_DISPLAY"):
            continue
        if name in ("xclip", "xsel") and not env.get("DISPLAY"):
            continue
        if name == "pbcopy" and sys.platform != "darwin":
            continue
        if shutil.which(name):
            out.append(tool)
    return out


def copy_text(text: str, fallback_dir: Path, env: dict[str, str] | None = None,
              run: Callable[..., Any] = subprocess.run) -> Copied:
    """Copy with the first system tool that succeeds; else save the text to a file and say where."""
    env = dict(os.environ if env is None else env)
    errors = []
    for tool in _tools_for_session(env):
        try:
            proc = run(list(tool), input=text.encode("utf-8"), capture_output=True, timeout=5, env=env)
        except (OSError, subprocess.SubprocessError) as exc:
            errors.append(f"{tool[0]}: {exc}")
            continue
        if proc.returncode == 0:
            return Copied(True, tool[0])
        errors.append(f"{tool[0]} exited {proc.returncode}")
    try:
        fallback_dir.mkdir(parents=True, exist_ok=True)
        saved = fallback_dir / "clipboard.txt"  # the last copy, replaced each time: a scratch file
        saved.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        return Copied(False, "", None, f"no clipboard tool worked and {fallback_dir} is not writable ({exc})")
    return Copied(False, "", saved, "; ".join(errors))


def export_result(outcome: dict[str, Any], table_hint: str | None, output_path: Callable[[str], Path]) -> tuple[Path, Path]:
    """Write the result as JSON (everything, exact) and CSV (its table, else field,value rows)."""
    stem = outcome["action"].replace(".", "-")
    json_path = output_path(f"{stem}.json")
    json_path.write_text(json.dumps(outcome, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    csv_path = output_path(f"{stem}.csv")
    csv_path.write_text(as_csv(outcome, table_hint), encoding="utf-8")
    return json_path, csv_path


def export_charts(outcome: dict[str, Any], charts: list, output_path: Callable[[str], Path]) -> list[Path]:
    """Each chart the action declares, as an SVG image beside the CSV and JSON."""
    from terminal.chart_svg import chart_svg

    stem = outcome["action"].replace(".", "-")
    out = []
    for n, chart in enumerate(charts, 1):
        svg = chart_svg(chart, outcome["result"])
        if svg is None:
            continue
        path = output_path(f"{stem}-chart-{n}.svg")
        path.write_text(svg, encoding="utf-8")
        out.append(path)
    return out


def folder_opener(env: dict[str, str] | None = None) -> list[str] | None:
    """The command that opens a folder in the desktop's file manager, or None on a bare terminal."""
    env = dict(os.environ if env is None else env)
    if sys.platform == "darwin":
        return ["open"]
    if sys.platform.startswith("win"):
        return ["explorer"]
    if (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and shutil.which("xdg-open"):
        return ["xdg-open"]
    return None


def open_folder(folder: Path, env: dict[str, str] | None = None) -> str:
    """Open `folder` in the file manager when there is one; the line to show either way."""
    opener = folder_opener(env)
    if opener is None:
        return f"no file manager here; the folder is {folder}"
    try:
        subprocess.Popen([*opener, str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        return f"could not open {folder}: {exc}"
    return f"opened {folder}"
