"""Slack adapter (slack-bolt): app factory, Block Kit builders, notifier and HTTP / Socket Mode server."""
