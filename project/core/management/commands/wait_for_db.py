import time

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


class Command(BaseCommand):
    help = "Wait until the database accepts a real connection (SELECT 1), or fail after a timeout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=60.0, help="Seconds to keep trying.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between tries.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options) -> None:
        deadline = time.monotonic() + options["timeout"]
        # A direct connection with the same parameters, not one from the pool: each try
        # must really reach the server, and must not wait for the pool's own timeout.
        params = connections[options["database"]].get_connection_params()
        where = f"{params.get('host') or 'local socket'}:{params.get('port') or 5432}"
        while True:
            try:
                with psycopg.connect(**params, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                self.stdout.write(self.style.SUCCESS(f"Database at {where} is up."))
                return
            except psycopg.OperationalError as e:
                if time.monotonic() >= deadline:
                    waited = options["timeout"]
                    raise CommandError(
                        f"Database at {where} still unreachable after {waited:.0f}s: {e}"
                    ) from e
                self.stdout.write(f"Waiting for the database at {where}...")
                time.sleep(options["interval"])
