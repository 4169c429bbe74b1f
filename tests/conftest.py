"""Shared fixtures: a small fixed world of branches and users, reused by every test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from cases.models import Assessment, Case, Measure, Obligation, WorkPlacement
from spip.models import Branch, Role, User
from tests import factories

# --- The clock ------------------------------------------------------------------------------
# `make test` runs the suite once at the real date, then the tests marked `date_sensitive`
# again with the process's clock moved (`--clock saturday`, `--clock dst-sunday`, or an ISO
# date and time in Paris). Only this process moves: PostgreSQL's now(), worker subprocesses
# and Chromium keep the real time, which is why code that decides by date takes the Paris
# date as a parameter (`as_of`), and why worker and browser tests are not run shifted.

PARIS = ZoneInfo("Europe/Paris")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default=None,
        help="move the clock before the session: 'saturday' (the next one), 'dst-sunday' "
        "(the next change of summer time), 'new-year' (the next 1 January), or a Paris "
        "date and time such as 2027-03-28T09:30",
    )


def shifted_clock(option: str, today: dt.date) -> dt.datetime:
    """The Paris date and time the `--clock` option names, counted from `today`."""
    morning = dt.time(9, 30)
    if option == "saturday":
        day = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    elif option == "dst-sunday":
        # The last Sunday of March or October (EU rule), strictly after today.
        day = today + dt.timedelta(days=1)
        while not (
            day.month in (3, 10)
            and day.weekday() == 6
            and (day + dt.timedelta(7)).month != day.month
        ):
            day += dt.timedelta(days=1)
    elif option == "new-year":
        day = dt.date(today.year + 1, 1, 1)
    else:
        try:
            moment = dt.datetime.fromisoformat(option)
        except ValueError:
            raise pytest.UsageError(
                f"--clock: not a known name nor a date and time: {option!r}"
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)
    return dt.datetime.combine(day, morning, tzinfo=PARIS)


def pytest_configure(config: pytest.Config) -> None:
    option = config.getoption("--clock")
    if option:
        moment = shifted_clock(option, dt.datetime.now(PARIS).date())
        config._shifted_clock = time_machine.travel(moment, tick=True)  # type: ignore[attr-defined]
        config._shifted_clock.start()  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = getattr(config, "_shifted_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    if config.getoption("--clock"):
        return f"clock moved to {dt.datetime.now(PARIS):%A %Y-%m-%d %H:%M %Z} (Paris)"
    return None


@pytest.fixture(scope="session")
def private_files_root(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _test_settings(settings, private_files_root):
    # Hashing with PBKDF2 dominates test time; hashed static storage needs collectstatic.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Files the tests store (proofs, attestations, issued reports) stay out of .data/.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private_files_root},
        },
    }
    settings.HTTPS = False
    settings.SECURE_SSL_REDIRECT = False


@dataclass
class World:
    """Two branches of one SPIP, a third in another SPIP, and one user per situation."""

    branch: Branch
    other_branch: Branch
    adviser: User
    colleague: User
    director: User
    secretary: User
    other_adviser: User
    other_director: User
    clerk: User
    partner: User
    admin: User

    def users_by_role(self) -> dict[str, User]:
        return {
            "adviser": self.adviser,
            "colleague": self.colleague,
            "director": self.director,
            "secretary": self.secretary,
            "other_adviser": self.other_adviser,
            "other_director": self.other_director,
            "clerk": self.clerk,
            "partner": self.partner,
            "admin": self.admin,
        }


@pytest.fixture
def world(db) -> World:
    branch = factories.BranchFactory(name="Montluçon")
    other_branch = factories.BranchFactory(name="Riom")
    director = factories.UserFactory(role=Role.DIRECTOR, branch=branch)
    director.directed_branches.set([branch])
    other_director = factories.UserFactory(role=Role.DIRECTOR, branch=other_branch)
    other_director.directed_branches.set([other_branch])
    return World(
        branch=branch,
        other_branch=other_branch,
        adviser=factories.UserFactory(role=Role.ADVISER, branch=branch),
        colleague=factories.UserFactory(role=Role.ADVISER, branch=branch),
        director=director,
        secretary=factories.UserFactory(role=Role.SECRETARY, branch=branch),
        other_adviser=factories.UserFactory(role=Role.ADVISER, branch=other_branch),
        other_director=other_director,
        clerk=factories.UserFactory(role=Role.CLERK, branch=None, court=branch.court),
        partner=factories.UserFactory(
            role=Role.PARTNER, branch=None, partner=factories.PartnerFactory()
        ),
        admin=factories.UserFactory(role=Role.ADMIN, branch=None, is_staff=True),
    )


@pytest.fixture
def client_for(client: Client):
    """A test client signed in as the given user (French, the default language)."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def reference(db) -> None:
    """Obligation types and intensities (the migration's rows are gone in transactional tests)."""
    from django.apps import apps

    from cases.reference import load_reference_data

    load_reference_data(apps)


