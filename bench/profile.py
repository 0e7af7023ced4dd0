"""`make bench PROFILE=<operation>`: where one operation's time goes, with pyinstrument.

The operation runs N times in this process, through Django's full ASGI request path
(AsyncClient: middleware, the GraphQL view, the schema, the ORM, JSON encoding), against the
bench database. Three measurements:

1. ms per request as the server runs it: async view, sync work hopping to a worker thread.
2. The same with every sync_to_async hop run inline on the event loop's thread, which is
   what pyinstrument can see (it samples one thread); the difference estimates the cost of
   the thread hops, which are counted too. (1) and (2) alternate in chunks; medians.
3. The pyinstrument profile of (2): an HTML tree, a text tree, and a summary of the time by
   library (self time) and by stage (inclusive time of a few well-known functions).

Results go to bench/results/profile-<operation>.{txt,html,json,pyisession}.
"""

import asyncio
import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
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
    ("/asgiref/", "asgiref (sync/async bridges)"),
    ("/asyncio/", "asyncio"),
    ("/json/", "json"),
    ("/graphql_schema/", "project: graphql_schema/"),
    ("/project/", "project: project/"),
    ("/bench/", "bench harness"),
    ("/pyinstrument/", "pyinstrument"),
]

# Inclusive time of these functions (outermost calls only): (label, path fragment, function).
BASE = "/django/core/handlers/base.py"
STAGES = [
    ("Django middleware + view (whole request)", BASE, "get_response_async"),
    ("GraphQL view: parse, validate, execute, encode", "/strawberry/http/async_base_view.py",
     "run"),
    ("  schema.execute (extensions, execution)", "/strawberry/schema/schema.py", "execute"),
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
    ("Bearer token middleware", "/project/users/middleware.py", "__acall__"),
]  # fmt: skip


def hop_label(func, args: tuple) -> str:
    """What a sync_to_async call runs, as readable as possible."""
    if len(args) >= 2 and isinstance(args[1], str) and hasattr(args[0], "_meta"):
        # strawberry-django's django_getattr(obj, name): a model attribute read off-thread
        return f"attribute {type(args[0]).__name__}.{args[1]} (strawberry-django getattr)"
    closure = dict(
        zip(
            getattr(getattr(func, "__code__", None), "co_freevars", ()),
            (cell.cell_contents for cell in getattr(func, "__closure__", None) or ()),
            strict=False,
        )
    )
    inner = closure.get("sync_resolver") or closure.get("resolver")
    if inner is not None and "resolver" in closure.get("sync_resolver", inner).__qualname__:
        func = dict(
            zip(
                inner.__code__.co_freevars,
                (cell.cell_contents for cell in inner.__closure__ or ()),
                strict=False,
            )
        ).get("resolver", inner)
    func = getattr(func, "__wrapped__", func)
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', func)}"


@contextmanager
def loop_hidden() -> Iterator[None]:
    """Run sync code on the event loop's thread as if it were a worker thread."""
    loop = asyncio.get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@contextmanager
def sync_to_async_hops(inline: bool) -> Iterator[Counter]:
    """Count sync_to_async calls; with `inline`, run them on the calling thread instead.

    Inline, the event loop is hidden while the sync function runs, as it is on the worker
    thread the call would hop to: code that checks for a running loop (Django's async-unsafe
    guard, strawberry's in_async_context) then takes its sync path, as it does when served."""
    from asgiref.sync import SyncToAsync

    original = SyncToAsync.__call__
    counter: Counter = Counter()  # calls by the wrapped function's qualified name

    async def counted(self, *args, **kwargs):
        counter[hop_label(self.func, args)] += 1
        if not inline:
            return await original(self, *args, **kwargs)
        with loop_hidden():
            return self.func(*args, **kwargs)

    SyncToAsync.__call__ = counted  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        SyncToAsync.__call__ = original  # type: ignore[method-assign]


