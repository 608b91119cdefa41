"""Daily standup digests: typed data from the store, renderers per surface, exactly-once runs."""
