"""Asynchronous standups: per-team questions by DM, answers in the database, reports with routed blockers."""
