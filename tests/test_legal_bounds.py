"""Legal bounds of DOMAIN.md on both sides, and end dates through the JAP's decisions.

Pure functions: no database. The numbers below are the law's, copied from DOMAIN.md, so
that a wrong row in `cases.legal.BOUNDS` fails here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from cases.legal import (
    BOUNDS,
    CONTROL_MEASURE_KINDS,
    PROBATION_KINDS,
    BoundError,
    CourseKind,
    Event,
    EventKind,
    MeasureKind,
    MeasureTerms,
    OffenceClass,
    Recidivism,
    Unit,
    add_months,
    automatic_release_date,
    can_end_early,
    compute_end_date,
    half_sentence_date,
    two_thirds_date,
    validate_event,
    validate_terms,
)
from spip.exceptions import SpipError

Kind = MeasureKind
LEGAL, NEW = {"recidivism": Recidivism.LEGAL}, {"recidivism": Recidivism.NEW}

# A valid measure of each kind; each test changes what it is about.
VALID: dict[MeasureKind, dict[str, object]] = {
    Kind.PROBATION: {"prison_term_months": 12, "probation_months": 24},
    Kind.PROBATION_REINFORCED: {"prison_term_months": 12, "probation_months": 24},
    Kind.TIG: {"tig_hours": 120, "tig_consent": True},
    Kind.DDSE_SENTENCE: {"ddse_days": 90},
    Kind.DDSE_ADJUSTMENT: {"remaining_term_days": 300},
    Kind.SEMI_LIBERTY: {"remaining_term_days": 300},
    Kind.OUTSIDE_PLACEMENT: {"remaining_term_days": 300},
    Kind.PAROLE: {"supervision_months": 24},
    Kind.RELEASE_UNDER_CONSTRAINT: {"total_sentence_days": 900, "remaining_term_days": 200},
    Kind.SOCIO_JUDICIAL: {"offence_class": OffenceClass.DELIT, "socio_judicial_years": 5},
    Kind.COURSE: {"course_kind": CourseKind.CITIZENSHIP},
    Kind.JUDICIAL_CONTROL: {},
    Kind.ARSE: {"arse_months": 4},
}


def terms(kind: MeasureKind, **changes: object) -> MeasureTerms:
    return MeasureTerms(kind=kind, **(VALID[kind] | changes))  # type: ignore[arg-type]


def french(error: BoundError) -> str:
    with translation.override("fr"):
        return str(error.message)


# kind, other terms, field, value at the bound (accepted), one past it (refused),
# the bound as the French message words it, article
BOUND_CASES = [
    (Kind.PROBATION, {}, "prison_term_months", 60, 61, "au plus 60 mois (5 ans", "CP 132-41"),
    (
        Kind.PROBATION,
        LEGAL,
        "prison_term_months",
        120,
        121,
        "au plus 120 mois (10 ans",
        "CP 132-41",
    ),
    (Kind.PROBATION, NEW, "prison_term_months", 120, 121, "au plus 120 mois (10 ans", "CP 132-41"),
    (Kind.PROBATION, {}, "probation_months", 12, 11, "au moins 12 mois", "CP 132-42"),
    (Kind.PROBATION, {}, "probation_months", 36, 37, "au plus 36 mois", "CP 132-42"),
    (Kind.PROBATION, LEGAL, "probation_months", 12, 11, "au moins 12 mois", "CP 132-42"),
    (Kind.PROBATION, LEGAL, "probation_months", 60, 61, "au plus 60 mois", "CP 132-42"),
    (Kind.PROBATION, NEW, "probation_months", 12, 11, "au moins 12 mois", "CP 132-42"),
    (Kind.PROBATION, NEW, "probation_months", 84, 85, "au plus 84 mois", "CP 132-42"),
    (
        Kind.PROBATION_REINFORCED,
        {},
        "prison_term_months",
        60,
        61,
        "au plus 60 mois (5 ans",
        "CP 132-41",
    ),
    (Kind.PROBATION_REINFORCED, {}, "probation_months", 12, 11, "au moins 12 mois", "CP 132-42"),
    (Kind.PROBATION_REINFORCED, {}, "probation_months", 36, 37, "au plus 36 mois", "CP 132-42"),
    (Kind.PROBATION_REINFORCED, LEGAL, "probation_months", 60, 61, "au plus 60 mois", "CP 132-42"),
    (Kind.PROBATION_REINFORCED, NEW, "probation_months", 84, 85, "au plus 84 mois", "CP 132-42"),
    (Kind.TIG, {}, "tig_hours", 20, 19, "au moins 20 heures", "CP 131-8"),
    (Kind.TIG, {}, "tig_hours", 400, 401, "au plus 400 heures", "CP 131-8"),
    (Kind.TIG, {}, "tig_deadline_months", 18, 19, "au plus 18 mois", "CP 131-22"),
    (Kind.DDSE_SENTENCE, {}, "ddse_days", 15, 14, "au moins 15 jours", "CP 131-4-1"),
    (Kind.DDSE_SENTENCE, {}, "ddse_days", 184, 185, "au plus 184 jours (6 mois", "CP 131-4-1"),
    (
        Kind.DDSE_ADJUSTMENT,
        {},
        "remaining_term_days",
        731,
        732,
        "au plus 731 jours (2 ans",
        "CPP 723-7",
    ),
    (
        Kind.SEMI_LIBERTY,
        {},
        "remaining_term_days",
        731,
        732,
        "au plus 731 jours (2 ans",
        "CPP 723-1",
    ),
    (
        Kind.OUTSIDE_PLACEMENT,
        {},
        "remaining_term_days",
        731,
        732,
        "au plus 731 jours (2 ans",
        "CPP 723-1",
    ),
    (Kind.PAROLE, {}, "supervision_months", 120, 121, "au plus 120 mois (10 ans", "CPP 732"),
    (
        Kind.RELEASE_UNDER_CONSTRAINT,
        {},
        "total_sentence_days",
        1827,
        1828,
        "au plus 1827 jours (5 ans",
        "CPP 720",
    ),
    (
        Kind.SOCIO_JUDICIAL,
        {"offence_class": OffenceClass.DELIT},
        "socio_judicial_years",
        10,
        11,
        "au plus 10 ans",
        "CP 131-36-1",
    ),
    (
        Kind.SOCIO_JUDICIAL,
        {"offence_class": OffenceClass.CRIME},
        "socio_judicial_years",
        20,
        21,
        "au plus 20 ans",
        "CP 131-36-1",
    ),
    (
        Kind.SOCIO_JUDICIAL,
        {"offence_class": OffenceClass.CRIME_30_YEARS},
        "socio_judicial_years",
        30,
        31,
        "au plus 30 ans",
        "CP 131-36-1",
    ),
    (
        Kind.SOCIO_JUDICIAL,
        {"offence_class": OffenceClass.CRIME_LIFE},
        "socio_judicial_years",
        30,
        31,
        "au plus 30 ans",
        "CP 131-36-1",
    ),
    (Kind.COURSE, {}, "course_days", 31, 32, "au plus 31 jours (1 mois", "CP 131-5-1"),
    (Kind.ARSE, {}, "arse_months", 6, 7, "au plus 6 mois", "CPP 142-7"),
]


def _case_id(case: tuple) -> str:
    kind, others, field, _accepted, refused, *_ = case
    return f"{kind.value}-{'-'.join(map(str, others.values()))}-{field}-{refused}"


@pytest.mark.parametrize(
    ("kind", "others", "field", "accepted", "refused", "bound", "article"),
    BOUND_CASES,
    ids=[_case_id(case) for case in BOUND_CASES],
)
def test_each_bound_accepts_its_limit_and_refuses_one_past_it(
    kind, others, field, accepted, refused, bound, article
):
    assert validate_terms(terms(kind, **others, **{field: accepted})) == []

    errors = validate_terms(terms(kind, **others, **{field: refused}))

    assert [error.field for error in errors] == [field]
    message = french(errors[0])
    assert bound in message
    assert f"({article})" in message or f", {article})" in message
    assert f"valeur saisie\u202f: {refused} " in message
    assert errors[0].bound is not None and errors[0].bound.article == article


def test_messages_name_bound_and_article_in_english_too():
    [error] = validate_terms(terms(Kind.TIG, tig_hours=401))
    with translation.override("en"):
        assert str(error.message) == (
            "Community work (TIG) hours: at most 400 hours (CP 131-8); entered: 401 hours."
        )
    with translation.override("fr"):  # the message is lazy: it follows the active language
        assert str(error.message) == (
            "Heures de travail d’intérêt général (TIG)\u202f: au plus 400 heures (CP 131-8)"
            "\u202f; valeur saisie\u202f: 401 heures."
        )


def test_errors_are_domain_errors_with_their_field():
    [error] = validate_terms(terms(Kind.PROBATION, probation_months=37))
    assert isinstance(error, SpipError)
    assert error.field == "probation_months"
    assert "37 mois" in french(error)


@pytest.mark.parametrize("hours", [Decimal("20.5"), 120.25])
def test_tig_hours_are_whole(hours):
    [error] = validate_terms(terms(Kind.TIG, tig_hours=hours))
    assert error.field == "tig_hours"
    assert "nombre entier" in french(error)
    assert "CP 131-8" in french(error)


def test_whole_hours_given_as_a_decimal_are_accepted():
    assert validate_terms(terms(Kind.TIG, tig_hours=Decimal("400"))) == []


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (Kind.PROBATION, "prison_term_months"),
        (Kind.PAROLE, "supervision_months"),
        (Kind.TIG, "tig_deadline_months"),
    ],
)
def test_bounds_without_a_legal_minimum_still_refuse_zero(kind, field):
    [error] = validate_terms(terms(kind, **{field: 0}))
    assert error.field == field
    assert "supérieure à zéro" in french(error)


@pytest.mark.parametrize("kind", list(MeasureKind))
def test_a_valid_measure_of_each_kind_has_no_error(kind):
    assert validate_terms(terms(kind)) == []


@pytest.mark.parametrize(
    ("kind", "field", "label"),
    [
        (Kind.PROBATION, "prison_term_months", "Sursis probatoire"),
        (Kind.PROBATION, "probation_months", "Sursis probatoire"),
        (Kind.PROBATION_REINFORCED, "probation_months", "Sursis probatoire renforcé"),
        (Kind.TIG, "tig_hours", "Travail d’intérêt général (TIG)"),
        (Kind.DDSE_SENTENCE, "ddse_days", "Détention à domicile sous surveillance électronique"),
        (Kind.DDSE_ADJUSTMENT, "remaining_term_days", "DDSE (aménagement de peine)"),
        (Kind.SEMI_LIBERTY, "remaining_term_days", "Semi-liberté"),
        (Kind.OUTSIDE_PLACEMENT, "remaining_term_days", "Placement à l’extérieur"),
        (Kind.PAROLE, "supervision_months", "Libération conditionnelle"),
        (Kind.RELEASE_UNDER_CONSTRAINT, "total_sentence_days", "Libération sous contrainte"),
        (Kind.RELEASE_UNDER_CONSTRAINT, "remaining_term_days", "Libération sous contrainte"),
        (Kind.SOCIO_JUDICIAL, "offence_class", "Suivi socio-judiciaire"),
        (Kind.SOCIO_JUDICIAL, "socio_judicial_years", "Suivi socio-judiciaire"),
        (Kind.COURSE, "course_kind", "Peine de stage"),
        (Kind.ARSE, "arse_months", "Assignation à résidence sous surveillance électronique"),
    ],
)
def test_a_measure_without_its_required_field_is_refused(kind, field, label):
    [error] = validate_terms(terms(kind, **{field: None}))
    assert error.field == field
    assert "obligatoire" in french(error)
    assert label in french(error)


def test_socio_judicial_supervision_for_a_crime_punished_by_life_may_be_unlimited():
    unlimited = terms(
        Kind.SOCIO_JUDICIAL,
        offence_class=OffenceClass.CRIME_LIFE,
        socio_judicial_years=None,
        start_date=dt.date(2025, 1, 1),
    )
    assert validate_terms(unlimited) == []
    assert compute_end_date(unlimited) is None


@pytest.mark.parametrize(
    ("start", "accepted"),
    [(dt.date(2025, 7, 30), True), (dt.date(2025, 7, 31), False)],
)
def test_a_course_is_done_within_six_months_of_the_final_date(start, accepted):
    course = terms(Kind.COURSE, final_date=dt.date(2025, 1, 31), start_date=start, course_days=2)
    errors = validate_terms(course)
    assert accepted == (errors == [])
    if not accepted:
        [error] = errors
        assert error.field == "start_date"
        assert "au plus tard le 31/07/2025" in french(error)
        assert "6 mois" in french(error)
        assert "CP 131-5-1" in french(error)


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (Kind.PROBATION, "Sursis probatoire"),
        (Kind.PROBATION_REINFORCED, "Sursis probatoire renforcé"),
        (Kind.TIG, "Travail d’intérêt général (TIG)"),
        (Kind.DDSE_SENTENCE, "Détention à domicile sous surveillance électronique (peine)"),
        (Kind.DDSE_ADJUSTMENT, "DDSE (aménagement de peine)"),
        (Kind.SEMI_LIBERTY, "Semi-liberté"),
        (Kind.OUTSIDE_PLACEMENT, "Placement à l’extérieur"),
        (Kind.PAROLE, "Libération conditionnelle"),
        (Kind.RELEASE_UNDER_CONSTRAINT, "Libération sous contrainte"),
        (Kind.SOCIO_JUDICIAL, "Suivi socio-judiciaire"),
        (Kind.COURSE, "Peine de stage"),
        (Kind.JUDICIAL_CONTROL, "Contrôle judiciaire"),
        (Kind.ARSE, "Assignation à résidence sous surveillance électronique (ARSE)"),
    ],
)
def test_measure_kinds_have_the_french_labels_of_domain(kind, label):
    with translation.override("fr"):
        assert str(kind.label) == label


def test_recidivism_labels_in_french():
    with translation.override("fr"):
        assert [str(choice.label) for choice in Recidivism] == [
            "sans récidive",
            "récidive légale",
            "nouvelle récidive",
        ]


def test_every_bound_cites_its_article():
    for kind, bounds in BOUNDS.items():
        for bound in bounds:
            assert bound.article.split()[0] in ("CP", "CPP"), (kind, bound)
    assert set(BOUNDS) == set(MeasureKind)


def _longest_span(months: int) -> int:
    """The most days `months` calendar months can hold, over a full leap-year cycle."""
    starts = (dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(4 * 366))
    return max((add_months(start, months) - start).days for start in starts)


def test_limits_the_law_words_in_months_or_years_fit_the_calendar():
    """A limit in days must let through every duration the law's wording allows."""
    for bounds in BOUNDS.values():
        for bound in bounds:
            if bound.as_written is None:
                continue
            count, unit = bound.as_written
            months = count * 12 if unit is Unit.YEARS else count
            expected = _longest_span(months) if bound.unit is Unit.DAYS else months
            assert bound.maximum == expected, bound


