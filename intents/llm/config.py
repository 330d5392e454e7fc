"""LLM settings: the names the OpenAI ecosystem expects, read from config.toml and the environment.

    # <config dir>/config.toml   (INTENT_HOME when it is set; else the platform's config dir)
    [llm]
    base_url = "http://127.0.0.1:11434/v1"   # OPENAI_BASE_URL; default: OpenAI itself
    api_key = "sk-..."                        # OPENAI_API_KEY; local servers need none
    model = "qwen2.5:7b-instruct"             # INTENT_LLM_MODEL; no model, no LLM
    timeout = 10                              # INTENT_LLM_TIMEOUT, seconds for the whole exchange
    tool_mode = "auto"                        # INTENT_LLM_TOOL_MODE: auto | tools | json
    share_sensitive = []                      # packs whose data may go to a non-local server

The environment wins over the file. The tier is on only when a model is named: an OPENAI_API_KEY that
happens to be in the environment for other tools never makes the terminal send anything anywhere.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from intents.llm import FILE_NAME, MODEL_ENV

OPENAI_URL = "https://api.openai.com/v1"

# setting -> environment variable that overrides it
ENV = {
    "base_url": "OPENAI_BASE_URL",
    "api_key": "OPENAI_API_KEY",
    "model": MODEL_ENV,
    "timeout": "INTENT_LLM_TIMEOUT",
    "tool_mode": "INTENT_LLM_TOOL_MODE",
    "share_sensitive": "INTENT_LLM_SHARE_SENSITIVE",
}


class LLMConfig(BaseModel):
    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    timeout: float = Field(10.0, gt=0, le=600)
    tool_mode: Literal["auto", "tools", "json"] = "auto"
    top_k: int = Field(5, ge=1, le=32)  # candidate actions offered per request
    threshold: float = Field(0.75, ge=0, le=1)  # local confidence below which the LLM is asked
    share_sensitive: list[str] = Field(default_factory=list)
    strict: bool | None = None  # strict function calling; unset: on for OpenAI's own API only
    enabled: bool = True
    # where each value came from: default, file or env (for `intent config`)
    sources: dict[str, str] = Field(default_factory=dict, exclude=True)
    problems: list[str] = Field(default_factory=list, exclude=True)
    path: str | None = Field(None, exclude=True)

    @field_validator("share_sensitive", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @property
    def configured(self) -> bool:
        return self.enabled and bool(self.model)

    @property
    def url(self) -> str:
        return (self.base_url or OPENAI_URL).rstrip("/")

    @property
    def use_strict(self) -> bool:
        return self.strict if self.strict is not None else self.host == "api.openai.com"

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.url).hostname or ""

    @property
    def local(self) -> bool:
        """A server on loopback counts as local: nothing leaves the machine."""
        return is_loopback(self.host)

    def shown(self) -> dict[str, Any]:
        """The effective values for people and scripts, with the key masked."""
        return {
            "configured": self.configured,
            "base_url": self.url,
            "local": self.local,
            "api_key": mask(self.api_key),
            "model": self.model,
            "timeout": self.timeout,
            "tool_mode": self.tool_mode,
            "top_k": self.top_k,
            "threshold": self.threshold,
            "share_sensitive": self.share_sensitive,
            "strict": self.use_strict,
            "enabled": self.enabled,
            "sources": dict(self.sources),
            "file": self.path,
            "problems": list(self.problems),
        }


def is_loopback(host: str) -> bool:
    import ipaddress

    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name we would have to resolve: treat as remote, to stay private by default


def mask(key: str | None) -> str | None:
    if not key:
        return None
    if len(key) <= 12:
        return "****"
    return f"{key[:3]}…{key[-4:]}"


def config_path() -> Path:
    from intents import paths

    return paths.config_dir() / FILE_NAME


def load(env: dict[str, str] | None = None, path: Path | None = None) -> LLMConfig:
    """Effective settings. Never raises: a broken file or value is reported in `problems` and ignored."""
    env = os.environ if env is None else env
    path = path or config_path()
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    problems: list[str] = []
    if path.is_file():
        section = _read_section(path, problems)
        for key in LLMConfig.model_fields:
            if key in section and key not in ("sources", "problems", "path"):
                values[key] = section[key]
                sources[key] = "file"
        unknown = sorted(set(section) - set(LLMConfig.model_fields))
        if unknown:
            problems.append(f"{path}: unknown [llm] keys ignored: {', '.join(unknown)}")
    for key, var in ENV.items():
        raw = env.get(var)
        if raw is not None and raw.strip() != "":
            values[key] = raw.strip()
            sources[key] = f"env {var}"
    # a bad value is dropped on its own, the rest still applies
    for _ in range(len(values) + 1):
        try:
            cfg = LLMConfig.model_validate(values)
            break
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors(include_url=False) if e["loc"]}
            for e in exc.errors(include_url=False):
                where = sources.get(str(e["loc"][0]), "?") if e["loc"] else "?"
                problems.append(f"{'.'.join(map(str, e['loc']))} ({where}): {e['msg']}; using the default")
            if not bad:
                values = {}
            for key in bad:
                values.pop(key, None)
                sources.pop(key, None)
    else:  # pragma: no cover - each round drops at least one key
        cfg = LLMConfig()
    cfg.sources = {k: sources.get(k, "default") for k in SETTABLE}
    cfg.problems = problems
    cfg.path = str(path)
    return cfg


def _read_section(path: Path, problems: list[str]) -> dict[str, Any]:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path}: cannot read it ({exc}); the LLM settings in it are ignored")
        return {}
    section = data.get("llm", {})
    if not isinstance(section, dict):
        problems.append(f"{path}: [llm] must be a table")
        return {}
    return section


SETTABLE = ("base_url", "api_key", "model", "timeout", "tool_mode", "top_k", "threshold", "share_sensitive",
            "strict", "enabled")


def save(key: str, value: str | None, path: Path | None = None) -> Path:
    """Set (or, with value None, remove) one [llm] key in config.toml, keeping the rest of the file.

    The value is checked with the same model the loader uses, so a bad one is refused here, not ignored
    later. Raises ValueError with a one-line reason."""
    import json
    import tomllib

    if key not in SETTABLE:
        raise ValueError(f"unknown setting '{key}' (settable: {', '.join(SETTABLE)})")
    path = path or config_path()
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        section = dict(tomllib.loads(text).get("llm", {})) if text else {}
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML ({exc}); fix or remove it first") from None
    if value is None:
        section.pop(key, None)
    else:
        try:
            checked = LLMConfig.model_validate({key: value})
        except ValidationError as exc:
            raise ValueError(f"{key}: {exc.errors(include_url=False)[0]['msg']}") from None
        section[key] = getattr(checked, key)
    # TOML basic strings, numbers, booleans and string arrays are written exactly as JSON writes them
    lines = ["[llm]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in section.items()]
    from intents.safe_files import private_dir, write_atomic

    private_dir(path.parent)
    write_atomic(path, _replace_section(text, "\n".join(lines) + "\n"))  # owner-only: it may hold the key
    return path


def _replace_section(text: str, block: str) -> str:
    """`text` with its [llm] table replaced by `block` (appended when there is none)."""
    out: list[str] = []
    inside = replaced = False
    for line in text.splitlines(keepends=True):
        header = line.strip().startswith("[") and not line.strip().startswith("[[")
        if header and line.strip() == "[llm]":
            inside, replaced = True, True
            out.append(block)
            continue
        if header and inside:
            inside = False
            out.append("\n")
        if not inside:
            out.append(line)
    if not replaced:
        if out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(("\n" if out else "") + block)
    return "".join(out)
