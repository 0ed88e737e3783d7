"""Use cases: the rules of DESIGN.md applied through injected adapters and an injected clock."""
