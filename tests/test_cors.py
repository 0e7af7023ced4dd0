"""Browsers on configured origins may call the API (with credentials); others may not."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

APP = "https://app.example.com"


@pytest.fixture(autouse=True)
def allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]


def preflight(origin: str):
    return Client().options(
        "/graphql/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, authorization",
    )


def test_a_configured_origin_passes_the_preflight_with_credentials():
    response = preflight(APP)
    assert response["Access-Control-Allow-Origin"] == APP
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "authorization" in response["Access-Control-Allow-Headers"].lower()


def test_any_other_origin_gets_no_cors_grant():
    response = preflight("https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in response


def test_responses_carry_security_headers():
    response = Client().get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
