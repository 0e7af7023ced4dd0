"""Per-user (or per-address, when anonymous) rate limits on mutations, declared on the field.

Counts live in Django's cache (Redis when configured), so every worker shares them. Each
limit is a setting: RATE_LIMITS[scope] = (requests, window in seconds). When the cache is
unreachable, requests are let through and a warning is logged: a dead Redis must not take the
API down with it.
"""

import logging
import time
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry_django.fields.types import OperationInfo, OperationMessage

from graphql_schema.context import viewer_id
from project.core.errors import ErrorCode

logger = logging.getLogger(__name__)


def client_identity(info: Info) -> str:
    uid = viewer_id(info)
    if uid is not None:
        return f"user:{uid}"
    request = info.context["request"]
    return f"addr:{request.META.get('REMOTE_ADDR', 'unknown')}"


class RateLimit(FieldExtension):
    def __init__(self, scope: str) -> None:
        self.scope = scope

    def refusal(self, info: Info) -> OperationInfo | None:
        """Count this call; an OperationInfo saying when to retry once over the limit."""
        limit, window = settings.RATE_LIMITS[self.scope]
        now = time.time()
        key = f"ratelimit:{self.scope}:{client_identity(info)}:{int(now // window)}"
        try:
            cache.add(key, 0, timeout=window)
            count = cache.incr(key)
        except Exception:
            logger.warning(
                "rate limit %s not enforced: cache unavailable", self.scope, exc_info=True
            )
            return None
        if count <= limit:
            return None
        retry_after = int(window - now % window) + 1
        return OperationInfo(
            messages=[
                OperationMessage(
                    kind=OperationMessage.Kind.PERMISSION,
                    message=f"Too many requests. Try again in {retry_after} seconds.",
                    code=ErrorCode.THROTTLED,
                )
            ]
        )

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        return self.refusal(info) or next_(source, info, **kwargs)

    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        refused = await sync_to_async(self.refusal)(info)
        if refused is not None:
            return refused
        result = next_(source, info, **kwargs)
        return await result if hasattr(result, "__await__") else result
