"""GET /graphql/ in a browser is GraphiQL: this server's own build (served under
/graphql/graphiql/) when `make graphiql` made it, otherwise Strawberry's page, whose assets
come from a CDN."""

from pathlib import Path

import pytest
from django.test import Client

from graphql_schema.graphiql import views
from graphql_schema.graphiql.templatetags import graphiql as tags

HTML = {"HTTP_ACCEPT": "text/html"}


@pytest.fixture
def client(db) -> Client:
    return Client()


@pytest.fixture
def build(tmp_path: Path, monkeypatch) -> Path:
    """A stand-in for `make graphiql`'s output."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "graphiql.js").write_text('import "./assets/chunk-abc123.js";\n')
    (tmp_path / "graphiql.css").write_text("body { margin: 0 }\n")
    (tmp_path / "assets" / "chunk-abc123.js").write_text("export {};\n")
    monkeypatch.setattr(tags, "BUILD_DIR", tmp_path)
    monkeypatch.setattr(views, "BUILD_DIR", tmp_path)
    return tmp_path


def test_the_page_uses_the_local_build(client, build):
    response = client.get("/graphql/", **HTML)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<script type="module" src="/graphql/graphiql/graphiql.js"></script>' in page
    assert '<link rel="stylesheet" href="/graphql/graphiql/graphiql.css">' in page
    assert "unpkg.com" not in page
    # GraphiQL's POSTs carry the token from this cookie.
    assert "csrftoken" in response.cookies


def test_the_build_is_served_with_cache_headers(client, build):
    entry = client.get("/graphql/graphiql/graphiql.js")
    assert entry.status_code == 200
    assert entry["Content-Type"].startswith("text/javascript")
    assert entry["Cache-Control"] == "no-cache"
    again = client.get(
        "/graphql/graphiql/graphiql.js", HTTP_IF_MODIFIED_SINCE=entry["Last-Modified"]
    )
    assert again.status_code == 304

    chunk = client.get("/graphql/graphiql/assets/chunk-abc123.js")
    assert chunk.status_code == 200
    assert "immutable" in chunk["Cache-Control"]
    assert client.get("/graphql/graphiql/graphiql.css")["Content-Type"].startswith("text/css")


def test_nothing_outside_the_build_is_served(client, build):
    (build.parent / "secret.txt").write_text("no")
    assert client.get("/graphql/graphiql/../secret.txt").status_code == 404
    assert client.get("/graphql/graphiql/%2e%2e/secret.txt").status_code == 404
    assert client.get("/graphql/graphiql/missing.js").status_code == 404
    assert client.post("/graphql/graphiql/graphiql.js").status_code in (403, 405)


def test_strawberrys_page_when_the_assets_were_never_built(client, tmp_path, monkeypatch):
    monkeypatch.setattr(tags, "BUILD_DIR", tmp_path / "never-built")
    response = client.get("/graphql/", **HTML)
    page = response.content.decode()
    assert response.status_code == 200
    assert "https://unpkg.com/graphiql" in page
    assert "/graphql/graphiql/" not in page
