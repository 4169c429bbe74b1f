"""Legal bounds of the measures a SPIP follows, in one place (DOMAIN.md).

Every number the law sets lives in `BOUNDS`, one row per bound with its source article, so
that a change of law is a one-line change. The module is pure: forms and services hand in
a `MeasureTerms` (and the measure's `Event`s) and get back errors or dates; nothing here
reads the database or the clock. Error messages are lazy: they render in the language
active where they are shown.

Decisions on points DOMAIN.md leaves open:
- Durations run from date to date, as courts count them: 12 months from 31/01/2025 end on
  31/01/2026, and a month added to 31 January gives the last day of February.
- A limit the law states in months or years for a value counted in days (DDSE sentence,
  remaining term, total sentence, length of a course) becomes the longest span the
  calendar allows (1 month = 31 days, 6 months = 184, 2 years = 731, 5 years = 1827): the
  app records judges' decisions and must not refuse a lawful one. The row keeps the law's
  wording (`as_written`) so the message quotes it.
- An open suspension (no end date yet) makes the end date unknown: `compute_end_date`
  returns None rather than a date that would silently move every day.
- CPP 743 is read literally: a prolonged probation period may not exceed 3 years in total,
  so a period already longer (recidivism) cannot be prolonged. CPP 742 allows prolonging
  or revoking after the period has run out, so only suspensions are refused after the end.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import Enum
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from spip.exceptions import SpipError

Number = int | Decimal


class MeasureKind(models.TextChoices):
    PROBATION = "probation", _("suspended sentence with probation")
    PROBATION_REINFORCED = "probation_reinforced", _("reinforced suspended sentence with probation")
    TIG = "tig", _("community work (TIG)")
    DDSE_SENTENCE = "ddse_sentence", _("home detention under electronic monitoring (sentence)")
    DDSE_ADJUSTMENT = "ddse_adjustment", _("home detention (DDSE, sentence adjustment)")
    SEMI_LIBERTY = "semi_liberty", _("semi-liberty")
    OUTSIDE_PLACEMENT = "outside_placement", _("outside placement")
    PAROLE = "parole", _("parole")
    RELEASE_UNDER_CONSTRAINT = "release_under_constraint", _("release under constraint")
    SOCIO_JUDICIAL = "socio_judicial", _("socio-judicial supervision")
    COURSE = "course", _("course sentence")
    JUDICIAL_CONTROL = "judicial_control", _("judicial control (pre-trial)")
    ARSE = "arse", _("house arrest under electronic monitoring (ARSE, pre-trial)")


class Recidivism(models.TextChoices):
    NONE = "none", _("no recidivism")
    LEGAL = "legal", _("legal recidivism")
    NEW = "new", _("new recidivism")


class OffenceClass(models.TextChoices):
    DELIT = "delit", _("misdemeanour (délit)")
    CRIME = "crime", _("felony (crime)")
    CRIME_30_YEARS = "crime_30_years", _("crime punished by 30 years")
    CRIME_LIFE = "crime_life", _("crime punished by life imprisonment")


class CourseKind(models.TextChoices):
    """The courses of CP 131-5-1."""

    CITIZENSHIP = "citizenship", _("citizenship course")
    ROAD_SAFETY = "road_safety", _("road-safety awareness course")
    NARCOTICS = "narcotics", _("course on the dangers of narcotics")
    DOMESTIC_VIOLENCE = "domestic_violence", _("course on domestic and sexist violence")
    SEX_BUYING = "sex_buying", _("course against buying sex")
    PARENTAL_RESPONSIBILITY = "parental_responsibility", _("parental responsibility course")
    SEXISM = "sexism", _("course against sexism and for equality")
    ANIMAL_CRUELTY = "animal_cruelty", _("animal-cruelty awareness course")


class EventKind(models.TextChoices):
    SUSPENSION = "suspension", _("suspension")
    PROLONGATION = "prolongation", _("prolongation")
    PARTIAL_REVOCATION = "partial_revocation", _("partial revocation")
    TOTAL_REVOCATION = "total_revocation", _("total revocation")
    EARLY_END = "early_end", _("early end (non avenue)")
    OBLIGATION_CHANGE = "obligation_change", _("change of obligations")
    RESUMPTION = "resumption", _("resumption after a suspension")


# Sursis probatoire, simple or reinforced: prolongation capped by CPP 743, early end
# (non avenue) after one year (CPP 744).
PROBATION_KINDS = frozenset({MeasureKind.PROBATION, MeasureKind.PROBATION_REINFORCED})
# The kinds whose person is bound by the CP 132-44 control measures by law, so services
# attach them on creation: sursis probatoire (CP 132-43), suivi socio-judiciaire
# (CP 131-36-2) and libération conditionnelle (CPP D533). Other measures set their own
# conditions in the decision (TIG: CP 132-55).
CONTROL_MEASURE_KINDS = PROBATION_KINDS | {MeasureKind.SOCIO_JUDICIAL, MeasureKind.PAROLE}
# Events after which the measure is over.
ENDING_EVENTS = frozenset({EventKind.TOTAL_REVOCATION, EventKind.EARLY_END})


class Unit(Enum):
    HOURS = "hours"
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"

    def quantity(self, value: Number) -> str:
        """The value as courts write it: "120 heures", "18 mois"."""
        number, count = formats.number_format(value), int(value)
        match self:
            case Unit.HOURS:
                text = ngettext("%(count)s hour", "%(count)s hours", count)
            case Unit.DAYS:
                text = ngettext("%(count)s day", "%(count)s days", count)
            case Unit.MONTHS:
                text = ngettext("%(count)s month", "%(count)s months", count)
            case Unit.YEARS:
                text = ngettext("%(count)s year", "%(count)s years", count)
        return text % {"count": number}


def _render(template: str | Promise, params: dict[str, Any]) -> str:
    return str(template) % {key: str(value) for key, value in params.items()}


_message = lazy(_render, str)
_quantity = lazy(lambda value, unit: unit.quantity(value), str)
_short_date = lazy(lambda day: formats.date_format(day, "SHORT_DATE_FORMAT"), str)

_AT_MOST = _("%(subject)s: at most %(bound)s (%(article)s); entered: %(value)s.")
_AT_LEAST = _("%(subject)s: at least %(bound)s (%(article)s); entered: %(value)s.")
_WHOLE = _("%(subject)s: a whole number is expected (%(article)s); entered: %(value)s.")
_POSITIVE = _("%(subject)s: more than zero is expected; entered: %(value)s.")
_REQUIRED = _("This field is required for this kind of measure: %(kind)s.")
_TIG_CONSENT = _(
    "Community work (TIG) needs the person's consent, given or recorded at the hearing (CP 131-8)."
)
_NO_OPEN_SUSPENSION = _("A resumption follows a suspension still in progress, after its start.")
_REMAINING_OVER_TOTAL = _("The remaining term cannot exceed the total sentence.")
_EVENT_BEFORE_JUDGMENT = _("A judge's decision on the measure cannot precede its judgment.")
_STARTS_BEFORE_JUDGMENT = _("A measure cannot start before its judgment.")
_FINAL_BEFORE_JUDGMENT = _("A decision cannot become final before it is pronounced.")
_REQUIRED_FOR_EVENT = _("This field is required for this kind of event: %(kind)s.")
_NOT_BEFORE = _(
    "%(subject)s: not before %(date)s, %(bound)s after the conviction became final (%(article)s)."
)
_NOT_AFTER = _(
    "%(subject)s: by %(date)s at the latest, %(bound)s after the conviction became final "
    "(%(article)s)."
)
_FINAL_DATE_NEEDED = _(
    "The date the conviction became final is needed to check this delay (%(article)s)."
)
_NOT_PROLONGABLE = _("This measure cannot be prolonged.")
_ENDED = _("The measure ended on %(date)s: this event cannot come after its end.")
_SUSPENSION_BACKWARDS = _("The end of a suspension cannot be before its start.")
_SUSPENSION_OVERLAP = _("This suspension overlaps the one starting on %(date)s.")


class BoundError(SpipError):
    """A value outside its legal bounds; `field` names the input to show it next to."""

    default_message = _("This value is outside its legal bounds.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        field: str | None = None,
        bound: Bound | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.bound = bound


@dataclass(frozen=True)
class Bound:
    """`field` lies within [minimum, maximum] `unit`s under `article`.

    `field` names a `MeasureTerms` field, or a rule used by the date helpers below.
    `when` limits the row to some recidivism states or offence classes; `as_written` is the
    law's own wording of a maximum that the field counts in another unit.
    """

    field: str
    subject: str | Promise
    minimum: int | None
    maximum: int | None
    unit: Unit
    article: str
    when: tuple[str, ...] = ()
    as_written: tuple[int, Unit] | None = None

    def applies(self, terms: MeasureTerms) -> bool:
        states = (terms.recidivism or Recidivism.NONE, terms.offence_class)
        return not self.when or any(state in self.when for state in states)

    def message(self, value: Number) -> Promise | None:
        """Why `value` breaks this bound, naming the bound and the article; None if it holds."""
        params: dict[str, Any] = {
            "subject": self.subject,
            "value": _quantity(value, self.unit),
            "article": self.article,
        }
        if value <= 0:
            return _message(_POSITIVE, params)
        if value % 1:
            return _message(_WHOLE, params)
        if self.minimum is not None and value < self.minimum:
            return _message(_AT_LEAST, params | {"bound": _quantity(self.minimum, self.unit)})
        if self.maximum is not None and value > self.maximum:
            if self.as_written:
                wording = _quantity(*self.as_written)
                params["article"] = _message(
                    "%(wording)s, %(article)s", params | {"wording": wording}
                )
            return _message(_AT_MOST, params | {"bound": _quantity(self.maximum, self.unit)})
        return None

    def check(self, value: Number, *, field: str | None = None) -> BoundError | None:
        """The error for `value` (on `field`, by default the bound's own), or None."""
        if (message := self.message(value)) is None:
            return None
        return BoundError(message, field=field or self.field, bound=self)

    @property
    def months(self) -> int:
        """The bound (maximum, else minimum) as a number of months, for date arithmetic."""
        limit = self.maximum if self.maximum is not None else self.minimum
        assert limit is not None and self.unit in (Unit.MONTHS, Unit.YEARS), self
        return limit * 12 if self.unit is Unit.YEARS else limit


# Rules that are not an input field of `MeasureTerms`.
PROLONGED_TOTAL = "prolonged_total_months"
EARLY_END_DELAY = "early_end_delay"
COURSE_DEADLINE = "course_deadline"
AUTOMATIC_RELEASE_TOTAL = "automatic_release_total_days"
AUTOMATIC_RELEASE_REMAINING = "automatic_release_remaining"

HOURS, DAYS, MONTHS, YEARS = Unit
NOT_RECIDIVIST, RECIDIVIST = (Recidivism.NONE,), (Recidivism.LEGAL, Recidivism.NEW)

# Each row: field or rule, subject, minimum, maximum, unit, article, then conditions.
_PROBATION_BOUNDS = (
    Bound(
        "prison_term_months",
        _("Suspended prison term"),
        None,
        60,
        MONTHS,
        "CP 132-41",
        when=NOT_RECIDIVIST,
        as_written=(5, YEARS),
    ),
    Bound(
        "prison_term_months",
        _("Suspended prison term in legal recidivism"),
        None,
        120,
        MONTHS,
        "CP 132-41",
        when=RECIDIVIST,
        as_written=(10, YEARS),
    ),
    Bound(
        "probation_months",
        _("Probation period without recidivism"),
        12,
        36,
        MONTHS,
        "CP 132-42",
        when=NOT_RECIDIVIST,
    ),
    Bound(
        "probation_months",
        _("Probation period in legal recidivism"),
        12,
        60,
        MONTHS,
        "CP 132-42",
        when=(Recidivism.LEGAL,),
    ),
    Bound(
        "probation_months",
        _("Probation period in new recidivism"),
        12,
        84,
        MONTHS,
        "CP 132-42",
        when=(Recidivism.NEW,),
    ),
    Bound(
        PROLONGED_TOTAL, _("Probation period with its prolongations"), None, 36, MONTHS, "CPP 743"
    ),
    Bound(EARLY_END_DELAY, _("Early end (non avenue)"), 1, None, YEARS, "CPP 744"),
)

BOUNDS: dict[MeasureKind, tuple[Bound, ...]] = {
    MeasureKind.PROBATION: _PROBATION_BOUNDS,
    MeasureKind.PROBATION_REINFORCED: _PROBATION_BOUNDS,  # CP 132-41-1: the same bounds
    MeasureKind.TIG: (
        Bound("tig_hours", _("Community work (TIG) hours"), 20, 400, HOURS, "CP 131-8"),
        Bound(
            "tig_deadline_months",
            _("Deadline to carry out the community work (TIG)"),
            None,
            18,
            MONTHS,
            "CP 131-22",
        ),
    ),
    MeasureKind.DDSE_SENTENCE: (
        Bound(
            "ddse_days",
            _("Home detention sentence (DDSE)"),
            15,
            184,
            DAYS,
            "CP 131-4-1",
            as_written=(6, MONTHS),
        ),
    ),
    MeasureKind.DDSE_ADJUSTMENT: (
        Bound(
            "remaining_term_days",
            _("Remaining custodial term for a DDSE adjustment"),
            None,
            731,
            DAYS,
            "CPP 723-7",
            as_written=(2, YEARS),
        ),
    ),
    MeasureKind.SEMI_LIBERTY: (
        Bound(
            "remaining_term_days",
            _("Remaining custodial term for semi-liberty"),
            None,
            731,
            DAYS,
            "CPP 723-1",
            as_written=(2, YEARS),
        ),
    ),
    MeasureKind.OUTSIDE_PLACEMENT: (
        Bound(
            "remaining_term_days",
            _("Remaining custodial term for an outside placement"),
            None,
            731,
            DAYS,
            "CPP 723-1",
            as_written=(2, YEARS),
        ),
    ),
    MeasureKind.PAROLE: (
        Bound(
            "supervision_months",
            _("Total parole supervision"),
            None,
            120,
            MONTHS,
            "CPP 732",
            as_written=(10, YEARS),
        ),
    ),
    MeasureKind.RELEASE_UNDER_CONSTRAINT: (
        Bound(
            "total_sentence_days",
            _("Total sentence for release under constraint"),
            None,
            1827,
            DAYS,
            "CPP 720",
            as_written=(5, YEARS),
        ),
        Bound(
            AUTOMATIC_RELEASE_TOTAL,
            _("Total sentence for release under constraint of right"),
            None,
            731,
            DAYS,
            "CPP 720",
            as_written=(2, YEARS),
        ),
        Bound(
            AUTOMATIC_RELEASE_REMAINING,
            _("Remaining term for release under constraint of right"),
            None,
            3,
            MONTHS,
            "CPP 720",
        ),
    ),
    MeasureKind.SOCIO_JUDICIAL: (
        Bound(
            "socio_judicial_years",
            _("Socio-judicial supervision for a délit"),
            None,
            10,
            YEARS,
            "CP 131-36-1",
            when=(OffenceClass.DELIT,),
        ),
        Bound(
            "socio_judicial_years",
            _("Socio-judicial supervision for a crime"),
            None,
            20,
            YEARS,
            "CP 131-36-1",
            when=(OffenceClass.CRIME,),
        ),
        Bound(
            "socio_judicial_years",
            _("Socio-judicial supervision for a crime punished by 30 years"),
            None,
            30,
            YEARS,
            "CP 131-36-1",
            when=(OffenceClass.CRIME_30_YEARS,),
        ),
        # Left empty, the follow-up is without limit of duration.
        Bound(
            "socio_judicial_years",
            _("Fixed-length socio-judicial supervision for a crime punished by life"),
            None,
            30,
            YEARS,
            "CP 131-36-1",
            when=(OffenceClass.CRIME_LIFE,),
        ),
    ),
    MeasureKind.COURSE: (
        Bound(
            "course_days",
            _("Length of the course"),
            None,
            31,
            DAYS,
            "CP 131-5-1",
            as_written=(1, MONTHS),
        ),
        Bound(COURSE_DEADLINE, _("Completion of the course"), None, 6, MONTHS, "CP 131-5-1"),
    ),
    MeasureKind.JUDICIAL_CONTROL: (),  # CPP 138: lasts until the judgment, nothing to check
    MeasureKind.ARSE: (
        Bound("arse_months", _("Period of house arrest (ARSE)"), None, 6, MONTHS, "CPP 142-7"),
        Bound(
            PROLONGED_TOTAL,
            _("House arrest (ARSE) with its renewals"),
            None,
            24,
            MONTHS,
            "CPP 142-7",
            as_written=(2, YEARS),
        ),
    ),
}

# What a measure of each kind cannot be recorded without (dates may come later).
REQUIRED_FIELDS: dict[MeasureKind, tuple[str, ...]] = {
    MeasureKind.PROBATION: ("prison_term_months", "probation_months"),
    MeasureKind.PROBATION_REINFORCED: ("prison_term_months", "probation_months"),
    MeasureKind.TIG: ("tig_hours",),
    MeasureKind.DDSE_SENTENCE: ("ddse_days",),
    MeasureKind.DDSE_ADJUSTMENT: ("remaining_term_days",),
    MeasureKind.SEMI_LIBERTY: ("remaining_term_days",),
    MeasureKind.OUTSIDE_PLACEMENT: ("remaining_term_days",),
    MeasureKind.PAROLE: ("supervision_months",),
    MeasureKind.RELEASE_UNDER_CONSTRAINT: ("total_sentence_days", "remaining_term_days"),
    MeasureKind.SOCIO_JUDICIAL: ("offence_class", "socio_judicial_years"),
    MeasureKind.COURSE: ("course_kind",),
    MeasureKind.JUDICIAL_CONTROL: (),
    MeasureKind.ARSE: ("arse_months",),
}


# Terms a kind may carry beyond those it requires; a form drops every other duration field.
OPTIONAL_FIELDS: dict[MeasureKind, tuple[str, ...]] = {
    MeasureKind.TIG: ("tig_deadline_months", "tig_consent"),
    MeasureKind.RELEASE_UNDER_CONSTRAINT: ("custody_start",),
    MeasureKind.PAROLE: ("total_sentence_days", "custody_start"),
    MeasureKind.COURSE: ("course_days",),
}


def terms_fields(kind: str) -> frozenset[str]:
    """The duration fields that mean something for `kind`."""
    kind = MeasureKind(kind)
    return frozenset(REQUIRED_FIELDS[kind]) | frozenset(OPTIONAL_FIELDS.get(kind, ()))


def rule(kind: str, field: str) -> Bound | None:
    """The row of `BOUNDS` for this kind and field or rule name, if any (first match)."""
    return next((bound for bound in BOUNDS[MeasureKind(kind)] if bound.field == field), None)


def _rule(kind: str, field: str) -> Bound:
    bound = rule(kind, field)
    assert bound is not None, (kind, field)
    return bound


@dataclass(frozen=True)
class MeasureTerms:
    """What a decision sets for one measure; a field not used by the kind stays None."""

    kind: MeasureKind
    decision_date: dt.date | None = None
    final_date: dt.date | None = None  # the conviction became final (définitive, exécutoire)
    start_date: dt.date | None = None
    recidivism: Recidivism = Recidivism.NONE
    prison_term_months: int | None = None  # probation kinds: the suspended prison term
    probation_months: int | None = None
    tig_hours: Number | None = None
    tig_deadline_months: int | None = None  # empty: the legal maximum
    tig_consent: bool = False  # CP 131-8: community work needs the person's consent
    ddse_days: int | None = None
    remaining_term_days: int | None = None  # adjustments and release under constraint
    total_sentence_days: int | None = None  # release under constraint
    custody_start: dt.date | None = None
    supervision_months: int | None = None  # parole
    offence_class: OffenceClass | None = None  # socio-judicial
    socio_judicial_years: int | None = None  # empty for a crime punished by life: unlimited
    course_kind: CourseKind | None = None
    course_days: int | None = None
    arse_months: int | None = None

    @classmethod
    def from_obj(cls, obj: object) -> MeasureTerms:
        """Read the same-named attributes of `obj` (a `Measure`), skipping missing ones."""
        names = [field.name for field in fields(cls) if hasattr(obj, field.name)]
        return cls(**{name: getattr(obj, name) for name in names})


@dataclass(frozen=True)
class Event:
    """A JAP decision in the life of a measure."""

    kind: EventKind
    date: dt.date
    end_date: dt.date | None = None  # suspension: None while it lasts
    months: int | None = None  # prolongation
    decision_reference: str = ""

    @classmethod
    def from_obj(cls, obj: object) -> Event:
        names = [field.name for field in fields(cls) if hasattr(obj, field.name)]
        return cls(**{name: getattr(obj, name) for name in names})


def validate_terms(terms: MeasureTerms) -> list[BoundError]:
    """Every legal bound `terms` break, and every field its kind requires but lacks."""
    unlimited = terms.offence_class == OffenceClass.CRIME_LIFE  # years may stay empty
    errors = [
        BoundError(_message(_REQUIRED, {"kind": MeasureKind(terms.kind).label}), field=name)
        for name in REQUIRED_FIELDS[terms.kind]
        if getattr(terms, name) is None and not (name == "socio_judicial_years" and unlimited)
    ]
    for bound in BOUNDS[terms.kind]:
        value = getattr(terms, bound.field, None)
        if value is not None and bound.applies(terms) and (error := bound.check(value)):
            errors.append(error)
    if terms.kind == MeasureKind.COURSE and terms.final_date and terms.start_date:
        errors.extend(_check_course_deadline(terms))
    if terms.kind == MeasureKind.TIG and not terms.tig_consent:
        errors.append(BoundError(_TIG_CONSENT, field="tig_consent"))
    if terms.decision_date and terms.start_date and terms.start_date < terms.decision_date:
        errors.append(BoundError(_STARTS_BEFORE_JUDGMENT, field="start_date"))
    if terms.decision_date and terms.final_date and terms.final_date < terms.decision_date:
        errors.append(BoundError(_FINAL_BEFORE_JUDGMENT, field="final_date"))
    if (
        terms.remaining_term_days is not None
        and terms.total_sentence_days is not None
        and terms.remaining_term_days > terms.total_sentence_days
    ):
        errors.append(BoundError(_REMAINING_OVER_TOTAL, field="remaining_term_days"))
    return errors


def _check_course_deadline(terms: MeasureTerms) -> list[BoundError]:
    """The course is done within its delay from the final date (CP 131-5-1)."""
    bound = _rule(MeasureKind.COURSE, COURSE_DEADLINE)
    assert terms.final_date and terms.start_date
    deadline = add_months(terms.final_date, bound.months)
    length = int(terms.course_days) if terms.course_days and terms.course_days > 0 else 1
    if terms.start_date + dt.timedelta(days=length - 1) <= deadline:
        return []
    message = _delay_message(_NOT_AFTER, bound, deadline)
    return [BoundError(message, field="start_date", bound=bound)]


def _delay_message(template: str | Promise, bound: Bound, day: dt.date) -> Promise:
    limit = bound.maximum if bound.maximum is not None else bound.minimum
    params = {"subject": bound.subject, "date": _short_date(day), "article": bound.article}
    return _message(template, params | {"bound": _quantity(limit, bound.unit)})


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months, clamped to the last day of the month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _clock(terms: MeasureTerms) -> tuple[dt.date | None, int, int] | None:
    """Where the measure's clock starts and how long it runs before events, as (anchor,
    months, days); None when the kind has no fixed length or the duration is missing."""
    kind, months, days = MeasureKind, None, 0  # short alias for the patterns
    anchor = terms.start_date
    match terms.kind:
        case kind.PROBATION | kind.PROBATION_REINFORCED:
            months = terms.probation_months
        case kind.TIG:  # a deadline from the final date, not a length
            anchor = terms.final_date
            months = terms.tig_deadline_months or _rule(kind.TIG, "tig_deadline_months").months
        case kind.COURSE:
            anchor, months = terms.final_date, _rule(kind.COURSE, COURSE_DEADLINE).months
        case kind.DDSE_SENTENCE:
            months, days = 0, terms.ddse_days
        case (
            kind.DDSE_ADJUSTMENT
            | kind.SEMI_LIBERTY
            | kind.OUTSIDE_PLACEMENT
            | kind.RELEASE_UNDER_CONSTRAINT
        ):  # until the end of the remaining custodial term
            months, days = 0, terms.remaining_term_days
        case kind.PAROLE:
            months = terms.supervision_months
        case kind.SOCIO_JUDICIAL if terms.socio_judicial_years is not None:
            months = terms.socio_judicial_years * 12
        case kind.ARSE:
            months = terms.arse_months
    if months is None or days is None:
        return None
    return anchor, int(months), int(days)


def closed_suspensions(events: Sequence[Event]) -> list[Event]:
    """The events with each open suspension closed by the first resumption after it."""
    resumptions = sorted(e.date for e in events if e.kind == EventKind.RESUMPTION)
    closed = []
    for event in events:
        if event.kind == EventKind.SUSPENSION and event.end_date is None:
            after = [day for day in resumptions if day > event.date]
            if after:
                event = replace(event, end_date=after[0])
        closed.append(event)
    return closed


def _suspended_days(events: Sequence[Event]) -> int | None:
    """Days the clock stood still (overlaps counted once); None while a suspension is open."""
    events = closed_suspensions(events)
    spans = [(e.date, e.end_date) for e in events if e.kind == EventKind.SUSPENSION]
    total, reach = 0, dt.date.min
    for start, end in sorted(spans, key=lambda span: span[0]):
        if end is None:
            return None
        total += max((end - max(start, reach)).days, 0)
        reach = max(reach, end)
    return total


def compute_end_date(terms: MeasureTerms, events: Sequence[Event] = ()) -> dt.date | None:
    """The date the measure ends: start (final date for the TIG and course deadlines) plus
    its duration and prolongations, pushed back by closed suspensions; a total revocation or
    an early end ends it on its date. A partial revocation or a change of obligations
    changes nothing. None when unknown: no start or duration yet, an open suspension, or no
    fixed length (contrôle judiciaire, unlimited socio-judicial follow-up)."""
    end = None
    clock, suspended = _clock(terms), _suspended_days(events)
    if clock and clock[0] and suspended is not None:
        anchor, months, days = clock
        months += sum(e.months or 0 for e in events if e.kind == EventKind.PROLONGATION)
        end = add_months(anchor, months) + dt.timedelta(days=days + suspended)
    stops = [e.date for e in events if e.kind in ENDING_EVENTS]
    if stops:
        end = min(stops) if end is None else min(end, *stops)
    return end


def earliest_early_end(terms: MeasureTerms) -> dt.date | None:
    """First day an early end (non avenue) may be declared: one year after the conviction
    became final (CPP 744); None for other kinds or while the final date is unknown."""
    bound = rule(terms.kind, EARLY_END_DELAY)
    if bound is None or terms.final_date is None:
        return None
    return add_months(terms.final_date, bound.months)


def can_end_early(terms: MeasureTerms, as_of: dt.date) -> bool:
    earliest = earliest_early_end(terms)
    return earliest is not None and as_of >= earliest


def validate_event(
    terms: MeasureTerms, events: Sequence[Event], new_event: Event
) -> list[BoundError]:
    """What forbids recording `new_event` after `events` on a measure with these terms
    (empty when it may be recorded)."""
    stops = [e.date for e in events if e.kind in ENDING_EVENTS]
    if stops and new_event.date > min(stops):
        return [BoundError(_message(_ENDED, {"date": _short_date(min(stops))}), field="date")]
    if terms.decision_date and new_event.date < terms.decision_date:
        return [BoundError(_EVENT_BEFORE_JUDGMENT, field="date")]
    match new_event.kind:
        case EventKind.RESUMPTION:
            open_since = [
                e.date
                for e in closed_suspensions(events)
                if e.kind == EventKind.SUSPENSION and e.end_date is None
            ]
            if not open_since or new_event.date <= max(open_since):
                return [BoundError(_NO_OPEN_SUSPENSION, field="date")]
            return []
        case EventKind.SUSPENSION:
            return _check_suspension(terms, events, new_event)
        case EventKind.PROLONGATION:
            return _check_prolongation(terms, events, new_event)
        case EventKind.EARLY_END if terms.kind in PROBATION_KINDS:
            return _check_early_end(terms, new_event)
    return []


def _check_suspension(terms: MeasureTerms, events: Sequence[Event], new: Event) -> list[BoundError]:
    if new.end_date is not None and new.end_date < new.date:
        return [BoundError(_SUSPENSION_BACKWARDS, field="end_date")]
    for other in events:
        if other.kind == EventKind.SUSPENSION and _overlap(other, new):
            message = _message(_SUSPENSION_OVERLAP, {"date": _short_date(other.date)})
            return [BoundError(message, field="date")]
    end = compute_end_date(terms, events)
    if end is not None and new.date > end:
        return [BoundError(_message(_ENDED, {"date": _short_date(end)}), field="date")]
    return []


def _overlap(one: Event, other: Event) -> bool:
    return (one.end_date is None or other.date < one.end_date) and (
        other.end_date is None or one.date < other.end_date
    )


def _check_prolongation(
    terms: MeasureTerms, events: Sequence[Event], new: Event
) -> list[BoundError]:
    cap = rule(terms.kind, PROLONGED_TOTAL)
    if cap is None:
        return [BoundError(_NOT_PROLONGABLE)]
    if new.months is None:
        label = EventKind(new.kind).label
        return [BoundError(_message(_REQUIRED_FOR_EVENT, {"kind": label}), field="months")]
    step = rule(terms.kind, "arse_months") or cap  # each ARSE renewal is capped like the first
    clock = _clock(terms)
    earlier = sum(e.months or 0 for e in events if e.kind == EventKind.PROLONGATION)
    total = (clock[1] if clock else 0) + earlier + new.months
    error = step.check(new.months, field="months") or cap.check(total, field="months")
    return [error] if error else []


def _check_early_end(terms: MeasureTerms, new: Event) -> list[BoundError]:
    bound = _rule(terms.kind, EARLY_END_DELAY)
    earliest = earliest_early_end(terms)
    if earliest is None:
        return [BoundError(_message(_FINAL_DATE_NEEDED, {"article": bound.article}), bound=bound)]
    if new.date < earliest:
        message = _delay_message(_NOT_BEFORE, bound, earliest)
        return [BoundError(message, field="date", bound=bound)]
    return []


def _served_share(
    total_days: int, custody_start: dt.date, numerator: int, denominator: int
) -> dt.date:
    # The first day the time served reaches the share of the sentence, in whole days.
    return custody_start + dt.timedelta(days=-(-total_days * numerator // denominator))


def half_sentence_date(total_sentence_days: int, custody_start: dt.date) -> dt.date:
    """Parole eligibility: half the sentence served (CPP 729)."""
    return _served_share(total_sentence_days, custody_start, 1, 2)


def two_thirds_date(total_sentence_days: int, custody_start: dt.date) -> dt.date:
    """Review for release under constraint: two thirds served, that is at least twice what
    remains (CPP 720)."""
    return _served_share(total_sentence_days, custody_start, 2, 3)


def automatic_release_date(total_sentence_days: int, custody_start: dt.date) -> dt.date | None:
    """Release under constraint of right (CPP 720): once at most 3 months remain of a total
    sentence of at most 2 years; None for longer sentences."""
    kind = MeasureKind.RELEASE_UNDER_CONSTRAINT
    if _rule(kind, AUTOMATIC_RELEASE_TOTAL).check(total_sentence_days):
        return None
    sentence_end = custody_start + dt.timedelta(days=total_sentence_days)
    return max(
        custody_start, add_months(sentence_end, -_rule(kind, AUTOMATIC_RELEASE_REMAINING).months)
    )
