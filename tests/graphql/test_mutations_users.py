"""register, login, logout and viewer over HTTP: sessions with CSRF, bearer tokens, throttling."""

import hashlib
import json
import time
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.test import Client
from django.utils import timezone

from project.core.factories import DEFAULT_PASSWORD, UserFactory
from project.users.models import AuthToken, User
from tests.conftest import GraphQLClient
from tests.graphql.mutations_support import GRAPHQL_URL, OPERATION_INFO, codes, fields

pytestmark = pytest.mark.django_db

REGISTER = f"""mutation Register($input: RegisterInput!) {{
  register(input: $input) {{
    __typename
    ... on User {{ id nickname email isBusiness }}
    {OPERATION_INFO}
  }}
}}"""

LOGIN = f"""mutation Login($email: String!, $password: String!) {{
  login(email: $email, password: $password) {{
    __typename
    ... on LoginPayload {{ token user {{ id nickname email }} }}
    {OPERATION_INFO}
  }}
}}"""

LOGOUT = "mutation { logout }"

VIEWER = "{ viewer { id nickname email } }"

CREATE_CHANNEL = f"""mutation CreateChannel($input: CreateChannelInput!) {{
  createChannel(input: $input) {{
    __typename
    ... on Channel {{ handle }}
    {OPERATION_INFO}
  }}
}}"""

STRONG_PASSWORD = "a-long-and-unusual-passphrase-41"


@pytest.fixture(autouse=True)
def fresh_counters():
    """Start without sign-in or rate-limit counters: every request here comes from the
    test client's one address, and counters left by other tests (end-to-end servers write
    to the same database cache) must not throttle these. Rolled back with the test; a
    shared cache (Redis) is never wiped."""
    if isinstance(caches["default"], DatabaseCache):
        cache.clear()


def register(gql: GraphQLClient, **overrides: str) -> dict:
    values = {"email": "ana@example.com", "password": STRONG_PASSWORD, "nickname": "ana"}
    return gql.data(REGISTER, {"input": {**values, **overrides}})["register"]


def login(gql: GraphQLClient, email: str, password: str = DEFAULT_PASSWORD, **extra) -> dict:
    return gql.data(LOGIN, {"email": email, "password": password}, **extra)["login"]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- register ---------------------------------------------------------------------------


def test_register_creates_an_account_with_a_normalised_email_and_a_hashed_password(gql):
    """The email is trimmed and lower-cased; the password is stored only as a hash."""
    payload = register(gql, email="  Ana.Silva@Example.COM ", nickname="  Ana  ")
    assert payload["__typename"] == "User"
    assert payload["nickname"] == "Ana"
    assert payload["email"] is None  # registering does not sign in: the caller is anonymous
    user = User.objects.get()
    assert user.email == "ana.silva@example.com"
    assert user.password != STRONG_PASSWORD and user.check_password(STRONG_PASSWORD)


def test_register_rejects_an_email_taken_in_another_case(gql):
    """Emails are unique regardless of case: the second account gets a `unique` email error."""
    UserFactory(email="ana@example.com")
    payload = register(gql, email="ANA@Example.com")
    assert payload["__typename"] == "OperationInfo"
    assert (fields(payload), codes(payload)) == (["email"], ["unique"])
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"email": "   "}, "email", "blank"),
        ({"email": "a" * 250 + "@example.com"}, "email", "max_length"),
        ({"nickname": "   "}, "nickname", "blank"),
        ({"nickname": "n" * 51}, "nickname", "max_length"),
        ({"password": "Sh0rt!"}, "password", "password_too_short"),
        ({"password": "password123"}, "password", "password_too_common"),
        ({"password": "80417592630518"}, "password", "password_entirely_numeric"),
        ({"password": "ana.silva.example"}, "password", "password_too_similar"),
        ({"password": "x" * 1025}, "password", "max_length"),
    ],
)
def test_register_reports_each_broken_rule_as_a_field_error(gql, overrides, field, code):
    """Each rule (email format and length, nickname, Django's password validators, the
    password length cap) comes back as a message on its field with Django's code."""
    values = {"email": "ana.silva@example.com", **overrides}
    payload = register(gql, **values)
    assert payload["__typename"] == "OperationInfo"
    assert field in fields(payload)
    assert code in codes(payload)
    assert all(m["kind"] == "VALIDATION" for m in payload["messages"])
    assert not User.objects.exists()


def test_register_reports_every_broken_rule_at_once(gql):
    """Several problems give several messages, so a form can show them all together."""
    payload = register(gql, email="nope", nickname="", password="12345")
    assert set(fields(payload)) == {"email", "nickname", "password"}
    assert {"password_too_short", "password_entirely_numeric", "password_too_common"} <= set(
        codes(payload)
    )


# --- login, viewer ------------------------------------------------------------------------


