"""The servers under test: uvicorn serving the real app, and nginx in front when available."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PROXY_TEMPLATE = ROOT / "proxy" / "default.conf.tpl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early with code {process.returncode}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_env(database_url: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) with the reference views mounted."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: no redirect to https, cookies usable without TLS.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def uvicorn(database_url: str, workers: int, log_path: Path):
    """Yield the base URL and pid of uvicorn serving the app with `workers` processes.

    Its output goes to `log_path`: wrk closing its connections at the end of each run makes
    the server log cancelled requests, which would bury the benchmark's own output."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "project.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            args, cwd=ROOT, env=server_env(database_url), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_ready(f"http://127.0.0.1:{port}/healthz", process)
            yield f"http://127.0.0.1:{port}", process.pid
        finally:
            stop(process)


def nginx_unavailable() -> str | None:
    """Why the nginx mode cannot run here, or None when it can."""
    if not PROXY_TEMPLATE.exists():
        return f"{PROXY_TEMPLATE.relative_to(ROOT)} does not exist"
    if shutil.which("nginx") is None:
        return "nginx is not installed (apt-get install nginx)"
    return None


def render_proxy_conf(app_port: int, listen_port: int, work: Path) -> str:
    """The proxy template rendered for loopback by proxy/run.sh --render (the same envsubst
    step the container runs); without run.sh or envsubst, the same substitution in Python
    (only these names, as run.sh does, so nginx's own $variables stay)."""
    values = {
        "APP_HOST": "127.0.0.1",
        "APP_PORT": str(app_port),
        "NGINX_RESOLVER": "127.0.0.1",  # unused: the upstream is an IP address
        "LISTEN_PORT": f"127.0.0.1:{listen_port}",
        "CLIENT_MAX_BODY_SIZE": "210m",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PROXY_TIMEOUT": "60s",
        "WEBSOCKET_TIMEOUT": "3600s",
        "TRUST_FORWARDED_PROTO": "off",
    }
    run_sh = PROXY_TEMPLATE.with_name("run.sh")
    if run_sh.exists() and shutil.which("envsubst"):
        env = {**os.environ, **values, "PROXY_TEMPLATE": str(PROXY_TEMPLATE)}
        done = subprocess.run(
            ["sh", str(run_sh), "--render"], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout
    template = PROXY_TEMPLATE.read_text()
    return re.sub(r"\$\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


@contextmanager
def nginx(app_url: str):
    """Yield the base URL of nginx, configured from proxy/default.conf.tpl, in front of app_url."""
    app_port = int(app_url.rsplit(":", 1)[1])
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as tmp:
        work = Path(tmp)
        for sub in ("static", "media", "temp"):
            (work / sub).mkdir()
        (work / "default.conf").write_text(render_proxy_conf(app_port, port, work))
        temp = work / "temp"
        (work / "nginx.conf").write_text(
            f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {work}/default.conf;
}}
"""
        )
        args = ["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"]
        check = subprocess.run([*args[:-2], "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected the rendered config:\n{check.stderr}")
        process = subprocess.Popen(args)
        try:
            wait_until_ready(f"http://127.0.0.1:{port}/healthz", process, timeout=15)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid = int(fields[1])
        children.setdefault(ppid, []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo += children.get(current, [])
    return total
