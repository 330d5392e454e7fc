"""The TUI's widgets: the intent line, the live preview, result views and panels."""
