"""Key layout of the single table. Every access pattern and its key is listed in the README.

Partitions:
- YOUTH#<youth_key>          signals, active-guards, the youth marker, parent links, matches
- ORG#<org_id>               organisation and its professionals
- CLIENT#<client_id>         machine client -> organisation
- PARENT#<parent_key>        one CHILD#<youth_key> item per signalled child of that parent
GSI1 (by owner): GSI1PK = ORG#<org_id> | ORGS, GSI1SK = SIGNAL#<id> | MATCH#<match_id> | ORG#<id>
GSI2 (due, sparse): GSI2PK = DUE#<yyyy-mm-dd>, GSI2SK = <kind>#<youth_key>#<id>
GSI3 (outstanding work, sparse): GSI3PK = WORK#<kind> | STUCK#<kind>, GSI3SK = <since, UTC>#<youth_key>#<id>

Matching, all of it reachable from the youth partitions involved:
- YOUTH#<yk> / PARENTS                            entity "parents": parent_keys (the BRP parents at the
      last placement, as pseudonyms) and linked_parent_keys (every parent key ever linked, so the
      PARENT# items below can all be found and destroyed with the youth).
- PARENT#<parent_key> / CHILD#<yk>                entity "parent_link": this parent has a signalled child
      <yk>. parent_key = HMAC(regional key, "vi-parent-v1:" + parent BSN); no BSN, no name.
- YOUTH#<yk> / MATCH#<signal_id>#<match_id>       entity "match": one side of a match, in the party's
      own youth partition (a family match has its two sides in two partitions). GSI1PK = ORG#<org_id>,
      GSI1SK = MATCH#<match_id>: a party addresses the match through its own organisation only.
      match_id = uuid5 of the sorted signal ids: two writers of one pair collide on it.
- YOUTH#<yk> / NOTE#<match_id>#<signal_id>#<event>  entity "notification": one e-mail to the owner of
      <signal_id> (state pending -> sending -> sent); event MATCH | COORDINATOR#<n> | COORDINATED.
Rights of families:
- RIGHTS#<request_id> / RIGHTS                     entity "rights_request": kind, youth_key (the
      pseudonym, never the BSN), requested_by, received_on, deadline, status, decision.
      GSI1PK = RIGHTS, GSI1SK = <deadline>#<request_id>: all requests by deadline; GSI2PK =
      RIGHTS#<status>, GSI2SK = <deadline>#<request_id>: those of one status by deadline (overdue =
      RIGHTS#open, SK < today), a key condition so a page is never cut short by a filter.
Destroying a youth: for every MATCH# side, delete the other side and the NOTE#<match_id># items in
the other partition; for every linked_parent_keys entry, delete PARENT#<pk>/CHILD#<yk>
(youth_partition.py); then the partition itself.

Lifecycle (adapters/dynamo/lifecycle_store.py):
- YOUTH#<yk> / RENEWAL#<signal_id>                entity "renewal_notice": the one "signal again?" e-mail
      when the signal expired (pending -> sending -> sent); GSI2 DUE#<day it closed> / RENEWAL#<yk>#<id>
      only while unsent, so a failed e-mail is retried by the next run. Destroyed with its signal.
- JOB#<expire|purge> / LAST_RUN                   entity "job": last_day, the last completed run (only
      moves forward); a run reads the due days from the day after it (at least the last 14 days).
- YOUTH#<yk> / YOUTH also holds municipality and moved_on after a BRP move notification.

National link (the national index has its own table, adapters/dynamo/national_store.py):
- YOUTH#<yk> / PARENTS also holds national_parent_keys (HMAC(national key, "vi-national-parent-v1:" +
      parent BSN)), published with each activation for family matches across regions.
- YOUTH#<yk> / MATCH#<signal_id>#<match_id> with other_region set: a match with a signal of another
      region; only this side exists here (other_youth_key is the own youth key), with the other party's card.
- REMOTE#<other_region>#<other_signal_id> / MATCH#<match_id>   entity "remote_match_ref": where this
      region's side of a match with that remote signal is (youth_key, signal_id), so the side can be
      forgotten when the remote signal is destroyed. Written and deleted with the side.
- MOVE#<notice_id> / MOVE                           entity "move_notice" (adapters/dynamo/move_notice_store.py).

Reconciliation (adapters/dynamo/work_store.py): work the stream drives carries its own state on the
item that asks for it, in the sparse GSI3, only while it is outstanding:
- a signal not yet matched (match_pending) or not yet published nationally (publish_pending):
      GSI3 WORK#signal / <placed_at>#<yk>#<signal_id>, written with the signal, removed when done;
- a notification not yet delivered: GSI3 WORK#delivery / <created_at>#<yk>#<notification_id>, written
      with the notification, removed in the write that marks it sent (or bounced);
- in a linked region, closing a signal (ended, expired, objection, covered) sets publish_pending again:
      GSI3 WORK#signal / <closed at>#<yk>#<signal_id>, until its removal is published;
- PUBLISH#<signal_id> / REMOVAL   entity "national_removal", in a linked region only: a destroyed
      signal's tombstone (national_key, signal_id, active_until; no contact, no regional pseudonym),
      written in the transaction that destroys the signal, GSI3 WORK#removal / <destroyed at>#<signal_id>,
      deleted once its removal is published;
- work the sweeper gave up on after its attempts moves to GSI3PK STUCK#<kind> for the operator.

Registry of undeliverable addresses (adapters/dynamo/address_store.py):
- UNDELIVERABLE#<sha256(lower-cased address)> / ADDRESS   entity "undeliverable_address": the address
      bounced for good or complained (reason, since); no e-mail goes to it until the professional is
      registered again (registering deletes it in the same transaction). From the first e-mail held
      back because of it: GSI3 STUCK#address / <first held back, UTC>#<hash> (the operator's list),
      sweep_attempts = e-mails held back.
"""

