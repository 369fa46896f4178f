"""The satisfaction survey screen at a counter (a small second screen or a tablet)."""
