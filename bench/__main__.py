"""`make bench`: the product at national scale next to its floors, in one table.

    python -m bench [--scale 1] [--quick] [--prefix spip_bench] [--out bench-results]

Two databases of their own on the project's PostgreSQL server:
- `<prefix>_branch`: the demo (`seed_demo`, one département, ~475 people), rebuilt each day;
- `<prefix>_national`: `seed_national --scale S` (~250,000 people at scale 1), built once and
  kept for a week while the generator (`national.py`) and the scale are unchanged (the
  database's comment says which); new migrations are applied to it as to a live database,
  and one it has that this checkout lacks (another branch's schema) makes it rebuilt.
Only databases the bench made (their comment starts with "spip-bench:") are ever dropped.
Each is measured by `bench.measure` in its own process; the table is printed and
written, with every figure, to `<out>/bench-<date>.json` (an ignored folder).
Benchmarks print figures; they fail only when something does not run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

from bench import national
from spip.config import Env

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

TARGETS = {
    "case_list": ("≤", 1.3),
    "case_file": ("≤", 1.3),
    "search": ("≥", 10.0),
    "sweep_first": ("≤", 2.0),
    "sweep_rerun": ("≤", 2.0),
    "pdf": ("≤", 1.3),
    "throughput": ("≥", 0.10),
}


def _with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _server(url: str) -> Any:
    connection = psycopg2.connect(_with_name(url, "postgres"))
    connection.autocommit = True
    return connection


def _stored_fingerprint(server: Any, name: str) -> str | None:
    with server.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "
            "WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _manage(url: str, *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=_env(url), check=True)


MARK = "spip-bench:"  # the comment of every database the bench made (and may drop)
NATIONAL_MAX_AGE_DAYS = 7  # its data is dated from the day it was built
FILES = ""  # the run's temporary private files (set by `main`)
LOGS = ROOT / "bench-results"  # gunicorn's and the worker's output (set by `main`)


def _env(url: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": url,
        "HTTPS": "false",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PRIVATE_FILES_ROOT": FILES,
        "BENCH_LOG_DIR": str(LOGS),
    }


def national_fingerprint(scale: float) -> str:
    """The generator's code and the scale: another generator means another database."""
    source = Path(national.__file__).read_bytes()
    return f"national-v{national.VERSION}-{hashlib.sha256(source).hexdigest()[:12]}-{scale}"


def _unknown_migrations(url: str) -> bool:
    """Whether the database has a migration applied that is not in this checkout (another
    branch's schema): then only a rebuild gives this checkout's schema."""
    on_disk = {(path.parent.parent.name, path.stem) for path in ROOT.glob("*/migrations/0*.py")}
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT app, name FROM django_migrations WHERE app IN %s",
                [tuple({app for app, _ in on_disk})],
            )
            return any(row not in on_disk for row in cursor.fetchall())
    finally:
        connection.close()


def ensure_database(
    base_url: str, name: str, fingerprint: str, build: list[list[str]], *, max_age_days: int
) -> bool:
    """Create and fill database `name` unless it already holds data of this fingerprint
    built less than `max_age_days` ago; return whether it was (re)built. A kept database gets
    the checkout's new migrations, as a live one would (an index added to national volumes
    is part of what we measure). Only a database the bench made is ever dropped."""
    url = _with_name(base_url, name)
    server = _server(base_url)
    try:
        stored = _stored_fingerprint(server, name)
        if stored is not None and not stored.startswith(MARK):
            raise SystemExit(f"Database {name} exists and was not made by the bench: not touched.")
        if stored:
            kept, _, built_on = stored.removeprefix(MARK).rpartition("@")
            fresh = (date.today() - date.fromisoformat(built_on)).days < max_age_days
            if kept == fingerprint and fresh and not _unknown_migrations(url):
                _manage(url, "migrate", "--noinput", "--verbosity", "0")
                return False
        identifier = sql.Identifier(name)
        with server.cursor() as cursor:
            if stored is not None:
                cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(identifier))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
            # Marked at once: a build cut short is the bench's to drop next time.
            cursor.execute(
                sql.SQL("COMMENT ON DATABASE {} IS %s").format(identifier), [f"{MARK}building"]
            )
        _manage(url, "migrate", "--noinput", "--verbosity", "0")
        for arguments in build:
            _manage(url, *arguments)
        with server.cursor() as cursor:
            cursor.execute(
                sql.SQL("COMMENT ON DATABASE {} IS %s").format(identifier),
                [f"{MARK}{fingerprint}@{date.today().isoformat()}"],
            )
        return True
    finally:
        server.close()


