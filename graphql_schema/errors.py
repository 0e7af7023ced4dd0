"""How errors reach clients.

Every top-level error gets `extensions.code`. Expected failures keep their message and code
(UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, validation codes ...). Anything
unexpected is logged with a request id and, outside DEBUG, replaced by INTERNAL_SERVER_ERROR
with that id: no exception text, SQL or stack trace ever reaches a client.
"""

import logging
import uuid
from collections.abc import Iterator
from types import TracebackType

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, InterfaceError, OperationalError
from graphql import GraphQLError
from psycopg_pool import PoolTimeout
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import StreamExecutionResult
from strawberry.utils.str_converters import to_camel_case

from project.core.errors import ErrorCode

logger = logging.getLogger("graphql_schema.errors")

BAD_USER_INPUT = "BAD_USER_INPUT"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"
UNAVAILABLE = "SERVICE_UNAVAILABLE"


class ClientError(Exception):
    """An error whose message is meant for the client, with its code."""

    def __init__(self, message: str, code: str = BAD_USER_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _raised_in(tb: TracebackType | None, prefix: str) -> bool:
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_globals.get("__name__", "").startswith(prefix)


def validation_details(error: ValidationError) -> dict[str, str]:
    """The input field and Django's validation code of a query argument that was refused."""
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        return {"field": to_camel_case(field), "validationCode": str(errors[0].code or "invalid")}
    return {"validationCode": str(getattr(error, "code", None) or "invalid")}


def classify(error: Exception) -> tuple[str, str, dict[str, str]] | None:
    """(code, client message, extra extensions) for an expected error; None to mask it."""
    if isinstance(error, ValidationError):
        # A query's bad argument: GraphQL clients know BAD_USER_INPUT; Django's code rides along.
        return BAD_USER_INPUT, " ".join(error.messages), validation_details(error)
    known = _classify(error)
    return (*known, {}) if known is not None else None


def _classify(error: Exception) -> tuple[str, str] | None:
    if isinstance(error, ClientError):
        return error.code, str(error)
    if isinstance(error, GraphQLError):
        # graphql-core's own refusal of a request value (a variable of the wrong type).
        return BAD_USER_INPUT, error.message
    if isinstance(error, PermissionDenied):
        return getattr(error, "code", ErrorCode.FORBIDDEN), str(error) or "Permission denied."
    if isinstance(error, ObjectDoesNotExist):
        return ErrorCode.NOT_FOUND, "Not found."
    if isinstance(error, GlobalIDValueError):
        return BAD_USER_INPUT, "Invalid global id."
    if isinstance(error, InvalidOperationTypeError):
        # Only streams get here (HTTP answers 400 itself): websockets run subscriptions only.
        return BAD_USER_INPUT, (
            f"{error.operation_type.value.capitalize()} operations are not allowed over this "
            "transport: websockets carry subscriptions; send queries and mutations over HTTP."
        )
    if isinstance(error, DataError | ValueError) and "NUL (0x00)" in str(error):
        # PostgreSQL text cannot hold NUL characters; the driver refuses them before sending.
        return BAD_USER_INPUT, "Text must not contain NUL (0x00) characters."
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return UNAVAILABLE, "The service is temporarily unavailable. Try again shortly."
    if isinstance(error, ValueError | TypeError) and _raised_in(
        error.__traceback__, "strawberry.relay"
    ):
        # Pagination argument checks ("Argument 'first' must be ..."): meant for users. The
        # other errors there come from decoding a malformed cursor.
        if str(error).startswith("Argument '"):
            return BAD_USER_INPUT, str(error)
        return BAD_USER_INPUT, "The cursor is not valid: use one from a page's edges."
    return None


def format_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    extensions = dict(error.extensions or {})
    if original is None:
        extensions.setdefault("code", VALIDATION_FAILED)
        return GraphQLError(
            error.message,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            extensions=extensions,
        )
    known = classify(original)
    if known is not None:
        code, message, details = known
        extensions.update(details, code=str(code))
        if extensions["code"] == UNAVAILABLE:
            logger.warning("database unavailable: %r", original)
    else:
        request_id = uuid.uuid4().hex
        logger.error("unexpected error (request id %s)", request_id, exc_info=original)
        extensions.update(code=INTERNAL, requestId=request_id)
        message = error.message if settings.DEBUG else "Internal server error."
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, extensions=extensions
    )


class ErrorFormatter(SchemaExtension):
    """Applies `format_error` to every error of an operation's result, and to every result
    of a stream (subscription events) before it is sent."""

    def on_operation(self) -> Iterator[None]:
        self._streamed = False
        yield
        if self._streamed:
            return
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [format_error(e) for e in errors]

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        self._streamed = True
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [format_error(e) for e in errors]  # type: ignore[union-attr]
        yield
