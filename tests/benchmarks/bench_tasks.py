"""Benchmark: round-trip time of a trivial task (``platform.ping``, sent from the public schema: no database work)
through a real worker — send, the worker receives and runs it, the result is seen by the sender — through the
default broker (kombu's filesystem transport, polled every CELERY_POLLING_INTERVAL seconds) and, when
CELERY_BROKER_URL=redis://… is set and reachable, through Redis.

Run:  .venv/bin/python tests/benchmarks/bench_tasks.py [--runs 50]

The worker (solo pool) and the broker folders live in a temporary folder; results travel through a temporary
``file://`` result backend (Ostoja configures none) that both ends poll every 5 ms. No database is touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")

import django  # noqa: E402

django.setup()

import kombu.pools  # noqa: E402
from django.db import connection  # noqa: E402

from ostoja.platform.celery_app import app, ensure_broker_folders  # noqa: E402
from ostoja.platform.tasks import ping  # noqa: E402

READY_SECONDS = 60
RESULT_POLL_SECONDS = 0.005


def database_url() -> str:
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    host = quote(s["HOST"] or "localhost", safe="")
    return f"postgres://{quote(s['USER'] or '', safe='')}{password}@{host}{port}/{quote(s['NAME'], safe='')}"


def configure(broker_url: str, transport_options: dict, result_backend: str) -> None:
    os.environ["CELERY_BROKER_URL"] = broker_url  # Celery reads this variable before its configuration
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = transport_options
    app.conf.result_backend = result_backend
    app.conf.task_always_eager = False
    app._pool = None
    app.__dict__.pop("backend", None)
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)
    kombu.pools.reset()
    ensure_broker_folders()


def start_worker(var_dir: Path, broker_url: str, result_backend: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_NAME"}
    env.update(
        DATABASE_URL=database_url(), OSTOJA_VAR_DIR=str(var_dir), CELERY_BROKER_URL=broker_url, PYTHONUNBUFFERED="1"
    )
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "ostoja.platform.celery_app", "--result-backend", result_backend]
        + ["worker", "--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    ready, log = threading.Event(), []

    def read():
        for line in process.stdout:
            log.append(line.rstrip())
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + READY_SECONDS
    while not ready.wait(0.1):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_worker(process)
            raise SystemExit("The worker did not start:\n" + "\n".join(log[-40:]))
    return process


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def round_trips(runs: int) -> list[float]:
    ping.delay().get(timeout=30, interval=RESULT_POLL_SECONDS)  # warm-up: connections, first poll
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        assert ping.delay().get(timeout=30, interval=RESULT_POLL_SECONDS) == "public"
        times.append(time.perf_counter() - started)
    return times


def measure(label: str, broker_url: str, transport_options: dict, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="ostoja-bench-tasks-") as tmp:
        var_dir = Path(tmp)
        results = var_dir / "results"
        results.mkdir()
        result_backend = f"file://{results}"
        if broker_url.startswith("filesystem"):
            queue = var_dir / "celery"
            transport_options = {
                **transport_options,
                "data_folder_in": str(queue / "queue"),
                "data_folder_out": str(queue / "queue"),
                "processed_folder": str(queue / "processed"),
                "control_folder": str(queue / "control"),
            }
        configure(broker_url, transport_options, result_backend)
        worker = start_worker(var_dir, broker_url, result_backend)
        try:
            times = round_trips(runs)
        finally:
            stop_worker(worker)
    times.sort()
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    print(
        f"  {label:<34}: median {statistics.median(times) * 1000:7.1f} ms, "
        f"p90 {p90 * 1000:7.1f} ms, min {times[0] * 1000:7.1f} ms  ({runs} tasks)"
    )


def redis_reachable(url: str) -> str | None:
    """None when Redis at ``url`` answers, else why it is skipped."""
    try:
        import redis
    except ImportError:
        return "the redis client is not installed (pip install redis)"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"{url} is not reachable ({exc})"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    redis_url = os.environ.get("CELERY_BROKER_URL", "")
    polling = float(os.environ.get("CELERY_POLLING_INTERVAL", "0.05"))
    print("Round trip of a trivial task (send → worker runs it → result seen), solo worker:")
    measure(f"filesystem broker (polling {polling:g} s)", "filesystem://", {"polling_interval": polling}, args.runs)

    if not redis_url.startswith(("redis://", "rediss://")):
        print("  Redis                             : skipped (set CELERY_BROKER_URL=redis://… to measure it)")
        return
    why_not = redis_reachable(redis_url)
    if why_not:
        print(f"  Redis                             : skipped: {why_not}")
        return
    measure("Redis broker", redis_url, {}, args.runs)


if __name__ == "__main__":
    main()
