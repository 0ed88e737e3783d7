"""What the use cases need from outside, one module per port: the adapters implement them, the
fakes in tests/fakes/ too, and the contract tests in tests/ports/ hold both to the same cases."""
