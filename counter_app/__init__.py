"""counter_app: a queue-calling system for public-service offices."""

__version__ = "0.1.0"
