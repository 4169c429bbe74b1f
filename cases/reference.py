"""Reference data: obligation types (CP 132-44 and 132-45) and follow-up intensities.

`load_reference_data` is idempotent and takes an app registry, so that the data migration
(historical models) and the test fixture (transactional tests empty the tables) create the
same rows. Labels are the legal wording, in French, as the court orders write them.
"""

from __future__ import annotations

from typing import Any

CONTROL, OBLIGATION, BAN = "control", "obligation", "ban"

# code, legal basis, label, nature, proof expected, default check interval (days)
OBLIGATION_TYPES: list[tuple[str, str, str, str, bool, int | None]] = [
    (
        "control-convocations",
        "CP 132-44 1°",
        "Répondre aux convocations du JAP et du SPIP",
        CONTROL,
        False,
        None,
    ),
    (
        "control-visits",
        "CP 132-44 2°",
        "Recevoir les visites du SPIP et lui communiquer les justificatifs demandés",
        CONTROL,
        False,
        None,
    ),
    (
        "control-job-change",
        "CP 132-44 3°",
        "Prévenir le SPIP de ses changements d’emploi",
        CONTROL,
        False,
        None,
    ),
    (
        "control-moves",
        "CP 132-44 4°",
        "Prévenir le SPIP de ses changements de résidence et de tout déplacement de plus de "
        "15 jours",
        CONTROL,
        False,
        None,
    ),
    (
        "control-authorisation",
        "CP 132-44 5°",
        "Obtenir l’autorisation préalable du JAP pour tout changement d’emploi ou de résidence "
        "faisant obstacle à l’exécution des obligations",
        CONTROL,
        False,
        None,
    ),
    (
        "control-abroad",
        "CP 132-44 6°",
        "Informer préalablement le JAP de tout déplacement à l’étranger",
        CONTROL,
        False,
        None,
    ),
    (
        "work-training",
        "CP 132-45 1°",
        "Exercer une activité professionnelle ou suivre un enseignement ou une formation",
        OBLIGATION,
        True,
        30,
    ),
    (
        "residence",
        "CP 132-45 2°",
        "Établir sa résidence en un lieu déterminé",
        OBLIGATION,
        True,
        90,
    ),
    (
        "care",
        "CP 132-45 3°",
        "Se soumettre à des mesures d’examen médical, de traitement ou de soins (obligation de "
        "soins, injonction thérapeutique)",
        OBLIGATION,
        True,
        30,
    ),
    (
        "family-charges",
        "CP 132-45 4°",
        "Contribuer aux charges familiales ou acquitter régulièrement les pensions alimentaires",
        OBLIGATION,
        True,
        30,
    ),
    (
        "compensation",
        "CP 132-45 5°",
        "Réparer les dommages causés par l’infraction (indemniser la victime)",
        OBLIGATION,
        True,
        30,
    ),
    (
        "treasury",
        "CP 132-45 6°",
        "Justifier qu’il acquitte les sommes dues au Trésor public",
        OBLIGATION,
        True,
        90,
    ),
    ("no-driving", "CP 132-45 7°", "S’abstenir de conduire certains véhicules", BAN, False, None),
    (
        "driving-licence",
        "CP 132-45 7° bis",
        "S’inscrire et se présenter aux épreuves du permis de conduire, après avoir suivi des "
        "leçons de conduite",
        OBLIGATION,
        True,
        90,
    ),
    (
        "no-activity",
        "CP 132-45 8°",
        "Ne pas exercer l’activité dans l’exercice de laquelle l’infraction a été commise ou "
        "impliquant un contact habituel avec des mineurs",
        BAN,
        False,
        None,
    ),
    (
        "no-appearing",
        "CP 132-45 9°",
        "S’abstenir de paraître en tout lieu spécialement désigné (interdiction de paraître)",
        BAN,
        False,
        None,
    ),
    ("no-gambling", "CP 132-45 10°", "Ne pas engager de paris", BAN, False, None),
    ("no-bars", "CP 132-45 11°", "Ne pas fréquenter les débits de boissons", BAN, False, None),
    (
        "no-co-offenders",
        "CP 132-45 12°",
        "Ne pas fréquenter certains condamnés, notamment les auteurs ou complices de l’infraction",
        BAN,
        False,
        None,
    ),
    (
        "no-contact",
        "CP 132-45 13°",
        "S’abstenir d’entrer en relation avec la victime ou certaines personnes (interdiction "
        "de contact)",
        BAN,
        False,
        None,
    ),
    ("no-weapons", "CP 132-45 14°", "Ne pas détenir ou porter une arme", BAN, False, None),
    (
        "road-safety-course",
        "CP 132-45 15°",
        "Accomplir un stage de sensibilisation à la sécurité routière",
        OBLIGATION,
        True,
        90,
    ),
    (
        "no-publishing",
        "CP 132-45 16°",
        "S’abstenir de diffuser tout ouvrage ou œuvre audiovisuelle portant sur l’infraction",
        BAN,
        False,
        None,
    ),
    (
        "hand-children",
        "CP 132-45 17°",
        "Remettre ses enfants entre les mains de ceux auxquels la garde a été confiée",
        OBLIGATION,
        True,
        90,
    ),
    (
        "citizenship-course",
        "CP 132-45 18°",
        "Accomplir un stage de citoyenneté",
        OBLIGATION,
        True,
        90,
    ),
    (
        "live-apart",
        "CP 132-45 19°",
        "Résider hors du domicile du couple (violences au sein du couple)",
        OBLIGATION,
        True,
        90,
    ),
    (
        "dv-course",
        "CP 132-45 20°",
        "Accomplir un stage de responsabilisation pour la prévention et la lutte contre les "
        "violences au sein du couple et sexistes",
        OBLIGATION,
        True,
        90,
    ),
    (
        "abroad-authorisation",
        "CP 132-45 21°",
        "Obtenir l’autorisation du JAP avant tout déplacement à l’étranger",
        OBLIGATION,
        False,
        None,
    ),
]

# code, label, longest interval between interviews (days), order
INTENSITY_LEVELS: list[tuple[str, str, int, int]] = [
    ("renforcee", "Suivi renforcé", 15, 1),
    ("soutenue", "Suivi soutenu", 30, 2),
    ("standard", "Suivi standard", 45, 3),
    ("allegee", "Suivi allégé", 90, 4),
]

CONTROL_CODES = [code for code, _, _, nature, _, _ in OBLIGATION_TYPES if nature == CONTROL]


def load_reference_data(apps: Any) -> None:
    """Create or update the reference rows; safe to run any number of times."""
    obligation_type = apps.get_model("cases", "ObligationType")
    intensity_level = apps.get_model("cases", "IntensityLevel")
    for code, legal_code, label, nature, proof_expected, interval in OBLIGATION_TYPES:
        obligation_type.objects.update_or_create(
            code=code,
            defaults={
                "legal_code": legal_code,
                "label": label,
                "nature": nature,
                "proof_expected": proof_expected,
                "default_check_interval_days": interval,
            },
        )
    for code, label, max_interval_days, rank in INTENSITY_LEVELS:
        intensity_level.objects.update_or_create(
            code=code,
            defaults={"label": label, "max_interval_days": max_interval_days, "rank": rank},
        )
