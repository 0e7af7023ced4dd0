"""Real servers for end-to-end tests: uvicorn on a loopback port, against the test database.

Data for these tests is made through the API itself (as a client would), so it is committed
and visible to the server process; `transactional_db` empties the tables afterwards.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from django.core.cache import cache
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    """DATABASE_URL with the database name swapped for the test database's."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def wait_until_ready(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} not ready after {timeout}s")


def start_uvicorn(
    port: int, env_extra: dict[str, str] | None = None, workers: int = 1
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "project.settings",
        # Many users and comments come from one loopback address in these tests.
        "RATE_LIMIT_REGISTER": "100000",
        "RATE_LIMIT_ADD_COMMENT": "100000",
        "LOGIN_FAILURE_LIMIT": "100000",
        **(env_extra or {}),
    }
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "project.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(args, cwd=ROOT, env=env)
    wait_until_ready(f"http://127.0.0.1:{port}/healthz", process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Base URL of a uvicorn process serving the app against the test database."""
    with django_db_blocker.unblock():
        port = free_port()
        process = start_uvicorn(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture
def live_api(live_server_url: str, transactional_db) -> Iterator[httpx.Client]:
    """An HTTP client for the live server; the tables are emptied after the test."""
    with httpx.Client(base_url=live_server_url, timeout=30.0) as client:
        yield client
    cache.clear()  # rate-limit counters live outside the model tables
