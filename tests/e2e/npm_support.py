"""Node.js projects in end-to-end tests: install once per lockfile, build when stale, run.

`npm ci` costs half a minute, so it runs only when `package-lock.json` is newer than the
stamp it leaves in `node_modules/` (the Makefile's `graphiql` target uses the same stamp).
Without Node.js the tests skip, except in CI, where that is a failure.
"""

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GRAPHIQL_PROJECT = ROOT / "graphiql"
GRAPHIQL_BUNDLE = ROOT / "graphql_schema" / "graphiql" / "build" / "graphiql.js"
WEB_CLIENT = ROOT / "examples" / "web-client"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
MIN_NODE_MAJOR = 20
STAMP = "node_modules/.installed"
NPM_CI_TIMEOUT = 600


def missing(message: str) -> None:
    """Skip locally; fail in CI, which must have every tool (.ci/run installs them)."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_node() -> None:
    absent = [name for name in ("node", "npm") if shutil.which(name) is None]
    if absent:
        missing(f"not installed: {', '.join(absent)} (Node.js {MIN_NODE_MAJOR}+ with npm)")
    version = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < MIN_NODE_MAJOR:
        missing(f"Node.js {version} is too old: {MIN_NODE_MAJOR}+ is needed")


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")


def run(
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """Run a command; when it fails (and `check`), fail the test with the end of its output."""
    try:
        result = subprocess.run(
            args,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        output = (error.stdout or b"").decode() if isinstance(error.stdout, bytes) else ""
        pytest.fail(f"{' '.join(args)} in {cwd} timed out after {timeout}s\n{output[-4000:]}")
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} in {cwd} exited with {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-4000:]}"
        )
    return result


def newest_mtime(paths: Iterable[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def npm_ci(project: Path) -> None:
    """Install the project's locked packages unless node_modules already has them."""
    stamp = project / STAMP
    lock = project / "package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    run(["npm", "ci", "--no-audit", "--no-fund"], cwd=project, timeout=NPM_CI_TIMEOUT)
    stamp.touch()


def ensure_graphiql_built() -> None:
    """GraphiQL's assets, built by Vite into graphql_schema/graphiql/build/ when stale."""
    npm_ci(GRAPHIQL_PROJECT)
    sources = [
        GRAPHIQL_PROJECT / "package-lock.json",
        GRAPHIQL_PROJECT / "vite.config.js",
        *(GRAPHIQL_PROJECT / "src").rglob("*"),
    ]
    if not GRAPHIQL_BUNDLE.exists() or GRAPHIQL_BUNDLE.stat().st_mtime < newest_mtime(sources):
        run(["npm", "run", "build"], cwd=GRAPHIQL_PROJECT)


def node_test_counts(output: str) -> dict[str, int]:
    """The pass and fail totals node's test runner prints last (e.g. "pass 6" after a sign)."""
    return {
        kind: int(match.group(1))
        if (match := re.search(rf"^\S* ?{kind} (\d+)$", output, re.M))
        else -1
        for kind in ("pass", "fail")
    }