from __future__ import annotations

from datetime import date

from verwijsindex.domain.audit import AuditSubject, SubjectKind, address_digest

PK = "PK"
SK = "SK"
GSI1 = "GSI1"
GSI1PK = "GSI1PK"
GSI1SK = "GSI1SK"
GSI2 = "GSI2"
GSI2PK = "GSI2PK"
GSI2SK = "GSI2SK"
GSI3 = "GSI3"
GSI3PK = "GSI3PK"
GSI3SK = "GSI3SK"
TTL = "ttl"
ENTITY = "entity"


class Key:
    """One kind of key: its prefix, then its parts, joined by "#", a day as yyyy-mm-dd.

    `Key("MATCH")(signal_id, match_id)` is MATCH#<signal_id>#<match_id>; without a prefix the parts
    stand alone (an index sort key that orders by the day it starts with). Every key of the tables
    is built by one, here or beside the one store that uses it, so no key is spelt twice."""

    def __init__(self, prefix: str = "") -> None:
        self.start = f"{prefix}#" if prefix else ""  # what every key of this kind begins with

    def __call__(self, *parts: str | date) -> str:
        return self.start + "#".join(part.isoformat() if isinstance(part, date) else part for part in parts)


youth_pk = Key("YOUTH")  # <youth_key>
signal_sk = Key("SIGNAL")  # <signal_id>
# <org_id>#<professional_id>: one active signal per professional per youth, the guard makes the race impossible.
guard_sk = Key("ACTIVE")
YOUTH_SK = "YOUTH"

org_pk = Key("ORG")  # <org_id>
ORG_SK = "ORG"
ORGS_INDEX_PK = "ORGS"
professional_sk = Key("PRO")  # <user_id>
client_pk = Key("CLIENT")  # <client_id>
due_pk = Key("DUE")  # <day>

# --- matching ----------------------------------------------------------------------

PARENTS_SK = "PARENTS"
parent_pk = Key("PARENT")  # <parent_key>
child_sk = Key("CHILD")  # <youth_key>
# <signal_id>#<match_id> in the youth partition; <match_id> alone on GSI1.
match_sk = Key("MATCH")
match_index_sk = match_sk
notification_sk = Key("NOTE")  # <match_id>#<signal_id>#<event tag>


def matches_of_signal_prefix(signal_id: str) -> str:
    return match_sk(signal_id, "")


# --- rights of families ----------------------------------------------------------

RIGHTS_SK = "RIGHTS"
RIGHTS_INDEX_PK = "RIGHTS"
rights_pk = Key("RIGHTS")  # <request_id>
rights_status_pk = Key("RIGHTS")  # <status>
rights_index_sk = Key()  # <deadline>#<request_id>

# --- national link ------------------------------------------------------------------

remote_ref_pk = Key("REMOTE")  # <region>#<signal_id>

# --- reconciliation ---------------------------------------------------------------------------

work_pk = Key("WORK")  # <kind>
stuck_pk = Key("STUCK")  # <kind>
removal_pk = Key("PUBLISH")  # <signal_id>

# --- undeliverable addresses (SES bounces and complaints) --------------------------------------

UNDELIVERABLE_SK = "ADDRESS"
_undeliverable = Key("UNDELIVERABLE")


def undeliverable_pk(email: str) -> str:
    """Keyed by a hash of the lower-cased address: the key itself names nobody."""
    return _undeliverable(address_digest(email))


# --- the audit table -----------------------------------------------------------------------------
# PK = the subject's partition (the youth's and the organisation's as in the main table, ACTOR#<actor>,
# MOVE#<notice_id>, UNDELIVERABLE#<address digest>), SK = <at>#<entry_id>; GSI1 = actor / at.

move_notice_pk = Key("MOVE")  # <notice_id>

_AUDIT_KEYS: dict[SubjectKind, Key] = {
    SubjectKind.YOUTH: youth_pk,
    SubjectKind.ORGANISATION: org_pk,
    SubjectKind.ACTOR: Key("ACTOR"),
    SubjectKind.MOVE_NOTICE: move_notice_pk,
    SubjectKind.ADDRESS: _undeliverable,
}


def audit_subject_pk(subject: AuditSubject) -> str:
    return _AUDIT_KEYS[subject.kind](subject.id)


def audit_subject_of(pk: str) -> AuditSubject:
    """The subject an audit partition key names (the inverse of `audit_subject_pk`)."""
    for kind, key in _AUDIT_KEYS.items():
        if pk.startswith(key.start):
            return AuditSubject(kind=kind, id=pk.removeprefix(key.start))
    raise ValueError("not an audit subject partition")


# --- access (refusals, offboarding) ------------------------------------------------------------
# - REFUSALS#<actor> / DAY#<yyyy-mm-dd>   entity "refusal_count": refused placements of one caller
#       (Cognito sub or client id) on one Dutch day; TTL two days later.
# - HANDOVER#<org_id>#<user_id> / HANDOVER  entity "handover": a deactivated professional's active
#       signals wait for a colleague; GSI1PK = HANDOVERS, GSI1SK = <due day>#<org_id>#<user_id>.

refusals_pk = Key("REFUSALS")
refusals_sk = Key("DAY")
HANDOVER_SK = "HANDOVER"
HANDOVERS_INDEX_PK = "HANDOVERS"
handover_pk = Key("HANDOVER")
handover_index_sk = Key()
