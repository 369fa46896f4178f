"""The citizens' web pages: online booking and the live ticket status page (Indonesian)."""
