"""Asynchronous standups: per-team questions by DM, answers in SQLite, reports with routed blockers."""
