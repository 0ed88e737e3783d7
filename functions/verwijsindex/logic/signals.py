"""Placing, reading and closing signals (DESIGN.md section 2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from verwijsindex.domain.audit import AuditAction
from verwijsindex.domain.birth_dates import BirthDatePrecision, possible_ages, precision_words, whom_to_inform_between
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock, dutch_day
from verwijsindex.domain.errors import Conflict, NotFound, TooManyRequests, Unprocessable
from verwijsindex.domain.ids import time_ordered_id
from verwijsindex.domain.models import CloseReason, Informed, RecordSuspension, Signal, SignalStatus, Youth
from verwijsindex.domain.periods import birthday, years_later
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.domain.statistics import UNKNOWN, Counter, age_band, tally
from verwijsindex.logic import access, schemas
from verwijsindex.logic.access import Actor
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.closing import close_now
from verwijsindex.ports.audit import AuditLog
from verwijsindex.ports.families import FamilyStore
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.person_registry import ChangeFeed, PersonRegistry
from verwijsindex.ports.pseudonyms import Pseudonyms
from verwijsindex.ports.refusals import RefusalStore
from verwijsindex.ports.registry import OrganisationRegistry
from verwijsindex.ports.signals import Placement, SignalStore

# "My signals" filters the organisation's pages; this bounds the reads for one page of them.
MINE_EXTRA_PAGES = 4


@dataclass
class SignalService(Stamping):
    signals: SignalStore
    registry: OrganisationRegistry
    audit: AuditLog
    persons: PersonRegistry
    pseudonyms: Pseudonyms
    settings: RegionSettings
    clock: Clock
    # Records the youth's BRP parents as pseudonyms with each new signal (family matches).
    family: FamilyStore
    # A destroyed signal takes its matches and their notifications with it.
    matches: MatchStore
    # Refused placements per caller per day (audited under the youth's pseudonym).
    refusals: RefusalStore
    # The BRP Update API: a youth's first signal follows its BSN until its 23rd birthday, so the
    # change poller hears of its death or move. None: the region has no Update API (a bridge
    # posts to /brp/notifications instead).
    follow: ChangeFeed | None = None
    # Ids sort by placement, so an organisation's list reads newest first from its index.
    new_id: Callable[[datetime], str] = time_ordered_id

    def place(self, actor: Actor, request: schemas.PlaceSignalRequest) -> schemas.PlacementOutcome:
        who = access.signaller(actor, request.professional)
        caller = actor.caller
        today = dutch_day(self.clock.now())
        # Before the BRP is asked: past the limit a caller learns nothing more about any BSN today.
        if self.refusals.count(caller.subject, today) >= self.settings.refusals_per_day:
            raise TooManyRequests("too many refused placements today; try again tomorrow")
        youth = self.persons.lookup(request.bsn)
        refusal = placement_refusal(youth, request.birth_date, today, self.settings)
        if refusal is not None:
            reason, message, fields = refusal
            self.refusals.record(
                caller.subject,
                today,
                self._stamp.on_youth(
                    caller,
                    AuditAction.SIGNAL_REFUSED,
                    self.pseudonyms.regional(request.bsn),
                    org_id=actor.org_id,
                    detail=reason,
                ),
            )
            raise Unprocessable(message, field=fields[0] if len(fields) == 1 else None, fields=fields)
        assert youth is not None
        age_limit_day = birthday(youth.birth_date, self.settings.age_limit_years)
        last_allowed = years_later(today, self.settings.active_period_years)
        active_until = request.active_until or last_allowed
        if active_until < today:
            raise Unprocessable("active_until lies in the past", field="active_until")
        if active_until > last_allowed:
            raise Unprocessable(
                f"a signal is active at most {self.settings.active_period_years} years: "
                f"active_until may be {last_allowed.isoformat()} at the latest",
                field="active_until",
            )
        inform = whom_to_inform_between(*possible_ages(youth.birth_date, youth.birth_date_precision, today))
        youth_key = self.pseudonyms.regional(request.bsn)

        def outcome(signal: Signal, created: bool) -> schemas.PlacementOutcome:
            return schemas.PlacementOutcome(
                created=created,
                response=schemas.PlacementResponse(
                    signal_id=signal.signal_id,
                    status=signal.status,
                    active_from=signal.active_from,
                    active_until=signal.active_until,
                    inform=inform,
                ),
            )

        existing = self._active_signal_of(youth_key, who.organisation.org_id, who.professional_id)
        if existing is None:
            if self.follow is not None and not self.signals.holds_youth(youth_key):
                # Before anything is stored: a BRP that cannot be reached fails the placement (503)
                # rather than leaving a youth the index would never hear of again.
                self.follow.follow(request.bsn, until=age_limit_day)
            signal = Signal(
                signal_id=self.new_id(self.clock.now()),
                youth_key=youth_key,
                national_key=self.pseudonyms.national(request.bsn),
                org_id=who.organisation.org_id,
                professional_id=who.professional_id,
                professional=who.contact,
                client_reference=request.client_reference,
                status=SignalStatus.ACTIVE,
                active_from=today,
                active_until=active_until,
                destroy_on=age_limit_day,
                created_at=self.clock.now(),
                municipality=(youth.address.municipality_code if youth.address else "") or UNKNOWN,
                age_band=age_band(youth.birth_date, today).value,
            )
            entry = self._stamp.on_youth(
                caller, AuditAction.SIGNAL_PLACED, youth_key, org_id=signal.org_id, target=signal.signal_id
            )
            links = self.family.parent_links(youth_key, youth.parents)
            counted = [tally(today, signal.dimensions, Counter.PLACED)]
            if self.signals.create(Placement(signal=signal, audit=entry, parents=links, counts=counted)):
                return outcome(signal, created=True)
            # A concurrent request of the same professional won the race: return its signal.
            existing = self._active_signal_of(youth_key, who.organisation.org_id, who.professional_id)
            if existing is None:  # it was closed in between; let the client retry
                raise Unprocessable("the signal changed while placing it; retry", field="bsn")
        self.audit.record(
            self._stamp.on_youth(
                caller, AuditAction.SIGNAL_REPLAYED, youth_key, org_id=existing.org_id, target=existing.signal_id
            )
        )
        return outcome(existing, created=False)

    def replayed(self, actor: Actor, first: schemas.PlacementOutcome) -> schemas.PlacementOutcome:
        """A repeated Idempotency-Key: the first answer, with the signal as it is now; 404 once
        it was destroyed, so a retrying case system never holds a dead id as active."""
        signal = self.signals.get_for_org(actor.org_id, first.response.signal_id)
        if signal is None:
            raise NotFound("no such signal")
        self.audit.record(self._stamp.on_signal(actor.caller, AuditAction.SIGNAL_REPLAYED, signal))
        current = first.response.model_copy(
            update={"status": signal.status, "active_from": signal.active_from, "active_until": signal.active_until}
        )
        return first.model_copy(update={"response": current})

    def _active_signal_of(self, youth_key: str, org_id: str, professional_id: str) -> Signal | None:
        return self.signals.active_signal_of(youth_key, org_id, professional_id)

    def get(self, actor: Actor, signal_id: str) -> schemas.SignalView:
        signal = self._own_signal(actor, signal_id)
        self.audit.record(self._stamp.on_signal(actor.caller, AuditAction.SIGNAL_READ, signal))
        return schemas.SignalView.of(signal)

    def list(self, actor: Actor, limit: int, cursor: str | None) -> schemas.SignalPage:
        signals, next_cursor = self.signals.list_for_org(actor.org_id, limit, cursor)
        # One entry per youth whose signal was shown, so each youth's audit trail is complete;
        # written together in batches of 25, not one request each.
        self.audit.record_many(
            [
                self._stamp.on_signal(actor.caller, AuditAction.SIGNALS_LISTED, signal, org_id=actor.org_id)
                for signal in signals
            ]
        )
        return schemas.SignalPage(items=[schemas.SignalView.of(s) for s in signals], next_cursor=next_cursor)

    def close(self, actor: Actor, signal_id: str, request: schemas.CloseSignalRequest) -> schemas.CloseSignalResponse:
        signal = self._own_signal(actor, signal_id)
        caller = actor.caller
        if request.reason == CloseReason.UNJUSTIFIED.value:
            entry = self._stamp.on_signal(
                caller,
                AuditAction.SIGNAL_DESTROYED,
                signal,
                detail="withdrawn as unjustified",
            )
            # Matches first: if this fails halfway the signal is still there to retry with.
            self.matches.forget_signal(signal.youth_key, signal.signal_id)
            counted = tally(dutch_day(self.clock.now()), signal.dimensions, Counter.DESTROYED_UNJUSTIFIED)
            self.signals.destroy(signal, entry, [counted])
            return schemas.CloseSignalResponse(signal_id=signal.signal_id, status=SignalStatus.DESTROYED)
        if signal.status is SignalStatus.CLOSED:
            return schemas.CloseSignalResponse(signal_id=signal.signal_id, status=signal.status)
        today = dutch_day(self.clock.now())
        entry = self._stamp.on_signal(
            caller,
            AuditAction.SIGNAL_CLOSED,
            signal,
            detail="involvement ended",
        )
        closed = close_now(self.signals, self.settings, signal, on=today, reason=CloseReason.ENDED, audit=entry)
        return schemas.CloseSignalResponse(signal_id=closed.signal_id, status=closed.status)

    def _own_signal(self, actor: Actor, signal_id: str) -> Signal:
        signal = self.signals.get_for_org(actor.org_id, signal_id)
        if signal is None:
            # The same answer whether it does not exist or belongs to another organisation.
            raise NotFound("no such signal")
        return signal

    # --- the portal's overview -------------------------------------------------------------------

    def overview(self, caller: Caller, limit: int, cursor: str | None, *, mine: bool) -> schemas.SignalPage:
        """The organisation's signals, or (`mine`) only those the calling professional placed, with
        the number of matches of each active one; every youth shown is audited as in `list`."""
        organisation = access.organisation_of(caller, self.registry)
        signals, next_cursor = self.signals.list_for_org(organisation.org_id, limit, cursor)
        if mine:
            own = self._own_signals(caller, organisation.org_id)
            # Fill the page from further pages of the organisation, a bounded number of reads.
            signals = [s for s in signals if own(s)]
            for _ in range(MINE_EXTRA_PAGES):
                if len(signals) >= limit or next_cursor is None:
                    break
                more, next_cursor = self.signals.list_for_org(organisation.org_id, limit, next_cursor)
                signals += [s for s in more if own(s)]
        self.audit.record_many(
            [
                self._stamp.on_signal(caller, AuditAction.SIGNALS_LISTED, signal, org_id=organisation.org_id)
                for signal in signals
            ]
        )
        # One COUNT Query per active signal on the page (a portal page holds 20).
        items = [
            schemas.SignalView.of(s).model_copy(
                update={"match_count": self.matches.count_of_signal(s.youth_key, s.signal_id) if s.is_active else None}
            )
            for s in signals
        ]
        return schemas.SignalPage(items=items, next_cursor=next_cursor)

    def _own_signals(self, caller: Caller, org_id: str) -> Callable[[Signal], bool]:
        professional = self.registry.get_professional(org_id, caller.subject)
        email = str(professional.contact.email).lower() if professional else None
        return lambda signal: signal.professional_id == email

    def record_informed(self, actor: Actor, signal_id: str, request: schemas.InformedRequest) -> schemas.SignalView:
        """The professional confirms having informed the family (or that they will); the
        confirmation is recorded on the active signal with the day, and shown in an inzage."""
        signal = self._own_signal(actor, signal_id)
        caller = actor.caller
        if not signal.is_active:
            raise Conflict("only an active signal records whether the family was informed")
        informed = Informed(status=request.informed, on=dutch_day(self.clock.now()))
        entry = self._stamp.on_signal(
            caller, AuditAction.INFORMED_RECORDED, signal, detail=f"informed: {informed.status.value}"
        )
        if not self.signals.set_informed(signal, informed, entry):
            raise Conflict("only an active signal records whether the family was informed")
        return schemas.SignalView.of(signal.model_copy(update={"informed": informed}))


_SUSPENDED_WORDS = {
    RecordSuspension.EMIGRATION: "the person registry records this youth as emigrated; the index is for youths "
    "living in the Netherlands",
    RecordSuspension.NON_RESIDENT: "the person registry registers this youth as a non-resident (RNI); the index is "
    "for youths living in the Netherlands",
    RecordSuspension.MINISTERIAL_DECISION: "the person registry no longer keeps this youth's record (suspended by "
    "ministerial decision)",
    RecordSuspension.UNKNOWN: "the person registry no longer keeps this youth's record (suspended)",
}


def record_refusal(youth: Youth, today: date) -> tuple[str, str, tuple[str, ...]] | None:
    """Deceased, or a record the BRP no longer keeps."""
    if (youth.death_date is not None and youth.death_date <= today) or youth.suspension is RecordSuspension.DEATH:
        return "deceased", "the person registry records this youth as deceased", ("bsn",)
    if youth.suspension is not None:
        return f"suspended_{youth.suspension.value}", _SUSPENDED_WORDS[youth.suspension], ("bsn",)
    return None


def placement_refusal(
    youth: Youth | None, birth_date: date | None, today: date, settings: RegionSettings
) -> tuple[str, str, tuple[str, ...]] | None:
    """Why the index refuses this youth (audit reason, message for the caller, fields at fault),
    or None. Deceased, or a record the BRP no longer keeps: no new signal (README "Connecting the BRP")."""
    if birth_date is not None and (youth is None or youth.birth_date != birth_date):
        # One answer for a wrong BSN and a wrong date: a typo must not reveal another child.
        return (
            "bsn_or_birth_date",
            "the person registry (BRP) knows no person with this BSN and date of birth",
            ("bsn", "birth_date"),
        )
    if youth is None:
        return "unknown_bsn", "the person registry (BRP) knows no person with this BSN", ("bsn",)
    kept = record_refusal(youth, today)
    if kept is not None:
        return kept
    if youth.birth_date > today:
        return "born_in_future", "the youth's birth date lies in the future", ("bsn",)
    # A partly unknown birth date: the earliest possible 23rd birthday (domain/birth_dates.py).
    if today >= birthday(youth.birth_date, settings.age_limit_years):
        limit = settings.age_limit_years
        return (
            "age_limit",
            f"the youth is {limit} or older; the index is for younger youths"
            if youth.birth_date_precision is BirthDatePrecision.DAY
            else f"the youth may be {limit} or older ({precision_words(youth.birth_date_precision)}); "
            "the index is for younger youths",
            ("bsn",),
        )
    return None
