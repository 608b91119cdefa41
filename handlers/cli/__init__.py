"""The `rolebot` command line: a full adapter over the core library."""
