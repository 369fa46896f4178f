"""Ticket printers, serial LED counter displays, call keypads."""
