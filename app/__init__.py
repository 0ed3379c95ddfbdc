"""Standby: a desktop license client with reserve activation codes, and its activation server."""

__version__ = "1.0.0"
