# ruff: noqa: E501 - one line of prose per field reads better here
"""Descriptions and examples the OpenAPI documents give a field or parameter whose model says nothing.

The same names mean the same thing in every model (a `signal_id` is always a signal's id), so they
are described once here; a description in the model itself wins. Keys are a field name, or
`Schema.field` where one schema uses a name differently. A test fails when a field or parameter has
no description, and when an example does not fit its schema.
"""

from __future__ import annotations

from typing import Any

SIGNAL_ID = "01a22c25-c57b-791d-a55d-1e83d615cfc5"
MATCH_ID = "5e0d3c1e-7a4b-5c2d-9e8f-1a2b3c4d5e6f"
REQUEST_ID = "2f6c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
# A BSN from the test range (9999xxxxx): Lotte de Vries of the local run's sample families.
BSN = "999990196"

DESCRIPTIONS: dict[str, str] = {
    # identities
    "bsn": "The youth's citizen service number (BSN): 9 digits passing the elfproef. Never stored, never echoed.",
    "signal_id": "The id of a signal.",
    "MatchView.signal_id": "Your signal in this match.",
    "Party.signal_id": "The other party's signal.",
    "Coordinator.signal_id": "The signal of the professional named coordinator.",
    "match_id": "The id of a match: the same for both parties.",
    "request_id": "The id of a rights request.",
    "org_id": "The organisation's id in the region's register (lower case letters, digits and dashes).",
    "organisation": "The organisation's name.",
    "user_id": "The Cognito `sub` of the professional's account.",
    "machine_clients": "The OAuth2 client ids of the organisation's case systems; each may belong to one organisation.",
    # offboarding
    "deactivated_on": "The day the professional was deactivated.",
    "due_on": "After this day the handover is overdue (the region's handover period).",
    "HandoverView.overdue": "Past the region's handover period without a colleague named.",
    "signal_ids": "The ids of the professional's active signals at deactivation.",
    "HandoverList.items": "The handovers waiting, the earliest due first.",
    "Professional.status": "active, or deactivated (left the organisation: no access, account disabled).",
    # people and contact
    "name": "A name, as people read it.",
    "email": "An e-mail address.",
    "phone": "A phone number.",
    "professional": "The professional involved: name, e-mail and phone, as another professional reaches them.",
    "contact": "The professional's contact details.",
    "client_reference": "The case system's own client reference; e-mails name it instead of the youth.",
    # signals
    "status": "The current status.",
    "active_from": "The first day the signal is active.",
    "active_until": "The last day the signal is active (at most 2 years after `active_from`).",
    "closed_on": "The day the signal was closed; null while active.",
    "close_reason": "Why the signal was closed.",
    "destroy_on": "The day everything about the signal is destroyed.",
    "placed_at": "When the signal was placed.",
    "items": "The entries of this page or list.",
    "next_cursor": "Pass as `cursor` for the next page; absent or null on the last page. Opaque: it reveals nothing.",
    # matches
    "other": "The other party: organisation and professional.",
    "coordinator": "The regievoerder, once named; null before.",
    "created_at": "When it was made.",
    "coordinated_at": "When the match was marked afgestemd; null before.",
    "other_organisation": "The other organisation of the match; null for a family match (nothing of the sibling is shown).",
    "other_signal_id": "The other party's signal; null for a family match.",
    # rights and audit
    "kind": "What kind it is.",
    "requested_by": "Who asked: the parents, the youth, or both together.",
    "received_on": "The day the municipality received the written request.",
    "deadline": "The day the answer is due: `received_on` plus 4 weeks.",
    "overdue": "The request is open and past its deadline.",
    "details": "Free text the municipality recorded with the request.",
    "decided_at": "When the request was decided; null while open.",
    "decided_by": "Who decided the request; null while open.",
    "reason": "Why; required when a request is refused.",
    "outcome": "The decision: granted or refused.",
    "corrections": "The corrections made, each with the old and the new value.",
    "request": "The rights request, as decided.",
    "dossier": "What the index holds on the youth, for inzage and kopie; null otherwise.",
    "signals": "The signals concerned, with what happened to each.",
    "refreshed": "What the BRP refresh changed (correctie); null otherwise.",
    "produced_on": "The day the dossier was produced.",
    "purpose": "Why the index keeps these data.",
    "person": "The youth as the BRP knows them, fetched for this dossier only.",
    "matches": "Every match of the youth's signals.",
    "recipients": "The organisations that received data on the youth, and how.",
    "sources": "Where each kind of data comes from.",
    "data": "Which data.",
    "source": "Where they come from.",
    "via": "How the organisation received the data.",
    "birth_date": "Date of birth.",
    "birth_date_precision": "How much of the date of birth the BRP knows (day, month, year, or nothing).",
    "sex": "Sex as the BRP records it.",
    "address": "The address in the BRP.",
    "death_date": "Date of death; null when alive.",
    "street": "Street name.",
    "house_number": "House number with any addition.",
    "postcode": "Postcode.",
    "city": "Place of residence.",
    "municipality_code": "CBS code of the municipality (4 digits).",
    "attribute": "What was corrected.",
    "old": "The value before.",
    "new": "The value after.",
    "destroy_on_before": "The destruction day before the BRP refresh.",
    "destroy_on_now": "The destruction day after it.",
    "changed": "Whether the refresh changed anything.",
    "professional_notified": "Whether the professional was e-mailed about it.",
    "at": "When it happened.",
    "actor": "Who did it: a Cognito sub or a case-system client id.",
    "actor_org": "The actor's organisation, if any.",
    "action": "What was done.",
    "subject": "Whom it concerns: the youth's pseudonym (never a BSN), or ORG#/ACTOR# for other looks.",
    "target": "The item acted on, such as a signal id.",
    "detail": "More about the action, never personal data.",
    "date": "The day of the event.",
    "Informed.status": "yes: the professional informed the family; later: they will.",
    "Informed.on": "The day the professional confirmed it.",
    "signalling_profile": "When the organisation's professionals signal (its signalling profile), shown on the portal's signal form.",
    "BrpNotificationAccepted.status": "Always `processed`: the answer says nothing about whether the index holds the person.",
    # query parameters and headers
    "limit": "At most this many items in one page.",
    "cursor": "The `next_cursor` of the previous page; omit for the first page.",
    "listRightsRequests.overdue": "Only open requests past their deadline.",
    "idempotency-key": "Your own unique key for this request: a retry with the same key and body answers the first response again (24 hours).",
    "listRightsRequests.status": "Only requests with this status.",
    "getAuditTrail.bsn": "The youth whose trail to read (give this or `actor`).",
    "getAuditTrail.actor": "The actor whose actions to read (give this or `bsn`).",
    "getStatistics.from": "The first month of the period (YYYY-MM); by default eleven months before `to`.",
    "getStatistics.to": "The last month of the period (YYYY-MM); by default this month.",
    "getStatistics.by": "Group the rows per month, municipality, organisation or age band.",
    "getStatistics.scope": "region (the default): this region's counters; national: the country's totals per month, as the national index last sent them.",
    "getStatistics.format": "csv for a CSV download (as `Accept: text/csv`); json (the default) otherwise.",
}

