"""Each user chooses on/off and the hour on their own page; bad input is a Norwegian message."""

import pytest

from ettervern.audit.models import AuditEvent
from ettervern.reminders.models import ReminderSettings

pytestmark = pytest.mark.django_db


def test_a_peer_turns_the_digest_on_and_picks_an_hour(client, personas):
    client.force_login(personas.peer_user)
    response = client.post("/varsler/", {"digest_enabled": "on", "digest_hour": "6"})
    assert response.status_code == 302
    row = ReminderSettings.objects.get(user=personas.peer_user)
    assert (row.digest_enabled, row.digest_hour) == (True, 6)
    event = AuditEvent.objects.get(data__event="reminder_settings_changed")
    assert event.data == {
        "event": "reminder_settings_changed",
        "digest_enabled": True,
        "digest_hour": 6,
    }
    page = client.get("/varsler/").content.decode()
    assert 'value="6" selected' in page


@pytest.mark.parametrize("hour", ["24", "-1", "7.5", "x", "", "99999999999999999999"])
def test_an_hour_out_of_range_is_refused_in_norwegian(client, personas, hour):
    client.force_login(personas.peer_user)
    response = client.post("/varsler/", {"digest_enabled": "on", "digest_hour": hour})
    assert response.status_code == 400
    assert "Velg en time fra 0 til 23." in response.content.decode()
    assert not ReminderSettings.objects.exists()


def test_wrong_method_is_refused(client, personas):
    client.force_login(personas.peer_user)
    assert client.get("/varsler/kalender/ny/").status_code == 405
    assert client.put("/varsler/").status_code == 405
