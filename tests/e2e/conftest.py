"""Real servers for end-to-end tests: uvicorn on a loopback port, against the test database.

Data for these tests is made through the API itself (as a client would), so it is committed
and visible to the server process; `transactional_db` empties the tables afterwards.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
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


@contextmanager
def serving(django_db_blocker, env_extra: dict[str, str] | None = None) -> Iterator[str]:
    """A uvicorn process on the test database for the block; yields its base URL."""
    with django_db_blocker.unblock():
        port = free_port()
        process = start_uvicorn(port, env_extra)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def live_media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the live server stores uploads (never the project's own media/)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker, live_media_root: Path) -> Iterator[str]:
    """Base URL of a uvicorn process serving the app against the test database."""
    with serving(django_db_blocker, {"MEDIA_ROOT": str(live_media_root)}) as url:
        yield url


@pytest.fixture
def live_api(live_server_url: str, transactional_db) -> Iterator[httpx.Client]:
    """An HTTP client for the live server; the tables are emptied after the test, and so is
    the database cache, which flushing the tables leaves alone: the server's rate-limit
    counters for 127.0.0.1 would otherwise throttle later tests. (A Redis cache, possibly
    shared, is never wiped.)"""
    with httpx.Client(base_url=live_server_url, timeout=60.0) as client:
        yield client
    if isinstance(caches["default"], DatabaseCache):
        caches["default"].clear()


# --- The deployment's shape: nginx (proxy/) in front of uvicorn started by scripts/run.sh ---

NGINX_WRAPPER = """{user}
worker_processes 1;
pid {work}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/default.conf;
}}
"""


def require_tools(*names: str) -> None:
    """Skip when a system tool is missing, except in CI, where that is a failure."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        message = f"not installed: {', '.join(missing)} (apt-get install nginx gettext-base)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):
        if process.poll() is None:
            stop(process)


ProxyStarter = Callable[..., str]


@dataclass
class EntrypointServer:
    """The app as its container runs it: scripts/run.sh (migrate, collectstatic, uvicorn)."""

    url: str
    port: int
    static_root: Path
    media_root: Path


def start_entrypoint(
    port: int, static_root: Path, media_root: Path, env_extra: dict[str, str] | None = None
) -> subprocess.Popen:
    env = {
        **os.environ,
        # `python` and `uvicorn` in run.sh are the ones of the interpreter running the tests.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": test_database_url(),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "GRACEFUL_SHUTDOWN_SECONDS": "5",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "SERVE_MEDIA": "0",  # as in production: nginx serves /media/
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_REGISTER": "100000",
        "RATE_LIMIT_ADD_COMMENT": "100000",
        "LOGIN_FAILURE_LIMIT": "100000",
        **(env_extra or {}),
    }
    process = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env)
    try:
        # wait_for_db, migrate and collectstatic run first.
        wait_until_ready(f"http://127.0.0.1:{port}/healthz", process, timeout=120)
    except BaseException:
        stop(process)
        raise
    return process


def start_nginx(work: Path, env_extra: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Run proxy/run.sh (the proxy image's entrypoint: it renders default.conf.tpl with the
    given environment and starts nginx) with a small main config of its own in `work`."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # As root, nginx's workers would run as nobody and could not read pytest's private dirs.
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        NGINX_WRAPPER.format(user=user, work=work, mime_types="/etc/nginx/mime.types")
    )
    env = {
        **os.environ,
        "LISTEN_PORT": str(port),
        "NGINX_CONF": str(work / "default.conf"),
        **env_extra,
    }
    args = [
        str(ROOT / "proxy" / "run.sh"),
        *("-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")),
    ]
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{url}/nginx-health", process, timeout=15)
    except BaseException:
        stop(process)
        raise
    return process, url


@pytest.fixture(scope="session")
def entrypoint_server(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[EntrypointServer]:
    """The app started by scripts/run.sh against the test database, with its own STATIC_ROOT
    and MEDIA_ROOT (the volumes the proxy serves)."""
    if connection.settings_dict["NAME"] == urlsplit(os.environ["DATABASE_URL"]).path[1:]:
        pytest.fail(
            "No test database: tests on the live servers need `transactional_db` (or a "
            "django_db mark) for pytest-django to create it."
        )
    base = tmp_path_factory.mktemp("entrypoint")
    static_root, media_root = base / "static", base / "media"
    with django_db_blocker.unblock():
        port = free_port()
        env = {
            # HSTS is sent only on requests the app considers HTTPS: it shows X-Forwarded-Proto.
            "SECURE_HSTS_SECONDS": "3600",
            # As deployed: PRIVATE media bytes are sent by nginx once the app said yes.
            "MEDIA_X_ACCEL_REDIRECT": "1",
        }
        process = start_entrypoint(port, static_root, media_root, env)
    try:
        yield EntrypointServer(f"http://127.0.0.1:{port}", port, static_root, media_root)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def start_proxy(entrypoint_server: EntrypointServer, tmp_path_factory) -> Iterator[ProxyStarter]:
    """Start another nginx in front of the entrypoint server (or of `app_port`), configured
    through proxy/run.sh's environment (e.g. CLIENT_MAX_BODY_SIZE="1m"); returns its base URL.
    Every nginx started is stopped at the end of the session."""
    require_tools("nginx", "envsubst")
    processes: list[subprocess.Popen] = []

    def start(app_port: int | None = None, **env: str) -> str:
        env = {
            "APP_HOST": "127.0.0.1",  # an address: nginx needs no resolver for it
            "APP_PORT": str(app_port or entrypoint_server.port),
            "STATIC_ROOT": str(entrypoint_server.static_root),
            "MEDIA_ROOT": str(entrypoint_server.media_root),
            **env,
        }
        process, url = start_nginx(tmp_path_factory.mktemp("nginx"), env)
        processes.append(process)
        return url

    try:
        yield start
    finally:
        stop_all(processes)


@pytest.fixture(scope="session")
def proxy_server_url(start_proxy: ProxyStarter) -> str:
    """Base URL of nginx, configured by the proxy image's template with its defaults, in front
    of uvicorn started by the container entrypoint: the deployed stack on loopback ports.
    For websockets through the proxy use the same address with ws://. Tests using it need
    `transactional_db` (data they make through the API is committed, then emptied)."""
    return start_proxy()


@pytest.fixture
def proxy_api(proxy_server_url: str, transactional_db) -> Iterator[httpx.Client]:
    """An HTTP client for the stack behind nginx; the tables are emptied after the test."""
    with httpx.Client(base_url=proxy_server_url, timeout=30.0) as client:
        yield client
