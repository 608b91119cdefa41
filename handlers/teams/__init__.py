"""Microsoft Teams adapter (botbuilder only in bot_adapter.py)."""
