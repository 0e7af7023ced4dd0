"""The store of persisted GraphQL documents: sha256 -> document text, in the cache (Redis when
configured, so every process shares it)."""

import hashlib

from django.core.cache import cache


def cache_key(digest: str) -> str:
    return f"apq:{digest}"


def document_digest(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def document_get(digest: str) -> str | None:
    return cache.get(cache_key(digest))


def document_store(document: str, *, timeout: int | None) -> str:
    """Store a document; returns its digest. timeout=None keeps it until evicted."""
    digest = document_digest(document)
    cache.set(cache_key(digest), document, timeout=timeout)
    return digest
