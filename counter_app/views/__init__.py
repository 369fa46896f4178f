"""PySide6 windows: counter, display, kiosk, supervisor."""
