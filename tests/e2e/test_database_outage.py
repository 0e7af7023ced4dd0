"""When PostgreSQL goes away, requests fail fast with SERVICE_UNAVAILABLE and /readyz turns
red; when it comes back, the same server process recovers without a restart."""

import logging
import os
import subprocess
import sys
import time
import warnings

import httpx
import pytest

from tests.e2e.conftest import ROOT, free_port, start_uvicorn, stop

pytestmark = pytest.mark.e2e

QUERY = {"query": "{ videos(first: 1) { totalCount } }"}


def start_postgres(pgdata):
    warnings.simplefilter("ignore")
    import pgserver

    # Its exit hook logs after pytest has closed the captured streams.
    logging.getLogger("pgserver").disabled = True
    return pgserver.get_server(pgdata, cleanup_mode="stop")


def ask(client: httpx.Client) -> dict:
    return client.post("/graphql/", json=QUERY).json()


@pytest.fixture
def own_postgres(tmp_path):
    """A PostgreSQL server this test may stop and start (not the shared test database)."""
    pgdata = tmp_path / "pg"
    server = start_postgres(pgdata)
    url = server.get_uri("postgres")
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"},
        timeout=180,
    )
    assert migrate.returncode == 0, migrate.stderr
    holder = {"server": server}
    yield pgdata, url, holder
    holder["server"].cleanup()


def test_outage_fails_fast_and_recovers_without_restart(own_postgres):
    pgdata, url, holder = own_postgres
    port = free_port()
    app = start_uvicorn(port, {"DATABASE_URL": url, "DATABASE_POOL_TIMEOUT": "2"})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
            assert ask(client) == {"data": {"videos": {"totalCount": 0}}}
            assert client.get("/readyz").status_code == 200

            holder["server"].cleanup()  # stop PostgreSQL under the running app
            started = time.monotonic()
            body = ask(client)
            assert time.monotonic() - started < 10
            assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            assert body["data"] in (None, {"videos": {"totalCount": None}})
            assert "temporarily unavailable" in body["errors"][0]["message"]
            assert client.get("/readyz").status_code == 503

            holder["server"] = start_postgres(pgdata)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                body = ask(client)
                if "errors" not in body:
                    break
                time.sleep(0.5)
            assert body == {"data": {"videos": {"totalCount": 0}}}
            assert client.get("/readyz").status_code == 200
    finally:
        stop(app)
