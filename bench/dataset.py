"""The benchmark's dataset: its own database, seeded once by the project's seed command.

The database (`bench` by default) lives on the DATABASE_URL server. It is created when missing
and reseeded only when its fingerprint changes: the seed sizes, the seed code, the library
versions that generate the fake text, the applied migrations, or the rows themselves (row
counts and counter sums, so a crashed write mix or a stray edit is noticed).
"""

import hashlib
import json
import os
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent

# Fixed by the issue; passed explicitly so a change of seed_demo's defaults cannot move them.
SEED = 1
SIZES = {
    "users": 200,
    "channels": 50,
    "videos": 2000,
    "comments": 40000,
    "video-ratings": 20000,
    "comment-ratings": 10000,
    "subscriptions": 2000,
}
SEED_CODE = ["project/core/seed.py", "project/core/factories.py", "project/core/counters.py"]
SEED_LIBRARIES = ["Faker", "factory-boy"]

# One query that describes the seeded rows; compared with what was stored after seeding.
STATE_SQL = """
SELECT json_build_array(
  (SELECT count(*) FROM users_user),
  (SELECT count(*) FROM video_channels_channel),
  (SELECT count(*) FROM video_channels_channelsubscription),
  (SELECT count(*) FROM videos_video),
  (SELECT count(*) FROM videos_videorating),
  (SELECT count(*) FROM comments_comment),
  (SELECT count(*) FROM comments_commentrating),
  (SELECT coalesce(sum(like_count + dislike_count + comment_count + views_count), 0)
     FROM videos_video),
  (SELECT coalesce(sum(like_count + dislike_count + reply_count), 0) FROM comments_comment),
  (SELECT coalesce(sum(subscriber_count + video_count), 0) FROM video_channels_channel)
)::text
"""
META_TABLE = "bench_dataset"


def database_url(base_url: str, name: str) -> str:
    """`base_url` with its database name replaced by `name`."""
    return urlunsplit(urlsplit(base_url)._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def ensure_database(url: str) -> bool:
    """Create the database when it is missing; returns whether it was created."""
    name = database_name(url)
    with psycopg.connect(database_url(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def manage(url: str, *args: str) -> None:
    """Run a management command of the project against the bench database."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key",
        "DATABASE_POOL": "0",
    }
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def expected_fingerprint(conn: psycopg.Connection) -> str:
    """What the dataset must have been built from (everything but the rows)."""
    migrations = conn.execute(
        "SELECT app || '.' || name FROM django_migrations ORDER BY app, name"
    ).fetchall()
    parts = {
        "seed": SEED,
        "sizes": SIZES,
        "code": {p: hashlib.sha256((ROOT / p).read_bytes()).hexdigest() for p in SEED_CODE},
        "libraries": {lib: version(lib) for lib in SEED_LIBRARIES},
        "migrations": [m for (m,) in migrations],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def stored(conn: psycopg.Connection) -> tuple[str, str] | None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {META_TABLE} (fingerprint text NOT NULL, state text NOT NULL)"
    )
    row = conn.execute(f"SELECT fingerprint, state FROM {META_TABLE}").fetchone()
    return (row[0], row[1]) if row else None


def current_state(conn: psycopg.Connection) -> str:
    return conn.execute(STATE_SQL).fetchone()[0]


def prepare(url: str, *, log=print) -> None:
    """Make the bench database exist, be migrated, and hold exactly the fixed dataset."""
    if ensure_database(url):
        log(f"created database {database_name(url)}")
    manage(url, "migrate", "--noinput", "-v", "0")
    manage(url, "createcachetable", "-v", "0")
    with psycopg.connect(url, autocommit=True) as conn:
        fingerprint = expected_fingerprint(conn)
        previous = stored(conn)
        if previous == (fingerprint, current_state(conn)):
            log(f"dataset in {database_name(url)} is current; not reseeding")
            return
        reason = "missing" if previous is None else "changed"
        log(f"dataset in {database_name(url)} is {reason}: seeding (about a minute)")
        started = time.monotonic()
        args = [f"--{name}={value}" for name, value in SIZES.items()]
        manage(url, "seed_demo", "--reset", f"--seed={SEED}", *args)
        conn.execute("VACUUM ANALYZE")
        conn.execute(f"DELETE FROM {META_TABLE}")
        conn.execute(
            f"INSERT INTO {META_TABLE} (fingerprint, state) VALUES (%s, %s)",
            [fingerprint, current_state(conn)],
        )
        log(f"seeded in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    prepare(database_url(os.environ["DATABASE_URL"], os.environ.get("BENCH_DATABASE", "bench")))
