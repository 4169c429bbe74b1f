"""Demo case files for the SPIP de l'Allier, added to `seed_demo` (see `CasesConfig.ready`).

Montluçon gets 475 people spread over its seven advisers, Moulins-Yzeure and Cusset fewer,
each with a current measure, its obligations and proofs, and a follow-up intensity. Everyone
is fictitious: common French names drawn with a fixed seed, addresses in the Allier, phone
numbers from the ranges ARCEP reserves for fiction, so that no reminder can reach anybody.

Then the day-to-day case work: most community-work sentences (TIG) placed with a host of the
partner directory, with hours done (most on pace, some behind), an assessment of the life
spheres on about half of the files (a second one on some), incidents on about a tenth of the
measures, three Montluçon files transferred to the other branches, a substitute for an
adviser on leave, and a queue of recent referrals the Montluçon director has not assigned.

Idempotent and safe after a partial run: identities do not depend on the day, so a run
recognises the people already there by (birth name, first names, birth date) and only adds
the missing ones. The rest of a new file is dated from today, so that the demo always shows
current deadlines. Case work is drawn per person with a seed of its own, and each kind of row
(placement, assessment, incident, transfer, substitute) is added only where none exists yet.
Everything goes through `cases.services` (end dates computed, grants, access log), except
proofs and days of community work: they are inserted in bulk, with the access-log rows
`proof_record` and `work_hours_record` write and within their rules (received or done in the
past, period in order, no hours before the placement nor past the hours ordered): one
service call per row would add some twenty seconds to the seeding, paid by every test that
runs `seed_demo`.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from cases import services
from cases.extensions import case_changed
from cases.legal import (
    CONTROL_MEASURE_KINDS,
    CourseKind,
    EventKind,
    MeasureKind,
    MeasureTerms,
    OffenceClass,
    Recidivism,
    add_months,
)
from cases.models import (
    Case,
    CaseUserObjectPermission,
    Incident,
    IntensityLevel,
    Measure,
    Obligation,
    ObligationType,
    Person,
    Proof,
    WorkHours,
)
from cases.reference import load_reference_data
from spip.models import AccessLog, Branch, Court, Partner, User
from spip.workdays import working_days

# --- Who follows whom -------------------------------------------------------------------


@dataclass(frozen=True)
class BranchPlan:
    """The demo people of one branch: each adviser's caseload, where people live, and how
    many cases are restricted or exclude a colleague."""

    name: str
    director: str  # restricts cases and excludes staff
    caseloads: tuple[tuple[str, int], ...]
    communes: tuple[tuple[str, str], ...]  # (postcode, commune) where the people live
    restricted: int = 0
    # (adviser following the case, colleague excluded from it)
    exclusions: tuple[tuple[str, str], ...] = ()

    @property
    def size(self) -> int:
        return sum(load for _, load in self.caseloads)


PLANS = (
    BranchPlan(
        "Montluçon",
        "directrice",
        (
            ("conseiller", 68),
            ("cpip.bernard", 75),
            ("cpip.chevalier", 61),
            ("cpip.dumas", 70),
            ("cpip.fabre", 66),
            ("cpip.girard", 72),
            ("cpip.lemaire", 63),
        ),
        (
            ("03100", "Montluçon"),
            ("03100", "Montluçon"),
            ("03100", "Montluçon"),
            ("03410", "Domérat"),
            ("03630", "Désertines"),
            ("03600", "Commentry"),
            ("03310", "Néris-les-Bains"),
            ("03410", "Saint-Victor"),
            ("03410", "Prémilhat"),
            ("03380", "Huriel"),
            ("03420", "Marcillat-en-Combraille"),
            ("03430", "Cosne-d'Allier"),
            ("03100", "Lavault-Sainte-Anne"),
        ),
        restricted=5,
        exclusions=(("conseiller", "cpip.girard"),),
    ),
    BranchPlan(
        "Moulins-Yzeure",
        "dpip.moulins",
        (("cpip.moulins", 120),),
        (
            ("03000", "Moulins"),
            ("03000", "Moulins"),
            ("03400", "Yzeure"),
            ("03000", "Avermes"),
            ("03000", "Neuvy"),
            ("03160", "Bourbon-l'Archambault"),
            ("03210", "Souvigny"),
            ("03290", "Dompierre-sur-Besbre"),
            ("03500", "Saint-Pourçain-sur-Sioule"),
            ("03460", "Villeneuve-sur-Allier"),
        ),
    ),
    BranchPlan(
        "Cusset",
        "dpip.moulins",
        (("cpip.cusset", 90),),
        (
            ("03300", "Cusset"),
            ("03200", "Vichy"),
            ("03200", "Vichy"),
            ("03700", "Bellerive-sur-Allier"),
            ("03270", "Saint-Yorre"),
            ("03250", "Le Mayet-de-Montagne"),
            ("03800", "Gannat"),
            ("03200", "Abrest"),
            ("03300", "Creuzier-le-Vieux"),
            ("03120", "Lapalisse"),
        ),
    ),
)

# --- Names (fictitious combinations of common names) ------------------------------------

MALE_FIRST_NAMES = (
    "Thomas",
    "Nicolas",
    "Julien",
    "Kevin",
    "Anthony",
    "Jérémy",
    "Sébastien",
    "Maxime",
    "Alexandre",
    "Romain",
    "Mickaël",
    "Christophe",
    "Stéphane",
    "David",
    "Frédéric",
    "Laurent",
    "Olivier",
    "Éric",
    "Philippe",
    "Patrick",
    "Pascal",
    "Thierry",
    "Franck",
    "Cédric",
    "Guillaume",
    "Benjamin",
    "Jonathan",
    "Florian",
    "Quentin",
    "Dylan",
    "Lucas",
    "Hugo",
    "Enzo",
    "Mathis",
    "Théo",
    "Yanis",
    "Mehdi",
    "Karim",
    "Sofiane",
    "Bilal",
    "Mohamed",
    "Rachid",
    "Youssef",
    "Moussa",
    "Jordan",
    "Loïc",
    "Ludovic",
    "Arnaud",
    "Fabrice",
    "Jean-Pierre",
    "Jean-Luc",
    "Michel",
    "Alain",
    "Bruno",
    "Didier",
    "Gilles",
    "Hervé",
    "Cyril",
    "Damien",
    "Grégory",
    "Vincent",
    "Mathieu",
    "Adrien",
    "Baptiste",
    "Clément",
    "Antoine",
    "Rémi",
    "Joël",
    "Gaëtan",
    "Killian",
)
FEMALE_FIRST_NAMES = (
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sandrine",
    "Céline",
    "Stéphanie",
    "Aurélie",
    "Émilie",
    "Julie",
    "Laetitia",
    "Sabrina",
    "Virginie",
    "Audrey",
    "Jessica",
    "Mélanie",
    "Amandine",
    "Sarah",
    "Laura",
    "Manon",
    "Camille",
    "Chloé",
    "Océane",
    "Inès",
    "Yasmine",
    "Samira",
    "Karine",
    "Valérie",
    "Sylvie",
    "Christine",
    "Patricia",
    "Martine",
    "Élodie",
    "Vanessa",
    "Cindy",
    "Morgane",
    "Léa",
)
MIDDLE_NAMES = {
    "M": ("Jean", "Pierre", "Michel", "André", "Louis", "Marcel", "René", "Paul", "Joseph"),
    "F": ("Marie", "Anne", "Louise", "Françoise", "Jeanne", "Claire", "Madeleine"),
}
# Staff surnames are left out, so that nobody seems to follow a namesake.
SURNAMES = (
    "Martin",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Fournier",
    "Bonnet",
    "Dupont",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Mathieu",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Caron",
    "Picard",
    "Roger",
    "Lemoine",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Rolland",
    "Guillaume",
    "Lecomte",
    "Lopez",
    "Dupuy",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Sanchez",
    "Dupuis",
    "Moulin",
    "Louis",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Perez",
    "Boucher",
    "Fleury",
    "Royer",
    "Klein",
    "Jacquet",
    "Adam",
    "Poirier",
    "Marty",
    "Aubry",
    "Guyot",
    "Carré",
    "Charles",
    "Renault",
    "Charpentier",
    "Ménard",
    "Maillard",
    "Baron",
    "Bertin",
    "Bailly",
    "Hervé",
    "Schneider",
    "Fernandez",
    "Collet",
    "Léger",
    "Bouvier",
    "Prévost",
    "Millet",
    "Perrot",
    "Cousin",
    "Germain",
    "Breton",
    "Besson",
    "Langlois",
    "Rémy",
    "Pelletier",
    "Lévêque",
    "Perrier",
    "Leblanc",
    "Barré",
    "Lebrun",
    "Weber",
    "Mallet",
    "Boulanger",
    "Jacob",
    "Monnier",
    "Michaud",
    "Rodriguez",
    "Gillet",
    "Étienne",
    "Tessier",
    "Chauvin",
    "Da Silva",
    "Bouchet",
    "Lemaître",
    "Chassaing",
    "Bardet",
    "Auclair",
    "Thévenet",
    "Brugière",
    "Mazeron",
    "Ferreira",
    "Pereira",
    "Dos Santos",
    "Benali",
    "Haddad",
    "Diallo",
    "Traoré",
    "Yilmaz",
    "Demir",
    "Popescu",
)
# Accented names and near-homonyms, each given to a few people at every branch, so that
# searching "lefevre" or "muller" finds several spellings.
FEATURED_SURNAMES = (
    "Lefèvre",
    "Lefebvre",
    "Lefeuvre",
    "Bénard",
    "Besnard",
    "Gérard",
    "Müller",
    "Muller",
    "Chénier",
    "Chesnier",
    "Dos Santos",
    "Dossantos",
)
NATIONALITIES = (
    ("française", 86),
    ("marocaine", 3),
    ("algérienne", 3),
    ("portugaise", 3),
    ("turque", 2),
    ("roumaine", 1),
    ("tunisienne", 1),
    ("sénégalaise", 1),
)
BIRTH_PLACES = (
    "Montluçon (03)",
    "Moulins (03)",
    "Vichy (03)",
    "Commentry (03)",
    "Clermont-Ferrand (63)",
    "Nevers (58)",
    "Bourges (18)",
    "Paris (75)",
    "Lyon (69)",
    "Saint-Étienne (42)",
    "Guéret (23)",
    "Roanne (42)",
)
STREETS = (
    "rue de la République",
    "avenue Jules-Ferry",
    "rue Victor-Hugo",
    "rue Pierre-Leroux",
    "boulevard de Courtais",
    "rue des Forges",
    "avenue de la Gare",
    "rue Jean-Jaurès",
    "impasse des Tilleuls",
    "rue du Faubourg Saint-Pierre",
    "allée des Peupliers",
    "rue Marx-Dormoy",
    "chemin des Vignes",
    "place de la Mairie",
    "rue de Paris",
    "cité des Marais",
    "rue Émile-Zola",
    "avenue Marcel-Cachin",
)
# Ranges ARCEP reserves for fiction (mobile, and the Allier's landline zone).
FICTION_MOBILE, FICTION_LANDLINE = "06 39 98", "04 65 71"
# Fixed, so that a person's identity is the same on every run: aged 19 to 69 in 2026, and
# never a minor (minors are followed by the PJJ, not the SPIP).
BORN_FROM, BORN_UNTIL = date(1957, 1, 1), date(2007, 1, 1)


def _rng(seed: str) -> random.Random:
    """A generator that draws the same demo on every run (a string seed does not depend
    on PYTHONHASHSEED)."""
    return random.Random(seed)  # noqa: S311 - demo data, nothing secret


def _fold(text: str) -> str:
    """Lower case without accents, as `person_find_duplicates` compares names."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@dataclass(frozen=True)
