"""Path parameters that more than one API validates. Only the handlers that validate requests
import this module: it pulls in Powertools' OpenAPI parameters."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

# An id the index made: of a signal, a match or a rights request.
IndexId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
