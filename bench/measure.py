"""The measurements of one database, run in their own process:

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=bench.settings \\
        python -m bench.measure --what pages,search,sweep,pdf,load --out result.json

- pages: `/cases/` and `/cases/<id>/` for the adviser whose open caseload is nearest 90, in
  process through Django's test client (server time: every middleware, query and template,
  no network), median of several runs after a warm-up, with their query counts;
- search: our search (POST `/cases/`) and the Django admin changelist (`?q=`) for the name of
  one of that adviser's people;
- sweep: every deadline rule, first run (no alert yet) and unchanged rerun, through the
  product (`deadlines.engine.sweep`) and as the same statements on a raw cursor (the floor),
  then once more in a real Celery worker whose memory is sampled;
- pdf: a report on the adviser's case with the most interviews, rendered through the product
  (`reporting.services.render_report`) and by bare WeasyPrint on the same HTML, then issued
  by the worker (its memory sampled);
- load: `/cases/` and the one-query floor view under the same concurrent load, served by
  gunicorn as deployed (`bench.load`).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

ADVISER_CASELOAD = 90


def median_ms(action: Callable[[], Any], *, runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings) * 1000, 2)


def paired_medians(
    first: Callable[[], Any], second: Callable[[], Any], *, runs: int, warmup: int = 2
) -> tuple[float, float]:
    """Median times of two actions measured in turn (so that whatever else the machine does
    weighs on both alike)."""
    timings: tuple[list[float], list[float]] = ([], [])
    for run in range(warmup + runs):
        for action, kept in ((first, timings[0]), (second, timings[1])):
            started = time.perf_counter()
            action()
            if run >= warmup:
                kept.append(time.perf_counter() - started)
    return (
        round(statistics.median(timings[0]) * 1000, 2),
        round(statistics.median(timings[1]) * 1000, 2),
    )


def pick_adviser() -> Any:
    """The adviser whose open caseload is nearest ~90 cases."""
    from django.db import connection

    from spip.models import User

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.adviser_id, count(*) FROM cases_case c JOIN spip_user u ON u.id = c.adviser_id
            WHERE c.closed_on IS NULL AND c.anonymised_on IS NULL AND u.is_active
            GROUP BY c.adviser_id ORDER BY abs(count(*) - %s), c.adviser_id LIMIT 1
            """,
            [ADVISER_CASELOAD],
        )
        adviser_id, caseload = cursor.fetchone()
    adviser = User.objects.get(pk=adviser_id)
    adviser.bench_caseload = caseload
    return adviser


# The case file measured in both databases has about this many interviews, so that the
# national and branch pages show as much (the demo's and the generator's cases differ).
CASE_INTERVIEWS = 10


def pick_case(adviser: Any, *, most_interviews: bool = False) -> Any:
    """One open case of the adviser: the one with the most interviews, or the one whose
    count of interviews is nearest `CASE_INTERVIEWS`."""
    from django.db.models import Count, F, Func

    from cases.models import Case

    cases = (
        Case.objects.filter(adviser=adviser, closed_on__isnull=True, anonymised_on__isnull=True)
        .annotate(n=Count("interviews", distinct=True))
        .select_related("person")
    )
    if most_interviews:
        return cases.order_by("-n", "id").first()
    return cases.order_by(Func(F("n") - CASE_INTERVIEWS, function="abs"), "id").first()


