"""`seed_demo` builds the SPIP de l'Allier and is idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from spip.models import Branch, Court, Department, Partner, Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture(autouse=True)
def _core_only(monkeypatch):
    # These tests cover the core part of the demo; the apps' parts have their own tests.
    monkeypatch.setattr("spip.demo._seeders", [])


MODELS = [Department, Court, Branch, Partner, User]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_twice_creates_nothing_twice(settings):
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    assert first["Department"] == 1
    assert set(Branch.objects.values_list("name", flat=True)) == {
        "Montluçon",
        "Moulins-Yzeure",
        "Cusset",
    }


def test_seed_demo_contract(settings):
    call_command("seed_demo", verbosity=0)
    montlucon = Branch.objects.get(name="Montluçon")
    assert montlucon.department.spip_name == "SPIP de l'Allier"
    assert montlucon.court.name == "Tribunal judiciaire de Montluçon"
    assert User.objects.filter(role=Role.ADVISER, branch=montlucon).count() == 7
    director = User.objects.get(username="directrice")
    assert list(director.directed_branches.all()) == [montlucon]
    assert User.objects.get(username="secretaire").branch == montlucon
    assert User.objects.get(username="greffier").court == montlucon.court
    assert User.objects.get(username="partenaire").partner.kind == Partner.Kind.CARE
    for username in ["conseiller", "directrice", "secretaire", "greffier", "partenaire", "admin"]:
        user = User.objects.get(username=username)
        assert user.check_password(settings.DEMO_PASSWORD), username
        assert not user.is_superuser
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.role == Role.ADMIN
    assert admin.has_perm("spip.change_branch")
    assert not admin.has_perm("spip.view_accesslog")


def test_seed_demo_uses_the_demo_password_setting(settings):
    settings.DEMO_PASSWORD = "un-autre-mot-de-passe"
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="conseiller").check_password("un-autre-mot-de-passe")
