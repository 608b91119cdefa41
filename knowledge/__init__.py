"""Bundled knowledge base and example directory (data files; importable so they ship with the package)."""
