"""One module per CLI command group; each exposes `register(subparsers)` and sets `func` on its parser.

`terminal.cli.COMMANDS` lists them in help order.
"""
