"""Automatic Persisted Queries, as Apollo clients send them.

A client first sends only `extensions.persistedQuery.sha256Hash`; when the server does not
know it, it answers PersistedQueryNotFound and the client sends the query with its hash, which
is then remembered (in the cache: Redis when configured, so every process shares it; entries
expire, so the store stays bounded). With GRAPHQL_PERSISTED_QUERIES_ONLY, only documents
already stored (see the `persist_queries` command) run, and clients cannot add new ones.
"""

import re
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from project.core.persisted_documents import document_digest, document_get, document_store

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
REQUIRED = "PERSISTED_QUERY_REQUIRED"
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


class PersistedQueries(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        # Websocket transports pass no operation extensions: "only persisted" governs HTTP.
        over_http = isinstance(getattr(ctx.context, "request", None), HttpRequest)
        only_persisted = settings.GRAPHQL_PERSISTED_QUERIES_ONLY and over_http
        persisted = (ctx.operation_extensions or {}).get("persistedQuery")
        if persisted is None:
            if only_persisted:
                raise _error("Only persisted queries are accepted here.", REQUIRED)
        else:
            if not (
                isinstance(persisted, dict)
                and persisted.get("version", 1) == 1
                and SHA256_HEX.match(str(persisted.get("sha256Hash")))
            ):
                raise _error("persistedQuery needs version 1 and a sha256Hash.", "BAD_USER_INPUT")
            digest = str(persisted["sha256Hash"])
            if ctx.query is None:
                ctx.query = document_get(digest)
                if ctx.query is None:
                    raise _error("PersistedQueryNotFound", NOT_FOUND)
            elif document_digest(ctx.query) != digest:
                raise _error("provided sha does not match query", "BAD_USER_INPUT")
            elif only_persisted:
                if document_get(digest) is None:
                    raise _error("Only persisted queries are accepted here.", REQUIRED)
            else:
                document_store(ctx.query, timeout=settings.GRAPHQL_APQ_TTL_SECONDS)
        yield
