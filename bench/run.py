"""`python -m bench` (`make bench`): seed, serve, check, load, report.

1. Prepare the `bench` database on the DATABASE_URL server (created and seeded when missing
   or changed; see dataset.py).
2. Start uvicorn (the real app, DEBUG off, reference views mounted) and sign in through the
   `login` mutation for a bearer token.
3. Check every operation answers without errors, and that each reference returns the same
   bytes as GraphQL.
4. Count each operation's SQL queries once, in-process (CaptureQueriesContext).
5. Per operation: a warm-up, then rounds of wrk at 16 connections, GraphQL and reference
   alternating (A B A B) so a noisy neighbour hurts both sides alike.
6. Through nginx too when proxy/default.conf.tpl and nginx are there (reads only).
7. The write mix last, then its rows are removed so the dataset stays as seeded.
8. Print a table; write results/latest.json and results/ratios.png.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import dataset, report, server, wrk
from bench.operations import DEMO_PASSWORD, LOGIN, LOGOUT, WRITE_MARKER, Operation, body

ROOT = Path(__file__).resolve().parent.parent
GRAPHQL_PATH = "/graphql/"
REFERENCE_PATH = "/bench/reference/"
RATIO_DEFINITION = (
    "ratio = reference req/s / GraphQL req/s: how many times more requests the one-SQL "
    "reference serves on the same server (1.0 = GraphQL is at the physical limit)."
)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def optional(kind, default):
    """An argparse type that maps an empty value (an unset make variable) to the default."""

    def parse(value: str):
        return default if value.strip() == "" else kind(value)

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument(
        "--seconds",
        type=optional(float, 30.0),
        default=30.0,
        help="measured seconds per operation and side, split over the rounds (default 30)",
    )
    p.add_argument("--rounds", type=optional(int, 2), default=2, help="A B rounds (default 2)")
    p.add_argument("--warmup", type=optional(float, 3.0), default=3.0, help="seconds per side")
    p.add_argument("--workers", type=optional(int, 1), default=1, help="uvicorn workers")
    p.add_argument("--connections", type=optional(int, 16), default=16)
    p.add_argument("--threads", type=optional(int, 2), default=2, help="wrk threads")
    p.add_argument(
        "--nginx",
        choices=["auto", "on", "off"],
        type=optional(str, "auto"),
        default="auto",
        help="also measure through nginx: auto (when available), on (required), off",
    )
    p.add_argument("--only", type=optional(str, ""), default="", help="comma-separated names")
    p.add_argument("--database", type=optional(str, "bench"), default="bench")
    p.add_argument(
        "--profile",
        type=optional(str, ""),
        default="",
        help="profile this operation in-process with pyinstrument instead of benchmarking",
    )
    p.add_argument("--profile-requests", type=optional(int, 200), default=200)
    p.add_argument("--output", type=Path, default=report.RESULTS / "latest.json")
    return p.parse_args(argv)


def setup_django(database_url: str) -> None:
    """Django in this process too, for query counts, profiles and clean-up (test clients
    send Host: testserver)."""
    os.environ.update(server.server_env(database_url))
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    import django

    django.setup()


def git_describe() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# ---- talking to the live server ------------------------------------------------------------


def post(client: httpx.Client, path: str, payload: str, token: str | None = None) -> bytes:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = client.post(path, content=payload, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:500]}")
    return response.content


def graphql_errors(content: bytes) -> list:
    data = json.loads(content)
    errors = list(data.get("errors") or [])
    for value in (data.get("data") or {}).values():
        if isinstance(value, dict) and value.get("messages"):
            errors += value["messages"]  # an OperationInfo payload
    return errors


def login(client: httpx.Client, email: str) -> str:
    content = post(client, GRAPHQL_PATH, body(LOGIN, {"email": email, "password": DEMO_PASSWORD}))
    payload = json.loads(content)["data"]["login"]
    if "token" not in payload:
        raise RuntimeError(f"login as {email} failed: {payload}")
    # login also starts a session; drop its cookie: the benchmark authenticates by bearer token
    # only (as wrk does), and a session cookie would make every POST need a CSRF token.
    client.cookies.clear()
    return payload["token"]


def compare_reference(graphql: bytes, reference: bytes) -> str:
    """How the two answers agree; raises when they do not."""
    if graphql == reference:
        return "byte-for-byte"

    def canonical(raw: bytes) -> str:
        return json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"))

    if canonical(graphql) == canonical(reference):
        return "equal after JSON parse + dump with sorted keys"
    at = next(i for i, (a, b) in enumerate(zip(graphql, reference, strict=False)) if a != b)
    raise RuntimeError(
        "the reference differs from GraphQL at byte "
        f"{at}:\n  graphql:   {graphql[at - 80 : at + 80]!r}\n"
        f"  reference: {reference[at - 80 : at + 80]!r}"
    )


# ---- in-process query counts ---------------------------------------------------------------


def count_queries(path: str, payloads: list[str], token: str | None) -> float:
    """SQL queries per request (mean over `payloads`), counted in-process after a warm-up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    # Warm up with the whole list once, so a write mix's LIKE then NONE both change a row
    # when measured (a repeated LIKE would take the cheaper "nothing changed" path).
    for payload in payloads:
        client.post(path, data=payload, content_type="application/json", **extra)
    counts = []
    for payload in payloads:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, data=payload, content_type="application/json", **extra)
        if response.status_code != 200:
            raise RuntimeError(f"in-process {path} answered {response.status_code}")
        counts.append(len(captured.captured_queries))
    return sum(counts) / len(counts)


