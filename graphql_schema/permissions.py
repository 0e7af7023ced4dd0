"""Permission extensions whose failures carry the API's codes."""

from typing import Any

from strawberry.types import Info
from strawberry.types.union import StrawberryUnion
from strawberry_django.fields.types import OperationInfo, OperationMessage
from strawberry_django.permissions import IsAuthenticated as _IsAuthenticated

from project.core.errors import ErrorCode, Unauthenticated


class IsAuthenticated(_IsAuthenticated):
    """Only signed-in users.

    A mutation (whose payload is `X | OperationInfo`) answers with an OperationInfo message
    coded UNAUTHENTICATED; a query raises, which becomes a top-level error with that code.
    """

    DEFAULT_ERROR_MESSAGE = "You must be signed in to do this."

    def handle_no_permission(self, exception: BaseException, *, info: Info) -> Any:
        return_type = info.return_type
        if isinstance(return_type, StrawberryUnion) and OperationInfo in return_type.types:
            return OperationInfo(
                messages=[
                    OperationMessage(
                        kind=OperationMessage.Kind.PERMISSION,
                        message=self.message,
                        code=ErrorCode.UNAUTHENTICATED,
                    )
                ]
            )
        raise Unauthenticated(self.message) from exception
