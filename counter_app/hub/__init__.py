"""The hub: one place that receives every branch's journal (``counter-app hub``, docs/HUB.md).

Its tables live in their own metadata (hub.models), never in a branch database.
"""
