"""Helpers for partial-update inputs."""

from typing import Any

import strawberry


def provided(input_obj: Any, fields: list[str]) -> dict[str, Any]:
    """The fields a client actually sent (neither left out nor null), by Python name."""
    values = {name: getattr(input_obj, name) for name in fields}
    return {k: v for k, v in values.items() if v is not strawberry.UNSET and v is not None}