class Identity:
    branch: str
    adviser: str  # "" while the file waits in the director's queue
    birth_name: str
    first_names: str
    sex: str
    birth_date: date
    usage_name: str = ""
    birth_place: str = ""
    nationality: str = ""
    aliases: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    sms_opt_out: bool = False
    restricted: bool = False
    excluded: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.birth_name, self.first_names, self.birth_date)

    @property
    def seed(self) -> str:
        return "|".join(map(str, self.key))

    def person_data(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in services.PERSON_FIELDS}


# Recent referrals (saisines) at Montluçon that no adviser follows yet: the director's queue.
QUEUE_SIZE = 8


def identities() -> list[Identity]:
    """Every demo person, the same on every run and every day: the advisers' caseloads, then
    the Montluçon queue."""
    rng = _rng("spip-allier-demo-people")
    taken: set[tuple[str, date]] = set()
    phones: set[str] = set()
    people: list[Identity] = []
    for plan in PLANS:
        advisers = [name for name, load in plan.caseloads for _ in range(load)]
        rng.shuffle(advisers)
        branch_people = [
            _identity(rng, plan, adviser, index, taken, phones)
            for index, adviser in enumerate(advisers)
        ]
        people.extend(_mark_sensitive(rng, plan, branch_people))
    # Drawn after the caseloads, so that adding them changed nobody already there.
    queue_rng = _rng("spip-allier-demo-queue")
    people.extend(
        _identity(queue_rng, PLANS[0], "", PLANS[0].size + index, taken, phones)
        for index in range(QUEUE_SIZE)
    )
    return people


