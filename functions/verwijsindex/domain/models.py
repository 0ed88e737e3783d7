"""The ubiquitous language as pydantic models (DESIGN.md, section 1)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from verwijsindex.domain.birth_dates import BirthDatePrecision, latest_birth_date
from verwijsindex.domain.bsn import Bsn
from verwijsindex.domain.statistics import Dimensions


def _printable(value: object) -> object:
    """Text that reaches e-mails and dossiers: no control characters (NUL, CR/LF, ESC), no format
    characters (zero-width, soft hyphen) and no direction overrides, which could hide or reorder
    what a reader sees. Checked before stripping, so a trailing line break is refused too."""
    if isinstance(value, str):
        if any(unicodedata.category(char)[0] == "C" or unicodedata.category(char) in {"Zl", "Zp"} for char in value):
            raise ValueError("only printable characters: no control, format or text-direction characters")
        return unicodedata.normalize("NFC", value)
    return value


Printable = BeforeValidator(_printable)
Name = Annotated[str, Printable, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

# An address as SMTP takes it (RFC 5321/5322 dot-atom, no quoted or IP-literal forms): checked by
# pattern rather than pydantic's EmailStr, which needs email-validator, a package the Powertools
# layer does not carry. Deliverability is proven by the professional's own inbox.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>(?:{_LABEL}\.)+[A-Za-z]{{2,63}})$")


def _email(value: object) -> object:
    if not isinstance(value, str):
        return value
    match = _EMAIL.match(value.strip())
    if match is None or len(match["local"]) > 64 or len(value.strip()) > 254:
        raise ValueError("an e-mail address such as name@organisation.nl")
    # The domain is case-insensitive; the local part is kept as given.
    return f"{match['local']}@{match['domain'].lower()}"


Email = Annotated[str, Printable, BeforeValidator(_email), StringConstraints(max_length=254)]


def _phone(value: object) -> object:
    """Normalised to E.164 (+31201234567): a Dutch number may be given nationally (020-1234567)
    or with 0031; spaces, dots, hyphens and parentheses are layout and dropped."""
    if not isinstance(value, str):
        return value
    compact = re.sub(r"[ .()\-]", "", value.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif compact.startswith("0"):
        compact = "+31" + compact[1:]
    if not re.fullmatch(r"\+[1-9][0-9]{7,14}", compact) or (compact.startswith("+31") and len(compact) != 12):
        raise ValueError("a phone number such as 020 123 4567 or +31 20 123 4567")
    return compact


Phone = Annotated[str, Printable, BeforeValidator(_phone), StringConstraints(max_length=32)]
OrgId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
ClientReference = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[\w./:#-]+$")
]


class Frozen(BaseModel):
    # Validators are built on first use, so a function builds only the models its requests reach.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Contact(Frozen):
    """How another professional reaches this one after a match."""

    # One schema for reading and writing (the name's checks would otherwise split it in two,
    # which client generators cannot name apart).
    model_config = ConfigDict(json_schema_mode_override="validation")

    name: Name
    email: Email
    phone: Phone


class ProfessionalStatus(StrEnum):
    """A registered professional's standing: active, or deactivated (left the organisation)."""

    ACTIVE = "active"
    DEACTIVATED = "deactivated"  # left the organisation: no access, account disabled


class Professional(Frozen):
    """A registered professional; `user_id` is the Cognito `sub` of their account."""

    org_id: OrgId
    user_id: str = Field(min_length=1, max_length=128)
    contact: Contact
    status: ProfessionalStatus = ProfessionalStatus.ACTIVE
    deactivated_on: date | None = None


class Handover(Frozen):
    """A deactivated professional's active signals, waiting for a colleague to take them over."""

    org_id: OrgId
    user_id: str = Field(min_length=1, max_length=128)
    deactivated_on: date
    due_on: date  # after this day the operator's listing calls it overdue
    signal_ids: tuple[str, ...]


class OrganisationStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


# The seed's words (DESIGN.md section 4) until the operator records the organisation's own profile.
DEFAULT_SIGNALLING_PROFILE = (
    "Elke organisatie die is aangesloten bij de Verwijsindex stelt een profiel samen waarin deze afweging is opgenomen."
)
SignallingProfile = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Organisation(Frozen):
    """An affiliated (convenant) organisation; machine clients are its case systems."""

    org_id: OrgId
    name: Name
    status: OrganisationStatus = OrganisationStatus.ACTIVE
    machine_clients: tuple[str, ...] = ()
    # When its professionals signal: shown on the portal's signal form.
    signalling_profile: SignallingProfile = DEFAULT_SIGNALLING_PROFILE


