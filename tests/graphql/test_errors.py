"""What clients see when something fails: codes they can act on, never internals."""

import logging

import pytest

from project.videos import selectors
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

SEARCH = '{ searchVideos(query: "cats") { edges { node { id } } } }'


@pytest.fixture
def broken_search(monkeypatch):
    def explode(**kwargs):
        raise RuntimeError('relation "secret_table" does not exist at /srv/app/selectors.py')

    monkeypatch.setattr(selectors, "video_search", explode)


def test_unexpected_errors_are_masked_with_a_request_id_outside_debug(
    gql, settings, broken_search, caplog
):
    settings.DEBUG = False
    with caplog.at_level(logging.ERROR, logger="graphql_schema.errors"):
        body = gql.post(SEARCH)
    error = body["errors"][0]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    request_id = error["extensions"]["requestId"]
    assert "secret_table" not in str(body) and "/srv/app" not in str(body)
    # The same id is in the server log, with the real exception, for whoever investigates.
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and "secret_table" in str(logged[0].exc_info[1])


def test_debug_mode_shows_the_real_message_to_developers(gql, settings, broken_search):
    settings.DEBUG = True
    body = gql.post(SEARCH)
    assert "secret_table" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


def test_expected_errors_keep_their_codes_outside_debug(gql, settings):
    settings.DEBUG = False
    assert codes_of(gql.post("{ feed(first: 1) { totalCount } }")) == ["UNAUTHENTICATED"]
    body = gql.post('{ searchVideos(query: "   ") { totalCount } }')
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "The search query is empty."


def test_syntax_and_validation_errors_are_coded(gql):
    assert codes_of(gql.post("{ videos(first: 1) { edges ")) == ["GRAPHQL_VALIDATION_FAILED"]
    assert codes_of(gql.post("{ noSuchField }")) == ["GRAPHQL_VALIDATION_FAILED"]


def test_nul_characters_in_text_input_are_a_clear_input_error(gql):
    body = gql.post('{ channel(handle: "a\\u0000b") { id } }')
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert "NUL" in body["errors"][0]["message"]


def test_a_malformed_cursor_is_a_clear_input_error(gql):
    body = gql.post('{ videos(first: 2, after: "%%%") { totalCount } }')
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "The cursor is not valid: use one from a page's edges."
