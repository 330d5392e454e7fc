"""The TUI's screens: main, confirmation modal, Packs, Plan, History."""