def _identity(
    rng: random.Random,
    plan: BranchPlan,
    adviser: str,
    index: int,
    taken: set[tuple[str, date]],
    phones: set[str],
) -> Identity:
    sex = "F" if rng.random() < 0.13 else "M"
    first = rng.choice(FEMALE_FIRST_NAMES if sex == "F" else MALE_FIRST_NAMES)
    first_names = first
    if rng.random() < 0.45:
        first_names += ", " + rng.choice(MIDDLE_NAMES[sex])
    if index < len(FEATURED_SURNAMES) * (plan.size // 200 + 1):
        birth_name = FEATURED_SURNAMES[index % len(FEATURED_SURNAMES)]
    else:
        birth_name = rng.choice(SURNAMES)
    usage_name = ""
    if sex == "F" and rng.random() < 0.4:
        usage_name = rng.choice(SURNAMES)
    span = (BORN_UNTIL - BORN_FROM).days
    # Born the same day with the same name, `case_open` takes them for the same person.
    while True:
        birth_date = BORN_FROM + timedelta(days=rng.randrange(span))
        names = {_fold(name) for name in (birth_name, usage_name) if name}
        if not any((name, birth_date) in taken for name in names):
            taken.update((name, birth_date) for name in names)
            break
    postcode, commune = rng.choice(plan.communes)
    address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {postcode} {commune}"
    phone = ""
    if rng.random() < 0.92:
        prefix = FICTION_MOBILE if rng.random() < 0.85 else FICTION_LANDLINE
        while not phone or phone in phones:
            phone = f"{prefix} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
        phones.add(phone)
    email = ""
    if rng.random() < 0.35:
        local = _fold(f"{first}.{usage_name or birth_name}").replace(" ", "").replace("'", "")
        email = f"{local}{rng.randint(1, 99)}@courriel.example"
    aliases = ""
    if rng.random() < 0.03:
        aliases = f"dit « {rng.choice(('Nono', 'Le Grand', 'Titi', 'Kiki', 'Bébert'))} »"
    return Identity(
        branch=plan.name,
        adviser=adviser,
        birth_name=birth_name,
        first_names=first_names,
        sex=sex,
        birth_date=birth_date,
        usage_name=usage_name,
        birth_place=rng.choice(BIRTH_PLACES),
        nationality=rng.choices(*zip(*NATIONALITIES, strict=True))[0],
        aliases=aliases,
        address=address,
        phone=phone,
        email=email,
        sms_opt_out=bool(phone) and rng.random() < 0.1,
    )


def _mark_sensitive(
    rng: random.Random, plan: BranchPlan, people: list[Identity]
) -> Iterator[Identity]:
    """Restrict some cases (two of them the demo adviser's) and exclude named colleagues."""
    indexes = list(range(len(people)))
    rng.shuffle(indexes)
    first_adviser = plan.caseloads[0][0]
    own = [i for i in indexes if people[i].adviser == first_adviser]
    others = [i for i in indexes if people[i].adviser != first_adviser]
    restricted = set(own[:2] + others[: max(plan.restricted - 2, 0)]) if plan.restricted else set()
    excluded: dict[int, tuple[str, ...]] = {}
    candidates = iter(own[2:] + others)
    for adviser, colleague in plan.exclusions:
        chosen = next(i for i in candidates if people[i].adviser == adviser)
        excluded[chosen] = (colleague,)
    for index, person in enumerate(people):
        changes: dict[str, Any] = {}
        if index in restricted:
            changes["restricted"] = True
        if index in excluded:
            changes["excluded"] = excluded[index]
        yield replace(person, **changes)


# --- Files: measures, obligations, proofs -------------------------------------------------

# Measure mix of a branch (weights in %), and courses by how often courts order them.
MEASURE_MIX = (
    (MeasureKind.PROBATION, 50),
    (MeasureKind.PROBATION_REINFORCED, 5),
    (MeasureKind.TIG, 15),
    (MeasureKind.DDSE_SENTENCE, 6),
    (MeasureKind.DDSE_ADJUSTMENT, 4),
    (MeasureKind.PAROLE, 7),
    (MeasureKind.SEMI_LIBERTY, 3),
    (MeasureKind.OUTSIDE_PLACEMENT, 2),
    (MeasureKind.SOCIO_JUDICIAL, 3),
    (MeasureKind.COURSE, 3),
    (MeasureKind.RELEASE_UNDER_CONSTRAINT, 2),
)
COURSE_MIX = (
    (CourseKind.CITIZENSHIP, 35),
    (CourseKind.ROAD_SAFETY, 25),
    (CourseKind.NARCOTICS, 15),
    (CourseKind.DOMESTIC_VIOLENCE, 15),
    (CourseKind.PARENTAL_RESPONSIBILITY, 10),
)

# Offence profiles: the obligations a court orders together (obligation type code,
# details), the first always, then some of the others; and why the follow-up is as intense.
PROFILES: dict[str, dict[str, Any]] = {
    "alcohol-road": {
        "obligations": [
            ("care", "Suivi en addictologie, attestations de présence"),
            ("work-training", ""),
            ("road-safety-course", ""),
            ("no-bars", ""),
        ],
        "reasons": ("Conduites en état alcoolique réitérées", "Adhésion aux soins à consolider"),
    },
    "domestic-violence": {
        "obligations": [
            (
                "no-contact",
                "Ne pas entrer en relation avec la victime, sauf pour les enfants "
                "par l'intermédiaire d'un tiers",
            ),
            ("live-apart", ""),
            ("dv-course", ""),
            ("care", "Suivi psychologique, attestations de présence"),
        ],
        "reasons": (
            "Violences au sein du couple : interdiction de contact à contrôler",
            "Risque de réitération évalué comme élevé",
        ),
    },
    "narcotics": {
        "obligations": [
            ("care", "Suivi en addictologie, attestations de présence"),
            ("work-training", ""),
            ("no-co-offenders", "Ne pas fréquenter les coauteurs de l'infraction"),
            ("no-appearing", "Interdiction de paraître dans le quartier de Fontbouillant"),
        ],
        "reasons": (
            "Usage et revente de stupéfiants, insertion professionnelle à construire",
            "Consommations actives signalées",
        ),
    },
    "property": {
        "obligations": [
            ("compensation", "Indemniser la partie civile, versements mensuels"),
            ("work-training", ""),
            ("treasury", "Échéancier accordé par le Trésor public"),
        ],
        "reasons": (
            "Vols répétés, situation financière précaire",
            "Indemnisation des victimes à suivre",
        ),
    },
    "assault": {
        "obligations": [
            ("compensation", "Indemniser la victime"),
            ("care", "Suivi psychologique, attestations de présence"),
            ("no-weapons", ""),
            ("no-contact", "Ne pas entrer en relation avec la victime"),
        ],
        "reasons": (
            "Violences volontaires, gestion de l'impulsivité à travailler",
            "Situation stable, obligations respectées",
        ),
    },
    "family": {
        "obligations": [
            (
                "family-charges",
                "Verser la pension alimentaire fixée par le juge aux affaires familiales",
            ),
            ("work-training", ""),
            ("hand-children", ""),
        ],
        "reasons": (
            "Abandon de famille, reprise des versements à vérifier",
            "Situation familiale conflictuelle",
        ),
    },
    "sexual": {
        "obligations": [
            ("care", "Injonction de soins, attestations du médecin coordonnateur"),
            ("no-activity", "Aucune activité impliquant un contact habituel avec des mineurs"),
            ("no-contact", "Ne pas entrer en relation avec la victime et sa famille"),
            ("residence", ""),
        ],
        "reasons": (
            "Infraction à caractère sexuel, injonction de soins",
            "Sortie de détention récente",
        ),
    },
}
PROFILE_MIX = (
    ("alcohol-road", 24),
    ("narcotics", 22),
    ("property", 20),
    ("assault", 16),
    ("domestic-violence", 12),
    ("family", 6),
)
INTENSITY_MIX = (("renforcee", 10), ("soutenue", 30), ("standard", 45), ("allegee", 15))
LIGHTENED = "Emploi stable et justificatifs réguliers depuis plus d'un an"
PROOF_NOTES = {
    "care": "Attestation de présence aux rendez-vous",
    "work-training": "Bulletin de salaire",
    "residence": "Quittance de loyer",
    "family-charges": "Justificatif de versement de la pension",
    "compensation": "Justificatif de versement à la partie civile",
    "treasury": "Relevé de paiement du Trésor public",
    "road-safety-course": "Attestation de stage",
    "dv-course": "Attestation de stage",
    "live-apart": "Attestation d'hébergement",
    "hand-children": "Attestation de l'autre parent",
}
NON_COMPLIANT_NOTES = (
    "Document illisible, à redemander",
    "Attestation non signée",
    "Le document ne couvre pas la période demandée",
    "Versement inférieur au montant fixé",
)


def _weighted(rng: random.Random, mix: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*mix, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class MeasurePlan:
    terms: MeasureTerms
    events: list[dict[str, Any]] = field(default_factory=list)
    obligations: list[tuple[str, str]] = field(default_factory=list)


def _days_ago(today: date, days: int) -> date:
    return today - timedelta(days=days)


def _decided(rng: random.Random, start: date, today: date, least: int, most: int) -> date:
    """The judgment, `least` to `most` days before the start, and in the past even when
    the measure starts in a few days."""
    return min(start - timedelta(days=rng.randint(least, most)), today - timedelta(days=3))


def _measure(rng: random.Random, kind: MeasureKind, today: date) -> MeasurePlan:
    """Terms of a measure still running today, decided over the last three years (longer
    ago for socio-judicial follow-ups, which start on release), within legal bounds."""
    match kind:
        case MeasureKind.PROBATION | MeasureKind.PROBATION_REINFORCED:
            recidivism = _weighted(
                rng, ((Recidivism.NONE, 88), (Recidivism.LEGAL, 9), (Recidivism.NEW, 3))
            )
            months = rng.choice(
                {
                    Recidivism.NONE: (12, 18, 18, 24, 24, 24, 30, 36),
                    Recidivism.LEGAL: (24, 36, 48),
                    Recidivism.NEW: (36, 48, 60),
                }[recidivism]
            )
            prison = rng.choice((2, 3, 4, 6, 6, 8, 10, 12, 18, 24))
            decision = _days_ago(today, rng.randint(20, min(3 * 365, months * 30 - 60)))
            final = min(decision + timedelta(days=rng.choice((0, 10, 10, 10, 30))), today)
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=final,
                start_date=final,
                recidivism=recidivism,
                prison_term_months=prison,
                probation_months=months,
            )
            return MeasurePlan(terms, events=_probation_events(rng, terms, today))
        case MeasureKind.TIG:
            deadline = rng.choice((None, 12, 18))  # None: the legal maximum
            decision = _days_ago(today, rng.randint(20, (deadline or 18) * 30 - 40))
            final = decision + timedelta(days=10)
            hours = rng.choice((35, 50, 70, 70, 105, 105, 140, 140, 180, 210, 280, 350))
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=final,
                start_date=final + timedelta(days=rng.randint(15, 90)),
                tig_hours=hours,
                tig_deadline_months=deadline,
                tig_consent=True,
            )
            return MeasurePlan(terms)
        case MeasureKind.DDSE_SENTENCE:
            days = rng.choice((30, 45, 60, 90, 120, 150, 180))
            start = _days_ago(today, rng.randint(-30, days - 10))
            decision = _decided(rng, start, today, 20, 90)
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=min(decision + timedelta(days=10), start, today),
                start_date=start,
                ddse_days=days,
            )
            return MeasurePlan(terms)
        case MeasureKind.DDSE_ADJUSTMENT | MeasureKind.SEMI_LIBERTY | MeasureKind.OUTSIDE_PLACEMENT:
            remaining = rng.randint(60, 365 if kind == MeasureKind.DDSE_ADJUSTMENT else 540)
            start = _days_ago(today, rng.randint(-20, remaining - 10))
            decision = _decided(rng, start, today, 7, 45)
            custody = start - timedelta(days=rng.randint(60, 400)) if rng.random() < 0.5 else None
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=decision,
                start_date=start,
                remaining_term_days=remaining,
                custody_start=custody,
            )
            obligations = [("work-training", "")] if rng.random() < 0.6 else []
            return MeasurePlan(terms, obligations=obligations)
        case MeasureKind.PAROLE:
            months = rng.choice((12, 18, 24, 24, 36, 48, 60))
            start = _days_ago(today, rng.randint(10, min(3 * 365, months * 30 - 30)))
            decision = start - timedelta(days=rng.randint(7, 30))
            total = rng.randint(3 * 365, 10 * 365)
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=decision,
                start_date=start,
                supervision_months=months,
                total_sentence_days=total,
                custody_start=start - timedelta(days=total // 2 + rng.randint(0, 300)),
            )
            return MeasurePlan(terms)
        case MeasureKind.RELEASE_UNDER_CONSTRAINT:
            total = rng.randint(180, 1800)
            remaining = rng.randint(30, total // 3)
            start = _days_ago(today, rng.randint(0, remaining - 10))
            decision = start - timedelta(days=rng.randint(3, 20))
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=decision,
                start_date=start,
                total_sentence_days=total,
                remaining_term_days=remaining,
                custody_start=start - timedelta(days=total - remaining),
            )
            return MeasurePlan(terms)
        case MeasureKind.SOCIO_JUDICIAL:
            offence = _weighted(
                rng,
                ((OffenceClass.DELIT, 65), (OffenceClass.CRIME, 30), (OffenceClass.CRIME_LIFE, 5)),
            )
            years = {
                OffenceClass.DELIT: rng.choice((3, 5, 5, 7, 10)),
                OffenceClass.CRIME: rng.choice((10, 15, 20)),
                OffenceClass.CRIME_LIFE: None,  # without limit of duration
            }[offence]
            start = _days_ago(today, rng.randint(30, 1000))
            decision = start - timedelta(days=rng.randint(365, 3000))
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=decision + timedelta(days=10),
                start_date=start,
                offence_class=offence,
                socio_judicial_years=years,
            )
            return MeasurePlan(terms)
        case MeasureKind.COURSE:
            decision = _days_ago(today, rng.randint(15, 150))
            final = decision + timedelta(days=10)
            days = rng.choice((1, 2, 2, 3))
            latest = add_months(final, 6) - timedelta(days=days)
            start = min(final + timedelta(days=rng.randint(20, 150)), latest)
            terms = MeasureTerms(
                kind=kind,
                decision_date=decision,
                final_date=final,
                start_date=start,
                course_kind=_weighted(rng, COURSE_MIX),
                course_days=days,
            )
            return MeasurePlan(terms)
    raise ValueError(kind)


