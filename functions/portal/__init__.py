"""The web portal for professionals: server-side rendered pages over the same use cases as the API."""
