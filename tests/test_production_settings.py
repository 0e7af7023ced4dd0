"""Production settings are safe by default: the deploy checklist passes, a secret is
required, and GraphiQL and introspection are off unless switched on."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x9Qz!v7#Lm2@pR5^tW8&" * 3,
    "ALLOWED_HOSTS": "api.example.com",
    "DJANGO_SETTINGS_MODULE": "project.settings",
}

PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="api.example.com")
ide = client.get("/graphql/", HTTP_ACCEPT="text/html", secure=True)
def ask(query):
    body = json.dumps({"query": query})
    return client.post("/graphql/", body, content_type="application/json", secure=True).json()
introspection = ask("{ __schema { types { name } } }")
plain = ask("{ viewer { id } }")
insecure = Client(HTTP_HOST="api.example.com").get("/graphql/")
print(json.dumps({"ide": ide.status_code, "ide_html": b"<html" in ide.content.lower(),
                  "introspection": introspection, "plain": plain,
                  "insecure": insecure.status_code, "headers": dict(ide.headers)}))
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checklist_passes_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_required_when_debug_is_off():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    check = run(["manage.py", "check", "--deploy"], env)
    assert check.returncode != 0
    assert "SECRET_KEY must be set" in check.stderr
    # The servers refuse to start at all.
    for entry_point in ("project.asgi", "project.wsgi"):
        server = run(["-c", f"import {entry_point}"], env)
        assert server.returncode != 0
        assert "SECRET_KEY must be set when DEBUG is off." in server.stderr
    # Commands that sign nothing still run (migrations, their check in CI).
    assert run(["manage.py", "makemigrations", "--check", "--dry-run"], env).returncode == 0


def test_graphiql_and_introspection_are_off_by_default_in_production():
    result = run(["-c", PROBE], PRODUCTION)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert not seen["ide_html"]
    assert seen["introspection"]["data"] is None
    assert "introspection" in seen["introspection"]["errors"][0]["message"].lower()
    assert seen["plain"] == {"data": {"viewer": None}}
    # Plain HTTP is redirected to HTTPS; responses carry the security headers.
    assert seen["insecure"] == 301
    assert seen["headers"]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert seen["headers"]["X-Content-Type-Options"] == "nosniff"
    assert seen["headers"]["X-Frame-Options"] == "DENY"


def test_graphiql_and_introspection_can_be_switched_on_in_production():
    env = {**PRODUCTION, "GRAPHQL_INTROSPECTION": "1", "GRAPHQL_IDE": "1"}
    result = run(["-c", PROBE], env)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["ide_html"]
    assert seen["introspection"]["data"]["__schema"]["types"]
