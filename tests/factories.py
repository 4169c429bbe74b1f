"""Minimal factories: only the fields a test does not care about get defaults here."""

from __future__ import annotations

import factory

from spip.models import Branch, Court, Department, Partner, Role, User

PASSWORD = "correct horse battery staple"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n % 95 + 1:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    spip_name = factory.LazyAttribute(lambda d: f"SPIP {d.name}")


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court

    name = factory.Sequence(lambda n: f"Tribunal judiciaire n° {n}")
    city = "Montluçon"


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Antenne {n}")
    court = factory.SubFactory(CourtFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"CSAPA {n}")
    kind = Partner.Kind.CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    role = Role.ADVISER
    branch = factory.SubFactory(BranchFactory)
    password = factory.django.Password(PASSWORD)
