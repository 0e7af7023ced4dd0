"""Exceptions the services raise, each with a stable `code` that reaches API clients.

They subclass Django's own exceptions, so strawberry-django's error handling (and any other
Django code) treats them as it treats PermissionDenied, and the code travels with them.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError


class ErrorCode(StrEnum):
    """Codes outside Django's validation codes. They are API: never rename one."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    THROTTLED = "THROTTLED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    OWN_CHANNEL = "OWN_CHANNEL"
    UNSUPPORTED_FILE_TYPE = "UNSUPPORTED_FILE_TYPE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"


class Unauthenticated(PermissionDenied):
    code = ErrorCode.UNAUTHENTICATED

    def __init__(self, msg: str = "You must be signed in to do this.") -> None:
        super().__init__(msg)
        self.msg = msg


class Forbidden(PermissionDenied):
    code = ErrorCode.FORBIDDEN

    def __init__(self, msg: str = "You are not allowed to change this object.") -> None:
        super().__init__(msg)
        self.msg = msg


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A validation error keyed by field, the shape clients read from OperationInfo."""
    return ValidationError({field: ValidationError(message, code=code)})
