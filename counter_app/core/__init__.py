"""The queue domain in pure Python: no Qt, no SQL, no HTTP, no I/O."""
