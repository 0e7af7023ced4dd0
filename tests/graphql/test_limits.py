"""Abusive documents are refused with an error naming the limit, before any SQL runs."""

import json

import pytest
from django.test import Client

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

URL = "/graphql/"


def nested_query(levels: int) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"parent {{ {inner} }}"
    return f'{{ node(id: "Q29tbWVudDox") {{ ... on Comment {{ {inner} }} }} }}'


def test_a_50_level_query_is_refused_by_depth(gql, django_assert_num_queries):
    with django_assert_num_queries(0):
        body = gql.post(nested_query(50))
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_1000_aliases_are_refused(gql, django_assert_num_queries):
    aliases = " ".join(f"a{i}: viewer {{ id }}" for i in range(1000))
    with django_assert_num_queries(0):
        body = gql.post(f"{{ {aliases} }}")
    # 1,000 aliases are also 5,000 tokens: the cheaper token check refuses it first.
    assert body["data"] is None
    assert "more than 2000 tokens" in body["errors"][0]["message"]


def test_31_aliases_are_refused_by_the_alias_limit(gql, django_assert_num_queries):
    aliases = " ".join(f"a{i}: viewer {{ id }}" for i in range(31))
    with django_assert_num_queries(0):
        body = gql.post(f"{{ {aliases} }}")
    assert body["data"] is None
    assert "31 aliases found. Allowed: 30" in body["errors"][0]["message"]


def test_thirty_aliases_are_allowed(gql):
    aliases = " ".join(f"a{i}: viewer {{ id }}" for i in range(30))
    data = gql.data(f"{{ {aliases} }}")
    assert len(data) == 30


def test_a_one_megabyte_query_is_refused_by_the_token_limit(gql, django_assert_num_queries):
    query = "{ viewer { " + " ".join(["id"] * 340_000) + " } }"
    assert len(query) > 1_000_000
    with django_assert_num_queries(0):
        body = gql.post(query)
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()


COST_BOMB = """{ videos(first: 100) { edges { node {
  comments(first: 100) { edges { node { replies(first: 100) { edges { node { id } } } } } }
} } } }"""


def test_a_cost_bomb_is_refused_before_any_sql(gql, django_assert_num_queries):
    with django_assert_num_queries(0):
        body = gql.post(COST_BOMB)
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] == 1_000_000
    assert "limit of 10000" in error["message"]


def test_page_sizes_in_variables_count_too(gql):
    query = """query($n: Int, $m: Int) { videos(first: $n) { edges { node {
      comments(first: $m) { edges { node { replies(first: 100) { edges { node { id } } } } } }
    } } } }"""
    body = gql.post(query, {"n": 100, "m": 100})
    assert codes_of(body) == ["QUERY_TOO_COSTLY"]
    assert "errors" not in gql.post(query, {"n": 2, "m": 3})


def test_a_reasonable_nested_page_passes_the_cost_limit(gql):
    query = "{ videos(first: 50) { edges { node { comments(first: 3) { totalCount } } } } }"
    assert gql.data(query) == {"videos": {"edges": []}}


def test_more_than_100_ids_in_nodes_is_refused(gql):
    ids = json.dumps(["VmlkZW86MQ=="] * 101)
    body = gql.post(f"{{ nodes(ids: {ids}) {{ id }} }}")
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert "at most 100 ids" in body["errors"][0]["message"]


@pytest.mark.parametrize("size", [101, -1])
def test_page_size_outside_0_to_100_is_a_clear_error(gql, size):
    body = gql.post(f"{{ videos(first: {size}) {{ edges {{ node {{ id }} }} }} }}")
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert "first" in body["errors"][0]["message"]


def test_malformed_json_is_a_400_with_a_message():
    response = Client().post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert b"Unable to parse" in response.content or b"JSON" in response.content


def test_a_wrong_content_type_is_refused():
    response = Client().post(URL, data="query { viewer { id } }", content_type="text/plain")
    assert response.status_code in {400, 403, 415}


def test_a_mutation_over_get_is_refused():
    response = Client().get(URL, {"query": "mutation { logout }"})
    assert response.status_code == 400
    assert b"not allowed when using GET" in response.content


def test_batched_operations_are_refused():
    batch = [{"query": "{ viewer { id } }"}] * 50
    response = Client().post(URL, data=json.dumps(batch), content_type="application/json")
    assert response.status_code == 400
