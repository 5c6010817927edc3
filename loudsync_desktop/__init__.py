"""LoudSync Desktop: party sessions over the LAN, then music in sync."""

__version__ = "0.1.0"
APP_NAME = "LoudSync"
