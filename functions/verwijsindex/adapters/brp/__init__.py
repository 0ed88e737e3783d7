"""Person registry (BRP) port and its adapters."""
