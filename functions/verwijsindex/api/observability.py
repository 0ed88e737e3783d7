"""Logger, Tracer and Metrics shared by the Lambdas (one instance each per container)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

# Events are never logged: they carry BSNs. Only what the code logs on purpose reaches CloudWatch.
logger = Logger(service="verwijsindex", log_uncaught_exceptions=False)
tracer = Tracer(service="verwijsindex")
metrics = Metrics(namespace="Verwijsindex", service="verwijsindex")
