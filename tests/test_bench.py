"""The national-scale benchmark (`make bench`): its data generator, the query counts of the
pages it measures, and the whole bench at a tiny scale so that it cannot rot. No timing is
asserted here: the bench prints figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, F, Q

from bench import measure, national
from bench.__main__ import TARGETS
from cases.models import Case, Measure, Person
from interviews.models import Interview
from spip.models import AccessLog, Role, User

ROOT = Path(__file__).resolve().parents[1]
TINY = 0.004  # 1 département, 2 branches, ~9 advisers, ~1,000 cases


@pytest.fixture
def tiny(db):
    return national.generate(TINY)


def test_caseloads_run_from_60_to_140_open_cases(tiny):
    caseloads = list(
        User.objects.filter(role=Role.ADVISER)
        .annotate(n=Count("caseload", filter=Q(caseload__closed_on__isnull=True)))
        .values_list("n", flat=True)
    )
    assert len(caseloads) == national.Sizes.at(TINY).advisers
    assert all(national.CASELOAD_MIN <= n <= national.CASELOAD_MAX for n in caseloads)
    assert len(set(caseloads)) > len(caseloads) // 2  # spread, not one size for all


def test_the_measure_mix_follows_the_generator_shares(tiny):
    kinds = Counter(Measure.objects.values_list("kind", flat=True))
    total = sum(kinds.values())
    for kind, percent in national.MEASURE_MIX.items():
        assert abs(100 * kinds[kind] / total - percent) < 4, kind


def test_the_generated_records_are_consistent_and_aged(tiny):
    cases = Case.objects.count()
    closed = Case.objects.filter(closed_on__isnull=False).count()
    assert 0.04 < closed / cases < 0.08
    # People: one per case, some with an earlier closed case too.
    assert Person.objects.count() < cases
    assert not Case.objects.filter(measures__isnull=True).exists()
    # Every open case holds its adviser's grant, as the services would have given it.
    assert Case.objects.filter(closed_on__isnull=True).count() == (
        Case.objects.filter(closed_on__isnull=True, caseuserobjectpermission__user=F("adviser"))
        .distinct()
        .count()
    )
    # Interviews: at most one still to come per case, the rest held or otherwise closed.
    planned = Counter(
        Interview.objects.filter(status=Interview.Status.PLANNED).values_list("case", flat=True)
    )
    assert planned and max(planned.values()) == 1
    oldest = Case.objects.filter(closed_on__isnull=True).order_by("opened_on").first()
    assert Interview.objects.filter(case=oldest).count() >= 95  # the "100 interviews" report
    assert AccessLog.objects.filter(object_type="cases.case").exists()
    assert tiny["cases_proof"] > tiny["cases_obligation"] > tiny["cases_measure"]


def test_the_generator_needs_an_empty_database(tiny):
    with pytest.raises(RuntimeError, match="empty database"):
        national.generate(TINY)


# The pages the bench measures answer in the same number of queries whatever the volume
# (the adviser picked has ~90 cases in both; the case file's sections are fixed).
# Session, user and notification counter included (and, in a test, its savepoints).
QUERIES = {
    "case_list": 9,
    "case_file": 27,
    "search": 9,
    "admin": 9,
    "floor": 6,
}


@pytest.mark.urls("bench.urls")
@pytest.mark.parametrize("scale", [TINY, 2.5 * TINY])
def test_every_measured_page_keeps_its_query_count(db, scale):
    national.generate(scale)
    adviser = measure.pick_adviser()
    case = measure.pick_case(adviser)
    # The case file reads one level of records at a time (measures, obligations, proofs,
    # placements, hours and their history): a case that has every level reads them all.
    full = (
        Case.objects.filter(adviser=adviser, closed_on__isnull=True)
        .filter(measures__placements__isnull=False, measures__obligations__isnull=False)
        .first()
    )
    client = measure.signed_in_client(adviser)
    admin = User.objects.create(username="bench-admin", role=Role.ADMIN, is_staff=True)
    term = measure.search_term(case)
    counts = {
        "case_list": measure.page(client, "get", "/cases/", None, runs=1)["queries"],
        "case_file": measure.page(client, "get", f"/cases/{full.pk}/", None, runs=1)["queries"],
        "search": measure.page(client, "post", "/cases/", {"q": term}, runs=1)["queries"],
        "admin": measure.page(
            measure.signed_in_client(admin), "get", "/bench/admin/cases/person/", {"q": term}, 1
        )["queries"],
        "floor": measure.page(client, "get", "/bench/floor/", None, runs=1)["queries"],
    }
    assert counts == QUERIES


@pytest.mark.worker
def test_the_whole_bench_runs_at_a_tiny_scale(tmp_path):
    """`python -m bench` end to end: its own two databases, the real worker and
    gunicorn, the table and its JSON. Databases are kept between runs, as `make bench` does."""
    name = connection.settings_dict["NAME"]
    prefix = f"{name if name.startswith('test_') else 'test_' + name}_bench"  # never the bench's
    env = os.environ | {"BENCH_PLAIN_STATIC": "true"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--scale",
            str(TINY),
            "--quick",
            "--prefix",
            prefix,
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=20 * 60,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for label in (
        "/cases/",
        "/cases/<id>/",
        "Search by name",
        "Deadline sweep, first run",
        "unchanged rerun",
        "Report PDF",
        "throughput",
        "Worker peak memory",
        "Query counts",
        "proof_overdue",
    ):
        assert label in result.stdout
    (written,) = tmp_path.glob("bench-*.json")
    report = json.loads(written.read_text())
    assert set(report["compared"]) == set(TARGETS)
    for item in report["compared"].values():
        assert item["ratio"] > 0 and isinstance(item["met"], bool)
    assert report["national"]["worker"]["sweep"]["peak_rss_mib"] > 0
    assert report["national"]["pdf"]["pages"] >= 1
    assert report["national"]["load"]["case_list"]["errors"] == 0
    assert report["sizes"]["cases_person"] > 500


def test_the_sweep_keeps_its_plans_on_stale_statistics(tiny):
    """Found at national scale: planned on statistics from before a sweep wrote its alerts,
    the closing half compared every open alert with every row of its rule, and the report
    rules scanned the whole alert index per case (hours for a rerun). The closing half now
    looks rows up by hash, and a full sweep samples the alerts table first."""
    from django.utils import timezone

    from deadlines import engine

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_alert")  # empty: the statistics of a first night
    today = timezone.localdate()
    engine.sweep(as_of=today)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples, (SELECT count(*) FROM cases_alert) FROM pg_class "
            "WHERE relname = 'cases_alert'"
        )
        estimated, alerts = cursor.fetchone()
        assert alerts > 500 and estimated == 0  # stale, as the next night would find them
        for rule in engine.rules():
            params = engine.parameters(rule, as_of=today, case_id=None, now=timezone.now())
            cursor.execute(engine.SWEEP_SETTINGS)
            cursor.execute("EXPLAIN " + engine.statement(rule), params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            closing = plan.split("CTE resolved")[1]
            assert "hashed SubPlan" in closing, (rule.code, plan)  # PostgreSQL 15 to 17 alike
    engine.sweep(as_of=today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'cases_alert'")
        assert cursor.fetchone()[0] == alerts  # sampled before the rules ran
