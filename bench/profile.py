"""`make bench PROFILE=<operation>`: where one operation's time goes, with pyinstrument.

The operation runs N times in this process, through the synchronous path the server now
takes for HTTP (see project/asgi.py): Django's test Client, so the full middleware stack, the
synchronous GraphQL view, the schema, the ORM and JSON encoding, against the bench database.
Every request runs on this thread, so pyinstrument (which samples one thread) sees all of it.
Two measurements:

1. ms per request without the profiler: the median of a few chunks of requests.
2. The pyinstrument profile of N more requests: an HTML tree, a text tree, and a summary of
   the time by library (self time) and by stage (inclusive time of a few well-known
   functions), plus the SQL queries of one request.

Results go to bench/results/profile-<operation>.{txt,html,json,pyisession}.
"""

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from bench.report import RESULTS

CHUNKS = 5

# Self time is charged to the first of these whose path fragment is in the frame's file.
LIBRARIES = [
    ("/psycopg_pool/", "psycopg pool"),
    ("/psycopg/", "psycopg (driver, waiting for PostgreSQL)"),
    ("/django/db/models/sql/", "Django ORM: SQL compiler"),
    ("/django/db/", "Django ORM: querysets, models, backends"),
    ("/django/", "Django: handler, middleware, request/response"),
    ("/strawberry_django/", "strawberry-django (optimizer, fields, relay)"),
    ("/strawberry/", "strawberry (schema, extensions, view)"),
    ("/graphql/", "graphql-core (execution, validation)"),
    ("/asgiref/", "asgiref (Django's context-local connections)"),
    ("/json/", "json"),
    ("/graphql_schema/", "project: graphql_schema/"),
    ("/project/", "project: project/"),
    ("/bench/", "bench harness"),
    ("/pyinstrument/", "pyinstrument"),
]

# Inclusive time of these functions (outermost calls only): (label, path fragment, function).
STAGES = [
    ("Django middleware + view (whole request)", "/django/core/handlers/base.py",
     "get_response"),
    ("GraphQL view: parse, validate, execute, encode", "/strawberry/http/sync_base_view.py",
     "run"),
    ("  schema.execute_sync (extensions, execution)", "/strawberry/schema/schema.py",
     "execute_sync"),
    ("  graphql-core execute_operation", "/graphql/execution/executor.py", "execute_operation"),
    ("  strawberry-django optimizer (optimize)", "/strawberry_django/optimizer.py", "optimize"),
    ("  QuerySet evaluation (_fetch_all)", "/django/db/models/query.py", "_fetch_all"),
    ("    SQL compile (as_sql)", "/django/db/models/sql/compiler.py", "as_sql"),
    ("    SQL execute (driver + PostgreSQL)", "/django/db/backends/utils.py", "_execute"),
    ("    model instances from rows (from_db)", "/django/db/models/base.py", "from_db"),
    ("  prefetch (prefetch_related_objects)", "/django/db/models/query.py",
     "prefetch_related_objects"),
    ("  relay global ids (to_base64)", "/strawberry/relay/utils.py", "to_base64"),
    ("  JSON encoding (encode_json)", "/strawberry/django/views.py", "encode_json"),
    ("  query cost limiter", "/graphql_schema/limits.py", "on_execute"),
    ("Bearer token middleware (with all the rest inside it)", "/project/users/middleware.py",
     "__call__"),
]  # fmt: skip


def requests(client, path: str, bodies: list[str], headers: dict, count: int) -> float:
    """Run `count` requests one after another; returns ms per request."""
    started = time.perf_counter()
    for i in range(count):
        response = client.post(
            path, data=bodies[i % len(bodies)], content_type="application/json", headers=headers
        )
        if response.status_code != 200 or json.loads(response.content).get("errors"):
            raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
    return (time.perf_counter() - started) * 1000 / count


def by_library(root) -> list[tuple[str, float]]:
    totals: dict[str, float] = defaultdict(float)

    def walk(frame, parent_path: str) -> None:
        # Synthetic frames ([self]), built-ins (<built-in>) and generated code
        # (<string>: namedtuple and dataclass methods) count for the code that called them.
        own = frame.file_path or ""
        path = parent_path if frame.is_synthetic or own.startswith("<") else own
        self_time = frame.time - sum(child.time for child in frame.children)
        label = next((name for part, name in LIBRARIES if part in path), None)
        if label is None:
            label = "python stdlib / other" if path else "(no Python frame)"
        totals[label] += max(self_time, 0.0)
        for child in frame.children:
            walk(child, path)

    walk(root, "")
    return sorted(totals.items(), key=lambda item: -item[1])


