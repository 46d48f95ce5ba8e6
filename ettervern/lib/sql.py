"""Small SQL helpers shared by the selectors."""

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def id_set(ids: Iterable[int]) -> RawSQL:
    """A subquery of these ids for ``pk__in``, sent as one parameter (an array on PostgreSQL,
    JSON on SQLite): a list of hundreds of ids as hundreds of placeholders costs more to build
    and to send than the query it filters."""
    values = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (values,))  # noqa: S611 - fixed text
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values),))  # noqa: S611
