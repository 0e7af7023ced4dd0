"""The deployed stack on loopback ports: nginx, configured by the proxy image's entrypoint and
template (proxy/run.sh, proxy/default.conf.tpl), in front of uvicorn started by the app image's
entrypoint (scripts/run.sh: wait_for_db, migrate, collectstatic, createcachetable, uvicorn)."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.e2e.conftest import (
    NGINX_WRAPPER,
    ROOT,
    EntrypointServer,
    ProxyStarter,
    free_port,
    require_tools,
    start_entrypoint,
    start_nginx,
    stop,
    stop_all,
    wait_until_ready,
)

# The servers use the test database, which pytest-django creates only for tests that ask for
# one; those that write through the API use `transactional_db`, so their data is committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PASSWORD = "fine-passphrase-9"
HSTS = "strict-transport-security"

REGISTER = """mutation($input: RegisterInput!) {
  register(input: $input) { __typename ... on User { nickname } }
}"""
LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    __typename ... on LoginPayload { token user { nickname } }
  }
}"""
CREATE_CHANNEL = """mutation($input: CreateChannelInput!) {
  createChannel(input: $input) { __typename ... on Channel { id handle name } }
}"""
CHANNEL = """query($handle: String!) { channel(handle: $handle) { handle name videoCount } }"""
CREATE_VIDEO = """mutation($input: CreateVideoInput!) {
  createVideo(input: $input) {
    __typename
    ... on Video { title fileUrl }
    ... on OperationInfo { messages { field code message } }
  }
}"""


def graphql(client: httpx.Client, query: str, token: str | None = None, **variables) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        "/graphql/", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def signed_up(client: httpx.Client, email: str, nickname: str) -> str:
    """Register and sign in through the API; returns the bearer token."""
    data = graphql(
        client, REGISTER, input={"email": email, "password": PASSWORD, "nickname": nickname}
    )
    assert data["register"] == {"__typename": "User", "nickname": nickname}
    login = graphql(client, LOGIN, email=email, password=PASSWORD)["login"]
    assert login["__typename"] == "LoginPayload"
    assert login["user"] == {"nickname": nickname}
    # An API client: the bearer token, not the session cookie login also set (which would
    # make every later request need a CSRF token).
    client.cookies.clear()
    return login["token"]


def fake_mp4(size: int) -> bytes:
    """Bytes that open like an MP4 (an ftyp box) and are `size` long."""
    head = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    return head + os.urandom(size - len(head))


def post_video(
    client: httpx.Client, token: str, channel_id: str, content: bytes, visibility: str = "PUBLIC"
):
    video = {"channelId": channel_id, "title": "Clip", "visibility": visibility, "file": None}
    operations = {"query": CREATE_VIDEO, "variables": {"input": video}}
    return client.post(
        "/graphql/",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("clip.mp4", content, "video/mp4")},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_graphql_query_and_mutations_through_the_proxy(proxy_api: httpx.Client) -> None:
    token = signed_up(proxy_api, "proxy@example.com", "proxied")

    created = graphql(
        proxy_api,
        CREATE_CHANNEL,
        token,
        input={"handle": "through-nginx", "name": "Through nginx"},
    )["createChannel"]
    assert created["__typename"] == "Channel"
    assert created["handle"] == "through-nginx"

    channel = graphql(proxy_api, CHANNEL, handle="through-nginx")["channel"]
    assert channel == {"handle": "through-nginx", "name": "Through nginx", "videoCount": 0}
    viewer = graphql(proxy_api, "{ viewer { nickname } }", token)["viewer"]
    assert viewer == {"nickname": "proxied"}


def test_readyz_through_the_proxy(proxy_server_url: str) -> None:
    response = httpx.get(f"{proxy_server_url}/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_static_files_collected_by_the_entrypoint_are_served_by_nginx(
    proxy_server_url: str, entrypoint_server: EntrypointServer
) -> None:
    on_disk = entrypoint_server.static_root / "admin" / "css" / "base.css"
    assert on_disk.is_file(), "collectstatic did not run"

    response = httpx.get(f"{proxy_server_url}/static/admin/css/base.css")
    assert response.status_code == 200
    assert response.content == on_disk.read_bytes()
    assert response.headers["content-type"].startswith("text/css")
    # The app does not serve /static/ at all: these bytes came from nginx.
    assert httpx.get(f"{entrypoint_server.url}/static/admin/css/base.css").status_code == 404


