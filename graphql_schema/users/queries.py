import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry.types import Info

from graphql_schema.context import viewer_id
from graphql_schema.users.types import UserType
from project.users.models import User


@strawberry.type
class Query:
    @strawberry_django.field(description="The signed-in user; null when anonymous.")
    def viewer(self, info: Info) -> UserType | None:
        uid = viewer_id(info)
        if uid is None:
            return None
        qs: QuerySet[User] = User.objects.filter(pk=uid)
        return qs  # type: ignore[return-value]  # the optimizer shapes it, then takes .first()
