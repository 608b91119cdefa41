"""The SQLite backend: every SQL statement of rolebot; stores.py builds the set of stores on one file."""