ENUM_DESCRIPTIONS: dict[str, str] = {
    "CloseReason": "ended: involvement ended, history kept; unjustified: withdrawn and destroyed; expired: the "
    "active period ended; objection: closed after an upheld objection.",
    "InformParty": "Whom the professional informs: the parents, the youth, or both.",
    "MatchKind": "client: another signal on the same youth; family: on a brother or sister (gezinsmatch).",
    "MatchStatus": "open, or coordinated (afgestemd).",
    "OrganisationStatus": "active organisations may signal; suspended ones may not.",
    "RequestedBy": "Who asked: the parents, the youth, or both together.",
    "RightsKind": "inzage (access), kopie (copy), correctie (correction) or bezwaar (objection).",
    "RightsStatus": "open, granted or refused.",
    "SignalStatus": "active, closed (history) or withdrawn.",
    "InformedStatus": "yes: informed; later: will inform.",
    "Counter": "What is counted: placed; closed_ended, closed_objection, expired; destroyed_<reason>; "
    "match_client, match_family and those with another region; coordinated; rights_<kind>_in_time or _late.",
    "Grouping": "month, municipality, organisation or age_band.",
    "Scope": "region: this region's counters; national: the country's totals.",
    "BirthDatePrecision": "How much of a date the BRP knows: the day, only the month, only the year, or nothing.",
}

EXAMPLES: dict[str, Any] = {
    "bsn": BSN,
    "signal_id": SIGNAL_ID,
    "match_id": MATCH_ID,
    "request_id": REQUEST_ID,
    "org_id": "jeugdteam-noord",
    "organisation": "Jeugdteam Noord",
    "user_id": "pro-noord",
    "name": "Sanne Smit",
    "Organisation.name": "Jeugdteam Noord",
    "OrganisationRequest.name": "Jeugdteam Noord",
    "email": "sanne.smit@jeugdteam-noord.example.org",
    "phone": "+31 50 123 4567",
    "client_reference": "JTN-2026-0042",
    "active_from": "2026-11-23",
    "active_until": "2028-11-23",
    "received_on": "2026-11-20",
    "municipality": "0014",
    "limit": 25,
}
