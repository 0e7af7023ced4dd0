"""Settings for benchmark runs: the project's own, with the reference views mounted.

The server under test is the real app; only the URL configuration differs, so the reference
endpoints share its process, middleware and database pool.
"""

from project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