def _probation_events(rng: random.Random, terms: MeasureTerms, today: date) -> list[dict]:
    """A suspension (incarceration for another offence) or a prolongation by the JAP on
    a few probation measures; a couple of people are in custody today."""
    assert terms.start_date and terms.probation_months
    elapsed = (today - terms.start_date).days
    events: list[dict[str, Any]] = []
    draw = rng.random()
    reference = f"JAP {today.year - rng.randint(0, 1)}/{rng.randint(100, 2999):04d}"
    if draw < 0.07 and elapsed > 150:
        begin = terms.start_date + timedelta(days=rng.randint(60, elapsed - 90))
        events.append(
            {
                "kind": EventKind.SUSPENSION,
                "date": begin,
                "end_date": begin + timedelta(days=rng.randint(30, 80)),
                "decision_reference": reference,
                "note": "Incarcération pour une autre cause (maison d'arrêt de Moulins-Yzeure)",
            }
        )
    elif draw < 0.075 and elapsed > 90:
        events.append(
            {
                "kind": EventKind.SUSPENSION,
                "date": _days_ago(today, rng.randint(5, 60)),
                "decision_reference": reference,
                "note": "Placé en détention provisoire pour une autre affaire",
            }
        )
    elif (
        draw < 0.13
        and elapsed > 200
        and terms.recidivism == Recidivism.NONE
        and terms.probation_months <= 30
    ):
        events.append(
            {
                "kind": EventKind.PROLONGATION,
                "date": terms.start_date + timedelta(days=rng.randint(180, elapsed)),
                "months": 6 if terms.probation_months > 24 else rng.choice((6, 12)),
                "decision_reference": reference,
                "note": "Manquements à l'obligation d'indemniser : délai d'épreuve prolongé",
            }
        )
    return events


