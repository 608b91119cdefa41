"""Slack renderers: the core's neutral results (answers, escalations, digests, standups) as Block Kit."""
