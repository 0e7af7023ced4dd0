"""Every GraphQL example in docs/API.md runs, as written, against a live server.

The server (uvicorn) serves a small demo dataset made by the same seeding `make run` uses,
so the ids, handles and accounts the guide names exist. Comment lines at the top of an
example say how to send it (the guide explains them to readers too):

    # variables: {...}          the variables, as JSON on one line
    # as: demo1@example.com     signed in as that user (a bearer token from `login`)
    # expect: CODE              must fail with that code: a top-level error's
                                extensions.code or an OperationInfo message's code
    # upload: input.file        a multipart request with a small MP4 at that variable
    # persisted: automatic      Apollo's APQ round trip: hash, query + hash, then GET
    # waits for: ...            a subscription with no event until something happens

Without `expect`, an example must answer with data, no error and no OperationInfo.
Subscriptions go over a websocket (graphql-transport-ws); one that does not wait must
deliver its first event at once.
"""

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from websockets.sync.client import connect

from project.core.seed import SeedSizes, reset_demo_data, seed_demo
from project.users.models import User
from project.users.services import auth_token_create
from tests.e2e.conftest import serving
from tests.graphql.mutations_support import mp4_bytes

pytestmark = pytest.mark.e2e

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "API.md"
FENCE = re.compile(r"^```graphql\n(.*?)^```", re.M | re.S)
MARKER = re.compile(r"^#\s*([a-z][a-z ]*):\s*(.*?)\s*$")
KNOWN_MARKERS = {"variables", "as", "expect", "upload", "persisted", "waits for"}
# Large enough for every id the guide names (Channel:1-2, Video:2, Comment:1, demo0-1).
SIZES = SeedSizes(
    users=5,
    channels=3,
    videos=30,
    comments=60,
    video_ratings=40,
    comment_ratings=20,
    subscriptions=6,
)
WAIT = 10.0  # seconds for a subscription's first event
# The database cache project/settings.py configures when REDIS_URL is unset, as for this server.
SERVER_CACHE_TABLE = "cache_entries"
QUIET = 1.0  # seconds of silence that show a waiting subscription was accepted


@dataclass
class Example:
    line: int
    document: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def variables(self) -> dict[str, Any]:
        return json.loads(self.markers.get("variables", "{}"))

    @property
    def operation_type(self) -> str:
        code = [line for line in self.document.splitlines() if not line.startswith("#")]
        first = " ".join(code).strip()
        return first.split()[0] if first and first[0].isalpha() else "query"


def guide_examples() -> list[Example]:
    text = GUIDE.read_text()
    examples = []
    for match in FENCE.finditer(text):
        document = match.group(1)
        markers = {}
        for line in document.splitlines():
            marker = MARKER.match(line)
            if marker:
                markers[marker.group(1)] = marker.group(2)
        line = text.count("\n", 0, match.start()) + 1
        examples.append(Example(line, document, markers))
    return examples


EXAMPLES = guide_examples()


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """A live server on the test database (the examples' tests use `transactional_db`, so
    pytest-django creates it: never run these against a real database)."""
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
        if name == urlsplit(os.environ["DATABASE_URL"]).path[1:]:
            pytest.fail(f"not a test database: {name}")
    env = {"REDIS_URL": "", "MEDIA_ROOT": str(tmp_path_factory.mktemp("media"))}
    with serving(django_db_blocker, env) as url:
        yield url


@pytest.fixture
def demo_data(transactional_db) -> None:
    """A fresh small demo dataset for each example, with ids from 1 as in `make run`'s
    database; the tables are emptied after the test."""
    reset_demo_data()
    seed_demo(sizes=SIZES)
    # The server's cache (REDIS_URL is unset for it): stored persisted queries, rate limits.
    DatabaseCache(SERVER_CACHE_TABLE, {}).clear()


class CookieFreeClient(httpx.Client):
    """An API client that keeps no cookies: with `login`'s session cookie every later
    request would need a CSRF token, which is the browser's way, not an API client's."""

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self.cookies.clear()
        request.headers.pop("Cookie", None)
        return super().send(request, **kwargs)


