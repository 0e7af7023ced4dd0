"""Print a DATABASE_URL for development and tests.

Uses $DATABASE_URL when set. Otherwise starts (once) an embedded, real PostgreSQL from the
`pgserver` package in .pgdata/ and leaves it running for the next command; pgserver holds an
inter-process lock while it starts, so two commands at once are safe.
"""

import os
import sys
import warnings
from pathlib import Path

PGDATA = Path(__file__).resolve().parent.parent / ".pgdata"


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(PGDATA, cleanup_mode=None)
        url = server.get_uri("postgres")
    sys.stdout.write(url + "\n")


if __name__ == "__main__":
    main()
