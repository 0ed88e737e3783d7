"""In-memory fakes of the ports (functions/verwijsindex/ports/), held to the same contract tests
(tests/ports/) as the DynamoDB adapters, so use cases can be tested without moto."""
