"""Throttling holds across gunicorn workers with a real redis-server (docs/production.md).

Two sync workers answer forty polls sent at once (so both are busy); with the
counts in Redis, the limit of five holds for the pair. With the default memory://
each worker counts for itself, the pair lets more through, and the app says so
when it starts.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

LIMIT = 5
TRIES = 40   # sent at once, so both sync workers are kept busy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(port)


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (Debian package redis-server)")
        pytest.skip("redis-server is not installed (make browser installs it)")
    port = _free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def _serve(app_config, tmp_path, storage: str, **settings: str):
    port = _free_port()
    log = tmp_path / f"access-{port}.log"
    env = {**os.environ, "SCAN_INSTANCE_PATH": app_config["INSTANCE_PATH"],
           "SCAN_DATABASE": app_config["DATABASE"], "SCAN_QUESTIONS": app_config["QUESTIONS"],
           "SCAN_RATELIMIT_STORAGE_URI": storage, "SCAN_POLL_LIMIT": f"{LIMIT} per minute",
           **{f"SCAN_{name}": value for name, value in settings.items()}}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s",
         "scan:create_app()"], env=env, stderr=subprocess.PIPE, text=True)
    _wait_for(port, process)
    time.sleep(1.5)   # both workers up
    return process, port, log


def _poll_at_once(port: int, token: str) -> list[int]:
    def poll(_n):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/w/{token}/state.json",
                                        timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
    with ThreadPoolExecutor(TRIES) as pool:
        return list(pool.map(poll, range(TRIES)))


def _stop(process) -> str:
    process.terminate()
    _out, err = process.communicate(timeout=30)
    return err


def _pids(log: Path) -> set[str]:
    return {line.split()[0] for line in log.read_text().splitlines() if line.strip()}


def test_one_limit_holds_for_two_workers_with_redis(app_config, world, tmp_path, redis_url):
    import redis

    process, port, log = _serve(app_config, tmp_path, redis_url)
    try:
        codes = _poll_at_once(port, world.a.workshop_token)
    finally:
        err = _stop(process)
    assert len(_pids(log)) == 2, "both workers must have answered for this to prove anything"
    assert codes.count(200) == LIMIT and codes.count(429) == TRIES - LIMIT, codes
    assert any(b"LIMITS" in key for key in redis.Redis.from_url(redis_url).keys())
    assert "memory://" not in err


def _sign_in_at_once(port: int, email: str) -> list[int]:
    body = urllib.parse.urlencode({"email": email, "password": "not the password!"}).encode()

    def attempt(_n):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", data=body,
                                        timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
    with ThreadPoolExecutor(TRIES // 2) as pool:
        return list(pool.map(attempt, range(TRIES // 2)))


def test_failed_sign_ins_are_counted_once_for_two_workers_with_redis(app_config, world,
                                                                     tmp_path, redis_url):
    """Sign-in is a brute-force guard: unlike the phones' polls (counted per worker and
    shared in batches, scan.web.flood_guard), every failed attempt is counted in Redis,
    so 5 a minute per address and account hold for both workers together (one more may
    slip through while both workers check at the same moment), not 5 for each."""
    process, port, log = _serve(app_config, tmp_path, redis_url, WTF_CSRF_ENABLED="false")
    try:
        codes = _sign_in_at_once(port, world.a.emails["viewer"])
    finally:
        _stop(process)
    assert len(_pids(log)) == 2, "both workers must have answered for this to prove anything"
    assert 5 <= codes.count(401) <= 6 and codes.count(401) + codes.count(429) == len(codes), \
        codes


def test_memory_counts_per_worker_and_says_so_at_start(app_config, world, tmp_path):
    process, port, log = _serve(app_config, tmp_path, "memory://")
    try:
        codes = _poll_at_once(port, world.a.workshop_token)
    finally:
        err = _stop(process)
    assert "2 workers with throttling counted in memory" in err
    if len(_pids(log)) == 2:
        assert codes.count(200) > LIMIT, codes
