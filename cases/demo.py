"""Demo case files for the SPIP de l'Allier, added to `seed_demo` (see `CasesConfig.ready`).

Montluçon gets 475 people spread over its seven advisers, Moulins-Yzeure and Cusset fewer,
each with a current measure, its obligations and proofs, and a follow-up intensity. Everyone
is fictitious: common French names drawn with a fixed seed, addresses in the Allier, phone
numbers from the ranges ARCEP reserves for fiction, so that no reminder can reach anybody.

Idempotent and safe after a partial run: identities do not depend on the day, so a run
recognises the people already there by (birth name, first names, birth date) and only adds
the missing ones. The rest of a new file is dated from today, so that the demo always shows
current deadlines. Cases, measures, events and obligations go through `cases.services`
(end dates computed, grants, access log). Proofs are inserted in bulk, with the access-log
rows `proof_record` writes and within its rules (received in the past, period in order):
one service call per proof would add a fifth to the seeding time, paid by every test that
runs `seed_demo`.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from cases import services
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
from cases.models import Case, IntensityLevel, ObligationType, Person, Proof
from cases.reference import load_reference_data
from spip.models import AccessLog, Branch, Court, User

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
            ("03100", "Montluçon"), ("03100", "Montluçon"), ("03100", "Montluçon"),
            ("03410", "Domérat"), ("03630", "Désertines"), ("03600", "Commentry"),
            ("03310", "Néris-les-Bains"), ("03410", "Saint-Victor"), ("03410", "Prémilhat"),
            ("03380", "Huriel"), ("03420", "Marcillat-en-Combraille"),
            ("03430", "Cosne-d'Allier"), ("03100", "Lavault-Sainte-Anne"),
        ),
        restricted=5,
        exclusions=(("conseiller", "cpip.girard"),),
    ),
    BranchPlan(
        "Moulins-Yzeure",
        "dpip.moulins",
        (("cpip.moulins", 120),),
        (
            ("03000", "Moulins"), ("03000", "Moulins"), ("03400", "Yzeure"),
            ("03000", "Avermes"), ("03000", "Neuvy"), ("03160", "Bourbon-l'Archambault"),
            ("03210", "Souvigny"), ("03290", "Dompierre-sur-Besbre"),
            ("03500", "Saint-Pourçain-sur-Sioule"), ("03460", "Villeneuve-sur-Allier"),
        ),
    ),
    BranchPlan(
        "Cusset",
        "dpip.moulins",
        (("cpip.cusset", 90),),
        (
            ("03300", "Cusset"), ("03200", "Vichy"), ("03200", "Vichy"),
            ("03700", "Bellerive-sur-Allier"), ("03270", "Saint-Yorre"),
            ("03250", "Le Mayet-de-Montagne"), ("03800", "Gannat"), ("03200", "Abrest"),
            ("03300", "Creuzier-le-Vieux"), ("03120", "Lapalisse"),
        ),
    ),
)  # fmt: skip

# --- Names (fictitious combinations of common names) ------------------------------------

MALE_FIRST_NAMES = (
    "Thomas", "Nicolas", "Julien", "Kevin", "Anthony", "Jérémy", "Sébastien", "Maxime",
    "Alexandre", "Romain", "Mickaël", "Christophe", "Stéphane", "David", "Frédéric", "Laurent",
    "Olivier", "Éric", "Philippe", "Patrick", "Pascal", "Thierry", "Franck", "Cédric",
    "Guillaume", "Benjamin", "Jonathan", "Florian", "Quentin", "Dylan", "Lucas", "Hugo",
    "Enzo", "Mathis", "Théo", "Yanis", "Mehdi", "Karim", "Sofiane", "Bilal", "Mohamed",
    "Rachid", "Youssef", "Moussa", "Jordan", "Loïc", "Ludovic", "Arnaud", "Fabrice",
    "Jean-Pierre", "Jean-Luc", "Michel", "Alain", "Bruno", "Didier", "Gilles", "Hervé",
    "Cyril", "Damien", "Grégory", "Vincent", "Mathieu", "Adrien", "Baptiste", "Clément",
    "Antoine", "Rémi", "Joël", "Gaëtan", "Killian",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "Marie", "Nathalie", "Isabelle", "Sandrine", "Céline", "Stéphanie", "Aurélie", "Émilie",
    "Julie", "Laetitia", "Sabrina", "Virginie", "Audrey", "Jessica", "Mélanie", "Amandine",
    "Sarah", "Laura", "Manon", "Camille", "Chloé", "Océane", "Inès", "Yasmine", "Samira",
    "Karine", "Valérie", "Sylvie", "Christine", "Patricia", "Martine", "Élodie", "Vanessa",
    "Cindy", "Morgane", "Léa",
)  # fmt: skip
MIDDLE_NAMES = {
    "M": ("Jean", "Pierre", "Michel", "André", "Louis", "Marcel", "René", "Paul", "Joseph"),
    "F": ("Marie", "Anne", "Louise", "Françoise", "Jeanne", "Claire", "Madeleine"),
}
# Staff surnames are left out, so that nobody seems to follow a namesake.
SURNAMES = (
    "Martin", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Leroy", "Roux", "David", "Bertrand", "Fournier", "Bonnet", "Dupont",
    "Fontaine", "Rousseau", "Vincent", "Faure", "André", "Mercier", "Blanc", "Guérin",
    "Boyer", "Legrand", "Gauthier", "Garcia", "Robin", "Clément", "Morin", "Nicolas", "Henry",
    "Mathieu", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Noël", "Meyer", "Dufour",
    "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
    "Barbier", "Arnaud", "Martinez", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
    "Caron", "Picard", "Roger", "Lemoine", "Lacroix", "Olivier", "Philippe", "Bourgeois",
    "Pierre", "Benoît", "Rey", "Leclerc", "Rolland", "Guillaume", "Lecomte", "Lopez", "Dupuy",
    "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis",
    "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
    "Adam", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
    "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez",
    "Collet", "Léger", "Bouvier", "Prévost", "Millet", "Perrot", "Cousin", "Germain", "Breton",
    "Besson", "Langlois", "Rémy", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
    "Lebrun", "Weber", "Mallet", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez",
    "Gillet", "Étienne", "Tessier", "Chauvin", "Da Silva", "Bouchet", "Lemaître", "Chassaing",
    "Bardet", "Auclair", "Thévenet", "Brugière", "Mazeron", "Ferreira", "Pereira",
    "Dos Santos", "Benali", "Haddad", "Diallo", "Traoré", "Yilmaz", "Demir", "Popescu",
)  # fmt: skip
# Accented names and near-homonyms, each given to a few people at every branch, so that
# searching "lefevre" or "muller" finds several spellings.
FEATURED_SURNAMES = (
    "Lefèvre", "Lefebvre", "Lefeuvre", "Bénard", "Besnard", "Gérard", "Müller", "Muller",
    "Chénier", "Chesnier", "Dos Santos", "Dossantos",
)  # fmt: skip
NATIONALITIES = (
    ("française", 86), ("marocaine", 3), ("algérienne", 3), ("portugaise", 3),
    ("turque", 2), ("roumaine", 1), ("tunisienne", 1), ("sénégalaise", 1),
)  # fmt: skip
BIRTH_PLACES = (
    "Montluçon (03)", "Moulins (03)", "Vichy (03)", "Commentry (03)", "Clermont-Ferrand (63)",
    "Nevers (58)", "Bourges (18)", "Paris (75)", "Lyon (69)", "Saint-Étienne (42)",
    "Guéret (23)", "Roanne (42)",
)  # fmt: skip
STREETS = (
    "rue de la République", "avenue Jules-Ferry", "rue Victor-Hugo", "rue Pierre-Leroux",
    "boulevard de Courtais", "rue des Forges", "avenue de la Gare", "rue Jean-Jaurès",
    "impasse des Tilleuls", "rue du Faubourg Saint-Pierre", "allée des Peupliers",
    "rue Marx-Dormoy", "chemin des Vignes", "place de la Mairie", "rue de Paris",
    "cité des Marais", "rue Émile-Zola", "avenue Marcel-Cachin",
)  # fmt: skip
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
    adviser: str
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

    def person_data(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in services.PERSON_FIELDS}


def identities() -> list[Identity]:
    """Every demo person, the same on every run and every day."""
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
    (MeasureKind.PROBATION, 50), (MeasureKind.PROBATION_REINFORCED, 5), (MeasureKind.TIG, 15),
    (MeasureKind.DDSE_SENTENCE, 6), (MeasureKind.DDSE_ADJUSTMENT, 4), (MeasureKind.PAROLE, 7),
    (MeasureKind.SEMI_LIBERTY, 3), (MeasureKind.OUTSIDE_PLACEMENT, 2),
    (MeasureKind.SOCIO_JUDICIAL, 3), (MeasureKind.COURSE, 3),
    (MeasureKind.RELEASE_UNDER_CONSTRAINT, 2),
)  # fmt: skip
COURSE_MIX = (
    (CourseKind.CITIZENSHIP, 35), (CourseKind.ROAD_SAFETY, 25), (CourseKind.NARCOTICS, 15),
    (CourseKind.DOMESTIC_VIOLENCE, 15), (CourseKind.PARENTAL_RESPONSIBILITY, 10),
)  # fmt: skip

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
            ("no-contact", "Ne pas entrer en relation avec la victime, sauf pour les enfants "
             "par l'intermédiaire d'un tiers"),
            ("live-apart", ""),
            ("dv-course", ""),
            ("care", "Suivi psychologique, attestations de présence"),
        ],
        "reasons": ("Violences au sein du couple : interdiction de contact à contrôler",
                    "Risque de réitération évalué comme élevé"),
    },
    "narcotics": {
        "obligations": [
            ("care", "Suivi en addictologie, attestations de présence"),
            ("work-training", ""),
            ("no-co-offenders", "Ne pas fréquenter les coauteurs de l'infraction"),
            ("no-appearing", "Interdiction de paraître dans le quartier de Fontbouillant"),
        ],
        "reasons": ("Usage et revente de stupéfiants, insertion professionnelle à construire",
                    "Consommations actives signalées"),
    },
    "property": {
        "obligations": [
            ("compensation", "Indemniser la partie civile, versements mensuels"),
            ("work-training", ""),
            ("treasury", "Échéancier accordé par le Trésor public"),
        ],
        "reasons": ("Vols répétés, situation financière précaire",
                    "Indemnisation des victimes à suivre"),
    },
    "assault": {
        "obligations": [
            ("compensation", "Indemniser la victime"),
            ("care", "Suivi psychologique, attestations de présence"),
            ("no-weapons", ""),
            ("no-contact", "Ne pas entrer en relation avec la victime"),
        ],
        "reasons": ("Violences volontaires, gestion de l'impulsivité à travailler",
                    "Situation stable, obligations respectées"),
    },
    "family": {
        "obligations": [
            ("family-charges", "Verser la pension alimentaire fixée par le juge aux affaires "
             "familiales"),
            ("work-training", ""),
            ("hand-children", ""),
        ],
        "reasons": ("Abandon de famille, reprise des versements à vérifier",
                    "Situation familiale conflictuelle"),
    },
    "sexual": {
        "obligations": [
            ("care", "Injonction de soins, attestations du médecin coordonnateur"),
            ("no-activity", "Aucune activité impliquant un contact habituel avec des mineurs"),
            ("no-contact", "Ne pas entrer en relation avec la victime et sa famille"),
            ("residence", ""),
        ],
        "reasons": ("Infraction à caractère sexuel, injonction de soins",
                    "Sortie de détention récente"),
    },
}  # fmt: skip
PROFILE_MIX = (
    ("alcohol-road", 24), ("narcotics", 22), ("property", 20), ("assault", 16),
    ("domestic-violence", 12), ("family", 6),
)  # fmt: skip
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
                kind=kind, decision_date=decision, final_date=final, start_date=final,
                recidivism=recidivism, prison_term_months=prison, probation_months=months,
            )  # fmt: skip
            return MeasurePlan(terms, events=_probation_events(rng, terms, today))
        case MeasureKind.TIG:
            deadline = rng.choice((None, 12, 18))  # None: the legal maximum
            decision = _days_ago(today, rng.randint(20, (deadline or 18) * 30 - 40))
            final = decision + timedelta(days=10)
            hours = rng.choice((35, 50, 70, 70, 105, 105, 140, 140, 180, 210, 280, 350))
            terms = MeasureTerms(
                kind=kind, decision_date=decision, final_date=final,
                start_date=final + timedelta(days=rng.randint(15, 90)), tig_hours=hours,
                tig_deadline_months=deadline, tig_consent=True,
            )  # fmt: skip
            return MeasurePlan(terms)
        case MeasureKind.DDSE_SENTENCE:
            days = rng.choice((30, 45, 60, 90, 120, 150, 180))
            start = _days_ago(today, rng.randint(-30, days - 10))
            decision = _decided(rng, start, today, 20, 90)
            terms = MeasureTerms(
                kind=kind, decision_date=decision,
                final_date=min(decision + timedelta(days=10), start, today), start_date=start,
                ddse_days=days,
            )  # fmt: skip
            return MeasurePlan(terms)
        case MeasureKind.DDSE_ADJUSTMENT | MeasureKind.SEMI_LIBERTY | MeasureKind.OUTSIDE_PLACEMENT:
            remaining = rng.randint(60, 365 if kind == MeasureKind.DDSE_ADJUSTMENT else 540)
            start = _days_ago(today, rng.randint(-20, remaining - 10))
            decision = _decided(rng, start, today, 7, 45)
            custody = start - timedelta(days=rng.randint(60, 400)) if rng.random() < 0.5 else None
            terms = MeasureTerms(
                kind=kind, decision_date=decision, final_date=decision, start_date=start,
                remaining_term_days=remaining, custody_start=custody,
            )  # fmt: skip
            obligations = [("work-training", "")] if rng.random() < 0.6 else []
            return MeasurePlan(terms, obligations=obligations)
        case MeasureKind.PAROLE:
            months = rng.choice((12, 18, 24, 24, 36, 48, 60))
            start = _days_ago(today, rng.randint(10, min(3 * 365, months * 30 - 30)))
            decision = start - timedelta(days=rng.randint(7, 30))
            total = rng.randint(3 * 365, 10 * 365)
            terms = MeasureTerms(
                kind=kind, decision_date=decision, final_date=decision, start_date=start,
                supervision_months=months, total_sentence_days=total,
                custody_start=start - timedelta(days=total // 2 + rng.randint(0, 300)),
            )  # fmt: skip
            return MeasurePlan(terms)
        case MeasureKind.RELEASE_UNDER_CONSTRAINT:
            total = rng.randint(180, 1800)
            remaining = rng.randint(30, total // 3)
            start = _days_ago(today, rng.randint(0, remaining - 10))
            decision = start - timedelta(days=rng.randint(3, 20))
            terms = MeasureTerms(
                kind=kind, decision_date=decision, final_date=decision, start_date=start,
                total_sentence_days=total, remaining_term_days=remaining,
                custody_start=start - timedelta(days=total - remaining),
            )  # fmt: skip
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
                kind=kind, decision_date=decision, final_date=decision + timedelta(days=10),
                start_date=start, offence_class=offence, socio_judicial_years=years,
            )  # fmt: skip
            return MeasurePlan(terms)
        case MeasureKind.COURSE:
            decision = _days_ago(today, rng.randint(15, 150))
            final = decision + timedelta(days=10)
            days = rng.choice((1, 2, 2, 3))
            latest = add_months(final, 6) - timedelta(days=days)
            start = min(final + timedelta(days=rng.randint(20, 150)), latest)
            terms = MeasureTerms(
                kind=kind, decision_date=decision, final_date=final, start_date=start,
                course_kind=_weighted(rng, COURSE_MIX), course_days=days,
            )  # fmt: skip
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
        events.append({
            "kind": EventKind.SUSPENSION, "date": begin,
            "end_date": begin + timedelta(days=rng.randint(30, 80)),
            "decision_reference": reference,
            "note": "Incarcération pour une autre cause (maison d'arrêt de Moulins-Yzeure)",
        })  # fmt: skip
    elif draw < 0.075 and elapsed > 90:
        events.append({
            "kind": EventKind.SUSPENSION, "date": _days_ago(today, rng.randint(5, 60)),
            "decision_reference": reference,
            "note": "Placé en détention provisoire pour une autre affaire",
        })  # fmt: skip
    elif (
        draw < 0.13
        and elapsed > 200
        and terms.recidivism == Recidivism.NONE
        and terms.probation_months <= 30
    ):
        events.append({
            "kind": EventKind.PROLONGATION,
            "date": terms.start_date + timedelta(days=rng.randint(180, elapsed)),
            "months": 6 if terms.probation_months > 24 else rng.choice((6, 12)),
            "decision_reference": reference,
            "note": "Manquements à l'obligation d'indemniser : délai d'épreuve prolongé",
        })  # fmt: skip
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
            obligation=obligation, received_on=received,
            period_start=max(received - timedelta(days=interval), obligation.imposed_on),
            period_end=received, compliant=compliant,
            note=note if compliant else rng.choice(NON_COMPLIANT_NOTES), recorded_by=adviser,
        )  # fmt: skip
        received -= timedelta(days=interval + rng.randint(-5, 5))
        compliant = True


# --- Seeding ------------------------------------------------------------------------------


@transaction.atomic
def seed_cases(
    *,
    department: Any,
    branches: dict[str, Branch],
    courts: dict[str, Court],
    stdout: Any,
    **_: Any,
) -> None:
    """Add the demo people and their files that are not there yet (see the module doc)."""
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
        proofs.extend(_seed_file(person, _file(person, today), today, context))
    Proof.objects.bulk_create(proofs)
    AccessLog.objects.bulk_create(
        AccessLog(
            user_id=proof.recorded_by_id,
            action=AccessLog.Action.CREATE,
            object_type=Proof._meta.label_lower,
            object_id=str(proof.pk),
        )
        for proof in proofs
    )
    stdout.write(
        f"Demo case files: {len(missing)} created, {len(people) - len(missing)} already there."
    )


def _seed_file(
    person: Identity, plan: FilePlan, today: date, context: dict[str, Any]
) -> list[Proof]:
    """Open one person's case and record its measures and obligations through the services;
    return the proofs to insert."""
    rng = _rng("|".join(map(str, person.key)) + "|files")
    users = context["users"]
    adviser: User = users[person.adviser]
    branch: Branch = context["branches"][person.branch]
    director: User = context["directors"][person.branch]
    # The adviser does the intake (case_open gives them the case); the director restricts.
    case = services.case_open(
        acting_user=adviser, branch=branch, opened_on=plan.opened_on,
        intensity=context["intensities"][plan.intensity], intensity_reason=plan.intensity_reason,
        intensity_review_on=plan.intensity_review_on, person_data=person.person_data(),
    )  # fmt: skip
    _restrict(case, person, director, users)
    proofs: list[Proof] = []
    for measure_plan in plan.measures:
        court = branch.court if rng.random() < 0.9 else rng.choice(context["courts"])
        measure = services.measure_add(
            acting_user=adviser, case=case, court_id=court.pk, terms=measure_plan.terms
        )
        for event in measure_plan.events:
            services.measure_event_record(acting_user=adviser, measure=measure, **event)
        for code, details in measure_plan.obligations:
            obligation = services.obligation_add(
                acting_user=adviser, measure=measure, type=context["types"][code],
                imposed_on=measure.start_date, details=details,
            )  # fmt: skip
            proofs.extend(_proofs(rng, obligation, adviser, today))
    return proofs


def _restrict(case: Case, person: Identity, director: User, users: dict[str, User]) -> None:
    if not (person.restricted or person.excluded):
        return
    services.case_restrict(
        acting_user=director, case=case, restricted=person.restricted,
        excluded_staff=[users[name] for name in person.excluded],
        reason="Dossier sensible (démonstration)",
    )  # fmt: skip