@dataclass
class FilePlan:
    opened_on: date
    intensity: str
    intensity_reason: str
    intensity_review_on: date
    measures: list[MeasurePlan]


def _file(identity: Identity, today: date) -> FilePlan:
    """What a new person's file holds, the same for the same person on the same day."""
    rng = _rng("|".join(map(str, identity.key)))
    kind = _weighted(rng, MEASURE_MIX)
    main = _measure(rng, kind, today)
    profile = "sexual" if kind == MeasureKind.SOCIO_JUDICIAL else _weighted(rng, PROFILE_MIX)
    if kind in CONTROL_MEASURE_KINDS:
        options = PROFILES[profile]["obligations"]
        main.obligations = [options[0], *rng.sample(options[1:], rng.randint(0, 2))]
    measures = [main]
    if rng.random() < 0.06:  # a second judgment, followed alongside
        measures.append(_measure(rng, rng.choice((MeasureKind.TIG, MeasureKind.COURSE)), today))
    # Saisine: a few weeks after the judgment, or just before the release it follows.
    terms = main.terms
    assert terms.decision_date and terms.start_date
    opened_on = min(
        today,
        max(
            terms.decision_date + timedelta(days=rng.randint(3, 40)),
            terms.start_date - timedelta(days=rng.randint(0, 20)),
        ),
    )
    intensity = _weighted(rng, INTENSITY_MIX)
    if profile == "sexual":
        intensity = "renforcee"
    elif intensity == "allegee" and opened_on > today - timedelta(days=365):
        intensity = "standard"  # lightened only after a year of regular proofs
    reason = LIGHTENED if intensity == "allegee" else rng.choice(PROFILES[profile]["reasons"])
    review = opened_on + timedelta(days=182)
    if review <= today:
        review = today + timedelta(days=rng.randint(15, 180))
    return FilePlan(opened_on, intensity, reason, review, measures)


QUEUE_MIX = (
    (MeasureKind.PROBATION, 50),
    (MeasureKind.TIG, 25),
    (MeasureKind.DDSE_SENTENCE, 10),
    (MeasureKind.COURSE, 15),
)


def _queue_file(identity: Identity, today: date) -> FilePlan:
    """A referral received in the last weeks, for a judgment of the last months: not yet
    assigned, so not yet assessed (standard intensity until the adviser's evaluation)."""
    rng = _rng(identity.seed + "|queue")
    kind = _weighted(rng, QUEUE_MIX)
    while True:
        main = _measure(rng, kind, today)
        assert main.terms.decision_date
        if main.terms.decision_date >= today - timedelta(days=100):
            break
    main.events = []
    if kind in CONTROL_MEASURE_KINDS:
        options = PROFILES[_weighted(rng, PROFILE_MIX)]["obligations"]
        main.obligations = [options[0], *rng.sample(options[1:], rng.randint(0, 2))]
    opened_on = min(today, main.terms.decision_date + timedelta(days=rng.randint(5, 30)))
    return FilePlan(
        opened_on,
        "standard",
        "Évaluation initiale à faire par le conseiller désigné",
        opened_on + timedelta(days=90),
        [main],
    )


def _proofs(rng: random.Random, obligation: Any, adviser: User, today: date) -> Iterator[Proof]:
    """Up to four proofs, one per check interval: most up to date, some overdue (the last
    one older than the interval), a few judged not compliant."""
    interval = obligation.check_interval_days
    if not interval or obligation.imposed_on > today - timedelta(days=5):
        return
    draw = rng.random()
    if draw < 0.15:  # overdue
        received = today - timedelta(days=interval + rng.randint(5, 60))
    else:
        received = today - timedelta(days=rng.randint(0, min(interval - 1, 25)))
    compliant = not 0.86 <= draw < 0.93
    note = PROOF_NOTES.get(obligation.type.code, "")
    for _ in range(rng.randint(1, 4)):
        if received < obligation.imposed_on:
            break
        yield Proof(
            obligation=obligation,
            received_on=received,
            period_start=max(received - timedelta(days=interval), obligation.imposed_on),
            period_end=received,
            compliant=compliant,
            note=note if compliant else rng.choice(NON_COMPLIANT_NOTES),
            recorded_by=adviser,
        )
        received -= timedelta(days=interval + rng.randint(-5, 5))
        compliant = True


# --- Seeding ------------------------------------------------------------------------------


def seed_cases(**context: Any) -> None:
    """Add the demo people and their files that are not there yet (see the module doc).
    Their deadlines are swept once, after every app's demo data (`deadlines.demo`), rather
    than recomputed after each change: the `case_changed` hook is muted meanwhile."""
    with case_changed.muted():
        _seed_cases(**context)


@transaction.atomic
def _seed_cases(
    *,
    department: Any,
    branches: dict[str, Branch],
    courts: dict[str, Court],
    stdout: Any,
    **_: Any,
) -> None:
    # Transactional tests empty the reference tables the migration filled; the demo needs
    # them, but must not overwrite what an administrator changed since.
    if not (ObligationType.objects.exists() and IntensityLevel.objects.exists()):
        load_reference_data(apps)
    today = timezone.localdate()
    people = identities()
    existing = set(
        Person.objects.filter(birth_date__in={p.birth_date for p in people}).values_list(
            "birth_name", "first_names", "birth_date"
        )
    )
    missing = [person for person in people if person.key not in existing]
    usernames = {name for plan in PLANS for name, _ in plan.caseloads} | {
        name for plan in PLANS for pair in plan.exclusions for name in pair
    }
    usernames |= {plan.director for plan in PLANS}
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    context = {
        "users": users,
        "intensities": {level.code: level for level in IntensityLevel.objects.all()},
        "types": {kind.code: kind for kind in ObligationType.objects.all()},
        "branches": branches,
        "courts": list(courts.values()),
        "directors": {plan.name: users[plan.director] for plan in PLANS},
    }
    proofs: list[Proof] = []
    for person in missing:
        plan = _queue_file(person, today) if not person.adviser else _file(person, today)
        proofs.extend(_seed_file(person, plan, today, context))
    _insert_logged(Proof, proofs, lambda proof: proof.recorded_by_id)
    stdout.write(
        f"Demo case files: {len(missing)} created, {len(people) - len(missing)} already there."
    )
    created = _seed_case_work(people, today, department=department, context=context)
    stdout.write(
        "Demo case work created: "
        + ", ".join(f"{count} {what}" for what, count in created.items())
        + "."
    )


def _insert_logged(model: Any, rows: list[Any], user_id: Any) -> None:
    """Insert rows in bulk with the creation entry the service writes for each."""
    model.objects.bulk_create(rows)
    AccessLog.objects.bulk_create(
        AccessLog(
            user_id=user_id(row),
            action=AccessLog.Action.CREATE,
            object_type=model._meta.label_lower,
            object_id=str(row.pk),
        )
        for row in rows
    )


