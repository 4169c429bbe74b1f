"""National-size data for the benchmark, generated set-based in PostgreSQL.

At scale 1 it builds what a national deployment follows: ~250,000 people in 100
départements and 400 branches, ~2,350 advisers whose open caseloads run from 60 to 140 (so
~235,000 open cases, plus closed ones), ~290,000 measures, ~1,000,000 obligations, ~2,900,000
proofs, ~5,000,000 interviews, ~350,000 reports, workshops, a year of access log (~12,000,000
rows) and the change-history rows of every tracked record. A smaller `scale` keeps the same shape
(the tests use ~1/250th).

Everything is a handful of `INSERT … SELECT … FROM generate_series(…)` statements whose
"random" choices are hashes of row numbers (`pg_temp.rnd`), so the same scale and day give
the same data. It runs in one transaction with triggers off (`session_replication_role`,
hence a superuser, which the bench's own database has) and secondary indexes dropped and
rebuilt at the end, as a bulk load should.

How the data stays true to the schema's rules:
- each open case of an adviser has its own half-hour slot in a two-week cycle (190 slots,
  caseloads stop at 140), and its interviews come back on that slot every 1, 2, 3 or 6
  cycles according to its intensity: no two planned or held interviews of an adviser
  overlap, and their gap stays under the intensity's limit;
- closed cases ended before any open case began (and take slots 141 and above), and a
  person with two cases has them at different times: no two interviews of a person overlap;
- measures of an open case mostly run today (a few have ended), those of a closed case
  ended with it; proofs come every check interval, some are late (the sweep's proof rule).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Bumped whenever what the generator writes changes: a stored database built by another
# version (or another schema) is rebuilt.
VERSION = 2

# National figures at scale 1 (everything else follows from them).
DEPARTMENTS = 100
BRANCHES = 400
ADVISERS = 2350
CASELOAD_MIN, CASELOAD_MAX = 60, 140
CLOSED_SHARE = 0.06
PARTNERS_PER_DEPARTMENT = 20
ACCESS_EVENTS_PER_ADVISER = 5000  # ~20 a working day for a year
WORKSHOPS_PER_BRANCH = 8
SLOTS = 190  # half-hour slots in a two-week cycle (10 days x 19)
assert CASELOAD_MAX < 141 <= SLOTS

# Measure mix (percent): an assumption, probation first and community work second, to be
# checked against the administration's published caseload statistics.
MEASURE_MIX = {
    "probation": 44,
    "probation_reinforced": 4,
    "tig": 18,
    "ddse_sentence": 6,
    "ddse_adjustment": 4,
    "semi_liberty": 2,
    "outside_placement": 1,
    "parole": 3,
    "release_under_constraint": 3,
    "socio_judicial": 4,
    "course": 3,
    "judicial_control": 6,
    "arse": 2,
}
assert sum(MEASURE_MIX.values()) == 100
# Kinds under which the law attaches the control measures of CP 132-44.
SUPERVISED = (
    "probation",
    "probation_reinforced",
    "socio_judicial",
    "parole",
    "release_under_constraint",
    "judicial_control",
    "ddse_adjustment",
    "semi_liberty",
    "outside_placement",
)
SPECIAL_OBLIGATIONS = {
    "work-training": 30,
    "care": 25,
    "compensation": 15,
    "residence": 8,
    "no-contact": 8,
    "no-bars": 3,
    "no-weapons": 3,
    "family-charges": 3,
    "treasury": 2,
    "no-driving": 2,
    "driving-licence": 1,
}
assert sum(SPECIAL_OBLIGATIONS.values()) == 100
INTENSITIES = (("renforcee", 0.10, 1), ("soutenue", 0.40, 2), ("standard", 0.85, 3))
LIGHT_INTENSITY = ("allegee", 6)


def _words(text: str) -> list[str]:
    """Words separated by blanks; an underscore joins the words of one name."""
    return [word.replace("_", " ") for word in text.split()]


COMMON_SURNAMES = _words("""Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent
Simon Michel Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert
Fontaine Rousseau Vincent Muller Lefevre Faure Andre Mercier Blanc Guerin Boyer Garnier
Chevalier Francois Legrand Gauthier Garcia Perrin Robin Clement Morin Nicolas Henry Roussel
Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noel Meyer Dufour Meunier Brun
Blanchard Giraud Joly Riviere Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Roche
Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas
Lacroix Olivier Philippe Bourgeois Pierre Benoit Rey Leclerc Payet Rolland Leclercq Guillaume
Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps
Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot
Carre Charles Renault Charpentier Menard Maillard Baron Bertin Bailly Herve Schneider
Fernandez Le_Gall Collet Leger Bouvier Julien Prevost Millet Perrot Daniel Le_Roux Cousin
Germain Breton Besson Langlois Remy Le_Goff Pelletier Leveque Perrier Leblanc Barre Lebrun
Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Etienne
Grondin Poulain Tessier Chevallier Collin Chauvin Da_Silva Bouchet Gay Lemaitre Benard Marechal
Humbert Reynaud Antoine Hoarau Perret Barthelemy Cordier Pichon Lejeune Gilbert Lamy Delaunay
Pasquier Carlier Laporte""")
SURNAME_STARTS = _words("""Aub Bar Bel Ber Bou Bri Cha Che Cor Cou Dal Del Dem Des Dur Fau Fer Gal
Gar Gou Gra Gue Jou Lab Lag Lal Lam Lan Lar Lau Lec Lem Ler Mal Mar Mas Mau Mon Mor Pel Per
Pey Pou Ram Reb Rib Roc Sab Sal Sau Tal Tes Thi Val Van Ver Vig Vil""")
SURNAME_ENDS = _words("""ard aud ault bert chon court dier drin gnon lain lard let lier lin lon
mand mont nard neau net nier pin quet rand ret rier ron sard tier tin ton vert vier""")
MALE_FIRST_NAMES = _words("""Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Laurent
Frederic Sebastien Julien David Stephane Olivier Thomas Eric Pascal Daniel Franck Anthony
Kevin Mickael Jerome Romain Maxime Alexandre Guillaume Vincent Christian Bruno Cedric Fabrice
Thierry Dylan Florian Lucas Hugo Mehdi Karim Mohamed Yanis Rachid Samir Bilal Ibrahima Moussa
Mamadou Youssef Adrien Benjamin Damien Ludovic Gregory Yohan Jordan Quentin Loic Mathieu Remi
Tony Jimmy Steven Bryan Enzo Theo Nathan Killian Lorenzo Samuel Jonathan Ahmed Omar Sofiane
Abdel Hamza Ilyes""")
FEMALE_FIRST_NAMES = _words("""Marie Nathalie Isabelle Sylvie Catherine Sandrine Valerie Christine
Stephanie Celine Aurelie Julie Sophie Laetitia Emilie Virginie Audrey Melanie Elodie Jessica
Laura Sarah Manon Camille Ines Yasmina Fatima Nadia Samira Amandine Caroline Karine Vanessa
Severine Delphine Sabrina Cindy Jennifer Morgane Pauline""")
CITIES = _words("""Paris Marseille Lyon Toulouse Nice Nantes Montpellier Strasbourg Bordeaux Lille
Rennes Reims Toulon Grenoble Dijon Angers Nimes Clermont-Ferrand Limoges Tours Amiens Metz
Besancon Perpignan Orleans Rouen Mulhouse Caen Nancy Avignon Poitiers Pau Calais Dunkerque
Montlucon Moulins Vichy Bourges Valence Troyes""")
STREETS = _words("""de_la_République Victor-Hugo Jean-Jaurès de_la_Gare Pasteur de_Verdun
Gambetta du_Maréchal-Foch Carnot de_la_Liberté du_Moulin des_Écoles de_la_Paix Émile-Zola""")

FICTION_MOBILE = "06 39 98"  # ARCEP's range for fiction: no text message can reach anybody


@dataclass(frozen=True)
class Sizes:
    """How many of each top-level thing a scale gives."""

    departments: int
    branches: int
    courts: int
    advisers: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        departments = max(1, round(DEPARTMENTS * scale))
        branches = max(2, round(BRANCHES * scale))
        advisers = max(branches, round(ADVISERS * scale))
        return cls(departments, branches, 2 * departments, advisers)


# Tables written, with the time their change-history "insert" rows carry.
HISTORY_TIMES = {
    "cases_person": "created_at",
    "cases_case": "opened_on::timestamptz",
    "cases_measure": "decision_date::timestamptz",
    "cases_obligation": "imposed_on::timestamptz",
    "cases_proof": "recorded_at",
    "cases_workplacement": "started_on::timestamptz",
    "cases_workhours": "recorded_at",
    "cases_incident": "recorded_at",
    "interviews_interview": "created_at",
    "reporting_report": "created_at",
    "workshops_workshop": "created_at",
    "workshops_enrollment": "requested_at",
    "workshops_attendance": "recorded_at",
    "workshops_session": "starts_at",
}
TABLES = [
    "spip_department",
    "spip_court",
    "spip_branch",
    "spip_partner",
    "spip_user",
    "spip_user_directed_branches",
    "cases_person",
    "cases_case",
    "cases_caseuserobjectpermission",
    "cases_measure",
    "cases_obligation",
    "cases_proof",
    "cases_workplacement",
    "cases_workhours",
    "cases_incident",
    "interviews_interview",
    "reporting_report",
    "workshops_workshop",
    "workshops_workshop_facilitators",
    "workshops_workshop_partners",
    "workshops_session",
    "workshops_enrollment",
    "workshops_attendance",
    "spip_accesslog",
]


def _bucket(weights: dict[str, int]) -> list[str]:
    """A 100-entry array in which each value appears its weight (percent) times."""
    return [value for value, weight in weights.items() for _ in range(weight)]


RANDOM = """
CREATE OR REPLACE FUNCTION pg_temp.rnd(n bigint, salt integer) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ((hashint8extended(n, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;
CREATE OR REPLACE FUNCTION pg_temp.pick(items text[], n bigint, salt integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT items[1 + floor(pg_temp.rnd(n, salt) * cardinality(items))::int] $$;
"""

ORGANISATION = """
INSERT INTO spip_department (id, code, name, spip_name, address)
SELECT d, lpad(d::text, 3, '0'), 'Département ' || d, 'SPIP du département ' || d,
       d || ' rue de la République'
FROM generate_series(1, %(departments)s) d;

INSERT INTO spip_court (id, name, city, address)
SELECT c, 'Tribunal judiciaire n° ' || c, pg_temp.pick(%(cities)s, c, 1), ''
FROM generate_series(1, %(courts)s) c;

INSERT INTO spip_branch (id, name, environment, address, phone, court_id, department_id)
SELECT b, 'Antenne ' || b, CASE WHEN b %% 4 = 0 THEN 'closed' ELSE 'open' END,
       b || ' avenue Pasteur', '', 2 * ((b - 1) %% %(departments)s + 1) - b %% 2,
       (b - 1) %% %(departments)s + 1
FROM generate_series(1, %(branches)s) b;

INSERT INTO spip_partner (id, name, kind, contact_name, phone, email, address, department_id)
SELECT (d - 1) * %(partners)s + k, 'Partenaire ' || k || ' du ' || d,
       (ARRAY['care', 'employment', 'housing', 'training', 'association', 'tig_host',
              'victim_support'])[1 + k %% 7],
       '', '', '', '', d
FROM generate_series(1, %(departments)s) d, generate_series(1, %(partners)s) k;

-- Advisers 1..A, then one director and one administrative officer per branch, one clerk per
-- court and an administrator. Passwords are unusable: the bench signs in by session.
INSERT INTO spip_user (id, password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined, role, branch_id, court_id)
SELECT u, '!', false, role || '-' || u, pg_temp.pick(%(male)s || %(female)s, u, 2),
       pg_temp.pick(%(surnames)s, u, 3), role || '-' || u || '@justice.example', role = 'admin',
       true, %(now)s - interval '3 years', role, branch_id, court_id
FROM (
    SELECT a AS u, 'adviser' AS role, (a - 1) %% %(branches)s + 1 AS branch_id,
           NULL::bigint AS court_id
    FROM generate_series(1, %(advisers)s) a
    UNION ALL SELECT %(advisers)s + b, 'director', b, NULL FROM generate_series(1, %(branches)s) b
    UNION ALL SELECT %(advisers)s + %(branches)s + b, 'secretary', b, NULL
              FROM generate_series(1, %(branches)s) b
    UNION ALL SELECT %(advisers)s + 2 * %(branches)s + c, 'clerk', NULL, c
              FROM generate_series(1, %(courts)s) c
    UNION ALL SELECT %(advisers)s + 2 * %(branches)s + %(courts)s + 1, 'admin', NULL, NULL
) staff;

INSERT INTO spip_user_directed_branches (user_id, branch_id)
SELECT %(advisers)s + b, b FROM generate_series(1, %(branches)s) b;
"""

# The shape of every case before any row is written: open caseloads of 60 to 140 per adviser
# (ids contiguous per adviser, so that a caseload is an id range), then the closed cases.
PLAN = """
CREATE TEMP TABLE plan_adviser ON COMMIT DROP AS
SELECT id, branch_id, target, sum(target) OVER (ORDER BY id) - target + 1 AS first_case
FROM (
    SELECT a AS id, (a - 1) %% %(branches)s + 1 AS branch_id,
           %(caseload_min)s + floor(pg_temp.rnd(a, 1)
                                    * (%(caseload_max)s - %(caseload_min)s + 1))::int AS target
    FROM generate_series(1, %(advisers)s) a
) advisers;

CREATE TEMP TABLE plan_case ON COMMIT DROP AS
SELECT pa.first_case + r - 1 AS id, pa.id AS adviser_id, pa.branch_id, r AS rank,
       pa.first_case + r - 1 AS person_id,
       CASE WHEN r = 1 THEN %(today)s - 1400 - floor(pg_temp.rnd(pa.first_case, 2) * 60)::int
            ELSE %(today)s - 1 - floor(pg_temp.rnd(pa.first_case + r - 1, 2) * 1200)::int
       END AS opened_on,
       NULL::date AS closed_on
FROM plan_adviser pa, generate_series(1, pa.target) r;

-- Closed cases: adviser k mod A, slots from 141, ended before any open case began; 40 %%
-- are earlier cases of people followed today (each such person at most once: the stride is
-- a prime that does not divide the number of open cases).
INSERT INTO plan_case (id, adviser_id, branch_id, rank, person_id, opened_on, closed_on)
SELECT n.open_cases + k, pa.id, pa.branch_id, 141 + ((k - 1) / %(advisers)s) %% 49,
       CASE WHEN pg_temp.rnd(k, 3) < 0.4 THEN (k * n.stride) %% n.open_cases + 1
            ELSE n.open_cases + k END,
       opened, least(opened + 400 + floor(pg_temp.rnd(k, 5) * 500)::int, %(today)s - 1470)
FROM (SELECT count(*) AS open_cases,
             CASE WHEN count(*) %% 7919 = 0 THEN 7907 ELSE 7919 END AS stride
      FROM plan_case) n,
     generate_series(1, (SELECT round(count(*) * %(closed_share)s)::int FROM plan_case)) k,
     LATERAL (SELECT %(today)s - 1900 - floor(pg_temp.rnd(k, 4) * 700)::int AS opened) o,
     plan_adviser pa
WHERE pa.id = (k - 1) %% %(advisers)s + 1;

ALTER TABLE plan_case ADD COLUMN intensity text, ADD COLUMN cycles int;
UPDATE plan_case SET (intensity, cycles) = (
    SELECT code, every FROM (VALUES {intensities}) AS levels(code, below, every)
    WHERE CASE WHEN plan_case.rank = 1 THEN 0 ELSE pg_temp.rnd(plan_case.id, 6) END < below
    ORDER BY below LIMIT 1
);
UPDATE plan_case SET intensity = %(light)s, cycles = %(light_cycles)s WHERE intensity IS NULL;
CREATE INDEX ON plan_case (id);
ANALYZE plan_case;
"""

PEOPLE_AND_CASES = """
INSERT INTO cases_person (id, birth_name, usage_name, first_names, sex, birth_date, birth_place,
                          nationality, aliases, address, phone, email, sms_opt_out, created_at)
SELECT p, surname,
       CASE WHEN sex = 'F' AND pg_temp.rnd(p, 15) < 0.3
            THEN pg_temp.pick(%(surnames)s, p, 16) ELSE '' END,
       first_name || CASE WHEN pg_temp.rnd(p, 17) < 0.2
                          THEN ' ' || pg_temp.pick(%(male)s, p, 18) ELSE '' END,
       sex, %(today)s - (6570 + floor(power(pg_temp.rnd(p, 19), 1.6) * 18000))::int,
       pg_temp.pick(%(cities)s, p, 20),
       CASE WHEN pg_temp.rnd(p, 21) < 0.88 THEN 'française' ELSE 'autre' END,
       '', (1 + floor(pg_temp.rnd(p, 22) * 120)) || ' rue ' || pg_temp.pick(%(streets)s, p, 23)
           || ', ' || pg_temp.pick(%(cities)s, p, 24),
       %(mobile)s || ' ' || lpad((p %% 100)::text, 2, '0') || ' '
           || lpad(((p / 100) %% 100)::text, 2, '0'),
       '', false, first_opened::timestamptz
FROM (
    SELECT person_id AS p, min(opened_on) AS first_opened,
           CASE WHEN pg_temp.rnd(person_id, 10) < 0.55
                THEN (%(surnames)s::text[])[1 + floor(power(pg_temp.rnd(person_id, 11), 2)
                                                * cardinality(%(surnames)s::text[]))::int]
                ELSE pg_temp.pick(%(starts)s, person_id, 12)
                     || pg_temp.pick(%(ends)s, person_id, 13)
           END AS surname,
           CASE WHEN pg_temp.rnd(person_id, 14) < 0.9 THEN 'M' ELSE 'F' END AS sex
    FROM plan_case GROUP BY person_id
) people,
LATERAL (SELECT CASE WHEN sex = 'M' THEN pg_temp.pick(%(male)s, p, 25)
                     ELSE pg_temp.pick(%(female)s, p, 25) END AS first_name) names;

INSERT INTO cases_case (id, number, environment, opened_on, closed_on, intensity_reason,
                        intensity_review_on, restricted, version, adviser_id, branch_id,
                        intensity_id, person_id)
SELECT c.id, extract(year FROM c.opened_on) || '-'
           || lpad(c.id::text, greatest(6, length(c.id::text)), '0'), b.environment,
       c.opened_on, c.closed_on, 'Évaluation initiale : ' || level.label,
       CASE WHEN c.closed_on IS NULL THEN c.opened_on + 180 END,
       pg_temp.rnd(c.id, 7) < 0.01, 1, c.adviser_id, c.branch_id, level.id, c.person_id
FROM plan_case c JOIN spip_branch b ON b.id = c.branch_id
JOIN cases_intensitylevel level ON level.code = c.intensity;

-- Every assigned adviser holds the case's grant (as `cases.services` gives on assignment).
INSERT INTO cases_caseuserobjectpermission (content_object_id, permission_id, user_id)
SELECT c.id, perm.id, c.adviser_id FROM plan_case c,
    (SELECT p.id FROM auth_permission p JOIN django_content_type t ON t.id = p.content_type_id
     WHERE t.app_label = 'cases' AND p.codename = 'change_case') perm;
"""

MEASURES = """
CREATE TEMP TABLE plan_measure ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY c.id, n) AS id, c.id AS case_id, n, c.opened_on, c.closed_on,
       b.court_id, pg_temp.pick(%(mix)s, c.id * 2 + n, 20) AS kind
FROM plan_case c JOIN spip_branch b ON b.id = c.branch_id,
     generate_series(1, CASE WHEN pg_temp.rnd(c.id, 21) < 0.15 THEN 2 ELSE 1 END) n;

-- Each kind's length: months (m) or days (d); none for a judicial control.
ALTER TABLE plan_measure ADD COLUMN months int, ADD COLUMN days int, ADD COLUMN start date;
UPDATE plan_measure SET
    months = CASE kind
        WHEN 'probation' THEN 12 + floor(pg_temp.rnd(id, 22) * 37)
        WHEN 'probation_reinforced' THEN 12 + floor(pg_temp.rnd(id, 22) * 25)
        WHEN 'tig' THEN 18 WHEN 'arse' THEN 6 WHEN 'course' THEN 6
        WHEN 'socio_judicial' THEN 12 * (2 + floor(pg_temp.rnd(id, 22) * 8)) END,
    days = CASE kind
        WHEN 'ddse_sentence' THEN 30 + floor(pg_temp.rnd(id, 22) * 150)
        WHEN 'ddse_adjustment' THEN 60 + floor(pg_temp.rnd(id, 22) * 300)
        WHEN 'semi_liberty' THEN 60 + floor(pg_temp.rnd(id, 22) * 300)
        WHEN 'outside_placement' THEN 60 + floor(pg_temp.rnd(id, 22) * 300)
        WHEN 'parole' THEN 365 + floor(pg_temp.rnd(id, 22) * 1095)
        WHEN 'release_under_constraint' THEN 60 + floor(pg_temp.rnd(id, 22) * 120) END;
-- Open cases: most measures run today (a few started with the case and may have ended);
-- a second measure came later. Closed cases: the measure began with the case.
UPDATE plan_measure SET start = CASE
    WHEN closed_on IS NOT NULL THEN opened_on + 30 * (n - 1)
    -- awaiting release under constraint: two thirds of the sentence fall in the next months
    WHEN kind = 'release_under_constraint' AND pg_temp.rnd(id, 35) < 0.4
        THEN %(today)s + 10 + floor(pg_temp.rnd(id, 36) * 120)::int
    WHEN n = 2 THEN opened_on + floor(pg_temp.rnd(id, 23) * (%(today)s - opened_on))::int
    WHEN pg_temp.rnd(id, 24) < 0.06 OR kind = 'judicial_control' THEN opened_on
    ELSE greatest(opened_on, %(today)s - floor(pg_temp.rnd(id, 25) * 0.95
                                                  * coalesce(days, months * 30.44))::int)
END;

INSERT INTO cases_measure (id, case_id, kind, court_id, decision_date, final_date, start_date,
    recidivism, prison_term_months, probation_months, tig_hours, tig_deadline_months,
    tig_consent, ddse_days, total_sentence_days, custody_start, remaining_term_days,
    socio_judicial_years, offence_class, course_kind, course_days, arse_months, end_date,
    status, version)
SELECT id, case_id, kind, court_id, decided, decided + 10, start,
       CASE WHEN pg_temp.rnd(id, 26) < 0.15 THEN 'legal' ELSE 'none' END,
       CASE WHEN kind IN ('probation', 'probation_reinforced')
            THEN 6 + floor(pg_temp.rnd(id, 27) * 31) END,
       CASE WHEN kind IN ('probation', 'probation_reinforced') THEN months END,
       CASE WHEN kind = 'tig' THEN 35 + 7 * floor(pg_temp.rnd(id, 28) * 36) END,
       CASE WHEN kind = 'tig' THEN months END, kind = 'tig',
       CASE WHEN kind LIKE 'ddse%%' THEN days END,
       CASE WHEN kind = 'release_under_constraint' THEN 365 + floor(pg_temp.rnd(id, 29) * 1400) END,
       CASE WHEN kind = 'release_under_constraint'
            THEN start - floor((365 + floor(pg_temp.rnd(id, 29) * 1400)) * 2 / 3)::int END,
       CASE WHEN kind IN ('semi_liberty', 'outside_placement', 'parole',
                          'release_under_constraint') THEN days END,
       CASE WHEN kind = 'socio_judicial' THEN months / 12 END,
       CASE WHEN kind = 'judicial_control' THEN 'delit' ELSE '' END,
       CASE WHEN kind = 'course' THEN 'citizenship' ELSE '' END,
       CASE WHEN kind = 'course' THEN 2 END,
       CASE WHEN kind = 'arse' THEN months END,
       ended,
       CASE WHEN closed_on IS NOT NULL OR ended < %(today)s THEN 'ended'
            WHEN start > %(today)s THEN 'pending' ELSE 'active' END,
       1
FROM (
    SELECT *, opened_on - 10 - floor(pg_temp.rnd(id, 30) * 50)::int AS decided,
           CASE WHEN closed_on IS NOT NULL
                THEN least(coalesce(start + days, (start + make_interval(months => months))::date,
                                    closed_on), closed_on)
                ELSE coalesce(start + days, (start + make_interval(months => months))::date)
           END AS ended
    FROM plan_measure
) m;
"""

OBLIGATIONS = """
-- The control measures the law attaches (automatic), then 1-3 special obligations for a
-- supervised measure, at most one for the others.
INSERT INTO cases_obligation (measure_id, type_id, details, check_interval_days, imposed_on,
                              lifted_on, lift_reason, automatic, version)
SELECT m.id, t.id, '', NULL, m.start_date, NULL, '', true, 1
FROM cases_measure m
JOIN cases_obligationtype t
    ON t.code IN ('control-convocations', 'control-visits', 'control-moves')
WHERE m.kind = ANY(%(supervised)s);

INSERT INTO cases_obligation (measure_id, type_id, details, check_interval_days, imposed_on,
                              lifted_on, lift_reason, automatic, version)
SELECT DISTINCT ON (m.id, t.id) m.id, t.id, '', t.default_check_interval_days, m.start_date,
       lifted, CASE WHEN lifted IS NOT NULL THEN 'Mainlevée par le JAP' ELSE '' END, false, 1
FROM cases_measure m
CROSS JOIN LATERAL generate_series(1, CASE
    WHEN m.kind = ANY(%(supervised)s) THEN 1 + floor(pg_temp.rnd(m.id, 31) * 3)::int
    WHEN pg_temp.rnd(m.id, 31) < 0.4 THEN 1 ELSE 0 END) j
JOIN cases_obligationtype t ON t.code = pg_temp.pick(%(specials)s, m.id * 4 + j, 32)
CROSS JOIN LATERAL (
    SELECT CASE WHEN pg_temp.rnd(m.id * 4 + j, 33) < 0.05 AND m.start_date < %(today)s
                THEN m.start_date + floor(pg_temp.rnd(m.id * 4 + j, 34)
                                          * (%(today)s - m.start_date))::int END AS lifted
) l
ORDER BY m.id, t.id;

-- A proof every check interval, a few days early; 8 %% of obligations are behind.
INSERT INTO cases_proof (received_on, period_start, period_end, compliant, note, recorded_at,
                         obligation_id, recorded_by_id, file, file_type)
SELECT received, received - o.check_interval_days, received,
       pg_temp.rnd(o.id * 64 + k, 41) < 0.95, '', received + interval '10 hours', o.id,
       c.adviser_id, '', ''
FROM cases_obligation o
JOIN cases_measure m ON m.id = o.measure_id
JOIN cases_case c ON c.id = m.case_id
CROSS JOIN LATERAL generate_series(1,
    (least(%(today)s, o.lifted_on, c.closed_on, m.end_date) - o.imposed_on)
        / o.check_interval_days - CASE WHEN pg_temp.rnd(o.id, 40) < 0.08 THEN 1 ELSE 0 END) k
CROSS JOIN LATERAL (
    SELECT o.imposed_on + k * o.check_interval_days
           - floor(pg_temp.rnd(o.id * 64 + k, 42) * 6)::int AS received
) r
WHERE o.check_interval_days IS NOT NULL;

-- Community work: a placement and a day's hours every week or two, up to what was ordered.
INSERT INTO cases_workplacement (measure_id, host_id, post, tutor, started_on, ended_on)
SELECT m.id, (b.department_id - 1) * %(partners)s + 5, 'Agent d''entretien des espaces verts',
       'M. Tuteur', m.start_date + 30, NULL
FROM cases_measure m JOIN cases_case c ON c.id = m.case_id
JOIN spip_branch b ON b.id = c.branch_id
WHERE m.kind = 'tig' AND m.start_date + 30 <= %(today)s;

INSERT INTO cases_workhours (placement_id, date, hours, validated_by_id, recorded_at)
SELECT p.id, p.started_on + 7 * w + (w %% 2) * 3, 7, c.adviser_id,
       (p.started_on + 7 * w + (w %% 2) * 3) + interval '18 hours'
FROM cases_workplacement p JOIN cases_measure m ON m.id = p.measure_id
JOIN cases_case c ON c.id = m.case_id
CROSS JOIN LATERAL generate_series(0, least(
    floor(m.tig_hours * (0.4 + 0.6 * pg_temp.rnd(m.id, 43)) / 7)::int - 1,
    (least(%(today)s, c.closed_on, m.end_date) - p.started_on) / 7 - 1)) w;

INSERT INTO cases_incident (measure_id, obligation_id, occurred_on, description, response,
                            recorded_by_id, recorded_at)
SELECT m.id, NULL, when_, 'Absence non justifiée à une convocation.',
       (ARRAY['reminder', 'warning', 'report'])[1 + floor(pg_temp.rnd(m.id, 45) * 3)::int],
       c.adviser_id, when_ + interval '15 hours'
FROM cases_measure m JOIN cases_case c ON c.id = m.case_id,
     LATERAL (SELECT m.start_date + floor(pg_temp.rnd(m.id, 46)
              * greatest(1, least(%(today)s, m.end_date) - m.start_date))::int AS when_) d
WHERE pg_temp.rnd(m.id, 44) < 0.08 AND m.start_date < %(today)s;
"""

INTERVIEWS = """
-- Each case's slot in the two-week cycle that starts on Monday %(epoch)s: 10 working days of
-- 19 half hours from 8:30. Interviews come back every `cycles` cycles from the first slot
-- ten days after the referral; a closed case's stop before it closed, an open case's stop
-- at the first one still to come (planned).
INSERT INTO interviews_interview (case_id, person_id, adviser_id, created_by_id, start,
    duration, "end", kind, place, status, notes, outcome, outcome_logged_at,
    convocation_sent_at, convocation_channel, reminder, reminder_sent_at, reminder_result,
    created_at, updated_at, version)
SELECT case_id, person_id, adviser_id, adviser_id, start, 30, start + interval '30 minutes',
       CASE WHEN j = 0 THEN 'intake'
            WHEN draw < 0.08 THEN 'phone' WHEN draw < 0.12 THEN 'home_visit'
            ELSE 'follow_up' END,
       'Antenne', status, '',
       CASE WHEN status = 'held' THEN 'Entretien de suivi : obligations respectées, '
                                      'démarches d''insertion en cours.' ELSE '' END,
       CASE WHEN status IN ('held', 'missed', 'excused') THEN start + interval '40 minutes' END,
       start - interval '21 days', CASE WHEN j = 0 THEN 'post' ELSE 'hand' END,
       CASE WHEN status = 'planned' THEN '' ELSE 'sent' END,
       CASE WHEN status = 'planned' THEN NULL ELSE start - interval '1 day' END,
       '', start - interval '21 days', start - interval '21 days', 1
FROM (
    SELECT c.id AS case_id, c.person_id, c.adviser_id, j, slot.start,
           pg_temp.rnd(c.id * 512 + j, 50) AS draw,
           CASE WHEN slot.start > %(now)s THEN 'planned'
                WHEN pg_temp.rnd(c.id * 512 + j, 51) < 0.85 THEN 'held'
                WHEN pg_temp.rnd(c.id * 512 + j, 51) < 0.92 THEN 'missed'
                WHEN pg_temp.rnd(c.id * 512 + j, 51) < 0.96 THEN 'excused'
                ELSE 'cancelled' END AS status,
           slot.start - make_interval(days => 14 * c.cycles) <= %(now)s AS due
    FROM plan_case c
    CROSS JOIN LATERAL (
        SELECT ceil((c.opened_on + 10 - %(epoch)s::date) / 14.0)::int AS first_cycle,
               (ARRAY[0, 1, 2, 3, 4, 7, 8, 9, 10, 11])[1 + (c.rank - 1) / 19] AS day,
               510 + 30 * ((c.rank - 1) %% 19) AS minute,
               CASE WHEN c.closed_on IS NULL
                    THEN (%(today)s - %(epoch)s::date) / 14 + c.cycles
                    ELSE (c.closed_on - %(epoch)s::date) / 14 - 1 END AS last_cycle
    ) cycle
    CROSS JOIN LATERAL generate_series(0, (cycle.last_cycle - cycle.first_cycle) / c.cycles) j
    CROSS JOIN LATERAL (
        SELECT ((%(epoch)s::date + 14 * (cycle.first_cycle + j * c.cycles) + cycle.day)::timestamp
                + make_interval(mins => cycle.minute)) AT TIME ZONE 'Europe/Paris' AS start
    ) slot
) planned
-- One open case in ten has no next interview planned yet (its adviser has still to do it).
WHERE start <= %(now)s OR (due AND pg_temp.rnd(case_id, 52) >= 0.1);
"""

REPORTS = """
-- Evaluation report three months after referral, annual reports for long measures,
-- end-of-measure reports of closed cases, all countersigned and issued; and reports still
-- in the adviser's hands for the cases that reach their evaluation now.
INSERT INTO reporting_report (case_id, measure_id, kind, court_id, judge, due_date,
    penal_situation, offence_relation, personal_situation, health_followup, analysis,
    proposal, proposal_details, status, return_comment, author_id, validator_id, created_at,
    saved_at, submitted_at, validated_at, issue_attempts, issue_error, issued_at, pdf, sha256,
    version)
SELECT c.id, m.id, r.kind, m.court_id, 'Juge de l''application des peines', r.due,
       'Les obligations sont respectées ; les justificatifs sont remis à chaque échéance.',
       'Reconnaît les faits et en mesure la portée.',
       'Logement stable, recherche d''emploi active.', '', 'Évolution favorable.',
       'nothing', '', r.status, '', c.adviser_id,
       CASE WHEN r.status = 'issued' THEN %(advisers)s + c.branch_id END,
       r.written, r.written, CASE WHEN r.status = 'issued' THEN r.written + interval '2 days' END,
       CASE WHEN r.status = 'issued' THEN r.written + interval '4 days' END,
       CASE WHEN r.status = 'issued' THEN 1 ELSE 0 END, '',
       CASE WHEN r.status = 'issued' THEN r.written + interval '4 days 1 minute' END,
       -- Issued reports name a file, as the constraint requires; the bench downloads none.
       CASE WHEN r.status = 'issued' THEN 'reports/national-' || c.id || '-' || r.kind || '-'
                                          || extract(epoch FROM r.written)::bigint || '.pdf'
            ELSE '' END,
       CASE WHEN r.status = 'issued'
            THEN encode(sha256(convert_to(c.id || r.kind || r.written, 'UTF8')), 'hex')
            ELSE '' END,
       1
FROM plan_case c
JOIN plan_measure first ON first.case_id = c.id AND first.n = 1
JOIN cases_measure m ON m.id = first.id
CROSS JOIN LATERAL (
    SELECT 'evaluation' AS kind, (c.opened_on + interval '3 months')::date AS due,
           least((c.opened_on + 75)::timestamptz + interval '10 hours', %(now)s) AS written,
           CASE WHEN %(today)s - c.opened_on > 110 THEN 'issued' ELSE 'draft' END AS status
    WHERE %(today)s - c.opened_on > 110 OR pg_temp.rnd(c.id, 60) < 0.3
    UNION ALL
    SELECT 'annual', (c.opened_on + make_interval(years => y))::date,
           (c.opened_on + make_interval(years => y)) - interval '20 days' + interval '10 hours',
           'issued'
    FROM generate_series(1, (least(%(today)s, c.closed_on, m.end_date) - c.opened_on) / 365) y
    WHERE m.end_date - m.start_date > 730
    UNION ALL
    SELECT 'end_of_measure', c.closed_on - 30,
           (c.closed_on - 40)::timestamptz + interval '10 hours', 'issued'
    WHERE c.closed_on IS NOT NULL
) r;
"""

WORKSHOPS = """
INSERT INTO workshops_workshop (id, branch_id, title, kind, course_kind, theme, description,
                                capacity, min_sessions, status, created_by_id, created_at,
                                version)
SELECT (b - 1) * %(workshops)s + w, b,
       (ARRAY['Atelier emploi', 'Groupe de parole', 'Stage de citoyenneté', 'Atelier budget',
              'Programme de prévention de la récidive', 'Atelier logement',
              'Atelier sécurité routière', 'Atelier santé'])[1 + (w - 1) %% 8] || ' ' || w,
       CASE WHEN w = 3 THEN 'course' WHEN w = 5 THEN 'ppr' ELSE 'workshop' END,
       CASE WHEN w = 3 THEN 'citizenship' ELSE '' END, 'Insertion', '', 12, 4,
       CASE WHEN w <= 5 THEN 'finished' WHEN w = 6 THEN 'closed' ELSE 'open' END,
       %(advisers)s + b, %(now)s - make_interval(days => 40 * (%(workshops)s - w + 1)), 1
FROM generate_series(1, %(branches)s) b, generate_series(1, %(workshops)s) w;

INSERT INTO workshops_workshop_facilitators (workshop_id, user_id)
SELECT w.id, a.id FROM workshops_workshop w
JOIN plan_adviser a ON a.branch_id = w.branch_id AND a.id = (
    SELECT min(id) FROM plan_adviser WHERE branch_id = w.branch_id);

INSERT INTO workshops_workshop_partners (workshop_id, partner_id)
SELECT w.id, (b.department_id - 1) * %(partners)s + 1 + w.id %% %(partners)s
FROM workshops_workshop w JOIN spip_branch b ON b.id = w.branch_id;

INSERT INTO workshops_session (workshop_id, starts_at, ends_at, place, topic)
SELECT w.id, w.created_at + make_interval(days => 7 * s) + interval '1 hour',
       w.created_at + make_interval(days => 7 * s) + interval '3 hours', 'Salle collective',
       'Séance ' || s
FROM workshops_workshop w, generate_series(1, 6) s;

-- Ten people per workshop, from the caseload of the branch's first adviser.
INSERT INTO workshops_enrollment (workshop_id, case_id, obligation_id, status, reason,
    requested_at, waitlisted_at, enrolled_by_id, completed_on, proof_id, attestation)
SELECT w.id, a.first_case + ((w.id * 10 + e) %% a.target), NULL,
       CASE WHEN w.status = 'finished' THEN
                CASE WHEN pg_temp.rnd(w.id * 16 + e, 70) < 0.8 THEN 'completed' ELSE 'dropped' END
            ELSE 'enrolled' END,
       '', w.created_at, NULL, a.id,
       CASE WHEN w.status = 'finished' AND pg_temp.rnd(w.id * 16 + e, 70) < 0.8
            THEN (w.created_at + interval '50 days')::date END,
       NULL, ''
FROM workshops_workshop w
JOIN plan_adviser a ON a.id = (SELECT min(id) FROM plan_adviser WHERE branch_id = w.branch_id),
     generate_series(0, 9) e;

INSERT INTO workshops_attendance (session_id, enrollment_id, status, recorded_by_id,
                                  recorded_at)
SELECT s.id, e.id,
       CASE WHEN pg_temp.rnd(s.id * 16 + e.id, 71) < 0.85 THEN 'present' ELSE 'absent' END,
       e.enrolled_by_id, s.ends_at
FROM workshops_session s JOIN workshops_enrollment e ON e.workshop_id = s.workshop_id
WHERE s.ends_at < %(now)s;
"""

ACCESS_LOG = """
-- A year of case-file reads and changes: each adviser, ~20 a working day, on their cases.
INSERT INTO spip_accesslog (at, action, object_type, object_id, reason, user_id)
SELECT (%(today)s - 1 - floor(pg_temp.rnd(i, 80) * 365)::int)::timestamp
           + make_interval(mins => 480 + floor(pg_temp.rnd(i, 81) * 600)::int),
       CASE WHEN draw < 0.80 THEN 'view' WHEN draw < 0.95 THEN 'change'
            WHEN draw < 0.98 THEN 'print' ELSE 'download' END,
       'cases.case', (a.first_case + floor(pg_temp.rnd(i, 82) * a.target)::int)::text, '', a.id
FROM plan_adviser a, generate_series(1, %(access_events)s) g,
     LATERAL (SELECT a.id * 100000 + g AS i) n,
     LATERAL (SELECT pg_temp.rnd(i, 83) AS draw) d;
"""


def _history(cursor: Any, table: str, created: str) -> None:
    """One change-history "insert" row per generated row, as the triggers would have written."""
    history = f"{table}history"
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name NOT LIKE 'pgh\\_%%' ORDER BY ordinal_position",
        [history],
    )
    columns = [f'"{name}"' for (name,) in cursor.fetchall()]
    if not columns:
        return
    listed = ", ".join(columns)
    cursor.execute(
        f"INSERT INTO {history} (pgh_created_at, pgh_label, pgh_obj_id, {listed}) "  # noqa: S608
        f"SELECT {created}, 'insert', id, {listed} FROM {table}"
    )


@contextmanager
def _indexes_deferred(cursor: Any, tables: list[str]) -> Iterator[None]:
    """Drop the secondary indexes (and index-backed constraints) of `tables`, rebuild them
    after the load: one sort per index instead of millions of insertions."""
    cursor.execute(
        """
        SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text,
               pg_get_indexdef(i.indexrelid), con.conname, pg_get_constraintdef(con.oid)
        FROM pg_index i
        LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
        WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
        """,
        [tables],
    )
    definitions = cursor.fetchall()
    for table, index, _definition, constraint, _constraint_definition in definitions:
        if constraint:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        else:
            cursor.execute(f"DROP INDEX {index}")
    yield
    for table, _index, definition, constraint, constraint_definition in definitions:
        if constraint:
            cursor.execute(
                f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_definition}'
            )
        else:
            cursor.execute(definition)


def _history_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name = ANY(%s)",
        [[f"{table}history" for table in HISTORY_TIMES]],
    )
    return [name for (name,) in cursor.fetchall()]


def parameters(scale: float, today: date, now: datetime) -> dict[str, Any]:
    sizes = Sizes.at(scale)
    return {
        "departments": sizes.departments,
        "branches": sizes.branches,
        "courts": sizes.courts,
        "advisers": sizes.advisers,
        "partners": PARTNERS_PER_DEPARTMENT,
        "workshops": WORKSHOPS_PER_BRANCH,
        "caseload_min": CASELOAD_MIN,
        "caseload_max": CASELOAD_MAX,
        "closed_share": CLOSED_SHARE,
        "access_events": max(50, round(ACCESS_EVENTS_PER_ADVISER * min(1.0, scale * 10))),
        "today": today,
        "now": now,
        "epoch": date(2019, 12, 30),
        "light": LIGHT_INTENSITY[0],
        "light_cycles": LIGHT_INTENSITY[1],
        "mix": _bucket(MEASURE_MIX),
        "specials": _bucket(SPECIAL_OBLIGATIONS),
        "supervised": list(SUPERVISED),
        "surnames": COMMON_SURNAMES,
        "starts": SURNAME_STARTS,
        "ends": SURNAME_ENDS,
        "male": MALE_FIRST_NAMES,
        "female": FEMALE_FIRST_NAMES,
        "cities": CITIES,
        "streets": STREETS,
        "mobile": FICTION_MOBILE,
    }


def _steps() -> list[tuple[str, str]]:
    intensities = ", ".join(f"('{code}', {below}, {every})" for code, below, every in INTENSITIES)
    return [
        ("organisation", ORGANISATION),
        ("plan", PLAN.replace("{intensities}", intensities)),
        ("people and cases", PEOPLE_AND_CASES),
        ("measures", MEASURES),
        ("obligations, proofs, work, incidents", OBLIGATIONS),
        ("interviews", INTERVIEWS),
        ("reports", REPORTS),
        ("workshops", WORKSHOPS),
        ("access log", ACCESS_LOG),
    ]


def generate(
    scale: float = 1.0,
    *,
    today: date | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> dict[str, int]:
    """Fill the (empty) database with national-size data at `scale`; return row counts.
    Runs in the caller's transaction if there is one (the tests), else in its own."""
    today = today or timezone.localdate()
    now = timezone.now()
    params = parameters(scale, today, now)
    report = progress or (lambda step, seconds: logger.info("%s: %.1f s", step, seconds))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM cases_case)")
        if cursor.fetchone()[0]:
            raise RuntimeError("The national data generator needs an empty database.")
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
        cursor.execute(RANDOM)
        history = _history_tables(cursor)
        with _indexes_deferred(cursor, TABLES + history):
            for name, sql in _steps():
                started = time.perf_counter()
                cursor.execute(sql, params)
                # The planner must know the new volumes before the next step joins them.
                cursor.execute(f"ANALYZE {', '.join(TABLES)}")
                report(name, time.perf_counter() - started)
            started = time.perf_counter()
            for table, created in HISTORY_TIMES.items():
                _history(cursor, table, created)
            report("change history", time.perf_counter() - started)
            started = time.perf_counter()
        report("indexes", time.perf_counter() - started)
        for table in TABLES + history:
            key = "pgh_id" if table in history else "id"
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), "  # noqa: S608
                f"coalesce((SELECT max({key}) FROM {table}), 0) + 1, false)"
            )
        cursor.execute(
            "SELECT setval('cases_case_number_seq', (SELECT max(id) FROM cases_case) + 1)"
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    counts = row_counts()
    return counts


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def vacuum_analyze() -> None:
    """What autovacuum would have done on a live database (visibility map, statistics)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
