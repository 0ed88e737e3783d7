"""Shared code of the Verwijsindex Lambdas: domain rules, use cases, adapters and API glue."""
