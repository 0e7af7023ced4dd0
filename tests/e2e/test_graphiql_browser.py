"""GraphiQL at /graphql/ in a real browser: Debian's Chromium, headless, driven by
playwright-core (graphiql/browser-check.mjs) against a live uvicorn.

It checks that the page and every asset come from this server (no CDN), that the default
query runs, that the sign-in mutation starts a session and the next query runs as that user
(with the CSRF token GraphiQL reads from the cookie), and that a subscription shows a comment
posted meanwhile. Screenshots are kept in tests/e2e/artifacts/graphiql/.
"""

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import ROOT, serving
from tests.e2e.npm_support import (
    CHROMIUM,
    GRAPHIQL_PROJECT,
    ensure_graphiql_built,
    node_test_counts,
    require_chromium,
    require_node,
    run,
)
from tests.graphql.mutations_support import mp4_bytes

pytestmark = pytest.mark.e2e

ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts" / "graphiql"
# The account GraphiQL's "SignIn" tab names: the demo data's, made here through the API.
SIGN_IN_EMAIL = "demo1@example.com"
SIGN_IN_PASSWORD = "correct-horse-battery-staple"
FAILURE = "... on OperationInfo { messages { field message code } }"


@pytest.fixture(scope="module")
def graphiql_server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    require_node()
    require_chromium()
    ensure_graphiql_built()
    env = {"REDIS_URL": "", "MEDIA_ROOT": str(tmp_path_factory.mktemp("media"))}
    with serving(django_db_blocker, env) as url:
        yield url


def graphql(client: httpx.Client, query: str, variables: dict, token: str = "") -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = client.post("/graphql/", json={"query": query, "variables": variables}, headers=headers)
    payload = body.json()
    assert "errors" not in payload, payload
    return payload["data"]


def register(client: httpx.Client, email: str, password: str, nickname: str) -> str:
    """A new account's bearer token."""
    registered = graphql(
        client,
        "mutation ($input: RegisterInput!) { register(input: $input) {"
        " __typename " + FAILURE + "} }",
        {"input": {"email": email, "password": password, "nickname": nickname}},
    )
    assert registered["register"]["__typename"] == "User", registered
    login = graphql(
        client,
        "mutation ($e: String!, $p: String!) { login(email: $e, password: $p) {"
        " ... on LoginPayload { token } " + FAILURE + "} }",
        {"e": email, "p": password},
    )
    # Like any API client, go on with the token alone: with login's session cookie a
    # request would need a CSRF token too.
    client.cookies.clear()
    return login["login"]["token"]


def create_video(client: httpx.Client, token: str) -> str:
    """A channel and a PUBLIC video of the token's user (a multipart upload); its id."""
    channel = graphql(
        client,
        "mutation ($input: CreateChannelInput!) { createChannel(input: $input) {"
        " ... on Channel { id } " + FAILURE + "} }",
        {"input": {"handle": "browser-test", "name": "Browser test"}},
        token,
    )["createChannel"]["id"]
    operations = {
        "query": "mutation ($input: CreateVideoInput!) { createVideo(input: $input) {"
        " ... on Video { id } " + FAILURE + "} }",
        "variables": {"input": {"channelId": channel, "title": "Watched live", "file": None}},
    }
    form = {
        "operations": json.dumps(operations),
        "map": json.dumps({"0": ["variables.input.file"]}),
    }
    response = client.post(
        "/graphql/",
        data=form,
        files={"0": ("clip.mp4", mp4_bytes(), "video/mp4")},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()["data"]["createVideo"]["id"]


def test_graphiql_in_chromium(graphiql_server: str, transactional_db):
    with httpx.Client(base_url=graphiql_server, timeout=30) as client:
        register(client, SIGN_IN_EMAIL, SIGN_IN_PASSWORD, "demo")
        commenter = register(client, "commenter@example.com", "fine-passphrase-9", "commenter")
        video = create_video(client, commenter)

    result = run(
        ["node", "--test", "--test-reporter=spec", "browser-check.mjs"],
        cwd=GRAPHIQL_PROJECT,
        env={
            "GRAPHIQL_URL": f"{graphiql_server}/graphql/",
            "SCREENSHOT_DIR": str(ARTIFACTS),
            "SIGN_IN_EMAIL": SIGN_IN_EMAIL,
            "VIDEO_ID": video,
            "COMMENTER_TOKEN": commenter,
            "CHROMIUM_PATH": CHROMIUM,
        },
        timeout=180,
    )
    assert node_test_counts(result.stdout) == {"pass": 7, "fail": 0}, result.stdout[-4000:]
    for name in ("graphiql-videos.png", "graphiql-viewer.png", "graphiql-subscription.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000, name
