"""Knowledge-base tooling: guides imported, mapped, validated, written and suggested."""
