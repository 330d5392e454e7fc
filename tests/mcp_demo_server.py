"""A small MCP server of our own (stdio, the SDK's MCPServer), taken in as a pack by the tests.

    python tests/mcp_demo_server.py [--hang-on TOOL] [--die-on TOOL]

Its tools are ordinary, unrelated to our packs, and described only by their names, docstrings and
schemas: the terminal must resolve them from words without hand-written samples. `--hang-on` and
`--die-on` make one tool hang or kill the process, for the containment tests.
"""
from __future__ import annotations

import argparse
import os
import time
from typing import Literal

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

ap = argparse.ArgumentParser()
ap.add_argument("--hang-on", default="")
ap.add_argument("--die-on", default="")
OPTS = ap.parse_args()

server = MCPServer("demo-tools", instructions="Small conversions and text utilities.")
READ_ONLY = ToolAnnotations(readOnlyHint=True)


def _trap(tool: str) -> None:
    if OPTS.hang_on == tool:
        time.sleep(3600)
    if OPTS.die_on == tool:
        os._exit(3)


class Temperature(BaseModel):
    value: float
    unit: str


@server.tool(annotations=READ_ONLY)
def convert_temperature(
    degrees: float = Field(description="The temperature to convert"),
    to_unit: Literal["celsius", "fahrenheit"] = Field(description="The scale to convert into"),
) -> Temperature:
    """Convert a temperature between Celsius and Fahrenheit."""
    _trap("convert_temperature")
    if to_unit == "fahrenheit":
        return Temperature(value=round(degrees * 9 / 5 + 32, 2), unit="F")
    return Temperature(value=round((degrees - 32) * 5 / 9, 2), unit="C")


class WordCount(BaseModel):
    words: int
    characters: int


@server.tool(annotations=READ_ONLY)
def count_words(text: str = Field(description="The text whose words are counted")) -> WordCount:
    """Count the words and characters in a piece of text."""
    _trap("count_words")
    return WordCount(words=len(text.split()), characters=len(text))


@server.tool(annotations=READ_ONLY)
def pid() -> int:
    """The process id of this server (the tests check that it is reused and restarted)."""
    _trap("pid")
    return os.getpid()


@server.tool()
def forget_everything() -> str:
    """Erase the server's notes (a tool without annotations: MCP says assume it is destructive)."""
    return "forgotten"


if __name__ == "__main__":
    server.run("stdio")
