"""Constant annotations for viewer fields when nobody is signed in."""

from typing import Any

from django.db.models import Field, Value


class ViewerConstant(Value):
    """A constant column (false, NONE) that stays distinct from every other annotation.

    Nested connections are paged with window functions, which Django wraps in a subquery
    (its QUALIFY emulation). That wrapper keys the selected expressions by equality, so two
    equal `Value(False)` annotations (say viewerCanEdit and viewerCanDelete of an anonymous
    caller) collapse into one column, the rows no longer line up with the fields, and the
    query fails with an IndexError. Naming the field makes each constant its own expression;
    the SQL is the same bare parameter.
    """

    def __init__(self, value: Any, *, field: str, output_field: Field | None = None) -> None:
        super().__init__(value, output_field=output_field)
        self.viewer_field = field
