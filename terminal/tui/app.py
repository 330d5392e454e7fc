"""The Intent Terminal app: `intent` with no arguments runs `run_app()`.

Start-up is kept small: the registry, resolver index and store are loaded by a worker after the first
frame; speech and LLM libraries are imported only inside the workers that need them. With INTENT_DEBUG=1
(or `textual run --dev`) the time to the first frame is logged to INTENT_HOME/tui.log and the dev console.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

# pydantic scans every installed distribution for plugins on its first model; the terminal uses none.
# terminal/cli.py opts out the same way; set here too so `python -m terminal.tui.app`, the bench and tests
# get the same warm-up (the first model is built by the warm-up worker, after the first frame).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from textual import work  # noqa: E402
from textual.app import App  # noqa: E402
from textual.binding import Binding  # noqa: E402

from terminal.tui.messages import PacksChanged  # noqa: E402
from terminal.tui.screens.main import MainScreen  # noqa: E402

STARTED = time.perf_counter()  # module import time: the start of the app for the first-frame figure


def _intent_commands():
    from terminal.tui.commands import IntentCommands  # the palette's machinery loads when it opens

    return IntentCommands


class IntentApp(App):
    CSS_PATH = "intent.tcss"
    TITLE = "Intent Terminal"
    COMMANDS = App.COMMANDS | {_intent_commands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "quit", priority=True)]  # shown in the footer on every screen

    def __init__(self, session=None, out_dir: Path | None = None, debug: bool | None = None,
                 prepare: bool | None = None) -> None:
        super().__init__()
        self._session = session
        self._out_dir = out_dir
        self._settings_home = session.home if session is not None else None
        self._session_lock = threading.Lock()
        self.debug_timing = bool(os.environ.get("INTENT_DEBUG")) if debug is None else debug
        self.first_frame_ms: float | None = None  # the title, the preview and the intent line, ready to type
        self.complete_frame_ms: float | None = None  # the frame after, with the footer's keys
        self.main_screen = MainScreen()
        # INTENT_NO_PREPARE=1: no background preparation (the test suite's many fresh homes; `intent packs
        # prepare` still runs it when asked)
        self.prepare_on_start = not os.environ.get("INTENT_NO_PREPARE") if prepare is None else prepare
        self.preparing = False
        self.prepared: list | None = None  # the packs' preparation rows once it has run (intents/prepare.py)

    @property
    def session(self):
        """The core's Session, built on first use (by the warm-up worker, after the first frame: importing
        it pulls in pydantic, which the first frame does not need)."""
        if self._session is None:
            with self._session_lock:
                if self._session is None:
                    from intents.session import Session

                    # auto: the local tier previews every keystroke; an LLM, when configured and entitled, is
                    # asked only on Enter for requests the local tier is unsure of (in a worker)
                    self._session = Session(out_dir=self._out_dir, mode="auto")
        return self._session

    # ---- the theme chosen in the palette ("Change theme") is kept for the next start -------------
    def _settings_file(self) -> Path:
        if self._settings_home is None:
            from intents import paths

            self._settings_home = paths.config_dir()  # INTENT_HOME when set, else the user config dir
        return Path(self._settings_home) / "tui.json"

    def _load_theme(self) -> None:
        import json

        try:
            theme = json.loads(self._settings_file().read_text()).get("theme")
        except (OSError, ValueError, AttributeError):
            return
        if theme in self.available_themes:
            self.theme = theme

    def _save_theme(self, theme: str) -> None:
        import json

        try:
            from intents.safe_files import write_atomic

            write_atomic(self._settings_file(), json.dumps({"theme": theme}) + "\n")
        except OSError:
            pass  # a read-only home only costs the preference

    def get_default_screen(self) -> MainScreen:
        return self.main_screen

    def on_mount(self) -> None:
        self._load_theme()
        self.theme_changed_signal.subscribe(self, lambda theme: self._save_theme(theme.name))
        self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        self.first_frame_ms = (time.perf_counter() - STARTED) * 1000
        self.log_timing("first frame (from import of terminal.tui.app)", self.first_frame_ms)
        self.main_screen.add_footer()
        self.call_after_refresh(self._complete_frame)

    def _complete_frame(self, tries: int = 100) -> None:
        if tries and not self.main_screen.query("FooterKey"):  # the footer fills in once bindings are known
            self.set_timer(0.002, lambda: self._complete_frame(tries - 1))
            return
        self.call_after_refresh(self._completed)

    def _completed(self) -> None:
        self.complete_frame_ms = (time.perf_counter() - STARTED) * 1000
        self.log_timing("complete frame, footer included", self.complete_frame_ms)
        # Only now: the registry's and resolver's imports in a thread would slow both frames before it
        self.main_screen.warm_up()
        if self.prepare_on_start:
            self.prepare_packs()

    # ---- the packs' one-time preparation (intents/prepare.py), in the background ------------------
    def _notify_soon(self, message: str, **kw) -> None:
        try:
            self.call_from_thread(lambda: self.notify(message, **kw))
        except RuntimeError:  # the app closed meanwhile: nothing to show it in
            pass

    @work(thread=True, group="prepare", exclusive=True, exit_on_error=False)
    def prepare_packs(self) -> None:
        """After the first frame and the warm-up (never competing with them for the CPU): each installed
        pack's @pack.prepare, shown while it builds; a lookup started meanwhile waits on the same lock. A pack
        stamped as prepared is skipped without importing it (intents/prepare.py), so later starts pay nothing."""
        from intents.prepare import prepare

        deadline = time.monotonic() + 60
        while not getattr(self.main_screen, "ready", False) and time.monotonic() < deadline and self.is_running and not getattr(self, "_exit", False):
            time.sleep(0.05)
        self.preparing = True
        try:
            rows = prepare(self.session.registry, once=True, on_progress=lambda pack, what, _m: self._notify_soon(
                f"preparing {pack} ({what}, once)…", timeout=30))
        except Exception as exc:  # the registry itself failed: the warm-up already says so
            rows = []
            self.log.warning(f"preparing packs failed: {exc}")
        finally:
            self.preparing = False
        self.prepared = rows
        for row in rows:
            if row.status == "failed":
                self._notify_soon(f"could not prepare {row.pack}: {row.error}", severity="warning", timeout=8)
            elif row.built:
                self._notify_soon(f"{row.pack} is ready ({', '.join(row.what)})", timeout=4)

    def first_frame_ms_since(self, start: float, complete: bool = False) -> float:
        """The first (or the complete) frame's time measured from another start (a bench's process start)."""
        return (self.complete_frame_ms if complete else self.first_frame_ms) + (STARTED - start) * 1000

    def log_timing(self, what: str, ms: float) -> None:
        self.log.info(f"{what}: {ms:.1f} ms")
        if not self.debug_timing:
            return
        try:
            from intents import paths

            home = self._session.home if self._session is not None else paths.home()
            from intents.safe_files import append_text

            append_text(Path(home) / "tui.log", f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {what}: {ms:.1f} ms\n")
        except OSError:
            pass

    # ---- screens --------------------------------------------------------------------------------
    def action_show_packs(self) -> None:
        from terminal.tui.screens.packs import PacksScreen

        self.push_screen(PacksScreen())

    def action_show_plan(self) -> None:
        from terminal.tui.screens.plan import PlanScreen

        self.push_screen(PlanScreen())

    def action_show_history(self) -> None:
        from terminal.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(), callback=self._rerun)

    def _rerun(self, entry: dict | None) -> None:
        if not entry:
            return
        from terminal.tui.messages import ChainRequested, RunRequested, UtteranceRequested

        if len(entry.get("chain_steps") or []) > 1:  # a step of a compound request: the whole chain again
            self.main_screen.post_message(ChainRequested(entry["chain_steps"]))
        elif entry.get("action"):
            self.main_screen.post_message(RunRequested(entry["action"], entry.get("params") or {}, entry.get("text") or ""))
        else:
            self.main_screen.post_message(UtteranceRequested(entry.get("text") or ""))

    def on_packs_changed(self, message: PacksChanged) -> None:
        self.main_screen.refresh_catalog()


def run_app(session=None) -> int:
    """Open the terminal UI; returns the process exit status."""
    import sys

    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")  # `intent serve`: a browser tab
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Piped or scripted: a full-screen app would only print escape codes.
        sys.stderr.write("intent: the terminal UI needs a terminal; for scripts use `intent run TEXT` "
                         "or `intent --help`\n")
        return 2
    app = IntentApp(session=session)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(run_app())
