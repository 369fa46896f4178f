"""Announcements: chime and Indonesian text-to-speech."""