def measure(url: str, what: str, out: Path, quick: bool) -> dict[str, Any]:
    options = ["--runs", "3", "--load-seconds", "2", "--clients", "4"] if quick else []
    subprocess.run(
        [PYTHON, "-m", "bench.measure", "--what", what, "--out", str(out), *options],
        cwd=ROOT,
        env=_env(url),
        check=True,
    )
    return json.loads(out.read_text())


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 2) if denominator else float("inf")


def results(national_run: dict[str, Any], branch_run: dict[str, Any]) -> dict[str, Any]:
    """The compared figures, each with its ratio, target and verdict."""
    pages_n, pages_b = national_run["pages"], branch_run["pages"]
    search, sweep, pdf = national_run["search"], national_run["sweep"], national_run["pdf"]
    load = national_run["load"]
    rows = {
        "case_list": (pages_n["case_list"]["median_ms"], pages_b["case_list"]["median_ms"]),
        "case_file": (pages_n["case_file"]["median_ms"], pages_b["case_file"]["median_ms"]),
        "search": (search["admin"]["median_ms"], search["ours"]["median_ms"]),
        "sweep_first": (sweep["first"]["product_ms"], sweep["first"]["floor_ms"]),
        "sweep_rerun": (sweep["rerun"]["product_ms"], sweep["rerun"]["floor_ms"]),
        "pdf": (pdf["product_ms"], pdf["bare_ms"]),
        "throughput": (
            load["case_list"]["requests_per_second"],
            load["floor"]["requests_per_second"],
        ),
    }
    compared = {}
    for key, (value, reference) in rows.items():
        sign, target = TARGETS[key]
        ratio = _ratio(value, reference)
        met = ratio <= target if sign == "≤" else ratio >= target
        compared[key] = {
            "value": value,
            "reference": reference,
            "ratio": ratio,
            "target": f"{sign} {target:g}",
            "met": met,
        }
    return compared


