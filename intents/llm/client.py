"""The `openai` client for one configured server, and the one call the resolver makes through it.

`openai` costs about 0.9 s to import, so it is imported here, on the first request, never at start-up.
Retries are off: the configured timeout bounds the whole exchange, and a retry would break that promise.
"""
from __future__ import annotations

import threading
from typing import Any


class LLMFault(Exception):
    """Anything that kept the server from giving a usable answer; the message is one line for people."""

    def __init__(self, message: str, reject: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.reject = reject  # the server refused the request's shape (tools/json_schema unsupported)


class Client:
    """Thread-safe: the openai client is built once under a lock; httpx clients may be shared by threads."""

    def __init__(self, cfg) -> None:
        self.cfg = cfg
        self._client = None
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Import and build the client now (local CPU work, about a second on a cold start), so the
        timeout that follows measures the server, not the import."""
        self._openai()

    def _openai(self):
        with self._lock:
            if self._client is None:
                from openai import OpenAI

                self._client = OpenAI(
                    api_key=self.cfg.api_key or "not-needed",  # local servers ignore it; the client wants one
                    base_url=self.cfg.url,
                    timeout=self.cfg.timeout,
                    max_retries=0,
                )
            return self._client

    def chat(self, messages: list[dict[str, Any]], timeout: float, **kwargs: Any):
        """One chat completion; every failure becomes an LLMFault with a one-line reason."""
        import openai

        try:
            client = self._openai().with_options(timeout=max(timeout, 0.05))
            return client.chat.completions.create(model=self.cfg.model, messages=messages, **kwargs)
        except openai.APITimeoutError:
            raise LLMFault(f"the LLM server did not answer within {self.cfg.timeout:g} s") from None
        except openai.APIConnectionError as exc:
            raise LLMFault(f"cannot reach the LLM server at {self.cfg.url} ({_cause(exc)})") from None
        except openai.RateLimitError:
            raise LLMFault("the LLM server is rate limiting (429)") from None
        except openai.AuthenticationError:
            raise LLMFault("the LLM server refused the API key (401); check OPENAI_API_KEY") from None
        except (openai.BadRequestError, openai.NotFoundError, openai.UnprocessableEntityError) as exc:
            raise LLMFault(f"the LLM server rejected the request ({exc.status_code}: {_short(exc)})",
                           reject=True) from None
        except openai.APIStatusError as exc:
            raise LLMFault(f"the LLM server failed ({exc.status_code}: {_short(exc)})") from None
        except openai.APIError as exc:  # malformed bodies and the like
            raise LLMFault(f"the LLM server sent an unusable answer ({_short(exc)})") from None
        except (ValueError, TypeError, KeyError) as exc:  # a body the client could not decode
            raise LLMFault(f"the LLM server sent an unusable answer ({type(exc).__name__})") from None


def _short(exc: Exception, limit: int = 120) -> str:
    body = getattr(exc, "body", None)  # the server's own words beat the client's "Error code: 500 - {...}"
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        said = inner.get("message") if isinstance(inner, dict) else None
    else:
        said = None
    text = " ".join(str(said or getattr(exc, "message", None) or exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cause(exc: Exception) -> str:
    cause = exc.__cause__ or exc.__context__
    return _short(cause, 80) if cause else "connection error"