def by_function(root, top: int = 25) -> list[tuple[str, float]]:
    """The functions with the most self time (time in their own code, not their callees)."""
    totals: dict[str, float] = defaultdict(float)

    def walk(frame, parent: str, caller: str) -> None:
        where = parent
        if not frame.is_synthetic:
            short = frame.file_path_short or frame.file_path or "?"
            if short.startswith("<"):  # a built-in or generated function: name its caller
                where = f"{frame.function} {short} in {caller}"
            else:
                where = f"{frame.function}  {short}:{frame.line_no}"
                caller = f"{frame.function} ({short.rsplit('/', 1)[-1]})"
        totals[where] += max(frame.time - sum(child.time for child in frame.children), 0.0)
        for child in frame.children:
            walk(child, where, caller)

    walk(root, "?", "?")
    return sorted(totals.items(), key=lambda item: -item[1])[:top]


def by_stage(root) -> list[tuple[str, float]]:
    totals = dict.fromkeys((label for label, _, _ in STAGES), 0.0)

    def walk(frame, inside: frozenset) -> None:
        path = frame.file_path or ""
        now = inside
        for label, part, function in STAGES:
            if frame.function == function and part in path and label not in inside:
                totals[label] += frame.time
                now = now | {label}
        for child in frame.children:
            walk(child, now)

    walk(root, frozenset())
    return list(totals.items())


def main(name: str, count: int, *, log=print) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from bench.operations import choose_params, operations
    from bench.run import GRAPHQL_PATH, write_mix_cleanup
    from project.users.models import AuthToken, User, hash_token
    from project.users.services import auth_token_create

    with connection.cursor() as cursor:
        params = choose_params(cursor)
    ops = {op.name: op for op in operations(params)}
    if name not in ops:
        raise SystemExit(f"unknown operation {name!r}; choose from {', '.join(ops)}")
    op = ops[name]
    headers: dict[str, str] = {}
    token = None
    if op.signed_in:
        token = auth_token_create(user=User.objects.get(pk=params.user_id))
        headers["Authorization"] = f"Bearer {token}"
    client = Client()
    run = (client, GRAPHQL_PATH, op.bodies, headers)
    try:
        requests(*run, max(5, count // 10))  # warm-up
        # Without the profiler, in chunks (median): a neighbour's burst spoils one chunk only.
        chunk = max(5, count // CHUNKS)
        ms_per_request = statistics.median(requests(*run, chunk) for _ in range(CHUNKS))
        with CaptureQueriesContext(connection) as captured:
            requests(*run, 1)
        queries = captured.captured_queries
        profiler = Profiler(interval=0.001)
        profiler.start()
        requests(*run, count)
        profiler.stop()
    finally:
        if token is not None:
            AuthToken.objects.filter(key_hash=hash_token(token)).delete()
        if op.name == "write_mix":
            write_mix_cleanup(params.user_id, params.write_video_ids)

    session = profiler.last_session
    root = session.root_frame()
    total = session.duration
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    lines = [
        f"profile of {op.name}: {op.title}",
        f"{count} requests in-process through Django's synchronous path (test Client), "
        "bench database, DEBUG off",
        "",
        f"ms per request, without the profiler (median of {CHUNKS} chunks of {chunk}): "
        f"{ms_per_request:.1f}",
        f"SQL queries per request: {len(queries)}, SQL time as Django measures it: {sql_ms:.1f} ms",
        "",
        f"Time by library (self time, % of {total * 1000 / count:.1f} ms per profiled request; "
        "sampling adds overhead):",
    ]
    for label, seconds in by_library(root):
        if seconds / total >= 0.005:
            lines.append(f"  {100 * seconds / total:5.1f}%  {label}")
    lines += ["", "Time by stage (inclusive; nested stages are part of their parent):"]
    for label, seconds in by_stage(root):
        ms = seconds * 1000 / count
        lines.append(f"  {100 * seconds / total:5.1f}%  {ms:6.2f} ms  {label}")
    lines += ["", "Functions with the most self time:"]
    for where, seconds in by_function(root):
        lines.append(f"  {100 * seconds / total:5.1f}%  {where}")
    summary = "\n".join(lines)

    RESULTS.mkdir(parents=True, exist_ok=True)
    base = RESULTS / f"profile-{op.name}"
    tree = profiler.output_text(unicode=True, color=False, show_all=False)
    Path(f"{base}.txt").write_text(summary + "\n\n" + tree)
    Path(f"{base}.html").write_text(profiler.output_html())
    session.save(f"{base}.pyisession")  # `pyinstrument --load=...` renders it again
    Path(f"{base}.json").write_text(
        json.dumps(
            {
                "operation": op.name,
                "requests": count,
                "ms_per_request": round(ms_per_request, 2),
                "ms_per_profiled_request": round(total * 1000 / count, 2),
                "sql_queries": len(queries),
                "sql_ms": round(sql_ms, 2),
                "by_library_percent": {k: round(100 * v / total, 1) for k, v in by_library(root)},
                "by_stage_ms": {k.strip(): round(v * 1000 / count, 2) for k, v in by_stage(root)},
            },
            indent=2,
        )
        + "\n"
    )
    print(summary)
    log(f"wrote {base}.txt, .html, .json and .pyisession")
