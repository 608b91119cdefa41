"""The conversation: questions answered, asks, request channels, watchers and follow-ups."""
