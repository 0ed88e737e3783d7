"""Moving in: another index's signals imported with their own dates (README "Moving in and out").

Every row is checked as `POST /signals` checks a placement, on the day the signal was placed: a
valid BSN the BRP knows, a youth under 23 and alive, a registered organisation and professional,
at most two years active. On today's date: a signal whose dates say it is destroyed by now (23rd
birthday, death, archive period over, withdrawn as unjustified) is refused; one whose active period
is over is stored closed (expired), as the nightly run would have left it.

Rows are processed in chunks; each stored signal is one transaction with its youth marker, parent
links and audit entry, conditional on its id, which is derived from the row (a keyed digest of the
source system's id of the signal, or of the row's identity), so a row imported before is recognised
and a file can be run again. The match function then matches every active imported signal as it
matches a placed one; with `silent` the matches between imported signals are recorded without
e-mail (logic/matching.py `silently_matched`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import islice
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from verwijsindex.domain.audit import AuditAction, AuditEntry
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import AMSTERDAM, Clock, dutch_day
from verwijsindex.domain.ids import derived_time_ordered_id
from verwijsindex.domain.matches import MatchSide, MatchStatus, match_id_for
from verwijsindex.domain.models import (
    CloseReason,
    Imported,
    Organisation,
    OrganisationStatus,
    Professional,
    ProfessionalStatus,
    Signal,
    SignalStatus,
    Youth,
)
from verwijsindex.domain.periods import birthday, years_later
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.domain.transfer import MatchRowStatus, RowCloseReason, RowStatus, TransferMatch, TransferRow
from verwijsindex.logic import access
from verwijsindex.logic.auditing import Stamping
from verwijsindex.logic.matching import MatchService
from verwijsindex.logic.signals import placement_refusal, record_refusal
from verwijsindex.logic.transfer_files import RawRow
from verwijsindex.ports.families import FamilyStore
from verwijsindex.ports.matches import Coordination, CoordinatorNaming, MatchStore
from verwijsindex.ports.person_registry import ChangeFeed, PersonRegistry
from verwijsindex.ports.pseudonyms import Pseudonyms
from verwijsindex.ports.registry import OrganisationRegistry
from verwijsindex.ports.signals import Arrival, SignalImport, SignalStore

DEFAULT_CHUNK = 500


class Notify(StrEnum):
    """What the professionals hear of matches between imported signals."""

    SILENT = "silent"  # nothing: they learnt of each other in the index the signals came from
    EMAIL = "email"  # one e-mail to each party per match, as for placed signals


class ImportOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1, max_length=64, pattern=r"^[\w.-]+$", description="the source system")
    notify: Notify = Notify.SILENT
    dry_run: bool = False
    # Organisations of the source system -> registered organisation ids of this region.
    org_map: dict[str, str] = Field(default_factory=dict)
    # Professionals' e-mail addresses in the file -> the address of a registered professional.
    professional_map: dict[str, str] = Field(default_factory=dict)
    chunk_size: int = Field(default=DEFAULT_CHUNK, ge=1, le=10_000)

    @field_validator("professional_map")
    @classmethod
    def _addresses_compare_lower_cased(cls, value: dict[str, str]) -> dict[str, str]:
        return {source.strip().lower(): target.strip().lower() for source, target in value.items()}


class Outcome(StrEnum):
    IMPORTED = "imported"
    VALID = "valid"  # dry run: would be imported
    ALREADY_IMPORTED = "already_imported"  # stored by an earlier run
    DUPLICATE = "duplicate"  # the same signal on an earlier line of this file
    REFUSED = "refused"
    SKIPPED = "skipped"  # a match with another region: the national index forms it again


class FieldProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    message: str


class RowReport(BaseModel):
    """One line of the file: what became of it. Never a BSN or a name."""

    model_config = ConfigDict(frozen=True)

    line: int
    outcome: Outcome
    signal_id: str | None = None
    stored_as: SignalStatus | None = None  # active, or closed (also when its active period is over)
    errors: tuple[FieldProblem, ...] = ()


class UnknownProfessional(BaseModel):
    model_config = ConfigDict(frozen=True)

    org_id: str  # as in the file
    email: str


class ImportReport(BaseModel):
    source: str
    dry_run: bool
    notify: Notify
    counts: dict[Outcome, int]
    unknown_organisations: list[str]
    unknown_professionals: list[UnknownProfessional]
    rows: list[RowReport]
    # The lines of the matches file, when one was given: each match formed again, its coordination
    # (regievoerder, afgestemd) restored.
    match_rows: list[RowReport] = Field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    rows: int
    counts: dict[Outcome, int]


@dataclass
class _Candidate:
    raw: RawRow
    row: TransferRow
    signal: Signal
    youth: Youth
    archive_until: date | None


@dataclass
class _Run:
    options: ImportOptions
    today: date
    organisations: dict[str, Organisation | None] = field(default_factory=dict)
    professionals: dict[str, dict[str, Professional]] = field(default_factory=dict)
    seen_ids: dict[str, int] = field(default_factory=dict)
    seen_guards: dict[tuple[str, str, str], int] = field(default_factory=dict)
    followed: set[str] = field(default_factory=set)
    unknown_organisations: set[str] = field(default_factory=set)
    unknown_professionals: set[tuple[str, str]] = field(default_factory=set)
    rows: list[RowReport] = field(default_factory=list)
    # The signals of this run by their source_id: what the matches file names.
    by_source: dict[str, Signal] = field(default_factory=dict)

    def counts(self) -> dict[Outcome, int]:
        counts = dict.fromkeys(Outcome, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts


class _Refused(Exception):
    def __init__(self, *problems: FieldProblem) -> None:
        super().__init__("refused")
        self.problems = problems


def _problem(name: str, message: str) -> FieldProblem:
    return FieldProblem(field=name, message=message)


@dataclass
class ImportService(Stamping):
    signals: SignalStore
    registry: OrganisationRegistry
    persons: PersonRegistry
    pseudonyms: Pseudonyms
    family: FamilyStore
    settings: RegionSettings
    clock: Clock
    # Forms a signal's matches at once (the match function's own code), so that a matches file's
    # coordination can be restored on them; and the match sides it restores it on.
    matching: MatchService
    matches: MatchStore
    # The BRP Update API follows each imported youth, as a placed one (its death and moves).
    follow: ChangeFeed | None = None

    def run(
        self,
        caller: Caller,
        rows: Iterable[RawRow],
        options: ImportOptions,
        progress: Callable[[Progress], None] | None = None,
        match_rows: Iterable[RawRow] = (),
    ) -> ImportReport:
        access.require_operator(caller)
        run = _Run(options=options, today=dutch_day(self.clock.now()))
        for chunk in _chunks(rows, options.chunk_size):
            self._chunk(caller, run, chunk)
            if progress is not None:
                progress(Progress(rows=len(run.rows), counts=run.counts()))
        restored = [self._match(caller, run, raw) for raw in match_rows]
        return ImportReport(
            source=options.source,
            dry_run=options.dry_run,
            notify=options.notify,
            counts=run.counts(),
            unknown_organisations=sorted(run.unknown_organisations),
            unknown_professionals=[
                UnknownProfessional(org_id=org_id, email=email) for org_id, email in sorted(run.unknown_professionals)
            ],
            rows=sorted(run.rows, key=lambda row: row.line),
            match_rows=restored,
        )

    # --- one chunk ------------------------------------------------------------------------------

    def _chunk(self, caller: Caller, run: _Run, chunk: Sequence[RawRow]) -> None:
        parsed: list[tuple[RawRow, TransferRow]] = []
        for raw in chunk:
            row = _parse(TransferRow, raw)
            if isinstance(row, TransferRow):
                parsed.append((raw, row))
            else:
                run.rows.append(RowReport(line=raw.line, outcome=Outcome.REFUSED, errors=row))
        self._load_registry(run, [row.org_id for _, row in parsed])
        youths: dict[str, Youth | None] = {}
        candidates: list[_Candidate] = []
        for raw, row in parsed:
            try:
                candidates.append(self._candidate(run, raw, row, youths))
            except _Refused as refused:
                run.rows.append(RowReport(line=raw.line, outcome=Outcome.REFUSED, errors=refused.problems))
        if run.options.dry_run:
            self._check(run, candidates)
        else:
            for candidate in candidates:
                run.rows.append(self._store(caller, run, candidate))

    def _load_registry(self, run: _Run, source_orgs: Iterable[str]) -> None:
        """The organisations (one BatchGetItem per 100 new ones) and their professionals (one
        Query per new organisation), once per run."""
        wanted = {run.options.org_map.get(org, org) for org in source_orgs} - set(run.organisations)
        if not wanted:
            return
        found = self.registry.organisations(wanted)
        for org_id in wanted:
            run.organisations[org_id] = found.get(org_id)
            if org_id in found:
                run.professionals[org_id] = {
                    str(pro.contact.email).lower(): pro for pro in self.registry.list_professionals(org_id)
                }

    def _candidate(self, run: _Run, raw: RawRow, row: TransferRow, youths: dict[str, Youth | None]) -> _Candidate:
        today = run.today
        settings = self.settings
        problems: list[FieldProblem] = []
        # Dates first: they decide whether the signal is stored active or closed.
        if row.placed_on > today:
            problems.append(_problem("placed_on", "lies in the future"))
        last_allowed = years_later(row.placed_on, settings.active_period_years)
        if row.active_until > last_allowed:
            problems.append(
                _problem(
                    "active_until", f"a signal is active at most {settings.active_period_years} years after placed_on"
                )
            )
        if row.closed_on is not None and row.closed_on > today:
            problems.append(_problem("closed_on", "lies in the future"))
        if row.close_reason is RowCloseReason.UNJUSTIFIED:
            problems.append(_problem("close_reason", "a signal withdrawn as unjustified is destroyed, not kept"))
        stays_active = row.status is RowStatus.ACTIVE and row.active_until >= today
        closed_on = None if stays_active else (row.closed_on or row.active_until + timedelta(days=1))
        archive_until = None if closed_on is None else years_later(closed_on, settings.archive_period_years)
        if archive_until is not None and today >= archive_until:
            problems.append(
                _problem(
                    "closed_on" if row.closed_on else "active_until",
                    f"its {settings.archive_period_years} years of history ended on {archive_until.isoformat()}: "
                    "the signal is destroyed by now",
                )
            )
        organisation, professional = self._registered(run, row, stays_active, problems)
        if problems:
            raise _Refused(*problems)
        assert organisation is not None and professional is not None
        youth = self._youth(row, youths)
        age_limit_day = birthday(youth.birth_date, settings.age_limit_years)
        if today >= age_limit_day:
            raise _Refused(
                _problem("bsn", f"the youth is {settings.age_limit_years} or older: its signals are destroyed")
            )
        contact = professional.contact
        digest = self.pseudonyms.imported_row(run.options.source, row.row_key())
        signal = Signal(
            signal_id=derived_time_ordered_id(datetime.combine(row.placed_on, time(), AMSTERDAM), digest),
            youth_key=self.pseudonyms.regional(row.bsn),
            national_key=self.pseudonyms.national(row.bsn),
            org_id=organisation.org_id,
            professional_id=str(contact.email).lower(),
            professional=contact,
            client_reference=row.client_reference,
            status=SignalStatus.ACTIVE if stays_active else SignalStatus.CLOSED,
            active_from=row.placed_on,
            active_until=row.active_until,
            closed_on=closed_on,
            close_reason=None
            if stays_active
            else (CloseReason(row.close_reason.value) if row.close_reason else CloseReason.EXPIRED),
            destroy_on=age_limit_day,
            created_at=self.clock.now(),
            imported=Imported(source=run.options.source, on=today, silent=run.options.notify is Notify.SILENT),
        )
        return _Candidate(raw=raw, row=row, signal=signal, youth=youth, archive_until=archive_until)

    def _registered(
        self, run: _Run, row: TransferRow, stays_active: bool, problems: list[FieldProblem]
    ) -> tuple[Organisation | None, Professional | None]:
        """The registered organisation and professional the row maps to; an active signal needs an
        active organisation and professional (as a placement does), history accepts a professional
        who left since."""
        organisation = run.organisations.get(run.options.org_map.get(row.org_id, row.org_id))
        if organisation is None:
            run.unknown_organisations.add(row.org_id)
            problems.append(_problem("org_id", "no registered organisation: register it, or map it to one"))
            return None, None
        if stays_active and organisation.status is not OrganisationStatus.ACTIVE:
            problems.append(_problem("org_id", "the organisation is suspended: it cannot hold active signals"))
        email = row.professional_email.lower()
        mapped = run.options.professional_map.get(email, email)
        professional = run.professionals.get(organisation.org_id, {}).get(mapped)
        if professional is None:
            run.unknown_professionals.add((row.org_id, email))
            problems.append(
                _problem("professional_email", "no registered professional of the organisation: register or map one")
            )
        elif stays_active and professional.status is not ProfessionalStatus.ACTIVE:
            problems.append(
                _problem("professional_email", "the professional was deactivated: map the signal to a colleague")
            )
        return organisation, professional

    def _youth(self, row: TransferRow, youths: dict[str, Youth | None]) -> Youth:
        """The youth from the BRP, checked by the placement's rules on the day it was placed and
        on today's date (dead by now: its signals are destroyed)."""
        if row.bsn not in youths:
            youths[row.bsn] = self.persons.lookup(row.bsn)
        youth = youths[row.bsn]
        refusal = placement_refusal(youth, None, row.placed_on, self.settings)
        if refusal is not None:
            reason, message, _ = refusal
            at_fault = "placed_on" if reason in {"age_limit", "born_in_future"} else "bsn"
            raise _Refused(_problem(at_fault, f"{message} (on placed_on)" if at_fault == "placed_on" else message))
        assert youth is not None
        gone = record_refusal(youth, dutch_day(self.clock.now()))
        if gone is not None:
            # Deceased by now: its signals are destroyed; a record the BRP no longer keeps: the
            # index takes no signal on it (as a placement today would be refused).
            raise _Refused(_problem("bsn", f"{gone[1]}: not imported"))
        return youth

    # --- storing --------------------------------------------------------------------------------

    def _store(self, caller: Caller, run: _Run, candidate: _Candidate) -> RowReport:
        signal = candidate.signal
        line = candidate.raw.line
        earlier = self._earlier(run, signal)
        if earlier is not None:
            return earlier.model_copy(update={"line": line})
        if self.follow is not None and signal.youth_key not in run.followed:
            # As at placement: before anything is stored, so a youth is never held unfollowed.
            self.follow.follow(candidate.row.bsn, until=signal.destroy_on)
            run.followed.add(signal.youth_key)
        detail = f"imported from {run.options.source}: stored {signal.status.value}"
        if signal.close_reason is CloseReason.EXPIRED and candidate.row.status is RowStatus.ACTIVE:
            detail += " (its active period was over)"
        entry = self._stamp.on_signal(caller, AuditAction.SIGNAL_IMPORTED, signal, detail=detail)
        links = self.family.parent_links(signal.youth_key, candidate.youth.parents) if signal.is_active else None
        arrival = self.signals.import_signal(
            SignalImport(signal=signal, audit=entry, parents=links, archive_until=candidate.archive_until)
        )
        self._remember(run, signal, line)
        if arrival is not Arrival.GUARDED:
            _in_index(run, candidate)
        if arrival is Arrival.KNOWN:
            return RowReport(line=line, outcome=Outcome.ALREADY_IMPORTED, signal_id=signal.signal_id)
        if arrival is Arrival.GUARDED:
            return _held_already(line)
        return RowReport(line=line, outcome=Outcome.IMPORTED, signal_id=signal.signal_id, stored_as=signal.status)

    def _check(self, run: _Run, candidates: Sequence[_Candidate]) -> None:
        """The dry run: what a run would do, from reads only (BatchGetItem of the ids and guards)."""
        stored_ids, taken_guards = self.signals.exist([c.signal for c in candidates])
        for candidate in candidates:
            signal = candidate.signal
            line = candidate.raw.line
            earlier = self._earlier(run, signal)
            if earlier is not None:
                run.rows.append(earlier.model_copy(update={"line": line}))
                continue
            self._remember(run, signal, line)
            if signal.signal_id in stored_ids:
                _in_index(run, candidate)
                run.rows.append(RowReport(line=line, outcome=Outcome.ALREADY_IMPORTED, signal_id=signal.signal_id))
            elif signal.is_active and _guard(signal) in taken_guards:
                run.rows.append(_held_already(line))
            else:
                _in_index(run, candidate)
                run.rows.append(
                    RowReport(line=line, outcome=Outcome.VALID, signal_id=signal.signal_id, stored_as=signal.status)
                )

    # --- matches ------------------------------------------------------------------------------

    def _match(self, caller: Caller, run: _Run, raw: RawRow) -> RowReport:
        """One line of the matches file: the match formed again from its two imported signals (by
        the match function's code, as the stream would), then its coordination restored without
        e-mail, each change with its audit entries. A dry run only checks that both signals are in."""
        parsed = _parse(TransferMatch, raw)
        if not isinstance(parsed, TransferMatch):
            return RowReport(line=raw.line, outcome=Outcome.REFUSED, errors=parsed)
        if parsed.other_source_id is None:
            return RowReport(line=raw.line, outcome=Outcome.SKIPPED)
        ours = run.by_source.get(parsed.source_id)
        theirs = run.by_source.get(parsed.other_source_id)
        missing = [name for name, s in (("source_id", ours), ("other_source_id", theirs)) if s is None]
        if ours is None or theirs is None:
            return RowReport(
                line=raw.line,
                outcome=Outcome.REFUSED,
                errors=tuple(_problem(name, "names no signal imported from this file") for name in missing),
            )
        match_id = match_id_for(ours.signal_id, theirs.signal_id)
        if run.options.dry_run:
            return RowReport(line=raw.line, outcome=Outcome.VALID, signal_id=match_id)
        before = self.matches.get_side(ours.youth_key, ours.signal_id, match_id)
        side = before
        if side is None:
            self.matching.match_signal(ours.youth_key, ours.signal_id)
            side = self.matches.get_side(ours.youth_key, ours.signal_id, match_id)
        if side is None:
            return RowReport(
                line=raw.line,
                outcome=Outcome.REFUSED,
                errors=(_problem("source_id", "the two signals do not match here (not both active)"),),
            )
        changed = self._restore_coordination(caller, run, parsed, side)
        outcome = Outcome.ALREADY_IMPORTED if before is not None and not changed else Outcome.IMPORTED
        return RowReport(line=raw.line, outcome=outcome, signal_id=match_id)

    def _restore_coordination(self, caller: Caller, run: _Run, row: TransferMatch, side: MatchSide) -> bool:
        changed = False
        detail = f"imported from {run.options.source}"
        if row.coordinator_source_id is not None:
            coordinator = run.by_source[row.coordinator_source_id].signal_id
            if side.coordinator_signal_id != coordinator:
                audits = self._match_audits(caller, side, AuditAction.MATCH_COORDINATOR_NAMED, detail)
                naming = CoordinatorNaming(side=side, coordinator_signal_id=coordinator, note=None, audits=audits)
                if self.matches.name_coordinator(naming):
                    changed = True
                    side = naming.applied_to(side)
        if row.status is MatchRowStatus.COORDINATED and side.status is MatchStatus.OPEN:
            assert row.coordinated_on is not None
            by = run.by_source.get(row.coordinated_by_source_id or row.source_id)
            at = datetime.combine(row.coordinated_on, time(12), AMSTERDAM)
            audits = self._match_audits(caller, side, AuditAction.MATCH_COORDINATED, detail)
            by_org = by.org_id if by else side.org_id
            coordination = Coordination(side=side, at=at, by_org=by_org, note=None, audits=audits)
            changed |= self.matches.mark_coordinated(coordination)
        return changed

    def _match_audits(self, caller: Caller, side: MatchSide, action: AuditAction, detail: str) -> list[AuditEntry]:
        return [
            self._stamp.on_youth(caller, action, youth_key, target=side.match_id, detail=detail)
            for youth_key in dict.fromkeys((side.youth_key, side.other_youth_key))
        ]

    @staticmethod
    def _earlier(run: _Run, signal: Signal) -> RowReport | None:
        """The same signal, or the same professional's active signal on the youth, on an earlier line."""
        if signal.signal_id in run.seen_ids:
            return RowReport(
                line=0,
                outcome=Outcome.DUPLICATE,
                signal_id=signal.signal_id,
                errors=(_problem("source_id", f"the same signal as line {run.seen_ids[signal.signal_id]}"),),
            )
        if signal.is_active and _guard(signal) in run.seen_guards:
            return RowReport(
                line=0,
                outcome=Outcome.DUPLICATE,
                errors=(
                    _problem(
                        "professional_email",
                        f"the professional's active signal on this youth is on line {run.seen_guards[_guard(signal)]}",
                    ),
                ),
            )
        return None

    @staticmethod
    def _remember(run: _Run, signal: Signal, line: int) -> None:
        run.seen_ids[signal.signal_id] = line
        if signal.is_active:
            run.seen_guards[_guard(signal)] = line


