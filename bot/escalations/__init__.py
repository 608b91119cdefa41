"""Escalation workflows: models, storage, the workflow service, SLA policy and the sweep."""