def table(report: dict[str, Any]) -> str:
    n, b, c = report["national"], report["branch"], report["compared"]
    q = lambda page: f"{page['queries']} q"  # noqa: E731
    pages_n, pages_b = n["pages"], b["pages"]
    lines = [
        f"National-scale benchmark, {report['day']}, scale {report['scale']} "
        f"({report['sizes']['cases_person']:,} people, {report['sizes']['cases_case']:,} cases, "
        f"{report['sizes']['interviews_interview']:,} interviews, "
        f"{report['sizes']['cases_proof']:,} proofs, "
        f"{report['sizes']['spip_accesslog']:,} access-log rows)",
        "",
        f"{'Measure':<46} {'Value':>18} {'Reference':>22} {'Ratio':>7} {'Target':>7}  ",
        "-" * 112,
    ]

    def row(label: str, key: str, value: str, reference: str) -> None:
        item = c[key]
        verdict = "met" if item["met"] else "MISSED"
        lines.append(
            f"{label:<46} {value:>18} {reference:>22} {item['ratio']:>7} {item['target']:>7}  "
            f"{verdict}"
        )

    row(
        f"/cases/, adviser with {pages_n['adviser_caseload']} cases (branch: "
        f"{pages_b['adviser_caseload']})",
        "case_list",
        f"{pages_n['case_list']['median_ms']} ms, {q(pages_n['case_list'])}",
        f"branch {pages_b['case_list']['median_ms']} ms, {q(pages_b['case_list'])}",
    )
    row(
        f"/cases/<id>/, a case with {pages_n['case_size']['interviews']} interviews "
        f"(branch: {pages_b['case_size']['interviews']})",
        "case_file",
        f"{pages_n['case_file']['median_ms']} ms, {q(pages_n['case_file'])}",
        f"branch {pages_b['case_file']['median_ms']} ms, {q(pages_b['case_file'])}",
    )
    search = n["search"]
    row(
        f"Search by name over {search['people']:,} people: admin / ours",
        "search",
        f"admin {search['admin']['median_ms']} ms, {q(search['admin'])}",
        f"ours {search['ours']['median_ms']} ms, {q(search['ours'])}",
    )
    sweep = n["sweep"]
    row(
        "Deadline sweep, first run: product / floor",
        "sweep_first",
        f"{sweep['first']['product_ms'] / 1000:.2f} s",
        f"raw cursor {sweep['first']['floor_ms'] / 1000:.2f} s",
    )
    row(
        "Deadline sweep, unchanged rerun: product / floor",
        "sweep_rerun",
        f"{sweep['rerun']['product_ms'] / 1000:.2f} s",
        f"raw cursor {sweep['rerun']['floor_ms'] / 1000:.2f} s",
    )
    pdf = n["pdf"]
    row(
        f"Report PDF, case with {pdf['interviews']} interviews",
        "pdf",
        f"{pdf['product_ms']} ms",
        f"WeasyPrint {pdf['bare_ms']} ms",
    )
    load = n["load"]
    row(
        f"/cases/ throughput, {load['clients']} clients, {load['seconds']:g} s (gunicorn)",
        "throughput",
        f"{load['case_list']['requests_per_second']} req/s",
        f"floor {load['floor']['requests_per_second']} req/s",
    )
    worker = n["worker"]
    lines += [
        "",
        f"Worker peak memory: sweep {worker['sweep']['peak_rss_mib']} MiB "
        f"(from {worker['sweep']['rss_before_mib']} MiB, {worker['sweep']['seconds']} s), "
        f"PDF issue {worker['pdf']['peak_rss_mib']} MiB "
        f"(from {worker['pdf']['rss_before_mib']} MiB, {worker['pdf']['seconds']} s)",
        f"Query counts: /cases/ {q(pages_n['case_list'])}, /cases/<id>/ "
        f"{q(pages_n['case_file'])}, search {q(search['ours'])}, admin search "
        f"{q(search['admin'])}, floor view {q(pages_n['floor'])} "
        f"(branch: {q(pages_b['case_list'])}, {q(pages_b['case_file'])}, "
        f"{q(b['search']['ours'])})",
        "",
        f"{'Deadline rule':<22} {'alerts':>9} {'rerun changes':>14} "
        f"{'floor first':>12} {'floor rerun':>12}",
    ]
    for code, rule in sweep["rules"].items():
        lines.append(
            f"{code:<22} {rule['created']:>9,} {rule['rerun_changes']:>14} "
            f"{rule['floor_first_ms']:>9} ms {rule['floor_rerun_ms']:>9} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--quick", action="store_true", help="few runs, short load (tests)")
    parser.add_argument("--prefix", default="spip_bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    global FILES, LOGS  # noqa: PLW0603 - read by `_env` for every process of the run
    FILES = tempfile.mkdtemp(prefix="spip-bench-files-")
    LOGS = args.out
    base_url = Env.for_project(ROOT).str("DATABASE_URL")
    today = date.today().isoformat()
    args.out.mkdir(parents=True, exist_ok=True)

    branch_name, national_name = f"{args.prefix}_branch", f"{args.prefix}_national"
    print(f"Branch database {branch_name}: demo data", flush=True)
    ensure_database(base_url, branch_name, "demo", [["seed_demo"]], max_age_days=1)
    print(f"National database {national_name}: scale {args.scale}", flush=True)
    built = ensure_database(
        base_url,
        national_name,
        national_fingerprint(args.scale),
        [["seed_national", "--scale", str(args.scale)]],
        max_age_days=NATIONAL_MAX_AGE_DAYS,
    )
    if not built:
        print("  kept from an earlier run (same generator and scale, built this week)", flush=True)

    print("Measuring the branch database", flush=True)
    branch_run = measure(
        _with_name(base_url, branch_name), "pages,search", args.out / "branch.json", args.quick
    )
    print("Measuring the national database", flush=True)
    national_url = _with_name(base_url, national_name)
    national_run = measure(
        national_url,
        "sizes,pages,search,sweep,pdf,worker,load",
        args.out / "national.json",
        args.quick,
    )
    report = {
        "day": today,
        "scale": args.scale,
        "sizes": national_run["sizes"],
        "national": national_run,
        "branch": branch_run,
        "compared": results(national_run, branch_run),
        "seconds": round(time.perf_counter() - started),
    }
    path = args.out / f"bench-{today}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print(table(report))
    print(f"\nWritten to {path} in {report['seconds']} s.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        if FILES:
            shutil.rmtree(FILES, ignore_errors=True)
