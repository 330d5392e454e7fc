"""A scripted OpenAI-compatible server on 127.0.0.1 for the LLM tests, and tests of the client against it.

The server is the stdlib's http.server in a thread. Each request pops the next scripted step: a recorded
tool call, a JSON answer, an HTTP error, a delay, garbage, a cut-off body. Every request body is kept, so
tests can assert what was sent. Nothing here reaches beyond loopback.
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import pytest

Step = Callable[[dict], tuple[int, dict[str, str], bytes]]


def completion(message: dict[str, Any], finish: str = "stop") -> bytes:
    return json.dumps({
        "id": "chatcmpl-scripted", "object": "chat.completion", "created": 1764200000, "model": "scripted",
        "choices": [{"index": 0, "finish_reason": finish, "message": {"role": "assistant", **message}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }).encode()


JSON_HEADERS = {"Content-Type": "application/json"}


class Scripted:
    def __init__(self) -> None:
        self.steps: deque[Step] = deque()
        self.requests: list[dict] = []
        self.paths: list[str] = []
        self.url = ""
        self.always: Step | None = None  # answers every request once the queued steps are used up

    # ---- scripting ---------------------------------------------------------------------------------
    def then(self, step: Step) -> "Scripted":
        self.steps.append(step)
        return self

    def tool(self, name: str, arguments: dict | str) -> "Scripted":
        args = arguments if isinstance(arguments, str) else json.dumps(arguments)
        call = {"id": "call_1", "type": "function", "function": {"name": name.replace(".", "__"), "arguments": args}}
        return self.then(lambda body: (200, JSON_HEADERS, completion({"content": None, "tool_calls": [call]},
                                                                     "tool_calls")))

    def answer(self, content: dict | str, finish: str = "stop") -> "Scripted":
        text = content if isinstance(content, str) else json.dumps(content)
        return self.then(lambda body: (200, JSON_HEADERS, completion({"content": text}, finish)))

    def status(self, code: int, message: str = "scripted failure") -> "Scripted":
        payload = json.dumps({"error": {"message": message, "type": "server_error", "code": code}}).encode()
        return self.then(lambda body: (code, JSON_HEADERS, payload))

    def raw(self, payload: bytes, headers: dict[str, str] | None = None) -> "Scripted":
        return self.then(lambda body: (200, headers or JSON_HEADERS, payload))

    def sleep(self, seconds: float) -> "Scripted":
        def step(body):
            time.sleep(seconds)
            return 200, JSON_HEADERS, completion({"content": '{"action": "none_of_these"}'})
        return self.then(step)

    def no_tools(self, code: int = 400) -> "Scripted":
        """Like a server without tool calling: refuse a request that carries tools."""
        payload = json.dumps({"error": {"message": "tools are not supported by this model"}}).encode()

        def step(body):
            if "tools" in body:
                return code, JSON_HEADERS, payload
            raise LookupError("no_tools expects a request with tools")
        return self.then(step)

    def first_offered(self) -> "Scripted":
        """From now on, answer every request by calling the first tool offered, with no arguments."""
        def step(body):
            name = body["tools"][0]["function"]["name"] if body.get("tools") else "none_of_these"
            call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": "{}"}}
            return 200, JSON_HEADERS, completion({"content": None, "tool_calls": [call]}, "tool_calls")
        self.always = step
        return self

    # ---- serving -------------------------------------------------------------------------------------
    def handle(self, body: dict) -> tuple[int, dict[str, str], bytes]:
        self.requests.append(body)
        if not self.steps:
            if self.always is not None:
                return self.always(body)
            return 500, JSON_HEADERS, b'{"error": {"message": "script exhausted"}}'
        return self.steps.popleft()(body)


def serve(script: Scripted) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            script.paths.append(self.path)
            code, headers, payload = script.handle(body)
            if headers.get("X-Cut"):  # promise more bytes than are sent, then hang up
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload) + 500))
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
                self.close_connection = True
                return
            self.send_response(code)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="scripted-llm", daemon=True).start()
    script.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    return server


@pytest.fixture
def llm_server():
    script = Scripted()
    server = serve(script)
    yield script
    server.shutdown()
    server.server_close()


@pytest.fixture
def llm_env(home, llm_server, monkeypatch):
    """The home's LLM points at the scripted server (loopback, so it counts as local)."""
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url)
    monkeypatch.setenv("INTENT_LLM_MODEL", "scripted-model")
    monkeypatch.setenv("INTENT_LLM_TIMEOUT", "3")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("INTENT_LLM_TOOL_MODE", raising=False)
    monkeypatch.delenv("INTENT_LLM_SHARE_SENSITIVE", raising=False)
    return llm_server


# ---- the client against the scripted server --------------------------------------------------------
def _client(url: str, timeout: float = 3.0):
    from intents.llm.client import Client
    from intents.llm.config import LLMConfig

    return Client(LLMConfig(base_url=url, model="scripted-model", timeout=timeout))


def test_real_openai_client_reads_a_recorded_tool_call(llm_server):
    llm_server.tool("finance.loan_payment", {"principal": 300000})
    response = _client(llm_server.url).chat([{"role": "user", "content": "hi"}], timeout=3, tools=[])
    call = response.choices[0].message.tool_calls[0]
    assert call.function.name == "finance__loan_payment"
    assert json.loads(call.function.arguments) == {"principal": 300000}
    assert llm_server.paths == ["/v1/chat/completions"]
    assert llm_server.requests[0]["model"] == "scripted-model"


@pytest.mark.parametrize("code, words", [(429, "rate limiting"), (500, "failed (500"), (503, "failed (503"),
                                         (401, "API key"), (400, "rejected")])
def test_http_errors_become_one_line_faults(llm_server, code, words):
    from intents.llm.client import LLMFault

    llm_server.status(code)
    with pytest.raises(LLMFault) as info:
        _client(llm_server.url).chat([{"role": "user", "content": "hi"}], timeout=3)
    assert words in info.value.message
    assert "\n" not in info.value.message
    assert len(llm_server.requests) == 1  # no retries: the timeout bounds the whole exchange


def test_server_down_is_a_fault_not_a_hang():
    import socket

    from intents.llm.client import LLMFault

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(LLMFault, match="cannot reach"):
        _client(f"http://127.0.0.1:{port}/v1").chat([{"role": "user", "content": "hi"}], timeout=3)
    assert time.monotonic() - started < 3
