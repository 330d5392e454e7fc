"""The core of Intent Terminal: pack SDK, registry, resolvers and dispatch.

Nothing in this package imports Textual (tests/test_import_hygiene.py holds us to it).
"""