def _seed_file(
    person: Identity, plan: FilePlan, today: date, context: dict[str, Any]
) -> list[Proof]:
    """Open one person's case and record its measures and obligations through the services;
    return the proofs to insert."""
    rng = _rng("|".join(map(str, person.key)) + "|files")
    users = context["users"]
    branch: Branch = context["branches"][person.branch]
    director: User = context["directors"][person.branch]
    # The adviser does the intake (case_open gives them the case); the director restricts.
    # A referral in the queue is opened by the director, with no adviser.
    adviser: User | None = users.get(person.adviser)
    actor = adviser or director
    case = services.case_open(
        acting_user=actor,
        branch=branch,
        adviser=adviser,
        opened_on=plan.opened_on,
        intensity=context["intensities"][plan.intensity],
        intensity_reason=plan.intensity_reason,
        intensity_review_on=plan.intensity_review_on,
        person_data=person.person_data(),
    )
    _restrict(case, person, director, users)
    proofs: list[Proof] = []
    for measure_plan in plan.measures:
        court = branch.court if rng.random() < 0.9 else rng.choice(context["courts"])
        measure = services.measure_add(
            acting_user=actor, case=case, court_id=court.pk, terms=measure_plan.terms
        )
        for event in measure_plan.events:
            services.measure_event_record(acting_user=actor, measure=measure, **event)
        for code, details in measure_plan.obligations:
            obligation = services.obligation_add(
                acting_user=actor,
                measure=measure,
                type=context["types"][code],
                imposed_on=measure.start_date,
                details=details,
            )
            if adviser is not None:  # nobody checks proofs before the case is assigned
                proofs.extend(_proofs(rng, obligation, adviser, today))
    return proofs


def _restrict(case: Case, person: Identity, director: User, users: dict[str, User]) -> None:
    if not (person.restricted or person.excluded):
        return
    services.case_restrict(
        acting_user=director,
        case=case,
        restricted=person.restricted,
        excluded_staff=[users[name] for name in person.excluded],
        reason="Dossier sensible (démonstration)",
    )


# --- Case work: community work, assessments, incidents, transfers, substitute --------------

# Hosts of community work (TIG) in the partner directory, by the branch whose people they
# take: (name, address, contact, [(post, tutor)]). Fictitious services and contacts.
TIG_HOSTS: dict[str, tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]] = {
    "Montluçon": (
        (
            "Mairie de Domérat — services techniques",
            "Place de la Mairie, 03410 Domérat",
            "Responsable des services techniques",
            (
                ("Entretien des espaces verts", "M. Gilbert Sauret"),
                ("Peinture et petits travaux dans les bâtiments communaux", "M. Alain Vernet"),
            ),
        ),
        (
            "Ville de Montluçon — direction des espaces verts",
            "Rue des Serres municipales, 03100 Montluçon",
            "Chef d'équipe des parcs et jardins",
            (
                ("Entretien des parcs et jardins", "Mme Josiane Tixier"),
                ("Fleurissement et arrosage", "M. René Aufrère"),
            ),
        ),
        (
            "Restos du Cœur Montluçon",
            "Rue de la Presle, 03100 Montluçon",
            "Responsable du centre de distribution",
            (
                ("Aide à la distribution alimentaire", "Mme Monique Lafaye"),
                ("Tri et rangement des denrées", "M. Jean-Claude Pinet"),
            ),
        ),
        (
            "Ressourcerie du Pays montluçonnais",
            "Zone des Grises, 03100 Montluçon",
            "Encadrant technique",
            (
                ("Tri et valorisation des objets donnés", "M. Cédric Desforges"),
                ("Remise en état de petit mobilier", "M. Cédric Desforges"),
            ),
        ),
        (
            "Centre communal d'action sociale de Commentry",
            "Rue Jean-Jaurès, 03600 Commentry",
            "Directrice du CCAS",
            (("Manutention pour l'épicerie solidaire", "Mme Odile Rougeron"),),
        ),
    ),
    "Moulins-Yzeure": (
        (
            "Mairie d'Yzeure — services techniques",
            "Place Jules-Ferry, 03400 Yzeure",
            "Responsable de la voirie",
            (("Entretien de la voirie et des espaces publics", "M. Serge Thuret"),),
        ),
        (
            "Secours populaire — comité de Moulins",
            "Rue de Bourgogne, 03000 Moulins",
            "Secrétaire du comité",
            (("Tri des vêtements et de la vaisselle donnés", "Mme Colette Brossard"),),
        ),
    ),
    "Cusset": (
        (
            "Ville de Cusset — espaces verts",
            "Rue de la Constitution, 03300 Cusset",
            "Responsable des espaces verts",
            (("Entretien des espaces verts", "M. Lionel Chapuis"),),
        ),
        (
            "Banque alimentaire — antenne de Vichy",
            "Rue de l'Industrie, 03200 Vichy",
            "Coordinatrice des bénévoles",
            (("Préparation des colis alimentaires", "Mme Agnès Pouzadoux"),),
        ),
    ),
}


def _tig_hosts(department: Any) -> dict[str, list[tuple[Partner, tuple[tuple[str, str], ...]]]]:
    """The community-work hosts of each branch, created or brought up to date by name."""
    hosts: dict[str, list[tuple[Partner, tuple[tuple[str, str], ...]]]] = {}
    number = 20
    for branch, entries in TIG_HOSTS.items():
        for name, address, contact, posts in entries:
            number += 1
            partner, _ = Partner.objects.update_or_create(
                department=department,
                name=name,
                defaults={
                    "kind": Partner.Kind.TIG_HOST,
                    "contact_name": contact,
                    "phone": f"{FICTION_LANDLINE} {number:02d} {number * 3 % 100:02d}",
                    "email": f"tig{number}@partenaires-allier.example",
                    "address": address,
                },
            )
            hosts.setdefault(branch, []).append((partner, posts))
    return hosts


SESSION_HOURS = (Decimal("3.5"), Decimal(4), Decimal(7), Decimal(7))


