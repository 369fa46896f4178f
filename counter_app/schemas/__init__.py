"""The wire format: pydantic models shared by the server and the Qt-free client.

Floors: ``core`` ← ``schemas`` ← ``store`` ← ``server``, and ``schemas`` ← ``client``.
"""