def test_uploads_up_to_the_limit_pass_and_larger_ones_get_413_from_nginx(
    start_proxy: ProxyStarter, transactional_db
) -> None:
    limited = start_proxy(CLIENT_MAX_BODY_SIZE="1m")
    with httpx.Client(base_url=limited, timeout=30.0) as client:
        token = signed_up(client, "uploader@example.com", "uploader")
        channel = graphql(
            client, CREATE_CHANNEL, token, input={"handle": "uploads", "name": "Uploads"}
        )["createChannel"]

        small = fake_mp4(900_000)
        accepted = post_video(client, token, channel["id"], small)
        assert accepted.status_code == 200, accepted.text[:500]
        video = accepted.json()["data"]["createVideo"]
        assert video["__typename"] == "Video", video
        # The stored file is served by nginx from the media volume, as uploaded.
        assert video["fileUrl"].startswith(f"{limited}/media/")
        served = client.get(video["fileUrl"])
        assert served.status_code == 200
        assert served.content == small
        assert served.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in served.headers["content-security-policy"]

        refused = post_video(client, token, channel["id"], fake_mp4(1_500_000))
        assert refused.status_code == 413
        assert "nginx" in refused.text  # nginx's own error page, not the app's JSON
        # The app never saw it: still one video.
        assert graphql(client, CHANNEL, handle="uploads")["channel"]["videoCount"] == 1


def test_private_video_files_are_sent_by_nginx_only_through_signed_links(
    proxy_api: httpx.Client, entrypoint_server: EntrypointServer
) -> None:
    token = signed_up(proxy_api, "private@example.com", "private")
    channel = graphql(
        proxy_api, CREATE_CHANNEL, token, input={"handle": "private", "name": "Private"}
    )["createChannel"]
    content = fake_mp4(100_000)
    created = post_video(proxy_api, token, channel["id"], content, visibility="PRIVATE")
    video = created.json()["data"]["createVideo"]
    assert video["__typename"] == "Video", video
    stored = [p for p in entrypoint_server.media_root.rglob("*.mp4") if p.read_bytes() == content]
    assert len(stored) == 1
    name = stored[0].relative_to(entrypoint_server.media_root).as_posix()
    assert name.startswith("private/")

    # The signed link: the app checks it, nginx sends the bytes (X-Accel-Redirect).
    signed = proxy_api.get(video["fileUrl"])
    assert signed.status_code == 200
    assert signed.content == content
    assert signed.headers["cache-control"] == "private, no-store"
    assert "sandbox" in signed.headers["content-security-policy"]
    path = video["fileUrl"].removeprefix(str(proxy_api.base_url).rstrip("/"))
    from_app = httpx.get(f"{entrypoint_server.url}{path}")
    assert from_app.headers["x-accel-redirect"] == f"/protected-media/{name}"
    assert from_app.content == b""

    # Never plainly, and the internal location is not reachable from outside.
    assert proxy_api.get(f"/media/{name}").status_code == 404
    assert proxy_api.get(f"/protected-media/{name}").status_code == 404


def test_the_app_sees_the_scheme_nginx_was_reached_by(
    proxy_server_url: str, entrypoint_server: EntrypointServer, start_proxy: ProxyStarter
) -> None:
    """The app sends HSTS only on requests it believes are HTTPS, i.e. when X-Forwarded-Proto
    says so. nginx must set that header itself, not pass on what a client claims."""
    claims_https = {"X-Forwarded-Proto": "https"}
    # The app honours the header (it trusts the proxy's address): so it matters what nginx sends.
    assert HSTS in httpx.get(f"{entrypoint_server.url}/healthz", headers=claims_https).headers

    assert HSTS not in httpx.get(f"{proxy_server_url}/healthz").headers
    assert HSTS not in httpx.get(f"{proxy_server_url}/healthz", headers=claims_https).headers

    # Behind a TLS-terminating load balancer, the balancer's header is passed on.
    behind_balancer = start_proxy(TRUST_FORWARDED_PROTO="on")
    assert HSTS in httpx.get(f"{behind_balancer}/healthz", headers=claims_https).headers
    plain = {"X-Forwarded-Proto": "http"}
    assert HSTS not in httpx.get(f"{behind_balancer}/healthz", headers=plain).headers