def write_mix_cleanup(user_id: int, video_ids: list[int]) -> None:
    """Remove what the write mix added and recompute the counters it moved."""
    from project.comments.models import Comment
    from project.core.counters import counters_recompute
    from project.videos.models import VideoRating

    Comment.objects.filter(author_id=user_id, content__startswith=WRITE_MARKER).delete()
    VideoRating.objects.filter(user_id=user_id, video_id__in=video_ids).delete()
    counters_recompute()


# ---- measuring -----------------------------------------------------------------------------


def measure(
    sides: dict[str, tuple[str, Path, str]],
    args: argparse.Namespace,
    server_pid: int,
) -> dict[str, wrk.Merged]:
    """Warm up each side, then run them alternately for `args.rounds` rounds."""
    merged = {name: wrk.Merged() for name in sides}
    options = {"connections": args.connections, "threads": args.threads}
    for url, bodies, auth in sides.values():
        if args.warmup > 0:
            wrk.run(url, bodies, seconds=args.warmup, authorization=auth, **options)
    for _ in range(args.rounds):
        for name, (url, bodies, auth) in sides.items():
            cpu_before = server.process_tree_cpu_seconds(server_pid)
            result = wrk.run(
                url, bodies, seconds=args.seconds / args.rounds, authorization=auth, **options
            )
            result.server_cpu = server.process_tree_cpu_seconds(server_pid) - cpu_before
            merged[name].runs.append(result)
            log(
                f"  {name:>9}: {result.rps:8.1f} req/s, p50 "
                f"{wrk.Merged([result]).percentile(50):.1f} ms, errors {result.error_count}"
            )
    return merged


def summary(merged: wrk.Merged) -> dict:
    return {
        "rps": round(merged.rps, 1),
        "p50_ms": round(merged.percentile(50), 2),
        "p90_ms": round(merged.percentile(90), 2),
        "p99_ms": round(merged.percentile(99), 2),
        "requests": merged.requests,
        "errors": merged.errors,
        "server_cpu_percent": round(merged.server_cpu_percent),
        "rounds_rps": [round(r.rps, 1) for r in merged.runs],
    }


def write_bodies(op: Operation, folder: Path) -> Path:
    path = folder / f"{op.name}.jsonl"
    path.write_text("\n".join(op.bodies) + "\n")
    return path


def benchmark(args: argparse.Namespace, url: str) -> dict:
    from django.db import connection

    from bench.operations import choose_params, operations

    wrk.ensure_wrk(log=log)
    with connection.cursor() as cursor:
        params = choose_params(cursor)
    ops = operations(params)
    if args.only:
        wanted = {n.strip() for n in args.only.split(",")}
        ops = [op for op in ops if op.name in wanted]
    log(f"targets: {params}")

    results: dict = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": git_describe(),
        "settings": {
            "seconds": args.seconds,
            "rounds": args.rounds,
            "warmup_seconds": args.warmup,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "workers": args.workers,
            "cpus": os.cpu_count(),
            # The machine is shared: its load says how much to trust the absolute numbers.
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "dataset": dataset.SIZES,
        },
        "ratio_definition": RATIO_DEFINITION,
        "operations": {},
    }
    reads = [op for op in ops if op.name != "write_mix"]
    writes = [op for op in ops if op.name == "write_mix"]

    with (
        server.uvicorn(url, args.workers, report.RESULTS / "server.log") as (base, pid),
        httpx.Client(base_url=base, timeout=30) as client,
        tempfile.TemporaryDirectory(prefix="bench-") as tmp,
    ):
        log(f"uvicorn ({args.workers} worker(s)) at {base}, log in {report.RESULTS}/server.log")
        log(f"signing in as {params.user_email}")
        token = login(client, params.user_email)
        try:
            for op in reads:
                results["operations"][op.name] = run_operation(
                    op, args, base, pid, client, token, tmp
                )
            results["via_nginx"] = run_nginx(reads, args, base, pid, token, tmp, results)
            for op in writes:
                try:
                    results["operations"][op.name] = run_operation(
                        op, args, base, pid, client, token, tmp
                    )
                finally:
                    write_mix_cleanup(params.user_id, params.write_video_ids)
        finally:
            post(client, GRAPHQL_PATH, body(LOGOUT, {}), token)
    with dataset.psycopg.connect(url, autocommit=True) as conn:
        expected = (dataset.expected_fingerprint(conn), dataset.current_state(conn))
        if dataset.stored(conn) != expected:
            log("warning: the dataset no longer matches its fingerprint; the next run reseeds")
    return results


