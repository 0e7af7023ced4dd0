from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from project.core.persisted_documents import document_store


class Command(BaseCommand):
    help = (
        "Store GraphQL documents (one operation per .graphql file) as persisted queries, "
        "without expiry, and print their sha256 hashes (for GRAPHQL_PERSISTED_QUERIES_ONLY)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, **options) -> None:
        for path in options["files"]:
            digest = document_store(path.read_text(), timeout=None)
            self.stdout.write(f"{digest}  {path}")
