"""Demo data: the SPIP de l'Allier, its branches, courts, staff and the fixed demo logins.

Idempotent: every row is looked up by its natural key and updated in place, so running the
command twice creates nothing twice. Later apps extend it with cases, interviews, workshops
and reports. All names are fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from spip.demo import run_seeders
from spip.models import Branch, Court, Department, Partner, Role, User


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    branch: str | None = None
    directs: tuple[str, ...] = ()
    court: str | None = None
    partner: str | None = None


MONTLUCON = "Montluçon"
MOULINS = "Moulins-Yzeure"
CUSSET = "Cusset"
TJ_MONTLUCON = "Tribunal judiciaire de Montluçon"
CSAPA = "CSAPA Addictions Montluçon"

COURTS = [
    (TJ_MONTLUCON, "Montluçon", "Place Jean-Jaurès, 03100 Montluçon"),
    ("Tribunal judiciaire de Moulins", "Moulins", "20 rue de Paris, 03000 Moulins"),
    ("Tribunal judiciaire de Cusset", "Cusset", "Place Victor-Hugo, 03300 Cusset"),
]
BRANCHES = [
    (MONTLUCON, TJ_MONTLUCON, "12 rue des Conches, 03100 Montluçon", "04 70 00 00 01"),
    (
        MOULINS,
        "Tribunal judiciaire de Moulins",
        "3 avenue de la Gare, 03400 Yzeure",
        "04 70 00 00 02",
    ),
    (CUSSET, "Tribunal judiciaire de Cusset", "8 rue de Vichy, 03300 Cusset", "04 70 00 00 03"),
]

USERS = [
    # The seven advisers of Montluçon; `conseiller` is the demo login.
    DemoUser("conseiller", "Delphine", "Aubert", Role.ADVISER, MONTLUCON),
    DemoUser("cpip.bernard", "Karim", "Bernard", Role.ADVISER, MONTLUCON),
    DemoUser("cpip.chevalier", "Sophie", "Chevalier", Role.ADVISER, MONTLUCON),
    DemoUser("cpip.dumas", "Julien", "Dumas", Role.ADVISER, MONTLUCON),
    DemoUser("cpip.fabre", "Nadia", "Fabre", Role.ADVISER, MONTLUCON),
    DemoUser("cpip.girard", "Thomas", "Girard", Role.ADVISER, MONTLUCON),
    DemoUser("cpip.lemaire", "Claire", "Lemaire", Role.ADVISER, MONTLUCON),
    DemoUser("directrice", "Hélène", "Marchal", Role.DIRECTOR, MONTLUCON, directs=(MONTLUCON,)),
    DemoUser("secretaire", "Isabelle", "Perrin", Role.SECRETARY, MONTLUCON),
    # One adviser and one director elsewhere in the SPIP, for "other branch" situations.
    DemoUser("cpip.moulins", "Marc", "Roussel", Role.ADVISER, MOULINS),
    DemoUser("dpip.moulins", "Anne", "Vidal", Role.DIRECTOR, MOULINS, directs=(MOULINS, CUSSET)),
    DemoUser("cpip.cusset", "Paul", "Renaud", Role.ADVISER, CUSSET),
    DemoUser("greffier", "François", "Morel", Role.CLERK, court=TJ_MONTLUCON),
    DemoUser("partenaire", "Léa", "Garnier", Role.PARTNER, partner=CSAPA),
    DemoUser("admin", "Pierre", "Lambert", Role.ADMIN),
]


class Command(BaseCommand):
    help = "Create or update the demo data (SPIP de l'Allier) and the fixed demo logins."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        department, _ = Department.objects.update_or_create(
            code="03",
            defaults={
                "name": "Allier",
                "spip_name": "SPIP de l'Allier",
                "address": "Rue de Paris, 03000 Moulins",
            },
        )
        courts = {
            name: Court.objects.update_or_create(
                name=name, defaults={"city": city, "address": address}
            )[0]
            for name, city, address in COURTS
        }
        branches = {
            name: Branch.objects.update_or_create(
                department=department,
                name=name,
                defaults={
                    "court": courts[court],
                    "environment": Branch.Environment.OPEN,
                    "address": address,
                    "phone": phone,
                },
            )[0]
            for name, court, address, phone in BRANCHES
        }
        partner, _ = Partner.objects.update_or_create(
            department=department,
            name=CSAPA,
            defaults={
                "kind": Partner.Kind.CARE,
                "contact_name": "Service de prévention",
                "phone": "04 70 00 00 10",
                "email": "prevention@csapa-montlucon.example",
                "address": "5 rue de la Paix, 03100 Montluçon",
            },
        )
        password = settings.DEMO_PASSWORD
        for spec in USERS:
            user, _ = User.objects.update_or_create(
                username=spec.username,
                defaults={
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "email": f"{spec.username}@spip-allier.example",
                    "role": spec.role,
                    "branch": branches[spec.branch] if spec.branch else None,
                    "court": courts[spec.court] if spec.court else None,
                    "partner": partner if spec.partner else None,
                    "is_staff": spec.role == Role.ADMIN,
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            user.directed_branches.set([branches[name] for name in spec.directs])
        run_seeders(department=department, branches=branches, courts=courts, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {department}, {len(branches)} branches, {len(USERS)} accounts."
            )
        )