def run_operation(
    op: Operation,
    args: argparse.Namespace,
    base: str,
    pid: int,
    client: httpx.Client,
    token: str,
    tmp: str,
) -> dict:
    log(f"{op.name}: {op.title}")
    auth_token = token if op.signed_in else None
    # Check the answers before timing them: a fast error is no result.
    distinct = list(dict.fromkeys(op.bodies))[:3]
    answers = [post(client, GRAPHQL_PATH, payload, auth_token) for payload in distinct]
    for payload, answer in zip(distinct, answers, strict=True):
        if errors := graphql_errors(answer):
            raise RuntimeError(f"{op.name} answered errors for {payload[:200]}: {errors}")
    bodies = write_bodies(op, Path(tmp))
    auth = f"Bearer {auth_token}" if auth_token else ""
    sides = {"graphql": (base + GRAPHQL_PATH, bodies, auth)}
    result: dict = {"title": op.title}
    if op.reference:
        reference_answer = post(client, REFERENCE_PATH + op.reference, op.bodies[0], auth_token)
        result["reference_check"] = compare_reference(answers[0], reference_answer)
        log(f"  reference answer: {result['reference_check']} ({len(answers[0])} bytes)")
        sides["reference"] = (base + REFERENCE_PATH + op.reference, bodies, auth)

    sql = count_queries(GRAPHQL_PATH, distinct, auth_token)
    merged = measure(sides, args, pid)
    result.update(summary(merged["graphql"]))
    result["sql_queries"] = round(sql, 2)
    result["bytes"] = round(sum(len(a) for a in answers) / len(answers))
    if op.reference:
        ref = summary(merged["reference"])
        result.update({f"reference_{key}": value for key, value in ref.items()})
        result["reference_sql_queries"] = count_queries(
            REFERENCE_PATH + op.reference, distinct, auth_token
        )
        result["reference_bytes"] = len(reference_answer)
        result["ratio"] = round(ref["rps"] / result["rps"], 2) if result["rps"] else None
    return result


def run_nginx(
    reads: list[Operation],
    args: argparse.Namespace,
    base: str,
    pid: int,
    token: str,
    tmp: str,
    results: dict,
) -> dict:
    if args.nginx == "off":
        return {"skipped": "turned off (--nginx off)"}
    reason = server.nginx_unavailable()
    if reason:
        if args.nginx == "on":
            raise RuntimeError(f"nginx mode required but {reason}")
        log(f"nginx mode skipped: {reason}")
        return {"skipped": reason}
    out: dict = {"operations": {}}
    with server.nginx(base) as proxy:
        log(f"nginx at {proxy} in front of {base} (one round per operation)")
        single = argparse.Namespace(**{**vars(args), "rounds": 1})
        single.seconds = args.seconds / args.rounds
        for op in reads:
            bodies = Path(tmp) / f"{op.name}.jsonl"
            auth = f"Bearer {token}" if op.signed_in else ""
            log(f"{op.name} through nginx")
            merged = measure({"nginx": (proxy + GRAPHQL_PATH, bodies, auth)}, single, pid)
            entry = summary(merged["nginx"])
            direct = results["operations"][op.name]["rps"]
            entry["vs_direct"] = round(entry["rps"] / direct, 2) if direct else None
            out["operations"][op.name] = entry
    return out


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        sys.exit("DATABASE_URL is not set (`make bench` sets it).")
    url = dataset.database_url(base_url, args.database)
    dataset.prepare(url, log=log)
    setup_django(url)
    if args.profile:
        from bench import profile

        profile.main(args.profile, args.profile_requests, log=log)
        return
    started = time.monotonic()
    results = benchmark(args, url)
    results["wall_seconds"] = round(time.monotonic() - started)
    results["settings"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(report.table(results))
    print()
    log(f"wrote {report.write_json(results, args.output)}")
    chart = report.write_chart(results, args.output.with_name("ratios.png"))
    log(f"wrote {chart}" if chart else "no chart: matplotlib is missing (the `bench` extra)")