def signed_in_client(user: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def page(client: Any, method: str, url: str, data: dict[str, str] | None, runs: int) -> dict:
    from django.db import connection

    def request() -> Any:
        response = getattr(client, method)(url, data or {})
        if response.status_code != 200:
            raise RuntimeError(f"{method.upper()} {url} answered {response.status_code}")
        return response

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        request()
    return {"median_ms": median_ms(request, runs=runs) if runs else None, "queries": len(queries)}


def search_term(case: Any) -> str:
    person = case.person
    return f"{person.usage_name or person.birth_name} {person.first_names.split()[0]}"


def measure_pages(runs: int) -> dict[str, Any]:
    from cases.models import Obligation, Proof

    adviser = pick_adviser()
    case = pick_case(adviser)
    client = signed_in_client(adviser)
    return {
        "adviser_caseload": adviser.bench_caseload,
        "case_size": {
            "interviews": case.interviews.count(),
            "obligations": Obligation.objects.filter(measure__case=case).count(),
            "proofs": Proof.objects.filter(obligation__measure__case=case).count(),
        },
        "case_list": page(client, "get", "/cases/", None, runs),
        "case_file": page(client, "get", f"/cases/{case.pk}/", None, runs),
        "floor": page(client, "get", "/bench/floor/", None, runs),
    }


def measure_search(runs: int) -> dict[str, Any]:
    """Our search page and the admin changelist for the same name, timed in turn."""
    from cases.models import Person
    from spip.models import Role, User

    adviser = pick_adviser()
    term = search_term(pick_case(adviser))
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN, "is_staff": True}
    )
    ours = signed_in_client(adviser)
    theirs = signed_in_client(admin)
    ours_queries = page(ours, "post", "/cases/", {"q": term}, runs=0)["queries"]
    admin_queries = page(theirs, "get", "/bench/admin/cases/person/", {"q": term}, runs=0)
    ours_ms, theirs_ms = paired_medians(
        lambda: ours.post("/cases/", {"q": term}),
        lambda: theirs.get("/bench/admin/cases/person/", {"q": term}),
        runs=runs,
    )
    return {
        "people": Person.objects.count(),
        "words": len(term.split()),
        "ours": {"median_ms": ours_ms, "queries": ours_queries},
        "admin": {"median_ms": theirs_ms, "queries": admin_queries["queries"]},
    }


def _reset_alerts() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_alert")
        cursor.execute("VACUUM ANALYZE cases_alert")


def _floor_sweep(as_of: Any) -> tuple[float, dict[str, float]]:
    """The rules' statements on the bare psycopg2 connection (in autocommit, as Django leaves
    it: each commits on its own), with the sweep's setting and preparation."""
    from django.db import connection
    from django.utils import timezone

    from deadlines import engine

    connection.ensure_connection()
    raw = connection.connection
    now = timezone.now()
    per_rule = {}
    started = time.perf_counter()
    with raw.cursor() as cursor:
        cursor.execute(engine.SWEEP_SETTINGS.replace("LOCAL ", ""))  # the same, per session
        cursor.execute(engine.SWEEP_PREPARE)
        for rule in engine.rules():
            rule_started = time.perf_counter()
            cursor.execute(
                engine.statement(rule),
                engine.parameters(rule, as_of=as_of, case_id=None, now=now),
            )
            cursor.fetchone()
            per_rule[rule.code] = round((time.perf_counter() - rule_started) * 1000, 1)
        elapsed = time.perf_counter() - started
        cursor.execute("RESET work_mem")
    return round(elapsed * 1000, 1), per_rule


def measure_sweep() -> dict[str, Any]:
    from django.utils import timezone

    from deadlines import engine

    as_of = timezone.localdate()
    _reset_alerts()
    engine.sweep(as_of=as_of)  # warm-up, not measured: both sides then start from warm caches
    _reset_alerts()
    floor_first, floor_first_rules = _floor_sweep(as_of)
    floor_rerun, floor_rerun_rules = _floor_sweep(as_of)
    _reset_alerts()
    started = time.perf_counter()
    first = engine.sweep(as_of=as_of)
    product_first = round((time.perf_counter() - started) * 1000, 1)
    started = time.perf_counter()
    rerun = engine.sweep(as_of=as_of)
    product_rerun = round((time.perf_counter() - started) * 1000, 1)
    return {
        "first": {"product_ms": product_first, "floor_ms": floor_first},
        "rerun": {"product_ms": product_rerun, "floor_ms": floor_rerun},
        "rules": {
            code: {
                "created": first[code].created,
                "rerun_changes": rerun[code].created + rerun[code].updated + rerun[code].closed,
                "floor_first_ms": floor_first_rules[code],
                "floor_rerun_ms": floor_rerun_rules[code],
            }
            for code in first
        },
    }


