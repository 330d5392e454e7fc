"""Built-in vertical packs. Each registers through the `intent_terminal.packs` entry points exactly as a
third-party pack does, and imports nothing from `terminal/`."""
