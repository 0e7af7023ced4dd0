import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.utils import OperationalError


class Command(BaseCommand):
    help = "Wait until the database accepts a real connection (SELECT 1), or fail after a timeout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=60.0, help="Seconds to keep trying.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between tries.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options) -> None:
        deadline = time.monotonic() + options["timeout"]
        connection = connections[options["database"]]
        db = connection.settings_dict
        host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or "local socket"
        where = f"{host}:{db.get('PORT') or 5432}"
        while True:
            try:
                connection.close()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                self.stdout.write(self.style.SUCCESS(f"Database at {where} is up."))
                return
            except OperationalError as e:
                if time.monotonic() >= deadline:
                    waited = options["timeout"]
                    raise CommandError(
                        f"Database at {where} still unreachable after {waited:.0f}s: {e}"
                    ) from e
                self.stdout.write(f"Waiting for the database at {where}...")
                time.sleep(options["interval"])
