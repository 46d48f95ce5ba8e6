"""The programme's office hours decide what counts as out of hours."""

import datetime as dt

import time_machine
from django.utils import timezone

from conftest import make_match, make_participant
from ettervern.followup import budget
from ettervern.followup.selectors import contacts_for, time_budget
from ettervern.followup.services import contact_log
from ettervern.orgadmin import services as orgadmin_services
from ettervern.peers.models import PeerWorker


def _next_wednesday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(2 - today.weekday()) % 7 or 7)


def _at(day: dt.date, hour: int, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_office_hours_change_what_counts_as_out_of_hours(personas):
    wednesday = _next_wednesday()
    with time_machine.travel(_at(wednesday, 20), tick=False):
        match = make_match(make_participant(personas.programme_a, "Ola Sen"), personas.other_peer)
        at = _at(wednesday, 16)
        contact_log(actor=personas.other_peer_user, match=match, kind="phone", occurred_at=at)
        [listed] = contacts_for(personas.coordinator, match.participant)
        assert listed.out_of_hours == ""  # 16:30 is inside the default 08:00–17:00
        row = budget.ContactRow(at, 60, "held")
        period = budget.Period(wednesday, wednesday)
        assert budget.budget_for(period, [], [row], 1).out_of_hours_minutes == 0

        orgadmin_services.programme_update(
            actor=personas.admin,
            programme=personas.programme_a,
            office_opens=dt.time(9, 0),
            office_closes=dt.time(16, 0),
        )
        [listed] = contacts_for(personas.coordinator, match.participant)
        assert listed.out_of_hours == "evening"
        office = (dt.time(9, 0), dt.time(16, 0))
        assert budget.budget_for(period, [], [row], 1, office).out_of_hours_minutes == 60
        contact_log(
            actor=personas.other_peer_user,
            match=match,
            kind="phone",
            occurred_at=_at(wednesday, 8),
            duration_minutes=30,
        )
        kinds = {c.out_of_hours for c in contacts_for(personas.coordinator, match.participant)}
        assert kinds == {"evening", "night"}  # 08:30 is before the office opens
        peer = PeerWorker.objects.select_related("programme").get(pk=personas.other_peer.pk)
        assert sum(w.out_of_hours_minutes for w in time_budget(peer).weeks) == 90


def test_admin_sets_office_hours_on_the_programme_page(client, personas):
    client.force_login(personas.admin)
    url = f"/admin-org/tiltak/{personas.programme_a.pk}/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data |= {"office_opens": "09:00", "office_closes": "08:00"}
    response = client.post(url, data)
    assert "Kontortiden må slutte etter at den begynner." in response.content.decode()
    data |= {"office_closes": "15:30"}
    assert client.post(url, data).status_code == 302
    personas.programme_a.refresh_from_db()
    assert personas.programme_a.office_hours == (dt.time(9, 0), dt.time(15, 30))