def test_probation_kinds_and_control_measures():
    assert {Kind.PROBATION, Kind.PROBATION_REINFORCED} == PROBATION_KINDS
    assert PROBATION_KINDS < CONTROL_MEASURE_KINDS
    assert Kind.TIG not in CONTROL_MEASURE_KINDS
    assert Kind.JUDICIAL_CONTROL not in CONTROL_MEASURE_KINDS


# --- Calendar arithmetic -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 31), -1, dt.date(2025, 2, 28)),
        (dt.date(2025, 12, 31), 2, dt.date(2026, 2, 28)),
        (dt.date(2025, 11, 15), 2, dt.date(2026, 1, 15)),
        (dt.date(2025, 1, 31), -13, dt.date(2023, 12, 31)),
        (dt.date(2025, 5, 31), 0, dt.date(2025, 5, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


# --- End dates -----------------------------------------------------------------------

START = dt.date(2025, 1, 31)
FINAL = dt.date(2025, 2, 15)


def suspension(start: dt.date, end: dt.date | None) -> Event:
    return Event(EventKind.SUSPENSION, start, end_date=end)


def prolongation(day: dt.date, months: int | None) -> Event:
    return Event(EventKind.PROLONGATION, day, months=months)


PROBATION_12 = {"probation_months": 12, "start_date": START, "final_date": START}

END_DATE_CASES = [
    ("probation from date to date", Kind.PROBATION, PROBATION_12, [], dt.date(2026, 1, 31)),
    (
        "month clamped",
        Kind.PROBATION,
        PROBATION_12 | {"probation_months": 13},
        [],
        dt.date(2026, 2, 28),
    ),
    (
        "closed suspension adds its days",
        Kind.PROBATION,
        PROBATION_12,
        [suspension(dt.date(2025, 3, 1), dt.date(2025, 3, 11))],
        dt.date(2026, 2, 10),
    ),
    (
        "overlapping suspensions count once",
        Kind.PROBATION,
        PROBATION_12,
        [
            suspension(dt.date(2025, 3, 1), dt.date(2025, 3, 11)),
            suspension(dt.date(2025, 3, 6), dt.date(2025, 3, 16)),
        ],
        dt.date(2026, 2, 15),
    ),
    (
        "open suspension: unknown",
        Kind.PROBATION,
        PROBATION_12,
        [suspension(dt.date(2025, 3, 1), None)],
        None,
    ),
    (
        "open suspension ended by revocation",
        Kind.PROBATION,
        PROBATION_12,
        [
            suspension(dt.date(2025, 3, 1), None),
            Event(EventKind.TOTAL_REVOCATION, dt.date(2025, 5, 20)),
        ],
        dt.date(2025, 5, 20),
    ),
    (
        "prolongations add months",
        Kind.PROBATION,
        PROBATION_12,
        [prolongation(dt.date(2025, 6, 1), 12), prolongation(dt.date(2026, 6, 1), 12)],
        dt.date(2028, 1, 31),
    ),
    (
        "partial revocation and new obligations change nothing",
        Kind.PROBATION,
        PROBATION_12,
        [
            Event(EventKind.PARTIAL_REVOCATION, dt.date(2025, 6, 1)),
            Event(EventKind.OBLIGATION_CHANGE, dt.date(2025, 7, 1)),
        ],
        dt.date(2026, 1, 31),
    ),
    (
        "total revocation ends it",
        Kind.PROBATION,
        PROBATION_12,
        [Event(EventKind.TOTAL_REVOCATION, dt.date(2025, 9, 1))],
        dt.date(2025, 9, 1),
    ),
    (
        "revocation after the end leaves the end",
        Kind.PROBATION,
        PROBATION_12,
        [Event(EventKind.TOTAL_REVOCATION, dt.date(2026, 3, 1))],
        dt.date(2026, 1, 31),
    ),
    (
        "early end ends it",
        Kind.PROBATION,
        PROBATION_12,
        [Event(EventKind.EARLY_END, dt.date(2026, 1, 5))],
        dt.date(2026, 1, 5),
    ),
    ("no start yet", Kind.PROBATION, {"probation_months": 12}, [], None),
    (
        "TIG deadline: 18 months from the final date by default",
        Kind.TIG,
        {"final_date": FINAL},
        [],
        dt.date(2026, 8, 15),
    ),
    (
        "TIG deadline set by the court",
        Kind.TIG,
        {"final_date": FINAL, "tig_deadline_months": 12},
        [],
        dt.date(2026, 2, 15),
    ),
    (
        "TIG deadline extended by a suspension",
        Kind.TIG,
        {"final_date": FINAL},
        [suspension(dt.date(2025, 4, 1), dt.date(2025, 5, 1))],
        dt.date(2026, 9, 14),
    ),
    (
        "DDSE sentence in days",
        Kind.DDSE_SENTENCE,
        {"start_date": START, "ddse_days": 90},
        [],
        dt.date(2025, 5, 1),
    ),
    (
        "semi-liberty until the end of the remaining term",
        Kind.SEMI_LIBERTY,
        {"start_date": START, "remaining_term_days": 300},
        [],
        dt.date(2025, 11, 27),
    ),
    (
        "parole",
        Kind.PAROLE,
        {"start_date": START, "supervision_months": 24},
        [],
        dt.date(2027, 1, 31),
    ),
    (
        "socio-judicial in years",
        Kind.SOCIO_JUDICIAL,
        {"start_date": START},
        [],
        dt.date(2030, 1, 31),
    ),
    (
        "course: 6 months from the final date",
        Kind.COURSE,
        {"final_date": FINAL},
        [],
        dt.date(2025, 8, 15),
    ),
    (
        "ARSE renewed",
        Kind.ARSE,
        {"start_date": START},
        [prolongation(dt.date(2025, 5, 1), 6)],
        dt.date(2025, 11, 30),
    ),
    ("judicial control has no fixed end", Kind.JUDICIAL_CONTROL, {"start_date": START}, [], None),
]


@pytest.mark.parametrize(
    ("kind", "changes", "events", "expected"),
    [case[1:] for case in END_DATE_CASES],
    ids=[case[0] for case in END_DATE_CASES],
)
def test_end_date(kind, changes, events, expected):
    assert compute_end_date(terms(kind, **changes), events) == expected


# --- Events --------------------------------------------------------------------------

PROBATION_24 = terms(Kind.PROBATION, probation_months=24, start_date=START, final_date=START)


@pytest.mark.parametrize(
    ("earlier", "months", "accepted"),
    [
        ([], 12, True),
        ([], 13, False),
        ([prolongation(dt.date(2025, 6, 1), 6)], 6, True),
        ([prolongation(dt.date(2025, 6, 1), 6)], 7, False),
    ],
)
def test_prolongation_within_three_years_in_total(earlier, months, accepted):
    errors = validate_event(PROBATION_24, earlier, prolongation(dt.date(2026, 1, 10), months))
    assert accepted == (errors == [])
    if not accepted:
        [error] = errors
        assert error.field == "months"
        assert "au plus 36 mois (CPP 743)" in french(error)
        assert "37 mois" in french(error)


def test_a_probation_period_already_past_three_years_cannot_be_prolonged():
    recidivist = terms(Kind.PROBATION, **LEGAL, probation_months=60, start_date=START)
    [error] = validate_event(recidivist, [], prolongation(dt.date(2026, 1, 10), 1))
    assert "CPP 743" in french(error)


def test_prolongation_may_follow_the_end_of_the_period():
    """CPP 742: the JAP may prolong once the period has run out, for a breach during it."""
    assert validate_event(PROBATION_24, [], prolongation(dt.date(2027, 3, 1), 6)) == []


def test_prolongation_needs_its_months():
    [error] = validate_event(PROBATION_24, [], prolongation(dt.date(2026, 1, 10), None))
    assert error.field == "months"
    assert "obligatoire" in french(error)


def test_a_tig_cannot_be_prolonged():
    [error] = validate_event(terms(Kind.TIG), [], prolongation(dt.date(2026, 1, 10), 6))
    assert error.field is None
    assert french(error) == "Cette mesure ne peut pas être prolongée."


@pytest.mark.parametrize(
    ("earlier", "months", "bound"),
    [
        ([], 6, None),
        ([], 7, "au plus 6 mois (CPP 142-7)"),
        ([prolongation(dt.date(2025, 6, 1), 6)] * 3, 6, "au plus 24 mois (2 ans, CPP 142-7)"),
        ([prolongation(dt.date(2025, 6, 1), 6)] * 2, 6, None),
    ],
)
def test_arse_renewals_of_six_months_within_two_years(earlier, months, bound):
    arse = terms(Kind.ARSE, arse_months=6, start_date=START)
    errors = validate_event(arse, earlier, prolongation(dt.date(2026, 1, 10), months))
    if bound is None:
        assert errors == []
    else:
        [error] = errors
        assert error.field == "months"
        assert bound in french(error)


@pytest.mark.parametrize(
    ("day", "accepted"),
    [(dt.date(2026, 2, 14), False), (dt.date(2026, 2, 15), True)],
)
def test_early_end_not_before_one_year_after_the_final_date(day, accepted):
    probation = terms(Kind.PROBATION, start_date=FINAL, final_date=FINAL)
    errors = validate_event(probation, [], Event(EventKind.EARLY_END, day))
    assert accepted == (errors == [])
    assert can_end_early(probation, day) == accepted
    if not accepted:
        [error] = errors
        assert error.field == "date"
        assert "pas avant le 15/02/2026" in french(error)
        assert "1 an" in french(error)
        assert "CPP 744" in french(error)


def test_early_end_needs_the_final_date():
    probation = terms(Kind.PROBATION, start_date=FINAL)
    [error] = validate_event(probation, [], Event(EventKind.EARLY_END, dt.date(2027, 1, 1)))
    assert "CPP 744" in french(error)
    assert not can_end_early(probation, dt.date(2027, 1, 1))


def test_the_one_year_rule_is_for_the_sursis_probatoire_only():
    tig = terms(Kind.TIG, final_date=FINAL)
    assert validate_event(tig, [], Event(EventKind.EARLY_END, dt.date(2025, 3, 1))) == []
    assert not can_end_early(tig, dt.date(2030, 1, 1))


def test_nothing_is_recorded_after_a_total_revocation():
    revoked = [Event(EventKind.TOTAL_REVOCATION, dt.date(2025, 9, 1))]
    [error] = validate_event(PROBATION_24, revoked, suspension(dt.date(2025, 9, 2), None))
    assert error.field == "date"
    assert "01/09/2025" in french(error)
    same_day = Event(EventKind.OBLIGATION_CHANGE, dt.date(2025, 9, 1))
    assert validate_event(PROBATION_24, revoked, same_day) == []


@pytest.mark.parametrize(
    ("earlier", "new", "field"),
    [
        ([], suspension(dt.date(2025, 3, 1), dt.date(2025, 2, 1)), "end_date"),
        (
            [suspension(dt.date(2025, 3, 1), dt.date(2025, 4, 1))],
            suspension(dt.date(2025, 3, 20), dt.date(2025, 5, 1)),
            "date",
        ),
        ([suspension(dt.date(2025, 3, 1), None)], suspension(dt.date(2025, 6, 1), None), "date"),
        ([], suspension(dt.date(2027, 2, 1), None), "date"),  # after the end (31/01/2027)
    ],
    ids=["ends before it starts", "overlap", "one still open", "after the end"],
)
def test_suspensions_refused(earlier, new, field):
    [error] = validate_event(PROBATION_24, earlier, new)
    assert error.field == field


def test_a_suspension_may_start_when_the_previous_one_ends():
    earlier = [suspension(dt.date(2025, 3, 1), dt.date(2025, 4, 1))]
    new = suspension(dt.date(2025, 4, 1), None)
    assert validate_event(PROBATION_24, earlier, new) == []


# --- Release dates -------------------------------------------------------------------

CUSTODY = dt.date(2025, 1, 1)


@pytest.mark.parametrize(("total", "served"), [(300, 200), (100, 67), (3, 2)])
def test_two_thirds_date_rounds_up_to_a_whole_day(total, served):
    assert two_thirds_date(total, CUSTODY) == CUSTODY + dt.timedelta(days=served)


@pytest.mark.parametrize(("total", "served"), [(300, 150), (101, 51)])
def test_half_sentence_date(total, served):
    assert half_sentence_date(total, CUSTODY) == CUSTODY + dt.timedelta(days=served)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (730, dt.date(2026, 10, 1)),  # the sentence ends on 01/01/2027, minus 3 months
        (731, dt.date(2026, 10, 2)),
        (732, None),  # more than 2 years: a review at two thirds, not of right
        (60, CUSTODY),  # less than 3 months in all: from the first day
    ],
)
def test_release_under_constraint_of_right(total, expected):
    assert automatic_release_date(total, CUSTODY) == expected


# --- Building from a model ------------------------------------------------------------


def test_terms_and_events_read_same_named_attributes():
    measure = SimpleNamespace(
        kind="probation", probation_months=12, start_date=START, court="ignored"
    )
    built = MeasureTerms.from_obj(measure)
    assert built.kind == Kind.PROBATION and built.probation_months == 12
    assert built.recidivism == Recidivism.NONE
    event = Event.from_obj(SimpleNamespace(kind="suspension", date=START, end_date=None, pk=3))
    assert compute_end_date(built, [event]) is None