async def requests(
    client, path: str, bodies: list[str], headers: dict, count: int, queries: list | None = None
) -> float:
    """Run `count` requests one after another; returns ms per request.

    With `queries`, the SQL of the requests is appended to it (only meaningful inline, where
    the ORM runs on this thread and in this context)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    captured = CaptureQueriesContext(connection)
    if queries is not None:
        with loop_hidden():
            captured.__enter__()
    started = time.perf_counter()
    for i in range(count):
        response = await client.post(
            path, data=bodies[i % len(bodies)], content_type="application/json", headers=headers
        )
        if response.status_code != 200 or json.loads(response.content).get("errors"):
            raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
    elapsed = time.perf_counter() - started
    if queries is not None:
        # Django's connections are per thread only while no event loop runs (per task
        # otherwise): read them where the ORM ran, with the loop hidden.
        with loop_hidden():
            captured.__exit__(None, None, None)
            queries += captured.captured_queries
    return elapsed * 1000 / count


def by_library(root) -> list[tuple[str, float]]:
    totals: dict[str, float] = defaultdict(float)

    def walk(frame, parent_path: str) -> None:
        # Synthetic frames ([self], [await]), built-ins (<built-in>) and generated code
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
    from django.test import AsyncClient
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
    client = AsyncClient()
    warm = max(5, count // 10)
    try:
        # Served vs inline, in alternating chunks (median of each): on a shared machine a
        # neighbour's burst then hits both alike.
        timings: dict[bool, list[float]] = {False: [], True: []}
        chunk = max(5, count // CHUNKS)
        for inline in (False, True):
            with sync_to_async_hops(inline=inline):
                asyncio.run(requests(client, GRAPHQL_PATH, op.bodies, headers, warm))
        for _ in range(CHUNKS):
            for inline in (False, True):
                with sync_to_async_hops(inline=inline) as hops:
                    ms = asyncio.run(requests(client, GRAPHQL_PATH, op.bodies, headers, chunk))
                timings[inline].append(ms)
                hops_per_request = hops.total() / chunk
                hop_sources = hops
        threaded_ms = statistics.median(timings[False])
        inline_ms = statistics.median(timings[True])
        with sync_to_async_hops(inline=True):
            queries: list[dict] = []
            asyncio.run(requests(client, GRAPHQL_PATH, op.bodies, headers, 1, queries))
            profiler = Profiler(interval=0.001, async_mode="disabled")
            profiler.start()
            asyncio.run(requests(client, GRAPHQL_PATH, op.bodies, headers, count))
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
        f"{count} requests in-process through Django's ASGI path (AsyncClient), "
        "bench database, DEBUG off",
        "",
        f"ms per request, as served (sync work on a worker thread): {threaded_ms:.1f}",
        f"ms per request, sync_to_async run inline (profiled):      {inline_ms:.1f}",
        f"sync_to_async hops per request: {hops_per_request:.0f} "
        f"(inline saves {threaded_ms - inline_ms:.1f} ms/request here)",
        f"SQL queries per request: {len(queries)}, SQL time as Django measures it: {sql_ms:.1f} ms",
        "",
        f"Time by library (self time, % of {total * 1000 / count:.1f} ms per profiled request; "
        "sampling adds overhead):",
    ]
    for label, seconds in by_library(root):
        if seconds / total >= 0.005:
            lines.append(f"  {100 * seconds / total:5.1f}%  {label}")
    lines += [
        "",
        "Time by stage (inclusive; nested stages are part of their parent; graphql-core runs",
        "async fields as tasks of the event loop, so some work sits outside the request's frames):",
    ]
    for label, seconds in by_stage(root):
        ms = seconds * 1000 / count
        lines.append(f"  {100 * seconds / total:5.1f}%  {ms:6.2f} ms  {label}")
    lines += ["", "sync_to_async calls per request, by the function they run:"]
    for where, calls in hop_sources.most_common(8):
        lines.append(f"  {calls / chunk:6.1f}  {where}")
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
                "ms_per_request_threaded": round(threaded_ms, 2),
                "ms_per_request_inline": round(inline_ms, 2),
                "sync_to_async_per_request": round(hops_per_request, 1),
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