@dataclass
class CaseWorld:
    """One case per access situation of DESIGN.md, around the `world`'s users, each with a
    probation measure and a care obligation."""

    cases: dict[str, Case]
    measures: dict[str, Measure]
    obligations: dict[str, Obligation]
    placements: dict[str, WorkPlacement]
    assessments: dict[str, Assessment]

    @property
    def own(self) -> Case:
        return self.cases["own"]


@pytest.fixture
def cases(world, reference) -> CaseWorld:
    import datetime as dt

    from cases import legal, services
    from cases.models import IntensityLevel, ObligationType

    intensity = IntensityLevel.objects.get(code="standard")
    care = ObligationType.objects.get(code="care")
    # situation: (adviser, name); directors open the cases of their branch.
    situations = {
        "own": (world.adviser, "Martin"),  # followed by world.adviser
        "colleague": (world.colleague, "Bernard"),  # same branch, another adviser
        "other_branch": (world.other_adviser, "Thomas"),
        "restricted": (world.colleague, "Petit"),  # restricted, nobody named
        "excluded": (world.colleague, "Robert"),  # world.adviser and director excluded
    }
    built = CaseWorld({}, {}, {}, {}, {})
    for situation, (adviser, name) in situations.items():
        director = world.director if adviser.branch_id == world.branch.pk else world.other_director
        case = services.case_open(
            acting_user=director,
            branch=adviser.branch,
            adviser=adviser,
            opened_on=dt.date(2026, 1, 5),
            intensity=intensity,
            intensity_reason="évaluation",
            person_data={
                "birth_name": name,
                "first_names": "Alex",
                "sex": "M",
                "birth_date": dt.date(1990, 5, 17),
            },
        )
        measure = services.measure_add(
            acting_user=director,
            case=case,
            court_id=adviser.branch.court_id,
            terms=legal.MeasureTerms(
                kind=legal.MeasureKind.PROBATION,
                decision_date=dt.date(2025, 12, 1),
                final_date=dt.date(2025, 12, 11),
                start_date=dt.date(2025, 12, 11),
                prison_term_months=6,
                probation_months=24,
            ),
        )
        built.cases[situation] = case
        built.measures[situation] = measure
        built.obligations[situation] = services.obligation_add(
            acting_user=director, measure=measure, type=care, imposed_on=dt.date(2025, 12, 11)
        )
        # Placements belong to TIG measures; the matrix only needs one to exist.
        built.placements[situation] = WorkPlacement.objects.create(
            measure=measure,
            host=factories.PartnerFactory(department=adviser.branch.department),
            post="Espaces verts",
            tutor="M. Blanc",
            started_on=dt.date(2026, 1, 10),
        )
        built.assessments[situation] = services.assessment_record(
            acting_user=director,
            case=case,
            assessed_on=dt.date(2026, 1, 20),
            housing="hébergé chez un tiers",
            plan="insertion professionnelle",
        )
    built.cases["restricted"].restricted = True
    built.cases["restricted"].save(update_fields=["restricted"])
    built.cases["excluded"].excluded_staff.add(world.adviser, world.director)
    return built
