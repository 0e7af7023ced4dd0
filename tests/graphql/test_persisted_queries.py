"""Automatic Persisted Queries, the way Apollo Client's persisted-query link sends them."""

import hashlib
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

QUERY = "{ videos(first: 1) { totalCount } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def post(body: dict) -> dict:
    response = Client().post("/graphql/", json.dumps(body), content_type="application/json")
    return response.json()


def persisted(digest: str = DIGEST) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_unknown_hash_asks_the_client_for_the_query_then_remembers_it():
    first = post({"extensions": persisted()})
    assert first["errors"][0]["message"] == "PersistedQueryNotFound"
    assert first["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    registered = post({"query": QUERY, "extensions": persisted()})
    assert registered == {"data": {"videos": {"totalCount": 0}}}

    assert post({"extensions": persisted()}) == {"data": {"videos": {"totalCount": 0}}}


def test_a_hash_that_does_not_match_the_query_is_refused_and_not_stored():
    wrong = "0" * 64
    body = post({"query": QUERY, "extensions": persisted(wrong)})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert post({"extensions": persisted(wrong)})["errors"][0]["message"] == (
        "PersistedQueryNotFound"
    )


def test_a_malformed_persisted_query_extension_is_refused():
    body = post({"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "abc"}}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_persisted_only_mode_runs_stored_documents_and_nothing_else(settings, tmp_path):
    settings.GRAPHQL_PERSISTED_QUERIES_ONLY = True
    document = tmp_path / "videos.graphql"
    document.write_text(QUERY)
    call_command("persist_queries", str(document))

    assert post({"extensions": persisted()}) == {"data": {"videos": {"totalCount": 0}}}

    plain = post({"query": "{ viewer { id } }"})
    assert plain["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    other = "{ viewer { id } }"
    digest = hashlib.sha256(other.encode()).hexdigest()
    refused = post({"query": other, "extensions": persisted(digest)})
    assert refused["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
