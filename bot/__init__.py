"""rolebot core: knowledge, routing, escalations, digests and storage (no chat SDK imports)."""

__version__ = "0.1.0"