def test_production_settings_behind_a_tls_terminating_balancer(tmp_path: Path) -> None:
    """DEBUG off, as docker-compose-deploy.yml runs it: HTTPS is enforced, health checks speak
    plain HTTP on the inside, and the balancer's X-Forwarded-Proto is what counts."""
    require_tools("nginx", "envsubst")
    processes: list[subprocess.Popen] = []
    try:
        port = free_port()
        production = {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "MEDIA_X_ACCEL_REDIRECT": "1",
        }
        static_root, media_root = tmp_path / "static", tmp_path / "media"
        processes.append(start_entrypoint(port, static_root, media_root, production))
        nginx, url = start_nginx(
            tmp_path / "nginx",
            {
                "APP_HOST": "127.0.0.1",
                "APP_PORT": str(port),
                "STATIC_ROOT": str(static_root),
                "MEDIA_ROOT": str(media_root),
                "TRUST_FORWARDED_PROTO": "on",
            },
        )
        processes.append(nginx)

        assert httpx.get(f"{url}/readyz").json() == {"status": "ok", "database": "up"}
        assert httpx.get(f"{url}/static/admin/css/base.css").status_code == 200
        query = {"query": "{ viewer { id } }"}
        plain = httpx.post(f"{url}/graphql/", json=query)
        assert plain.status_code == 301
        assert plain.headers["location"].startswith("https://")
        https = {"X-Forwarded-Proto": "https"}
        secure = httpx.post(f"{url}/graphql/", json=query, headers=https)
        assert secure.status_code == 200
        assert secure.json() == {"data": {"viewer": None}}
        assert HSTS in secure.headers

        env = {**os.environ, **production, "PORT": str(port)}
        check = [sys.executable, str(ROOT / "scripts" / "healthcheck.py")]
        assert subprocess.run(check, env=env).returncode == 0
    finally:
        stop_all(processes)


def test_the_container_health_check_passes_only_when_the_app_is_ready(
    entrypoint_server: EntrypointServer,
) -> None:
    def healthcheck(port: int, allowed_hosts: str) -> int:
        env = {**os.environ, "PORT": str(port), "ALLOWED_HOSTS": allowed_hosts}
        script = ROOT / "scripts" / "healthcheck.py"
        return subprocess.run([sys.executable, script], env=env, capture_output=True).returncode

    assert healthcheck(entrypoint_server.port, "localhost,127.0.0.1") == 0
    # Django refuses a Host outside its ALLOWED_HOSTS: the check must send an allowed one.
    assert healthcheck(entrypoint_server.port, "elsewhere.example.com") == 1
    assert healthcheck(free_port(), "localhost") == 1


# --- nginx alone, in front of a small echo server: what exactly it sends upstream ---

ECHO_APP = """
import json


async def app(scope, receive, send):
    if scope["type"] == "http":
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body = json.dumps(headers).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
    elif scope["type"] == "websocket":
        await receive()  # websocket.connect
        protocols = scope.get("subprotocols") or [None]
        await send({"type": "websocket.accept", "subprotocol": protocols[0]})
        while True:
            event = await receive()
            if event["type"] != "websocket.receive":
                break
            await send({"type": "websocket.send", "text": scope["path"] + " " + event["text"]})
"""


