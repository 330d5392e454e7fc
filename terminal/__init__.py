"""The ways in: the Textual TUI (the main job), the `intent` CLI, voice capture, rendering."""
