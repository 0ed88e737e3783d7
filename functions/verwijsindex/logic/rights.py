"""Rights of families through the municipality: requests and the operator's decisions on them.

Only the region's operator acts here. A request stores the youth's pseudonym, never the BSN:
granting an inzage, kopie, correctie or bezwaar needs the BSN again in the decision (checked
against the stored pseudonym), because the dossier and the BRP refresh are produced from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from aws_lambda_powertools import Logger

from verwijsindex.domain.audit import AuditAction, AuditEntry
from verwijsindex.domain.birth_dates import possible_ages
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.errors import Conflict, NotFound, Unprocessable
from verwijsindex.domain.models import CloseReason, Signal, SignalStatus, Youth
from verwijsindex.domain.periods import birthday
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.domain.statistics import Counter, Dimensions, Tally, rights_counter, tally
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.closing import close_now
from verwijsindex.logic.dossier import assemble_dossier, organisations_named
from verwijsindex.logic.dossier_document import render_dossier
from verwijsindex.logic.emails.objection import objection_email
from verwijsindex.logic.outgoing_mail import AddressUndeliverable
from verwijsindex.logic.rights_schemas import (
    RIGHTS_PERIOD_DAYS,
    CorrectionOutcome,
    CreateRightsRequest,
    DecisionOutcome,
    DecisionRequest,
    DecisionResponse,
    Dossier,
    RefreshOutcome,
    RequestedBy,
    RightsKind,
    RightsRequest,
    RightsRequestPage,
    RightsRequestView,
    RightsStatus,
    SignalCorrection,
    SignalOutcome,
)
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.mail import Mailer, MailerError
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.person_registry import PersonRegistry
from verwijsindex.ports.pseudonyms import Pseudonyms
from verwijsindex.ports.registry import OrganisationRegistry
from verwijsindex.ports.rights import RightsStore
from verwijsindex.ports.signals import SignalStore
from verwijsindex.ports.youth_partitions import YouthPartitions

logger = Logger(child=True)


def deadline_for(received_on: date) -> date:
    """Answered within 4 weeks of receipt."""
    return received_on + timedelta(days=RIGHTS_PERIOD_DAYS)


def who_may_ask_between(youngest: int, oldest: int) -> RequestedBy:
    """Under 12 the parents; 12 to 16 parents and youth together; from 16 the youth alone. With a
    partly unknown birth date the youth's age is a range: the parents while the youth may be under
    16, the youth once it may be 12 (domain/birth_dates.py); both together where the range crosses either."""
    return {
        (True, False): RequestedBy.PARENTS,
        (True, True): RequestedBy.BOTH,
        (False, True): RequestedBy.YOUTH,
    }[(youngest < 16, oldest >= 12)]


_ASKER_WORDS = {
    RequestedBy.PARENTS: "the parents",
    RequestedBy.BOTH: "the parents and the youth together",
    RequestedBy.YOUTH: "the youth alone",
}


@dataclass
class RightsService(Stamping):
    rights: RightsStore
    signals: SignalStore
    matches: MatchStore
    partitions: YouthPartitions
    registry: OrganisationRegistry
    audit: AuditLog
    persons: PersonRegistry
    pseudonyms: Pseudonyms
    settings: RegionSettings
    mailer: Mailer
    clock: Clock
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    # A linked region shares each active signal with the national index: the dossier says so.
    national_link: bool = False

    def _today(self) -> date:
        return dutch_day(self.clock.now())

    # --- requests ----------------------------------------------------------------------------

    def create(self, caller: Caller, body: CreateRightsRequest) -> RightsRequestView:
        require_operator(caller)
        today = self._today()
        if body.received_on > today:
            raise Unprocessable("received_on lies in the future", field="received_on")
        youth = self._lookup(body.bsn)
        if body.received_on < youth.birth_date:
            raise Unprocessable("received_on lies before the youth's birth date", field="received_on")
        youngest, oldest = possible_ages(youth.birth_date, youth.birth_date_precision, body.received_on)
        allowed = who_may_ask_between(youngest, oldest)
        age = str(oldest) if youngest == oldest else f"{youngest} or {oldest}"
        if body.requested_by is not allowed:
            raise Unprocessable(
                f"the youth was {age} on received_on: {_ASKER_WORDS[allowed]} may ask (requested_by "
                f"'{allowed.value}'), not '{body.requested_by.value}'",
                field="requested_by",
            )
        request = RightsRequest(
            request_id=self.new_id(),
            kind=body.kind,
            youth_key=self.pseudonyms.regional(body.bsn),
            requested_by=body.requested_by,
            received_on=body.received_on,
            deadline=deadline_for(body.received_on),
            details=body.details,
            created_at=self.clock.now(),
            created_by=caller.subject,
        )
        entry = self._entry(caller, AuditAction.RIGHTS_REQUEST_RECEIVED, request, detail=request.kind.value)
        self.rights.create(request, entry)
        return RightsRequestView.of(request, today)

    def get(self, caller: Caller, request_id: str) -> RightsRequestView:
        require_operator(caller)
        request = self._request(request_id)
        self.audit.record(self._entry(caller, AuditAction.RIGHTS_REQUEST_READ, request))
        return RightsRequestView.of(request, self._today())

    def list_requests(
        self, caller: Caller, status: RightsStatus | None, overdue: bool, limit: int, cursor: str | None
    ) -> RightsRequestPage:
        require_operator(caller)
        today = self._today()
        requests, next_cursor = self.rights.page(
            status=status, overdue_on=today if overdue else None, limit=limit, cursor=cursor
        )
        return RightsRequestPage(items=[RightsRequestView.of(r, today) for r in requests], next_cursor=next_cursor)

    # --- decisions ---------------------------------------------------------------------------

    def decide(self, caller: Caller, request_id: str, body: DecisionRequest) -> DecisionOutcome:
        require_operator(caller)
        request = self._request(request_id)
        if request.status is not RightsStatus.OPEN:
            raise Conflict("this request has already been decided")
        decided = request.model_copy(
            update={"decided_at": self.clock.now(), "decided_by": caller.subject, "reason": body.reason}
        )
        if body.outcome == "refused":
            if body.reason is None:
                raise Unprocessable("a refusal needs a reason", field="reason")
            decided = decided.model_copy(update={"status": RightsStatus.REFUSED})
            self.rights.decide(
                decided, [self._entry(caller, AuditAction.RIGHTS_REQUEST_REFUSED, decided)], self._counted(request)
            )
            return DecisionOutcome(response=DecisionResponse(request=RightsRequestView.of(decided, self._today())))

        if body.bsn is None or self.pseudonyms.regional(body.bsn) != request.youth_key:
            raise Unprocessable("give the BSN of this request to grant it", field="bsn")
        if body.corrections and request.kind is not RightsKind.CORRECTIE:
            raise Unprocessable("corrections belong to a correctie request", field="corrections")
        if body.objections and request.kind is not RightsKind.BEZWAAR:
            raise Unprocessable("objections belong to a bezwaar request", field="objections")
        youth = self._lookup(body.bsn)
        decided = decided.model_copy(update={"status": RightsStatus.GRANTED})
        entries = [self._entry(caller, AuditAction.RIGHTS_REQUEST_GRANTED, decided)]
        response = DecisionResponse(request=RightsRequestView.of(decided, self._today()))

        if request.kind in (RightsKind.INZAGE, RightsKind.KOPIE):
            dossier = self._dossier(request, youth)
            entries.append(self._entry(caller, AuditAction.DOSSIER_ISSUED, decided, detail=request.kind.value))
            self.rights.decide(decided, entries, self._counted(request))
            response = response.model_copy(update={"dossier": dossier})
            wanted = body.format or ("html" if request.kind is RightsKind.KOPIE else "json")
            if wanted == "html":
                return DecisionOutcome(
                    response=response, html=render_dossier(dossier), attachment=request.kind is RightsKind.KOPIE
                )
            return DecisionOutcome(response=response)
        if request.kind is RightsKind.CORRECTIE:
            refreshed = self._refresh(caller, request, youth)
            corrections = [c for correction in body.corrections for c in self._correct(caller, request, correction)]
            self.rights.decide(decided, entries, self._counted(request))
            return DecisionOutcome(
                response=response.model_copy(update={"refreshed": refreshed, "corrections": corrections})
            )
        outcomes = self._uphold_objection(caller, request, youth, body)
        self.rights.decide(decided, entries, self._counted(request))
        return DecisionOutcome(response=response.model_copy(update={"signals": outcomes}))

    def _counted(self, request: RightsRequest) -> list[Tally]:
        """The decision in the statistics: by kind, and whether it came by the deadline. A request
        is counted for the region as a whole (no organisation; the youth is not looked up again)."""
        today = self._today()
        return [tally(today, Dimensions(), rights_counter(request.kind.value, in_time=today <= request.deadline))]

    # --- inzage / kopie ----------------------------------------------------------------------

    def _dossier(self, request: RightsRequest, youth: Youth) -> Dossier:
        view = self.partitions.read(request.youth_key)
        return assemble_dossier(
            request_id=request.request_id,
            produced_on=self._today(),
            youth=youth,
            signals=view.signals,
            sides=view.sides,
            # Every organisation the dossier names, in one BatchGetItem (per 100).
            organisations=self.registry.organisations(organisations_named(view.signals, view.sides)),
            national_link=self.national_link,
        )

    # --- correctie ---------------------------------------------------------------------------

    def _refresh(self, caller: Caller, request: RightsRequest, youth: Youth) -> RefreshOutcome:
        """BRP data is corrected at the source: the index holds only the 23rd birthday from it."""
        signals = self.signals.youth_signals(request.youth_key)
        now = birthday(youth.birth_date, self.settings.age_limit_years)
        before = signals[0].destroy_on if signals else None
        changed = any(s.destroy_on != now for s in signals)
        detail = "no change" if not changed else f"destroy_on {before} -> {now}"
        entry = self._entry(caller, AuditAction.YOUTH_REFRESHED, request, detail=detail)
        if changed:
            self.rights.set_destroy_on(request.youth_key, [s.signal_id for s in signals], now, entry)
        else:
            self.audit.record(entry)
        return RefreshOutcome(destroy_on_before=before, destroy_on_now=now, changed=changed)

    def _correct(self, caller: Caller, request: RightsRequest, correction: SignalCorrection) -> list[CorrectionOutcome]:
        signal = self._signal_of(request, correction.signal_id)
        if correction.org_id is None and correction.professional is None:
            raise Unprocessable("a correction names org_id or professional", field="corrections")
        new = signal
        outcomes: list[CorrectionOutcome] = []
        if correction.org_id is not None and correction.org_id != signal.org_id:
            if self.registry.get_organisation(correction.org_id) is None:
                raise Unprocessable("no such organisation in this region", field="corrections.org_id")
            new = new.model_copy(update={"org_id": correction.org_id})
            outcomes.append(
                CorrectionOutcome(
                    signal_id=signal.signal_id, attribute="organisation", old=signal.org_id, new=correction.org_id
                )
            )
        if correction.professional is not None and correction.professional != signal.professional:
            new = new.model_copy(
                update={
                    "professional": correction.professional,
                    "professional_id": str(correction.professional.email).lower(),
                }
            )
            old_pro, new_pro = signal.professional, correction.professional
            outcomes.append(
                CorrectionOutcome(
                    signal_id=signal.signal_id,
                    attribute="professional",
                    old=f"{old_pro.name} <{old_pro.email}> {old_pro.phone}",
                    new=f"{new_pro.name} <{new_pro.email}> {new_pro.phone}",
                )
            )
        if not outcomes:
            return []
        entries: list[AuditEntry] = [
            self._stamp.on_signal(
                caller,
                AuditAction.SIGNAL_CORRECTED,
                signal,
                org_id=new.org_id,
                detail=f"{o.attribute}: {o.old} -> {o.new}"[:200],
            )
            for o in outcomes
        ]
        # The signal, its guard and every match side naming its organisation change together.
        sides = self.matches.sides_of_signal(signal.youth_key, signal.signal_id) if new.org_id != signal.org_id else []
        self.rights.correct_signal(signal, new, entries, sides)
        return outcomes

    # --- bezwaar -----------------------------------------------------------------------------

    def _uphold_objection(
        self, caller: Caller, request: RightsRequest, youth: Youth, body: DecisionRequest
    ) -> list[SignalOutcome]:
        today = self._today()
        signals = {s.signal_id: s for s in self.signals.youth_signals(request.youth_key)}
        judgements = {j.signal_id: j.unjustified for j in body.objections} or dict.fromkeys(signals, False)
        unknown = [signal_id for signal_id in judgements if signal_id not in signals]
        if unknown:
            raise Unprocessable("an objection names a signal that is not on this youth", field="objections")
        too_old = today >= birthday(youth.birth_date, self.settings.age_limit_years)
        deceased = youth.death_date is not None and youth.death_date <= today
        outcomes: list[SignalOutcome] = []
        for signal_id, unjustified in judgements.items():
            signal = signals[signal_id]
            if unjustified or too_old or deceased:
                why = "unjustified" if unjustified else ("youth 23 or over" if too_old else "youth deceased")
                entry = self._stamp.on_signal(
                    caller,
                    AuditAction.SIGNAL_DESTROYED,
                    signal,
                    detail=f"objection upheld ({why}); request {request.request_id}",
                )
                self.matches.forget_signal(signal.youth_key, signal_id)
                self.signals.destroy(signal, entry, [tally(today, signal.dimensions, Counter.DESTROYED_OBJECTION)])
                outcomes.append(self._notify(caller, signal, destroyed=True))
            elif signal.is_active:
                entry = self._stamp.on_signal(
                    caller,
                    AuditAction.SIGNAL_CLOSED,
                    signal,
                    detail=f"objection upheld; request {request.request_id}",
                )
                close_now(self.signals, self.settings, signal, on=today, reason=CloseReason.OBJECTION, audit=entry)
                outcomes.append(self._notify(caller, signal, destroyed=False))
            else:  # already closed and justified: it stays closed history
                outcomes.append(SignalOutcome(signal_id=signal_id, status=signal.status, professional_notified=False))
        return outcomes

    def _notify(self, caller: Caller, signal: Signal, *, destroyed: bool) -> SignalOutcome:
        status = SignalStatus.DESTROYED if destroyed else SignalStatus.CLOSED
        try:
            self.mailer.send(objection_email(signal, destroyed))
        except AddressUndeliverable:
            # Not sent (and so not "notified"): the record says why; the operator's list shows the address.
            self.audit.record(
                self._stamp.on_signal(
                    caller,
                    AuditAction.EMAIL_HELD_BACK,
                    signal,
                    detail=f"objection e-mail ({status.value}): the professional's address is undeliverable",
                )
            )
            return SignalOutcome(signal_id=signal.signal_id, status=status, professional_notified=False)
        except MailerError as error:
            logger.warning("objection e-mail not sent", extra={"reason": error.reason})
            return SignalOutcome(signal_id=signal.signal_id, status=status, professional_notified=False)
        self.audit.record(self._stamp.on_signal(caller, AuditAction.OBJECTION_NOTIFIED, signal, detail=status.value))
        return SignalOutcome(signal_id=signal.signal_id, status=status, professional_notified=True)

    # --- the dossier again ---------------------------------------------------------------------

    def dossier(self, caller: Caller, request_id: str, bsn: str) -> Dossier:
        """The dossier of a granted inzage or kopie, produced again (to print or to download): the
        index keeps no dossier, so the BSN is given again, checked against the request, and every
        issue is audited like the first."""
        require_operator(caller)
        request = self._request(request_id)
        if request.kind not in (RightsKind.INZAGE, RightsKind.KOPIE) or request.status is not RightsStatus.GRANTED:
            raise Conflict("only a granted inzage or kopie request has a dossier")
        if self.pseudonyms.regional(bsn) != request.youth_key:
            raise Unprocessable("give the BSN of this request", field="bsn")
        dossier = self._dossier(request, self._lookup(bsn))
        again = f"{request.kind.value} again"
        self.audit.record(self._entry(caller, AuditAction.DOSSIER_ISSUED, request, detail=again))
        return dossier

    # --- helpers -----------------------------------------------------------------------------

    def _lookup(self, bsn: str) -> Youth:
        youth = self.persons.lookup(bsn)
        if youth is None:
            raise Unprocessable("the person registry (BRP) knows no person with this BSN", field="bsn")
        return youth

    def _request(self, request_id: str) -> RightsRequest:
        request = self.rights.get(request_id)
        if request is None:
            raise NotFound("no such rights request")
        return request

    def _signal_of(self, request: RightsRequest, signal_id: str) -> Signal:
        signal = next((s for s in self.signals.youth_signals(request.youth_key) if s.signal_id == signal_id), None)
        if signal is None:
            raise Unprocessable("a correction names a signal that is not on this youth", field="corrections")
        return signal

    def _entry(
        self, caller: Caller, action: AuditAction, request: RightsRequest, *, detail: str | None = None
    ) -> AuditEntry:
        return self._stamp.on_request(caller, action, request, detail=detail)
