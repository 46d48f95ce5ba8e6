import datetime as dt

from ettervern.reports.models import Export


def export_of(user, programme) -> Export:
    """One export per user and programme (the URL walker asks for it repeatedly)."""
    found = Export.objects.filter(requested_by=user, programme=programme).first()
    if found:
        return found
    return Export.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        requested_by=user,
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 30),
        format=Export.Format.XLSX,
        data={"sections": []},
    )