def test_login_starts_a_session_and_returns_a_bearer_token_stored_only_as_a_hash(gql, settings):
    """The session cookie signs the browser in; the token is random, hashed, expiring."""
    user = UserFactory(email="ana@example.com")
    payload = login(gql, "ANA@example.com ")
    assert payload["user"] == {
        "id": payload["user"]["id"],
        "nickname": user.nickname,
        "email": "ana@example.com",
    }
    token = payload["token"]
    assert len(token) >= 40
    stored = AuthToken.objects.get(user=user)
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not AuthToken.objects.filter(key_hash=token).exists()
    expected_expiry = timezone.now() + timedelta(seconds=settings.AUTH_TOKEN_TTL_SECONDS)
    assert abs((stored.expires_at - expected_expiry).total_seconds()) < 60
    # The same client (cookie jar) is now signed in.
    assert gql.data(VIEWER)["viewer"]["email"] == "ana@example.com"


def test_each_login_issues_a_different_token(gql):
    """Tokens are random, never derived from the account."""
    UserFactory(email="ana@example.com")
    first = login(gql, "ana@example.com")["token"]
    second = login(GraphQLClient(Client()), "ana@example.com")["token"]
    assert first != second
    assert AuthToken.objects.count() == 2


def test_wrong_password_and_unknown_email_give_the_same_answer(gql):
    """Nobody can learn from the error whether an email has an account."""
    UserFactory(email="ana@example.com")
    wrong_password = login(gql, "ana@example.com", "not-the-password")
    unknown_email = login(gql, "nobody@example.com", "not-the-password")
    assert wrong_password == unknown_email
    assert codes(wrong_password) == ["INVALID_CREDENTIALS"]
    assert gql.data(VIEWER)["viewer"] is None
    assert not AuthToken.objects.exists()


def test_inactive_accounts_cannot_sign_in(gql):
    """A deactivated account gets the same answer as a wrong password."""
    UserFactory(email="ana@example.com", is_active=False)
    assert codes(login(gql, "ana@example.com")) == ["INVALID_CREDENTIALS"]


def test_an_overlong_password_is_refused_before_hashing(gql):
    """Hashing cost grows with length, so a megabyte "password" is a field error at once."""
    UserFactory(email="ana@example.com")
    payload = login(gql, "ana@example.com", "x" * 5000)
    assert (fields(payload), codes(payload)) == (["password"], ["max_length"])


def test_repeated_failures_for_one_account_are_throttled_then_released(gql, settings):
    """After LOGIN_FAILURE_LIMIT failures the account answers THROTTLED, even to the right
    password, until the window has passed; then the right password works again."""
    # A fast hasher, so the attempts take far less than the (short) window.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 2
    UserFactory(email="ana@example.com", password=make_password(DEFAULT_PASSWORD))
    for _ in range(3):
        assert codes(login(gql, "ana@example.com", "wrong")) == ["INVALID_CREDENTIALS"]
    throttled = login(gql, "ana@example.com")
    assert codes(throttled) == ["THROTTLED"]
    assert throttled["messages"][0]["message"] == (
        "Too many failed sign-ins. Try again in 1 minute."
    )
    # Another address does not unlock the account: the per-account counter applies.
    assert codes(login(gql, "Ana@example.com", REMOTE_ADDR="10.9.9.9")) == ["THROTTLED"]
    time.sleep(2.2)
    assert login(gql, "ana@example.com")["__typename"] == "LoginPayload"


def test_repeated_failures_from_one_address_are_throttled_for_every_account(gql, settings):
    """Guessing across many accounts from one address is throttled as well; other
    addresses are not affected."""
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(email="ana@example.com")
    for n in range(3):
        login(gql, f"victim{n}@example.com", "guess", REMOTE_ADDR="10.0.0.7")
    assert codes(login(gql, "ana@example.com", REMOTE_ADDR="10.0.0.7")) == ["THROTTLED"]
    assert login(gql, "ana@example.com", REMOTE_ADDR="10.0.0.8")["__typename"] == "LoginPayload"


def test_successful_logins_are_never_throttled(gql, settings):
    """Only failures count: many people signing in from one office are fine."""
    settings.LOGIN_FAILURE_LIMIT = 2
    for n in range(4):
        UserFactory(email=f"staff{n}@example.com")
        assert login(gql, f"staff{n}@example.com")["__typename"] == "LoginPayload"


def test_viewer_is_null_when_anonymous(gql):
    """Without a session or token, viewer is null (not an error)."""
    assert gql.data(VIEWER) == {"viewer": None}


# --- bearer tokens ------------------------------------------------------------------------


def test_a_bearer_token_authenticates_without_cookies_or_csrf(gql):
    """API clients send only the Authorization header: no session, no CSRF token needed."""
    user = UserFactory(email="ana@example.com")
    token = login(gql, "ana@example.com")["token"]
    api = GraphQLClient(Client(enforce_csrf_checks=True))
    assert api.data(VIEWER, **bearer(token))["viewer"]["email"] == user.email
    created = api.data(
        CREATE_CHANNEL, {"input": {"handle": "ana-tv", "name": "Ana TV"}}, **bearer(token)
    )["createChannel"]
    assert created == {"__typename": "Channel", "handle": "ana-tv"}
    assert not api.client.cookies.get("sessionid")


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-real-token", "Bearer ", "Basic YW5hOnNlY3JldA==", "bearer"],
)
def test_unknown_or_malformed_authorization_leaves_the_request_anonymous(gql, header):
    """A bad header is not an error by itself; protected operations answer UNAUTHENTICATED."""
    api = GraphQLClient(Client(enforce_csrf_checks=True))
    assert api.data(VIEWER, HTTP_AUTHORIZATION=header)["viewer"] is None
    payload = api.data(
        CREATE_CHANNEL, {"input": {"handle": "x", "name": "x"}}, HTTP_AUTHORIZATION=header
    )["createChannel"]
    assert codes(payload) == ["UNAUTHENTICATED"]