def _work_sessions(
    rng: random.Random, measure: Measure, started_on: date, today: date, branch: Branch
) -> list[tuple[date, Decimal]]:
    """Days worked since the placement began: on pace with the deadline for most, behind for
    a third, nothing yet for a few, all the hours for some. Never more than ordered."""
    assert measure.tig_hours and measure.end_date
    ordered = Decimal(measure.tig_hours)
    span, elapsed = (measure.end_date - started_on).days, (today - started_on).days
    if span <= 0 or elapsed <= 0:
        return []
    expected = ordered * elapsed / span
    draw = rng.random()
    if draw < 0.08:
        target = ordered  # done: waits for the end-of-sentence report
    elif draw < 0.60:
        target = expected * Decimal(rng.uniform(0.9, 1.2))
    elif draw < 0.92:
        target = expected * Decimal(rng.uniform(0.2, 0.6))
    else:
        target = Decimal(0)  # the host has not called them in yet
    target = min(target, ordered)
    length = rng.choice(SESSION_HOURS)
    hours = [length] * int(target // length)
    if target == ordered and target % length:
        hours.append(target % length)
    workdays = working_days(started_on, today, branch)
    hours = hours[: len(workdays)]
    return list(zip(sorted(rng.sample(workdays, len(hours))), hours, strict=True))


def _seed_work(
    rng: random.Random, measure: Measure, actor: User, hosts: list[Any], today: date
) -> tuple[int, list[WorkHours]]:
    """Place a TIG with a host (most of them); return the placements made and the hours done
    there, to insert."""
    if measure.kind != MeasureKind.TIG or measure.placements.all():
        return 0, []
    if measure.start_date > today:
        if rng.random() < 0.5:
            return 0, []  # placed closer to the start
        started_on = measure.start_date
    elif rng.random() < 0.12:
        return 0, []  # still looking for a host
    else:
        started_on = min(measure.start_date + timedelta(days=rng.randint(0, 30)), today)
    host, posts = rng.choice(hosts)
    post, tutor = rng.choice(posts)
    placement = services.work_placement_add(
        acting_user=actor,
        measure=measure,
        host=host,
        post=post,
        tutor=tutor,
        started_on=started_on,
    )
    return 1, [
        WorkHours(placement=placement, date=day, hours=hours, validated_by=actor)
        for day, hours in _work_sessions(rng, measure, started_on, today, measure.case.branch)
    ]


# Assessment texts by life sphere: general ones, and ones that follow an obligation the
# court ordered. Health follow-up says whether appointments are kept, never anything medical.
SPHERE_TEXTS: dict[str, tuple[str, ...]] = {
    "housing": (
        "Locataire d'un T2, loyer à jour.",
        "Hébergé chez sa mère depuis la séparation, cherche un logement.",
        "Hébergé en CHRS ; demande de logement social déposée.",
        "Vit avec sa compagne dans une maison dont elle est propriétaire.",
        "Sans domicile stable, domicilié au CCAS.",
        "Logement en foyer de jeunes travailleurs.",
    ),
    "work_training": (
        "CDI d'agent de production depuis quatre ans.",
        "Missions d'intérim régulières en logistique.",
        "Demandeur d'emploi, inscrit à France Travail.",
        "Formation de cariste en cours (fin prévue dans trois mois).",
        "Sans emploi depuis deux ans, orienté vers un chantier d'insertion.",
        "Artisan maçon à son compte, activité irrégulière.",
    ),
    "resources": (
        "Salaire d'environ 1 400 € net par mois.",
        "RSA et aide au logement.",
        "Allocation chômage jusqu'à la fin de l'année.",
        "Dettes locatives ; dossier de surendettement déposé.",
        "Pas de ressources propres, aidé par sa famille.",
    ),
    "health_followup": (
        "Pas d'obligation de soins ; déclare avoir un médecin traitant.",
        "Aucun suivi ordonné.",
    ),
    "addictions": (
        "Aucune consommation évoquée.",
        "Dit avoir cessé toute consommation d'alcool depuis les faits.",
        "Consommation de cannabis reconnue, dit vouloir arrêter.",
        "Consommation d'alcool le week-end, abordée en entretien.",
    ),
    "family": (
        "En couple, deux enfants de 4 et 7 ans.",
        "Séparé ; voit ses enfants un week-end sur deux.",
        "Vit seul, contacts réguliers avec sa sœur.",
        "Père d'un enfant placé, visites médiatisées.",
        "Vit chez ses parents, relations apaisées.",
    ),
    "social_ties": (
        "Joue au football en club le dimanche.",
        "Isolé, peu de relations hors de la famille.",
        "Entourage amical lié aux faits, mise à distance travaillée en entretien.",
        "Bénévole dans une association de quartier.",
    ),
    "relation_to_offence": (
        "Reconnaît les faits mais en minimise la gravité.",
        "Reconnaît les faits et exprime des regrets envers la victime.",
        "Conteste en partie la décision, respecte néanmoins le cadre.",
        "Reconnaît les faits ; prise de conscience en cours.",
    ),
    "levers": (
        "Soutien familial ; motivé par la recherche d'un emploi.",
        "Projet professionnel clair et réaliste.",
        "Bonne adhésion au suivi, se présente à chaque convocation.",
        "Très attaché à ses enfants, veut préserver ses droits de visite.",
    ),
    "plan": (
        "Entretien mensuel ; vérifier les justificatifs ; orientation vers France Travail.",
        "Accompagner la demande de logement avec le SIAO ; entretien toutes les trois semaines.",
        "Travailler le rapport à la loi ; proposer un stage de citoyenneté.",
        "Maintenir le rythme actuel ; envisager un allègement à la prochaine évaluation.",
    ),
}
TEXTS_BY_OBLIGATION: dict[str, dict[str, tuple[str, ...]]] = {
    "care": {
        "health_followup": (
            "Se rend aux rendez-vous du CSAPA ; attestations de présence remises.",
            "Rendez-vous honorés de façon irrégulière : deux absences ce trimestre.",
            "Premier rendez-vous pris, attestation de présence à fournir.",
        ),
    },
    "compensation": {
        "resources": (
            "Salaire au SMIC ; verse 50 € par mois à la partie civile.",
            "RSA ; versements à la partie civile interrompus depuis deux mois.",
        ),
    },
    "family-charges": {
        "family": ("Séparé, deux enfants ; pension alimentaire fixée par le JAF à 150 €.",),
    },
    "no-contact": {
        "relation_to_offence": (
            "Respecte l'interdiction de contact ; aucun signalement de la victime.",
            "Dit comprendre l'interdiction de contact, l'évoque avec colère.",
        ),
    },
    "dv-course": {
        "plan": ("Stage de responsabilisation à programmer ; entretien tous les quinze jours.",),
    },
    "work-training": {
        "plan": ("Justificatifs de recherche d'emploi mensuels ; atelier CV avec France Travail.",),
    },
}
SECOND_ASSESSMENT_PLANS = (
    "Évolution favorable depuis la dernière évaluation ; envisager un allègement du suivi.",
    "Situation fragilisée depuis la dernière évaluation ; rapprocher les entretiens.",
    "Point d'étape à six mois : maintenir le rythme du suivi.",
)
# Spheres that often change between two assessments.
CHANGING_SPHERES = ("housing", "work_training", "resources", "social_ties")


def _assessment_texts(
    rng: random.Random, codes: set[str], tig: bool, previous: dict[str, str] | None
) -> dict[str, str]:
    """One text per sphere, following the obligations ordered; a later assessment keeps
    most of the previous one and updates a sphere or two."""
    texts = dict(previous or {})
    spheres = rng.sample(CHANGING_SPHERES, 2) if previous else list(SPHERE_TEXTS)
    for sphere in spheres:
        options = [
            text
            for code in sorted(codes)
            for text in TEXTS_BY_OBLIGATION.get(code, {}).get(sphere, ())
        ]
        texts[sphere] = rng.choice(options or SPHERE_TEXTS[sphere])
    if previous:
        texts["plan"] = rng.choice(SECOND_ASSESSMENT_PLANS)
    elif tig:
        plan = texts["plan"]
        texts["plan"] = f"Suivre l'exécution du TIG avec le tuteur ; {plan[0].lower()}{plan[1:]}"
    return texts


def _seed_assessments(rng: random.Random, case: Case, actor: User, today: date) -> int:
    """An assessment a few weeks after the referral on about half of the files, and a
    second one some months later on some; each planned for review six months on."""
    if case.assessments.all() or rng.random() >= 0.55:
        return 0
    first = case.opened_on + timedelta(days=rng.randint(10, 45))
    if first > today:
        return 0
    days = [first]
    second = first + timedelta(days=rng.randint(150, 240))
    if second <= today and rng.random() < 0.5:
        days.append(second)
    measures = case.measures.all()
    codes = {o.type.code for m in measures for o in m.obligations.all() if not o.automatic}
    tig = any(m.kind == MeasureKind.TIG for m in measures)
    texts = None
    for day in days:
        texts = _assessment_texts(rng, codes, tig, texts)
        services.assessment_record(
            acting_user=actor,
            case=case,
            assessed_on=day,
            review_on=day + timedelta(days=182),
            **texts,
        )
    return len(days)


BREACHES: dict[str, tuple[str, ...]] = {
    "care": (
        "Attestation de présence aux soins non remise malgré une relance.",
        "Deux rendez-vous au CSAPA manqués sans prévenir.",
    ),
    "compensation": ("Aucun versement à la partie civile depuis deux mois.",),
    "work-training": ("Aucun justificatif de recherche d'emploi depuis la dernière convocation.",),
    "no-contact": ("La victime signale des messages reçus de sa part.",),
    "no-bars": ("Contrôlé par la police dans un débit de boissons.",),
    "residence": ("Changement d'adresse non signalé au service.",),
    "family-charges": ("Pension alimentaire impayée depuis trois mois selon l'autre parent.",),
    "no-appearing": ("Interpellé dans le quartier où il lui est interdit de paraître.",),
}
BREACHES_BY_KIND: dict[str, tuple[str, ...]] = {
    MeasureKind.TIG: (
        "Absent à sa demi-journée de TIG sans prévenir le tuteur.",
        "Retards répétés signalés par le tuteur du TIG.",
    ),
    MeasureKind.DDSE_SENTENCE: ("Retour au domicile après l'heure fixée (alarme de 40 minutes).",),
    MeasureKind.DDSE_ADJUSTMENT: ("Sortie hors des horaires autorisés, alarme de dépassement.",),
    MeasureKind.SEMI_LIBERTY: ("Retour tardif au centre de semi-liberté.",),
}
MISSED_APPOINTMENT = (
    "Absent à la convocation, sans justificatif.",
    "Ne s'est pas présenté au rendez-vous ; joint par téléphone, sans explication.",
)
RESPONSES = list(Incident.Response)  # the ladder, in order


def _seed_incidents(rng: random.Random, measure: Measure, actor: User, today: date) -> int:
    """Incidents on about a tenth of the measures under way: one usually, answered by a
    reminder of the obligations; a few that climb the ladder up to a report to the judge."""
    if measure.incidents.all() or rng.random() >= 0.12:
        return 0
    begin = measure.start_date + timedelta(days=14)
    if begin >= today:
        return 0
    count = _weighted(rng, ((1, 65), (2, 25), (3, 10)))
    offsets = sorted(rng.sample(range((today - begin).days + 1), count))
    rung = 0 if count > 1 else _weighted(rng, ((0, 65), (1, 28), (2, 7)))
    obligations = [o for o in measure.obligations.all() if o.type.code in BREACHES]
    for index, offset in enumerate(offsets):
        obligation = rng.choice(obligations) if obligations and rng.random() < 0.6 else None
        if obligation is not None:
            description = rng.choice(BREACHES[obligation.type.code])
        else:
            description = rng.choice(BREACHES_BY_KIND.get(measure.kind, MISSED_APPOINTMENT))
        services.incident_record(
            acting_user=actor,
            measure=measure,
            occurred_on=begin + timedelta(days=offset),
            description=description,
            response=RESPONSES[min(rung + index, 2)],
            obligation=obligation,
        )
    return count


# Montluçon files moved to another branch: (receiving branch, reason). The first one is
# assigned there at once; the others wait in the receiving director's queue.
TRANSFERS = (
    ("Moulins-Yzeure", "Déménagement à Yzeure pour un emploi ; justificatif de domicile fourni"),
    ("Cusset", "Installé à Vichy chez sa compagne ; suivi à reprendre par l'antenne de Cusset"),
    ("Moulins-Yzeure", "Hébergé chez ses parents à Moulins depuis sa séparation"),
)
TRANSFER_ASSIGNMENT = "Reprise du suivi après dessaisissement de l'antenne de Montluçon"
# (absent adviser, substitute, days of leave left, reason)
SUBSTITUTION = ("cpip.chevalier", "cpip.fabre", 9, "Congés annuels")


def transferred(people: list[Identity]) -> list[tuple[Identity, str, str]]:
    """The Montluçon people whose file moves (neither the demo adviser's nor a sensitive
    one), with the receiving branch and the reason."""
    candidates = [
        person
        for person in people
        if person.branch == PLANS[0].name
        and person.adviser not in ("", PLANS[0].caseloads[0][0])
        and not (person.restricted or person.excluded)
    ]
    chosen = _rng("spip-allier-demo-transfers").sample(candidates, len(TRANSFERS))
    return [(person, *transfer) for person, transfer in zip(chosen, TRANSFERS, strict=True)]


def _seed_case_work(
    people: list[Identity], today: date, *, department: Any, context: dict[str, Any]
) -> dict[str, int]:
    """Add the case work each file does not have yet (see the module doc); return what was
    created, by kind."""
    hosts = _tig_hosts(department)
    directors: dict[str, User] = context["directors"]
    users: dict[str, User] = context["users"]
    by_key = {person.key: person for person in people}
    cases = (
        Case.objects.filter(person__birth_date__in={p.birth_date for p in people})
        .select_related("person", "branch", "adviser")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("id").prefetch_related(
                    "placements",
                    "incidents",
                    Prefetch("obligations", queryset=Obligation.objects.select_related("type")),
                ),
            ),
            "assessments",
            "transfers",
        )
        .order_by("id")
    )
    files: dict[tuple[str, str, date], Case] = {}
    for case in cases:
        person = case.person
        files.setdefault((person.birth_name, person.first_names, person.birth_date), case)
    created = dict.fromkeys(
        (
            "placements",
            "days of community work",
            "assessments",
            "incidents",
            "transfers",
            "substitute grants",
        ),
        0,
    )
    hours: list[WorkHours] = []
    for key, case in files.items():
        person = by_key.get(key)
        if person is None or not person.adviser:
            continue  # not a demo file, or a referral nobody follows yet
        actor = case.adviser or directors[case.branch.name]
        # A generator per kind of row, so that what one run skips does not shift the others.
        for number, measure in enumerate(case.measures.all()):
            rng = _rng(f"{person.seed}|work|{number}")
            placements, days = _seed_work(rng, measure, actor, hosts[case.branch.name], today)
            created["placements"] += placements
            hours.extend(days)
            rng = _rng(f"{person.seed}|incidents|{number}")
            created["incidents"] += _seed_incidents(rng, measure, actor, today)
        rng = _rng(f"{person.seed}|assessments")
        created["assessments"] += _seed_assessments(rng, case, actor, today)
    # In bulk, like the proofs: as `work_hours_record` would write them (see the module doc).
    _insert_logged(WorkHours, hours, lambda entry: entry.validated_by_id)
    created["days of community work"] = len(hours)
    for person, to_branch, reason in transferred(people):
        case = files[person.key]
        if case.transfers.all():
            continue
        services.case_transfer(
            acting_user=directors[case.branch.name],
            case=case,
            to_branch=context["branches"][to_branch],
            reason=reason,
        )
        created["transfers"] += 1
        if (to_branch, reason) == TRANSFERS[0]:
            receiving = next(plan for plan in PLANS if plan.name == to_branch)
            services.case_assign(
                acting_user=directors[to_branch],
                case=case,
                adviser=users[receiving.caseloads[0][0]],
                reason=TRANSFER_ASSIGNMENT,
            )
    created["substitute grants"] = _seed_substitute(users, directors, today)
    return created


def _seed_substitute(users: dict[str, User], directors: dict[str, User], today: date) -> int:
    """A Montluçon adviser on leave for a few more days, replaced by a colleague. While the
    substitution lasts, a run only extends it to a file recreated since (the service skips
    the files already granted); once it is over, a run sets a new one."""
    absent, substitute, days, reason = SUBSTITUTION
    in_place = CaseUserObjectPermission.objects.filter(
        user=users[substitute], content_object__adviser=users[absent], valid_until__gte=today
    ).aggregate(until=Max("valid_until"))["until"]
    granted = services.case_substitutes_set(
        acting_user=directors[PLANS[0].name],
        absent=users[absent],
        substitute=users[substitute],
        until=in_place or today + timedelta(days=days),
        reason=reason,
    )
    return len(granted)
