"""Protocollering: who read or changed what, when. Never a BSN, never a name."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class AuditAction(StrEnum):
    SIGNAL_PLACED = "signal.placed"
    SIGNAL_REPLAYED = "signal.replayed"  # the same professional signalled again: existing signal returned
    SIGNAL_READ = "signal.read"
    SIGNALS_LISTED = "signals.listed"
    SIGNAL_CLOSED = "signal.closed"
    INFORMED_RECORDED = "signal.informed_recorded"
    SIGNAL_DESTROYED = "signal.destroyed"
    SIGNAL_REFUSED = "signal.refused"
    ORGANISATION_CREATED = "organisation.created"
    ORGANISATION_SUSPENDED = "organisation.suspended"
    ORGANISATION_REACTIVATED = "organisation.reactivated"
    ORGANISATIONS_LISTED = "organisations.listed"
    PROFESSIONAL_REGISTERED = "professional.registered"
    PROFILE_RECORDED = "organisation.profile_recorded"
    PROFESSIONAL_UPDATED = "professional.updated"  # detail: the attribute with its old and new value
    PROFESSIONAL_DEACTIVATED = "professional.deactivated"  # left: no access, account disabled
    PROFESSIONAL_SIGNALS_REASSIGNED = "professional.signals_reassigned"  # handed to a colleague
    SIGNAL_REASSIGNED = "signal.reassigned"  # another professional (or a new contact) on the signal
    MATCH_CREATED = "match.created"  # by the match function: two organisations learn of each other
    MATCHES_READ = "matches.read"
    HISTORY_READ = "history.read"  # a look at closed signals of other organisations
    MATCH_COORDINATOR_NAMED = "match.coordinator_named"
    MATCH_COORDINATED = "match.coordinated"
    # Lifecycle: by the daily jobs and BRP notifications; never a BSN.
    SIGNAL_EXPIRED = "signal.expired"  # active period ended: closed, owner asked whether to renew
    SIGNAL_PURGED = "signal.purged"  # archive period ended: destroyed
    YOUTH_DESTROYED = "youth.destroyed"  # 23rd birthday or death: everything about the youth destroyed
    YOUTH_MOVED = "youth.moved"  # BRP: moved to another municipality
    # --- rights of families ---
    RIGHTS_REQUEST_RECEIVED = "rights.received"
    RIGHTS_REQUEST_READ = "rights.read"
    RIGHTS_REQUEST_GRANTED = "rights.granted"
    RIGHTS_REQUEST_REFUSED = "rights.refused"
    DOSSIER_ISSUED = "rights.dossier_issued"  # inzage / kopie: the dossier was produced
    YOUTH_REFRESHED = "rights.brp_refreshed"  # correctie: the youth was looked up again in the BRP
    SIGNAL_CORRECTED = "signal.corrected"  # detail names the attribute with its old and new value
    OBJECTION_NOTIFIED = "rights.objection_notified"  # the professional was e-mailed
    AUDIT_READ = "audit.read"  # the operator read an audit trail
    # --- e-mail delivery ---
    ADDRESS_UNDELIVERABLE = "email.address_undeliverable"  # SES: a permanent bounce or a complaint
    EMAIL_HELD_BACK = "email.held_back"  # not sent: the recipient's address is undeliverable
    # --- national link ---
    MOVE_NOTICE_RECEIVED = "national.move_notice"  # a youth with signals elsewhere moved into this region
    # --- moving in and out: another index's signals imported, the region's exported ---
    SIGNAL_IMPORTED = "signal.imported"  # detail: the source system and the state stored
    SIGNAL_EXPORTED = "signal.exported"  # a read of personal data: the signal left in an export


class SubjectKind(StrEnum):
    """Whose trail an entry is in. Each is named by a pseudonym or an id, never a BSN or a name."""

    YOUTH = "YOUTH"  # by the youth's regional pseudonym
    ORGANISATION = "ORG"
    ACTOR = "ACTOR"  # the operator looked at what one actor did
    MOVE_NOTICE = "MOVE"  # a notice from the national index that a youth moved in
    ADDRESS = "UNDELIVERABLE"  # an e-mail address, by a digest that names nobody


def address_digest(email: str) -> str:
    """An e-mail address as a digest of its lower-cased form: the same address always gives the
    same digest, and the digest itself names nobody."""
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


class AuditSubject(BaseModel):
    """What an entry is about: the trail it is read back in. Stores turn it into their own key."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kind: SubjectKind
    id: str = Field(min_length=1)

    @classmethod
    def youth(cls, youth_key: str) -> AuditSubject:
        return cls(kind=SubjectKind.YOUTH, id=youth_key)

    @classmethod
    def organisation(cls, org_id: str) -> AuditSubject:
        return cls(kind=SubjectKind.ORGANISATION, id=org_id)

    @classmethod
    def actor(cls, actor: str) -> AuditSubject:
        return cls(kind=SubjectKind.ACTOR, id=actor)

    @classmethod
    def move_notice(cls, notice_id: str) -> AuditSubject:
        return cls(kind=SubjectKind.MOVE_NOTICE, id=notice_id)

    @classmethod
    def address(cls, email: str) -> AuditSubject:
        return cls(kind=SubjectKind.ADDRESS, id=address_digest(email))

    @property
    def reference(self) -> str:
        """How the operator's audit trail names the subject, e.g. `YOUTH#<pseudonym>`."""
        return f"{self.kind.value}#{self.id}"


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    entry_id: str
    at: datetime
    actor: str = Field(description="Cognito sub or machine client id")
    actor_org: str | None = None
    action: AuditAction
    subject: AuditSubject
    target: str | None = Field(default=None, description="signal id, organisation id, ...")
    # Room for an attribute with its old and new value (an e-mail address may be 254 characters).
    detail: str | None = Field(default=None, max_length=600)