def test_an_expired_token_is_refused(gql):
    """Past its expiry a token authenticates no one."""
    UserFactory(email="ana@example.com")
    token = login(gql, "ana@example.com")["token"]
    AuthToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    api = GraphQLClient(Client())
    assert api.data(VIEWER, **bearer(token))["viewer"] is None
    payload = api.data(CREATE_CHANNEL, {"input": {"handle": "x", "name": "x"}}, **bearer(token))[
        "createChannel"
    ]
    assert codes(payload) == ["UNAUTHENTICATED"]


def test_logout_revokes_the_token_in_use_and_only_that_one(gql):
    """logout with a bearer token deletes that token; the user's other tokens still work."""
    UserFactory(email="ana@example.com")
    phone = login(GraphQLClient(Client()), "ana@example.com")["token"]
    laptop = login(GraphQLClient(Client()), "ana@example.com")["token"]
    api = GraphQLClient(Client())
    assert api.data(LOGOUT, **bearer(phone)) == {"logout": True}
    assert api.data(VIEWER, **bearer(phone))["viewer"] is None
    assert api.data(VIEWER, **bearer(laptop))["viewer"] is not None
    assert AuthToken.objects.count() == 1


def test_logout_ends_the_session(gql):
    """A browser's logout ends its session; the viewer is anonymous afterwards."""
    UserFactory(email="ana@example.com")
    login(gql, "ana@example.com")
    assert gql.data(VIEWER)["viewer"] is not None
    assert gql.data(LOGOUT) == {"logout": True}
    assert gql.data(VIEWER)["viewer"] is None


def test_logout_when_anonymous_is_harmless(gql):
    """Signing out twice is not an error."""
    assert gql.data(LOGOUT) == {"logout": True}


# --- CSRF ---------------------------------------------------------------------------------


def _csrf_browser(user: User) -> tuple[Client, str]:
    """A browser signed in with a session cookie that enforces CSRF like a real one,
    and its CSRF token (the cookie set by any page of the endpoint)."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.get(GRAPHQL_URL, {"query": "{ viewer { id } }"})
    assert response.status_code == 200
    return browser, browser.cookies["csrftoken"].value


def _post_json(client: Client, query: str, variables: dict, **extra):
    return client.post(
        GRAPHQL_URL,
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        **extra,
    )


def test_a_cookie_authenticated_post_without_the_csrf_token_is_rejected():
    """With a session cookie, a POST must prove it comes from our pages: 403 otherwise,
    and nothing is created."""
    user = UserFactory()
    browser, _ = _csrf_browser(user)
    response = _post_json(browser, CREATE_CHANNEL, {"input": {"handle": "forged", "name": "F"}})
    assert response.status_code == 403
    assert not user.channels.exists()


def test_a_cookie_authenticated_post_with_the_csrf_token_passes():
    """The same request with X-CSRFToken (what GraphiQL and browser apps send) works."""
    user = UserFactory()
    browser, csrf = _csrf_browser(user)
    response = _post_json(
        browser,
        CREATE_CHANNEL,
        {"input": {"handle": "mine", "name": "Mine"}},
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200
    assert response.json()["data"]["createChannel"]["handle"] == "mine"


def test_a_form_encoded_post_is_always_csrf_checked():
    """Form bodies (which any web page can submit) are checked even without a session."""
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(GRAPHQL_URL, data={"query": LOGOUT})
    assert response.status_code == 403


def test_login_and_logout_keep_csrf_protection_for_the_session():
    """After login the browser's session is CSRF protected: logout without the token is
    refused, with it the session ends."""
    UserFactory(email="ana@example.com")
    browser = Client(enforce_csrf_checks=True)
    # An anonymous JSON request carries no session, so it needs no token.
    response = _post_json(
        browser, LOGIN, {"email": "ana@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.json()["data"]["login"]["__typename"] == "LoginPayload"
    assert _post_json(browser, LOGOUT, {}).status_code == 403
    csrf = browser.get(GRAPHQL_URL, {"query": "{ viewer { id } }"}).cookies["csrftoken"].value
    assert _post_json(browser, LOGOUT, {}, HTTP_X_CSRFTOKEN=csrf).json() == {
        "data": {"logout": True}
    }
    viewer = browser.get(GRAPHQL_URL, {"query": "{ viewer { id } }"}).json()
    assert viewer == {"data": {"viewer": None}}
