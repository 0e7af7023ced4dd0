"""Helpers the domain services share."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, fields: list[str], data: dict[str, Any]) -> tuple[M, bool]:
    """Set the keys of `data` that are listed in `fields`, validate, save only what changed.

    Returns the instance and whether anything changed. Keys absent from `data` are left alone,
    which is what a partial update means.
    """
    changed = [f for f in fields if f in data and getattr(instance, f) != data[f]]
    for field in changed:
        setattr(instance, field, data[field])
    if changed:
        instance.full_clean()
        update_fields = changed
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields = [*changed, "updated_at"]
        instance.save(update_fields=update_fields)
    return instance, bool(changed)