class Address(Frozen):
    street: str = Field(max_length=200)
    house_number: str = Field(max_length=20)
    postcode: str = Field(max_length=10)
    city: str = Field(max_length=100)
    municipality_code: str = Field(default="", max_length=8)


class RecordSuspension(StrEnum):
    """Why the BRP stopped keeping a person's record up to date (opschorting bijhouding)."""

    DEATH = "death"  # O
    EMIGRATION = "emigration"  # E
    MINISTERIAL_DECISION = "ministerial_decision"  # M
    NON_RESIDENT = "non_resident"  # R: the record was made in the RNI, the register of non-residents
    UNKNOWN = "unknown"  # "."


class InvestigatedData(StrEnum):
    """Data of a person the BRP has under investigation (in onderzoek): it may be wrong."""

    NAME = "name"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    ADDRESS = "address"
    MUNICIPALITY = "municipality"
    PARENTS = "parents"
    DEATH = "death"


class Youth(Frozen):
    """A person as the BRP gives it. Never stored in a signal: only the pseudonym is.

    `birth_date` is the earliest day the person can have been born; with a partly unknown
    birth date (domain/birth_dates.py) `birth_date_precision` says how much is known."""

    bsn: Bsn
    name: Name
    birth_date: date
    birth_date_precision: BirthDatePrecision = BirthDatePrecision.DAY
    sex: Literal["M", "V", "O"]
    address: Address | None = None
    parents: tuple[Bsn, ...] = ()
    death_date: date | None = None
    suspension: RecordSuspension | None = None
    under_investigation: tuple[InvestigatedData, ...] = ()
    # geheimhoudingPersoonsgegevens: no provision to third parties. The index gives BRP data to
    # nobody but the family itself, so it changes nothing here; the dossier shows it.
    confidential: bool = False

    @property
    def latest_birth_date(self) -> date:
        return latest_birth_date(self.birth_date, self.birth_date_precision)


class SignalStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    # Never stored: a destroyed signal is gone. Used in responses and audit entries.
    DESTROYED = "destroyed"


class InformedStatus(StrEnum):
    """Whether the professional told the parents and/or youth about the signal (DESIGN.md 4)."""

    YES = "yes"  # informed before (or when) signalling
    LATER = "later"  # will inform them


class Informed(Frozen):
    status: InformedStatus
    on: date  # the day the professional confirmed it


class CloseReason(StrEnum):
    ENDED = "ended"
    UNJUSTIFIED = "unjustified"
    EXPIRED = "expired"
    OBJECTION = "objection"  # closed after an upheld bezwaar that did not find it unjustified


class Imported(Frozen):
    """A signal that came from another index (README "Moving in and out"): where from, when, and
    whether its matches with other imported signals are formed without e-mail (the parties
    learnt of each other in the index they came from)."""

    source: str = Field(min_length=1, max_length=64, pattern=r"^[\w.-]+$")
    on: date
    silent: bool


class Signal(Frozen):
    """'Professional P of organisation O is involved with youth Y since date D.'"""

    signal_id: str
    youth_key: str  # regional pseudonym of the BSN
    national_key: str  # national pseudonym, shared by all linked regions
    org_id: OrgId
    professional_id: str  # lower-cased e-mail: one person via UI or case system is one professional
    professional: Contact
    client_reference: ClientReference
    status: SignalStatus
    active_from: date
    active_until: date
    closed_on: date | None = None
    close_reason: CloseReason | None = None
    destroy_on: date  # the youth's 23rd birthday
    created_at: datetime
    informed: Informed | None = None  # the professional's confirmation; part of the family's dossier
    imported: Imported | None = None  # None: placed in this index
    # Where the signal is counted in the statistics (domain/statistics.py), fixed at placement:
    # the youth's municipality (CBS code) and age band then. Nothing else about the youth.
    municipality: str = Field(default="-", max_length=8)
    age_band: str = Field(default="-", max_length=8)

    @property
    def dimensions(self) -> Dimensions:
        return Dimensions(municipality=self.municipality, org_id=self.org_id, age_band=self.age_band)

    @property
    def is_active(self) -> bool:
        return self.status is SignalStatus.ACTIVE

    def closed(self, on: date, reason: CloseReason) -> Signal:
        """The signal once closed on `on` for `reason`: it stays, as history."""
        return self.model_copy(update={"status": SignalStatus.CLOSED, "closed_on": on, "close_reason": reason})
