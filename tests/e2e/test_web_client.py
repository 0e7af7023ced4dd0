"""The example web client (examples/web-client: Apollo Client, graphql-ws, multipart uploads,
types generated from the committed SDL) against a live server, from another origin.

Its operations are type-checked against graphql_schema/schema.graphql, so a schema change
that breaks a client query fails here; then `npm test` runs its scenario (register, sign in
with a bearer token, create a channel, upload a video, read a feed, receive a comment over
a websocket) with the Origin header a browser would send.
"""

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import serving
from tests.e2e.npm_support import WEB_CLIENT, node_test_counts, npm_ci, require_node, run

pytestmark = pytest.mark.e2e

# The origin the example pretends to be served from (a dev server on another port).
CLIENT_ORIGIN = "http://127.0.0.1:5173"


@pytest.fixture(scope="module")
def web_client_installed() -> None:
    require_node()
    npm_ci(WEB_CLIENT)


@pytest.fixture(scope="module")
def cors_server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """uvicorn that allows the client's origin (CORS and CSRF), uploads in a temp folder."""
    env = {
        "CORS_ALLOWED_ORIGINS": CLIENT_ORIGIN,
        "CSRF_TRUSTED_ORIGINS": CLIENT_ORIGIN,
        "REDIS_URL": "",  # the in-memory channel layer: one process
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }
    with serving(django_db_blocker, env) as url:
        yield url


def test_client_operations_type_check_against_the_committed_schema(web_client_installed):
    """Codegen validates every operation against schema.graphql; tsc checks their use."""
    run(["npm", "run", "codegen"], cwd=WEB_CLIENT)
    run(["npx", "tsc", "--noEmit"], cwd=WEB_CLIENT)


def test_client_scenario_against_a_live_server(web_client_installed, cors_server, transactional_db):
    result = run(
        ["npm", "test"],
        cwd=WEB_CLIENT,
        env={"API_URL": f"{cors_server}/graphql/", "CLIENT_ORIGIN": CLIENT_ORIGIN},
        timeout=180,
    )
    assert node_test_counts(result.stdout) == {"pass": 6, "fail": 0}, result.stdout[-4000:]


def test_an_origin_the_server_does_not_allow_is_refused_as_a_browser_would(
    web_client_installed, cors_server, transactional_db
):
    """The same client from an origin not in CORS_ALLOWED_ORIGINS: its first request fails
    the CORS check, which is what the example's README tells you to configure."""
    preflight = httpx.options(
        f"{cors_server}/graphql/",
        headers={
            "Origin": "http://127.0.0.1:1",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    if not (WEB_CLIENT / "dist" / "scenario.test.js").exists():
        run(["npm", "run", "build"], cwd=WEB_CLIENT)
    result = run(
        ["node", "--test", "dist/"],
        cwd=WEB_CLIENT,
        env={"API_URL": f"{cors_server}/graphql/", "CLIENT_ORIGIN": "http://127.0.0.1:1"},
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "CORS_ALLOWED_ORIGINS" in result.stdout
