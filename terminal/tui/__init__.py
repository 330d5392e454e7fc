"""The Textual terminal UI. Only this package imports Textual; the core (intents/, entitlements/,
vertical_packs/) stays UI-free."""
