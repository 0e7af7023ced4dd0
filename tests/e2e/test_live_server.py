"""The app served by a real uvicorn process answers GraphQL and health checks over HTTP."""

import pytest

pytestmark = pytest.mark.e2e


def test_uvicorn_serves_graphql_and_health(live_api):
    assert live_api.get("/healthz").json() == {"status": "ok"}
    assert live_api.get("/readyz").json()["database"] == "up"

    register = """mutation {
      register(input: {email: "e2e@example.com", password: "fine-passphrase-9", nickname: "e2e"}) {
        ... on User { nickname }
      }
    }"""
    registered = live_api.post("/graphql/", json={"query": register}).json()
    assert registered == {"data": {"register": {"nickname": "e2e"}}}

    viewer = live_api.post("/graphql/", json={"query": "{ viewer { id } }"}).json()
    assert viewer == {"data": {"viewer": None}}
