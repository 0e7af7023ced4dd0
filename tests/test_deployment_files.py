"""The deployment files, checked offline by real tools: hadolint for both Dockerfiles, the
compose-spec and GitHub-workflow JSON schemas bundled with check-jsonschema, `sh -n`/`bash -n`
for every shell script; and the few facts the deployment relies on, read from the files."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOCKERFILES = [ROOT / "Dockerfile", ROOT / "proxy" / "Dockerfile"]
DEV_COMPOSE = ROOT / "docker-compose.yml"
DEPLOY_COMPOSE = ROOT / "docker-compose-deploy.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
# Never walked into: environments, data, caches.
SKIP_DIRS = {
    *(".git", ".venv", ".pgdata", "node_modules", "media", "staticfiles", "__pycache__"),
    *(".mypy_cache", ".ruff_cache", ".pytest_cache"),
}


def run(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=ROOT)


def hadolint(*dockerfiles: Path) -> subprocess.CompletedProcess:
    # Every rule counts (style included) and no inline `# hadolint ignore=` is honoured.
    flags = ("--no-color", "--failure-threshold", "style", "--disable-ignore-pragma")
    return run(BIN / "hadolint", *flags, *dockerfiles)


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess:
    # Built-in schemas ship inside the package: no network is needed.
    return run(BIN / "check-jsonschema", "--builtin-schema", schema, *files)


def load_yaml(path: Path) -> dict:
    return YAML(typ="safe").load(path)


def shell_scripts() -> list[Path]:
    """Every *.sh file and every file starting with a shell shebang, outside SKIP_DIRS."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in files:
            path = Path(folder) / name
            if name.endswith(".sh") or re.match(rb"#!.*\b(sh|bash)\b", head(path)):
                found.append(path)
    return sorted(found)


def head(path: Path, size: int = 64) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError:
        return b""


SCRIPTS = shell_scripts()


def test_the_scripts_the_images_run_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SCRIPTS}
    assert {"scripts/run.sh", "proxy/run.sh", ".ci/run"} <= names


def test_dockerfiles_pass_hadolint_without_a_single_finding() -> None:
    result = hadolint(*DOCKERFILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_hadolint_does_flag_a_careless_dockerfile(tmp_path: Path) -> None:
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python\nRUN pip install django\nCMD python manage.py runserver\n")
    result = hadolint(careless)
    assert result.returncode != 0
    for rule in ("DL3006", "DL3013", "DL3042", "DL3025"):
        assert rule in result.stdout


def test_compose_files_follow_the_compose_spec() -> None:
    result = schema_check("vendor.compose-spec", DEV_COMPOSE, DEPLOY_COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_follow_the_github_workflow_schema() -> None:
    assert WORKFLOWS
    result = schema_check("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        (
            "vendor.compose-spec",
            "services:\n  app:\n    image: x\n    depends_on:\n"
            "      db:\n        condition: when_it_feels_like_it\n",
        ),
        ("vendor.github-workflows", "on: push\njobs:\n  test:\n    steps:\n      - run: true\n"),
    ],
    ids=["compose", "workflow"],
)
def test_the_schema_checks_reject_a_broken_file(tmp_path: Path, schema: str, text: str) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(text)
    assert schema_check(schema, broken).returncode != 0


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shell_script_parses(script: Path) -> None:
    shell = "bash" if b"bash" in head(script).split(b"\n")[0] else "sh"
    result = run(shell, "-n", script)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shell_script_has_lf_endings_a_shebang_and_the_executable_bit(script: Path) -> None:
    content = script.read_bytes()
    # A CRLF script fails in a container with "exec format error" or "not found".
    assert b"\r" not in content
    assert re.match(rb"#!(/bin/sh|/bin/bash|/usr/bin/env (sh|bash))\n", content)
    assert os.access(script, os.X_OK)


