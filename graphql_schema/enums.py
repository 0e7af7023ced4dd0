"""The API's enums."""

from enum import Enum

import strawberry


@strawberry.enum(description="A user's rating of a video or a comment.")
class Rating(Enum):
    LIKE = strawberry.enum_value("LIKE", description="Thumbs up.")
    DISLIKE = strawberry.enum_value("DISLIKE", description="Thumbs down.")
    NONE = strawberry.enum_value("NONE", description="No rating (also: clears a rating).")

    def as_model_value(self) -> str | None:
        """The stored value: no row at all stands for NONE."""
        return None if self is Rating.NONE else self.value


@strawberry.enum(description="Who can see a video.")
class Visibility(Enum):
    PUBLIC = strawberry.enum_value(
        "PUBLIC", description="Listed everywhere: lists, search, feeds and counts."
    )
    UNLISTED = strawberry.enum_value(
        "UNLISTED", description="Not listed; anyone who has its id can open it."
    )
    PRIVATE = strawberry.enum_value("PRIVATE", description="Only the channel's owner sees it.")

    def as_model_value(self) -> str:
        return str(self.value)


@strawberry.enum(description="How a video's comments are ordered.")
class CommentSort(Enum):
    NEWEST = strawberry.enum_value("NEWEST", description="Newest first.")
    TOP = strawberry.enum_value("TOP", description="Most liked first, then newest.")
