"""Key layout of the single table. Every access pattern and its key is listed in the README.

Partitions:
- YOUTH#<youth_key>          signals, active-guards, the youth marker
- ORG#<org_id>               organisation and its professionals
- CLIENT#<client_id>         machine client -> organisation
GSI1 (by owner): GSI1PK = ORG#<org_id> | ORGS, GSI1SK = SIGNAL#<id> | ORG#<id>
GSI2 (due, sparse): GSI2PK = DUE#<yyyy-mm-dd>, GSI2SK = <kind>#<youth_key>#<id>
"""

from __future__ import annotations

from datetime import date

PK = "PK"
SK = "SK"
GSI1 = "GSI1"
GSI1PK = "GSI1PK"
GSI1SK = "GSI1SK"
GSI2 = "GSI2"
GSI2PK = "GSI2PK"
GSI2SK = "GSI2SK"
TTL = "ttl"
ENTITY = "entity"


def youth_pk(youth_key: str) -> str:
    return f"YOUTH#{youth_key}"


def signal_sk(signal_id: str) -> str:
    return f"SIGNAL#{signal_id}"


def guard_sk(org_id: str, professional_id: str) -> str:
    """One active signal per professional per youth: the guard makes the race impossible."""
    return f"ACTIVE#{org_id}#{professional_id}"


YOUTH_SK = "YOUTH"


def org_pk(org_id: str) -> str:
    return f"ORG#{org_id}"


ORG_SK = "ORG"
ORGS_INDEX_PK = "ORGS"


def professional_sk(user_id: str) -> str:
    return f"PRO#{user_id}"


def client_pk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def due_pk(day: date) -> str:
    return f"DUE#{day.isoformat()}"
