"""Processes the benchmark drives: gunicorn as deployed, a real Celery worker, and a load
generator (threads on loopback, each keeping one request in flight, bounded in time)."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

from django.conf import settings

from tools.devenv import process_commands

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _log(name: str) -> Any:
    """Where a process's own output goes: `<out>/<name>.log` (the runner sets BENCH_LOG_DIR),
    so that the table is not buried in banners; read it when a process fails."""
    folder = Path(os.environ.get("BENCH_LOG_DIR") or tempfile.gettempdir())
    return (folder / f"{name}.log").open("ab")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Gunicorn:
    """`spip.wsgi` served as `make demo` and the Docker image serve it (2 sync workers), on a
    free loopback port, with the bench's URLs added (`bench.settings`)."""

    def __enter__(self) -> Gunicorn:
        self.port = _free_port()
        command = process_commands(f"127.0.0.1:{self.port}")["web"]
        command = [str(BIN / command[0]), *command[1:]]
        command[command.index("--access-logfile") + 1] = "/dev/null"
        env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"}
        with _log("gunicorn") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = _get(self.port, "/healthz", "")
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                _stop(self.process)
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)

    def url(self, path: str) -> tuple[int, str]:
        return self.port, path

    def __exit__(self, *exc: object) -> None:
        _stop(self.process)


def _get(port: int, path: str, cookie: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": "localhost"}
        if cookie:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def load(target: tuple[int, str], cookie: str, *, seconds: float, clients: int) -> dict:
    """`clients` threads request `target` back to back for `seconds` (after one second of
    warm-up); answers other than 200 are counted as errors."""
    port, path = target
    stop = threading.Event()
    counting = threading.Event()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status, _ = _get(port, path, cookie)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            if counting.is_set() and not stop.is_set():
                with lock:
                    if status == 200:
                        latencies.append(elapsed)
                    else:
                        errors[0] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    counting.set()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join(timeout=60)
    ordered = sorted(latencies)
    return {
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "ok": len(latencies),
        "errors": errors[0],
        "median_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000, 1) if ordered else None,
    }


def _rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Worker:
    """The deployed worker command on a queue of its own, solo pool (the task runs in the
    process whose memory is sampled)."""

    def __enter__(self) -> Worker:
        from spip.celery import app

        self.app = app
        self.queue = f"bench-{uuid.uuid4().hex[:10]}"
        self.hostname = f"{self.queue}@bench"
        command = process_commands()["worker"]
        command = [str(BIN / command[0]), *command[1:]]
        command += [
            "--queues",
            self.queue,
            "--hostname",
            self.hostname,
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ]
        with _log("worker") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=log
            )
        deadline = time.monotonic() + 90
        while not app.control.ping(destination=[self.hostname], timeout=1.0):
            if self.process.poll() is not None or time.monotonic() > deadline:
                _stop(self.process)
                raise RuntimeError("the Celery worker did not start")
        return self

    def run(self, task: str, args: list[Any], *, timeout: float) -> dict[str, Any]:
        """Run one task in the worker; its RSS before, sampled peak and time."""
        pid = self.process.pid
        with contextlib.suppress(OSError):  # reset the kernel's peak (VmHWM) to this task
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        before = _rss_kib(pid)
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss_kib(pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        try:
            self.app.send_task(task, args=args, queue=self.queue).get(timeout=timeout)
        finally:
            done.set()
            sampler.join()
        return {
            "seconds": round(time.perf_counter() - started, 2),
            "rss_before_mib": round(before / 1024, 1),
            "peak_rss_mib": round(max(peak[0], _rss_kib(pid, "VmHWM")) / 1024, 1),
        }

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _stop(self.process)