def _bench_report() -> Any:
    """A draft report on the adviser's case with the most interviews, prefilled from its
    file as the product does."""
    from cases.models import Measure
    from interviews.models import Interview
    from reporting import services
    from reporting.models import Kind

    adviser = pick_adviser()
    case = pick_case(adviser, most_interviews=True)
    measure = Measure.objects.filter(case=case).order_by("id").first()
    report = services.report_create(
        acting_user=adviser, case=case, measure=measure, kind=Kind.SITUATION
    )
    report.bench_interviews = Interview.objects.filter(case=case).count()
    return report


def measure_pdf(runs: int) -> dict[str, Any]:
    from django.utils import translation
    from pypdf import PdfReader
    from weasyprint import HTML

    from reporting.services import render_report, report_context
    from spip.pdf import BASE_URL, StaticFilesFetcher, render_html

    report = _bench_report()
    try:
        with translation.override("fr"):
            html = render_html("reporting/report_pdf.html", report_context(report, draft=False))

        def bare() -> bytes:
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
            return document.write_pdf(pdf_variant="pdf/a-3b", uncompressed_pdf=False)

        product_ms, bare_ms = paired_medians(
            lambda: render_report(report, draft=False), bare, runs=runs
        )
        return {
            "interviews": report.bench_interviews,
            "product_ms": product_ms,
            "bare_ms": bare_ms,
            "pages": len(PdfReader(io.BytesIO(bare())).pages),
        }
    finally:
        report.delete()


def measure_worker(timeout: float) -> dict[str, Any]:
    """Peak memory of a real worker (the deployed command, solo pool) while it runs the
    nightly sweep from scratch and while it issues the 100-interview report."""
    from django.utils import timezone

    from bench.load import Worker
    from reporting.models import Report

    _reset_alerts()
    report = _bench_report()
    director = report.case.branch.directors.first()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.VALIDATED, validator=director, validated_at=timezone.now()
    )
    with Worker() as worker:
        sweep = worker.run("cases.sweep_deadlines", [], timeout=timeout)
        issue = worker.run("reporting.issue_report", [report.pk], timeout=timeout)
    report.refresh_from_db()
    if report.status != Report.Status.ISSUED:
        raise RuntimeError("the worker did not issue the bench report")
    # An issued report is immutable: it stays (its file lands in the run's temporary
    # PRIVATE_FILES_ROOT, removed after the run).
    return {"sweep": sweep, "pdf": issue}


def measure_load(seconds: float, clients: int) -> dict[str, Any]:
    from bench.load import Gunicorn, load

    adviser = pick_adviser()
    from django.conf import settings

    cookie = signed_in_client(adviser).cookies[settings.SESSION_COOKIE_NAME].value
    with Gunicorn() as server:
        return {
            "clients": clients,
            "seconds": seconds,
            "case_list": load(server.url("/cases/"), cookie, seconds=seconds, clients=clients),
            "floor": load(server.url("/bench/floor/"), cookie, seconds=seconds, clients=clients),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--what", default="pages,search")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--load-seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    what = set(args.what.split(","))
    result: dict[str, Any] = {}
    if "sizes" in what:
        from bench.national import row_counts

        result["sizes"] = row_counts()
    # The sweep first: it leaves the alerts a nightly run leaves, which the pages then show.
    if "sweep" in what:
        result["sweep"] = measure_sweep()
    if "pages" in what:
        result["pages"] = measure_pages(args.runs)
    if "search" in what:
        result["search"] = measure_search(args.runs * 2)
    if "pdf" in what:
        result["pdf"] = measure_pdf(max(5, args.runs // 2))
    if "worker" in what:
        result["worker"] = measure_worker(timeout=30 * 60)
    if "load" in what:
        result["load"] = measure_load(args.load_seconds, args.clients)
    args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
