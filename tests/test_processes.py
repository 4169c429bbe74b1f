"""The processes `make demo` and docker-compose.yml run: same commands, and they work.

A real Celery worker and a real gunicorn run here against the test database; nothing is
eager or mocked.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from spip.tasks import clear_expired_sessions, ping
from tools.devenv import process_commands

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_env() -> dict[str, str]:
    """The environment of a child process that must use this test run's database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db["PASSWORD"]:
        url = url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    return os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "spip.settings"}


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_compose_runs_the_demo_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    expected = process_commands(bind="0.0.0.0:8000")
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["command"] == expected[name], name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"CMD {json.dumps(expected['web'])}" in dockerfile


def start_worker(queue: str, env: dict[str, str] | None = None, name: str = "") -> subprocess.Popen:
    """Start a real worker (the command `make demo` runs) on `queue`, using the test
    database; `env` adds to its environment."""
    command = process_commands()["worker"]
    command = [str(BIN / command[0]), *command[1:]]
    command += [
        "--queues",
        queue,
        "--hostname",
        f"{name or queue}@%h",
        "--pool",
        "solo",
        "--without-mingle",
        "--without-gossip",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=_test_database_env() | (env or {}))


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[str]:
    """A real worker on a queue of its own, using the test database; yields the queue."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    process = start_worker(queue)
    try:
        yield queue
    finally:
        stop_process(process)


def test_worker_runs_a_task_against_the_database(celery_worker):
    result = ping.apply_async(queue=celery_worker).get(timeout=90)
    assert result["database"] == connection.settings_dict["NAME"]


def test_task_queued_on_commit_runs_in_the_worker(celery_worker):
    ping.apply_async(queue=celery_worker).get(timeout=90)  # the worker is up
    Session.objects.create(
        session_key="expired" + uuid.uuid4().hex,
        session_data="",
        expire_date=timezone.now() - timezone.timedelta(days=1),
    )
    with transaction.atomic():
        # As services do: the message leaves only once the data it needs is committed.
        transaction.on_commit(lambda: clear_expired_sessions.apply_async(queue=celery_worker))
    deadline = time.monotonic() + 60
    while Session.objects.filter(session_key__startswith="expired").exists():
        assert time.monotonic() < deadline, "the worker did not clear the expired session"
        time.sleep(0.3)


def test_gunicorn_serves_the_application(transactional_db):
    port = _free_port()
    command = process_commands(bind=f"127.0.0.1:{port}")["web"]
    command = [str(BIN / command[0]), *command[1:]]
    process = subprocess.Popen(command, cwd=ROOT, env=_test_database_env())
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    body = json.load(r)
                    break
            except OSError:
                assert process.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.3)
        assert body == {"status": "ok", "database": "up", "broker": "up"}
        request = urllib.request.Request(f"http://127.0.0.1:{port}/")
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(request, timeout=5)
        assert redirect.value.code == 302
        assert redirect.value.headers["Location"].startswith("/login/")
    finally:
        stop_process(process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