def _in_index(run: _Run, candidate: _Candidate) -> None:
    """The signal is in the index (or would be, in a dry run): a matches file may name it."""
    if candidate.row.source_id is not None:
        run.by_source[candidate.row.source_id] = candidate.signal


def _guard(signal: Signal) -> tuple[str, str, str]:
    """Whose place a signal takes: one active signal per professional per youth."""
    return signal.youth_key, signal.org_id, signal.professional_id


def _held_already(line: int) -> RowReport:
    return RowReport(
        line=line,
        outcome=Outcome.REFUSED,
        errors=(_problem("professional_email", "the professional holds an active signal on this youth in the index"),),
    )


Row = TypeVar("Row", TransferRow, TransferMatch)


def _parse(model: type[Row], raw: RawRow) -> Row | tuple[FieldProblem, ...]:
    """A line of a file as a row of `model`, or what is at fault (never the value)."""
    if raw.values is None:
        return (_problem("line", raw.problem or "the line could not be read"),)
    try:
        return model.model_validate(raw.values)
    except ValidationError as error:
        return tuple(_field_problem(detail) for detail in error.errors(include_input=False, include_url=False))


def _field_problem(detail: Any) -> FieldProblem:
    """pydantic's error without the value at fault; a rule across fields names its field first."""
    location = ".".join(str(part) for part in detail["loc"])
    message = str(detail["msg"]).removeprefix("Value error, ")
    if not location and ": " in message:
        location, message = message.split(": ", 1)
    return _problem(location or "line", message)


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
