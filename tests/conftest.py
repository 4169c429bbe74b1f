"""Shared fixtures: a small fixed world of branches and users, reused by every test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from spip.models import Branch, Role, User
from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Hashing with PBKDF2 dominates test time; hashed static storage needs collectstatic.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
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
