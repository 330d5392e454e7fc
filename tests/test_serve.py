"""`intent serve`: the terminal UI in a real headless Chromium (the system's, driven by Playwright).

The test starts `intent serve` on 127.0.0.1 on a free port, opens it in the browser, types a request
like a person, and checks the answer reached the page: in the bytes the page's terminal received over
its websocket and drawn on screen (a screenshot, whose path the test prints). It skips only when the
browser is absent (CI installs the Debian package `chromium`, like espeak-ng)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from terminal.commands.serve import is_loopback

LOAN = "monthly payment on a 300k loan at 6.5% over 30 years"
CHROMIUM = next(filter(None, (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))), None)
README_SHOT = Path(__file__).resolve().parent.parent / "docs" / "images" / "intent-serve.png"


def test_loopback_hosts():
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "127.1.2.3"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.5", "example.com", "::"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"intent serve exited: {proc.stderr.read()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("intent serve did not listen")


@pytest.fixture
def served(home):
    port = _free_port()
    env = {**os.environ, "INTENT_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "terminal.cli", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_another_host_is_served_only_with_a_warning(home):
    port = _free_port()
    env = {**os.environ, "INTENT_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "terminal.cli", "serve", "--host", "0.0.0.0", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _wait_for_port(port, proc)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "warning: serving on 0.0.0.0" in err and "with your licence" in err


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (CI installs the Debian package)")
def test_a_request_typed_in_the_browser_shows_its_answer(served, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    url, proc = served
    received: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 640})

            def on_socket(ws):
                ws.on("framereceived", lambda payload: received.append(
                    payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)))

            page.on("websocket", on_socket)
            page.goto(url)
            page.wait_for_selector("body.-first-byte", timeout=60_000)  # the TUI's first frame arrived
            _until(page, lambda: "say what you want" in "".join(received), "the intent line never appeared")
            _until(page, lambda: "plan:" in "".join(received), "the app never finished loading")
            page.click(".xterm-screen")  # keys go to xterm's input element, as when a person clicks in
            page.focus("textarea.xterm-helper-textarea")
            page.keyboard.type(LOAN, delay=5)
            _until(page, lambda: "finance.loan_payment" in "".join(received), "no live preview in the browser")
            page.keyboard.press("Enter")
            _until(page, lambda: "1,896.20" in "".join(received), "the answer never reached the page")
            page.wait_for_timeout(500)  # the last frame drawn
            shot = tmp_path / "intent-serve.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    print(f"\nscreenshot of `intent serve` in headless Chromium: {shot}")
    if os.environ.get("INTENT_UPDATE_SCREENSHOTS"):  # the README's picture, refreshed deliberately
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, README_SHOT)


def _until(page, condition, message: str, timeout: float = 60) -> None:
    """Wait in the browser's time (Playwright delivers the websocket frames while it waits)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        page.wait_for_timeout(100)