def test_the_app_image_runs_the_entrypoint_and_checks_readyz() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["scripts/run.sh"]' in dockerfile
    assert re.search(r"HEALTHCHECK .*\n.*scripts/healthcheck\.py", dockerfile)
    assert "/readyz" in (ROOT / "scripts" / "healthcheck.py").read_text()
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    commands = [
        line.split()[2] if line.startswith("python manage.py") else "uvicorn"
        for line in run_sh.splitlines()
        if line.startswith(("python manage.py ", "exec uvicorn "))
    ]
    assert commands == ["wait_for_db", "migrate", "collectstatic", "createcachetable", "uvicorn"]


def test_the_image_python_is_one_ci_tests() -> None:
    versions = set(re.findall(r"^FROM python:(\d+\.\d+)", (ROOT / "Dockerfile").read_text(), re.M))
    assert len(versions) == 1
    jobs = load_yaml(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]
    assert versions <= set(jobs["test"]["strategy"]["matrix"]["python-version"])


def test_the_build_context_leaves_local_state_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".pgdata", "media", "staticfiles", "node_modules", ".env"} <= ignored


def size_in_bytes(nginx_size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", nginx_size).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def test_nginx_body_limit_admits_the_largest_upload_everywhere_it_is_set() -> None:
    defaults = {
        "proxy/run.sh": re.search(
            r"CLIENT_MAX_BODY_SIZE:=(\w+)", (ROOT / "proxy" / "run.sh").read_text()
        ),
        "proxy/Dockerfile": re.search(
            r"CLIENT_MAX_BODY_SIZE=(\w+)", (ROOT / "proxy" / "Dockerfile").read_text()
        ),
        "docker-compose-deploy.yml": re.search(
            r"CLIENT_MAX_BODY_SIZE:-(\w+)", DEPLOY_COMPOSE.read_text()
        ),
    }
    values = {where: match.group(1) for where, match in defaults.items() if match}
    assert len(values) == 3, defaults
    assert len(set(values.values())) == 1, values
    limit = size_in_bytes(next(iter(values.values())))
    # Room for the multipart envelope and the other fields around the largest file.
    assert limit >= settings.VIDEO_MAX_BYTES + 1024**2


def depends_on(service: dict) -> dict:
    deps = service.get("depends_on", {})
    assert isinstance(deps, dict), "depends_on must name a condition for each service"
    return deps


def test_deploy_stack_starts_in_order_of_health_and_publishes_only_the_proxy() -> None:
    services = load_yaml(DEPLOY_COMPOSE)["services"]
    assert set(services) == {"proxy", "app", "db", "redis"}
    assert depends_on(services["proxy"]) == {"app": {"condition": "service_healthy"}}
    assert depends_on(services["app"]) == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    for name, service in services.items():
        assert "healthcheck" in service, name
        assert service.get("restart") in {"always", "unless-stopped"}, name
        assert ("ports" in service) == (name == "proxy"), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert not source.startswith((".", "/", "~")), f"{name} bind-mounts {source}"
        for dep in depends_on(service):
            assert "healthcheck" in services[dep], dep


def test_deploy_stack_takes_its_secrets_from_the_environment() -> None:
    text = DEPLOY_COMPOSE.read_text()
    assert "${SECRET_KEY:?" in text
    assert "${POSTGRES_PASSWORD:?" in text
    app = load_yaml(DEPLOY_COMPOSE)["services"]["app"]["environment"]
    assert app["DEBUG"] == "0"
    assert app["SERVE_MEDIA"] == "0"  # nginx serves /media/


def test_dev_stack_waits_for_a_healthy_database() -> None:
    services = load_yaml(DEV_COMPOSE)["services"]
    app = services["app"]
    assert app["build"]["args"]["DEV"] == "true"
    assert "--reload" in app["command"]
    assert depends_on(app)["db"] == {"condition": "service_healthy"}
    assert "healthcheck" in services["db"]
    assert app["env_file"] == ".env"
