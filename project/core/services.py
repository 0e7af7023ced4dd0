"""Helpers the domain services share."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction

from project.core.errors import ErrorCode, field_error

M = TypeVar("M", bound=models.Model)

# Lock order. Writes that lock more than one row take them in this order of tables:
# channel, then video, then comment. Two writes can then never wait for each other in a
# cycle (a deadlock, which PostgreSQL breaks by failing one of them).


def not_found(field: str, model: type[models.Model]) -> ValidationError:
    """The error for an id whose row does not exist (any more): NOT_FOUND on its field."""
    return field_error(field, f"No {model.__name__} with this id exists.", ErrorCode.NOT_FOUND)


def lock_row(
    queryset: models.QuerySet[M] | models.Manager[M], pk: Any, *, field: str, no_key: bool = False
) -> M:
    """The row `pk` of `queryset`, locked until the transaction ends (call inside one).

    A row deleted by a concurrent write (after the caller looked it up) is a NOT_FOUND error
    on `field`, like an unknown id. `no_key=True` takes FOR NO KEY UPDATE, which still
    serialises writers of the row but lets rows referencing it be inserted meanwhile.
    """
    row = queryset.select_for_update(no_key=no_key).filter(pk=pk).first()
    if row is None:
        raise not_found(field, queryset.model)
    return row


def model_validate(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """`full_clean()`, plus the `max_length` of TextFields, all errors reported together.

    Django enforces `max_length` on CharFields only; on a TextField it is a hint for form
    widgets that neither the model nor the database checks. Our text limits (descriptions,
    comments) are API rules, so they are checked here, with Django's `max_length` code and
    message, for every service to share.
    """
    skipped = set(exclude or ())
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.full_clean(exclude=list(skipped) or None)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    for field in instance._meta.concrete_fields:
        if (
            not isinstance(field, models.TextField)
            or field.max_length is None
            or field.name in skipped
            or field.name in errors
        ):
            continue
        value = getattr(instance, field.attname)
        if value is None:
            continue
        try:
            MaxLengthValidator(field.max_length)(value)
        except ValidationError as e:
            errors[field.name] = e.error_list
    if errors:
        raise ValidationError(errors)


def model_save(instance: models.Model, **save_kwargs: Any) -> None:
    """Save; a unique value taken meanwhile by a concurrent write is a `unique` field error.

    `model_validate()` checks uniqueness, but two requests can both pass that check before
    either commits; the database's unique index then stops the second, which waited for the
    first to commit. Its committed row is visible now, so `validate_unique()` reports the
    conflict just as it would have if the requests had come one after the other.
    """
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError:
        instance.validate_unique()
        raise


def model_update(*, instance: M, fields: list[str], data: dict[str, Any]) -> tuple[M, bool]:
    """Set the keys of `data` that are listed in `fields`, validate, save only what changed.

    Returns the instance and whether anything changed. Keys absent from `data` are left alone,
    which is what a partial update means.
    """
    changed = [f for f in fields if f in data and getattr(instance, f) != data[f]]
    for field in changed:
        setattr(instance, field, data[field])
    if changed:
        model_validate(instance)
        update_fields = changed
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields = [*changed, "updated_at"]
        model_save(instance, update_fields=update_fields)
    return instance, bool(changed)