@pytest.fixture(scope="session")
def echo_upstream(tmp_path_factory) -> Iterator[int]:
    """Port of a uvicorn serving an app that answers with the headers it received and echoes
    websocket messages."""
    app_dir = tmp_path_factory.mktemp("echo")
    (app_dir / "echo_app.py").write_text(ECHO_APP)
    port = free_port()
    args = [
        *(sys.executable, "-m", "uvicorn", "echo_app:app", "--app-dir", str(app_dir)),
        *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"),
        *("--log-level", "warning"),
    ]
    process = subprocess.Popen(args)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/", process)
        yield port
    finally:
        stop(process)


def test_nginx_sends_the_client_address_host_and_its_own_scheme(
    echo_upstream: int, start_proxy: ProxyStarter
) -> None:
    url = start_proxy(app_port=echo_upstream)
    spoofing = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    seen = httpx.get(f"{url}/anything?x=1", headers=spoofing).json()

    assert seen["host"] == url.removeprefix("http://")
    assert seen["x-forwarded-host"] == url.removeprefix("http://")
    assert seen["x-forwarded-proto"] == "http"
    assert seen["x-real-ip"] == "127.0.0.1"
    # Appended to: uvicorn takes the right-most address it does not trust.
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["connection"] == "close"
    assert "upgrade" not in seen


def test_websocket_upgrade_passes_through_nginx_at_graphql(
    echo_upstream: int, start_proxy: ProxyStarter
) -> None:
    url = start_proxy(app_port=echo_upstream)
    ws_url = url.replace("http://", "ws://") + "/graphql/"
    with connect(ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=10) as ws:
        assert ws.subprotocol == "graphql-transport-ws"
        ws.send("hello")
        assert ws.recv(timeout=10) == "/graphql/ hello"
        ws.send("again")
        assert ws.recv(timeout=10) == "/graphql/ again"


def test_nginx_starts_while_the_app_name_does_not_resolve(start_proxy: ProxyStarter) -> None:
    """The original project's proxy died on a name not up yet ("bad address 'app'"). Here the
    upstream is resolved per request: nginx starts and answers 502 until the name resolves."""
    nowhere = f"127.0.0.1:{free_port()}"  # a resolver that never answers
    url = start_proxy(APP_HOST="app.invalid", NGINX_RESOLVER=nowhere)
    assert httpx.get(f"{url}/nginx-health").text == "ok\n"
    assert httpx.get(f"{url}/readyz", timeout=20).status_code == 502


# --- The template itself ---


PROXY_VARIABLES = {
    *("APP_HOST", "APP_PORT", "NGINX_RESOLVER", "LISTEN_PORT", "CLIENT_MAX_BODY_SIZE"),
    *("STATIC_ROOT", "MEDIA_ROOT", "PROXY_TIMEOUT", "WEBSOCKET_TIMEOUT", "TRUST_FORWARDED_PROTO"),
}


def render(**env: str) -> str:
    """proxy/run.sh --render: the defaults, except what `env` sets."""
    clean = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    result = subprocess.run(
        [ROOT / "proxy" / "run.sh", "--render"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_rendering_substitutes_only_the_proxy_variables() -> None:
    require_tools("envsubst")
    conf = render(APP_HOST="app", CLIENT_MAX_BODY_SIZE="210m", HOME="/home/x", host="h")
    assert "${" not in conf
    assert "set $upstream http://app:8000;" in conf
    assert "client_max_body_size 210m;" in conf
    # nginx's own variables survive, whatever the environment holds.
    for variable in ("$host", "$http_host", "$http_upgrade", "$proxy_add_x_forwarded_for"):
        assert variable in conf
    assert "/home/x" not in conf


def test_the_rendered_production_config_is_valid_nginx(tmp_path: Path) -> None:
    """With the image's defaults (app name `app`, Docker's resolver, /vol volumes)."""
    require_tools("nginx", "envsubst")
    (tmp_path / "default.conf").write_text(render())
    user = "user root;" if os.geteuid() == 0 else ""
    wrapper = NGINX_WRAPPER.format(user=user, work=tmp_path, mime_types="/etc/nginx/mime.types")
    (tmp_path / "nginx.conf").write_text(wrapper)
    args = ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    args += ["-e", str(tmp_path / "error.log")]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
