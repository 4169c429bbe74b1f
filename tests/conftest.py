"""Shared fixtures: a small fixed world of branches and users, reused by every test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from cases.models import Assessment, Case, Measure, Obligation, WorkPlacement
from spip.models import Branch, Role, User
from tests import factories


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
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": private_files_root}},
    }  # fmt: skip
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
            acting_user=director, branch=adviser.branch, adviser=adviser,
            opened_on=dt.date(2026, 1, 5), intensity=intensity, intensity_reason="évaluation",
            person_data={"birth_name": name, "first_names": "Alex", "sex": "M",
                         "birth_date": dt.date(1990, 5, 17)},
        )  # fmt: skip
        measure = services.measure_add(
            acting_user=director, case=case, court_id=adviser.branch.court_id,
            terms=legal.MeasureTerms(
                kind=legal.MeasureKind.PROBATION, decision_date=dt.date(2025, 12, 1),
                final_date=dt.date(2025, 12, 11), start_date=dt.date(2025, 12, 11),
                prison_term_months=6, probation_months=24,
            ),
        )  # fmt: skip
        built.cases[situation] = case
        built.measures[situation] = measure
        built.obligations[situation] = services.obligation_add(
            acting_user=director, measure=measure, type=care, imposed_on=dt.date(2025, 12, 11)
        )
        # Placements belong to TIG measures; the matrix only needs one to exist.
        built.placements[situation] = WorkPlacement.objects.create(
            measure=measure, host=factories.PartnerFactory(department=adviser.branch.department),
            post="Espaces verts", tutor="M. Blanc", started_on=dt.date(2026, 1, 10),
        )  # fmt: skip
        built.assessments[situation] = services.assessment_record(
            acting_user=director, case=case, assessed_on=dt.date(2026, 1, 20),
            housing="hébergé chez un tiers", plan="insertion professionnelle",
        )  # fmt: skip
    built.cases["restricted"].restricted = True
    built.cases["restricted"].save(update_fields=["restricted"])
    built.cases["excluded"].excluded_staff.add(world.adviser, world.director)
    return built
