"""The FastAPI server: every window is a client of it."""
