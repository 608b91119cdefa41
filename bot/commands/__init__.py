"""The escalation command language: its words, its parser, the one runner, and its replies."""
