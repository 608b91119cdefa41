"""The SQLite backend: every SQL statement of rolebot, and `open_stores` to get its stores on one file."""
