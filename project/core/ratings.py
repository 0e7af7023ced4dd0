"""Likes and dislikes, shared by videos and comments."""

from django.db import models
from django.db.models import F

from project.core.models import RatingValue
from project.core.services import not_found

COUNTER_FIELD: dict[str, str] = {
    RatingValue.LIKE.value: "like_count",
    RatingValue.DISLIKE.value: "dislike_count",
}


def rating_set(
    *,
    rating_model: type[models.Model],
    target_model: type[models.Model],
    target_field: str,
    target_pk: int,
    user: models.Model,
    rating: str | None,
    field: str,
) -> bool:
    """Set `user`'s rating of one target (None clears it); returns whether anything changed.

    Call inside a transaction. The target row is locked first, so concurrent ratings of one
    target are applied one after another and its like/dislike counters stay exact. A target
    deleted meanwhile is a NOT_FOUND error on `field` (the argument that named it).
    """
    locked = target_model._default_manager.select_for_update().filter(pk=target_pk)
    if not locked.values_list("pk").exists():
        raise not_found(field, target_model)
    existing = rating_model._default_manager.filter(user=user, **{target_field: target_pk}).first()
    old = existing.value if existing else None  # type: ignore[attr-defined]
    if old == rating:
        return False
    if rating is None:
        existing.delete()  # type: ignore[union-attr]
    elif existing is None:
        rating_model._default_manager.create(user=user, value=rating, **{target_field: target_pk})
    else:
        existing.value = rating  # type: ignore[attr-defined]
        existing.save(update_fields=["value", "updated_at"])
    deltas = {}
    if old:
        deltas[COUNTER_FIELD[old]] = F(COUNTER_FIELD[old]) - 1
    if rating:
        deltas[COUNTER_FIELD[rating]] = F(COUNTER_FIELD[rating]) + 1
    target_model._default_manager.filter(pk=target_pk).update(**deltas)
    return True
