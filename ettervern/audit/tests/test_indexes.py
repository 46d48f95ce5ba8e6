"""The audit log grows with every page read: the columns pages query must be indexed."""

import pytest
from django.db import connection

from ettervern.audit.models import AuditEvent


def _indexed_column_lists() -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    return [c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "leading",
    [
        ["request_id"],  # refusals already audited in this request (web.views)
        ["programme_id", "at"],  # the coordinator's audit log
        ["organisation_id", "at"],  # refusals are filed under the actor's organisation
        ["actor_id", "at"],  # what one user did
        ["participant_id", "at"],  # the timeline and the participant's own access log
    ],
)
def test_the_columns_pages_query_lead_an_index(leading):
    assert any(cols[: len(leading)] == leading for cols in _indexed_column_lists())