class Session:
    """An HTTP client, and bearer tokens by email (made directly: `login` hashes the
    password, which is slow on purpose; the guide's own `login` example runs as well)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def token(self, email: str) -> str:
        if email not in self.tokens:
            self.tokens[email] = auth_token_create(user=User.objects.get(email=email))
        return self.tokens[email]

    def headers(self, example: Example) -> dict[str, str]:
        email = example.markers.get("as")
        return {"Authorization": f"Bearer {self.token(email)}"} if email else {}


@pytest.fixture
def session(server: str, demo_data) -> Iterator[Session]:
    with CookieFreeClient(base_url=server, timeout=30) as client:
        yield Session(client)


def failure_codes(body: dict) -> list[str]:
    """Top-level error codes, then the codes of every OperationInfo message in the data."""
    codes = [error.get("extensions", {}).get("code") for error in body.get("errors") or []]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            messages = value.get("messages")
            if isinstance(messages, list) and all(isinstance(m, dict) for m in messages):
                codes.extend(str(m.get("code")) for m in messages)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body.get("data"))
    return codes


def check(example: Example, body: dict) -> None:
    codes = failure_codes(body)
    expected = example.markers.get("expect")
    if expected:
        assert expected in codes, f"docs/API.md:{example.line} should fail with {expected}: {body}"
    else:
        assert codes == [], f"docs/API.md:{example.line} failed: {body}"
        assert body.get("data"), f"docs/API.md:{example.line} returned no data: {body}"


def run_http(example: Example, session: Session) -> dict:
    client, headers = session.client, session.headers(example)
    path = example.markers.get("upload")
    if path:
        operations = {"query": example.document, "variables": example.variables}
        form = {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": [f"variables.{path}"]}),
        }
        files = {"0": ("clip.mp4", mp4_bytes(), "video/mp4")}
        response = client.post("/graphql/", data=form, files=files, headers=headers)
    else:
        payload = {"query": example.document, "variables": example.variables}
        response = client.post("/graphql/", json=payload, headers=headers)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def run_persisted(example: Example, session: Session) -> dict:
    """Apollo's APQ: the hash alone (unknown), the query with its hash, then GET by hash."""
    client = session.client
    digest = hashlib.sha256(example.document.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    first = client.post("/graphql/", json={"extensions": extensions}).json()
    assert failure_codes(first) == ["PERSISTED_QUERY_NOT_FOUND"], first
    stored = client.post("/graphql/", json={"query": example.document, "extensions": extensions})
    check(example, stored.json())
    again = client.get(
        "/graphql/",
        params={"extensions": json.dumps(extensions)},
        headers={"Accept": "application/json"},
    )
    assert again.json() == stored.json()
    return again.json()


def run_subscription(example: Example, session: Session, server: str) -> None:
    email = example.markers.get("as")
    init = {"authorization": f"Bearer {session.token(email)}"} if email else {}
    url = server.replace("http://", "ws://") + "/graphql/"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=WAIT) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": init}))
        assert json.loads(ws.recv(timeout=WAIT))["type"] == "connection_ack"
        payload = {"query": example.document, "variables": example.variables}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        if "waits for" in example.markers:
            try:
                message = json.loads(ws.recv(timeout=QUIET))
            except TimeoutError:
                return  # accepted, and quiet until something happens
            assert message["type"] == "next", message
            check(example, message["payload"])
        else:
            message = json.loads(ws.recv(timeout=WAIT))
            assert message["type"] == "next", message
            check(example, message["payload"])
        ws.send(json.dumps({"id": "1", "type": "complete"}))


def test_the_guide_shows_every_kind_of_example():
    """The guide's examples exist, and every marker in them is one this test understands."""
    assert len(EXAMPLES) >= 20
    used = set()
    for example in EXAMPLES:
        unknown = set(example.markers) - KNOWN_MARKERS
        assert not unknown, f"docs/API.md:{example.line}: unknown markers {unknown}"
        used |= set(example.markers)
        example.variables  # noqa: B018 - must be JSON
    assert used == KNOWN_MARKERS
    assert {example.operation_type for example in EXAMPLES} == {
        "query",
        "mutation",
        "subscription",
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"line{e.line}" for e in EXAMPLES])
def test_example_runs(example: Example, server: str, session: Session):
    if example.operation_type == "subscription":
        run_subscription(example, session, server)
    elif "persisted" in example.markers:
        run_persisted(example, session)
    else:
        check(example, run_http(example, session))
