from django.core.management import call_command

from ettervern.accounts.models import User
from ettervern.peers.models import Candidate, CheckIn, GroupSupervision, Supervision
from ettervern.web.tests.home import home_page


def test_demo_shows_the_peer_side_and_the_missing_group_supervision(client, db):
    call_command("seed_demo", "--quiet-logins")
    assert set(Candidate.objects.values_list("status", flat=True)) == set(Candidate.Status.values)
    assert Supervision.objects.exclude(notes="").exists()
    assert CheckIn.objects.filter(support_wanted=True).exists()
    assert GroupSupervision.objects.exclude(attendees=None).exists()
    warning = "Ingen fellesveiledning er holdt eller planlagt denne måneden"
    for domain, warns in (("oslo", True), ("bergen", False)):
        client.force_login(User.objects.get(email=f"koordinator@{domain}.demo.ettervern.no"))
        home = home_page(client).content.decode()
        assert (warning in home) is warns, domain
        assert "Likepersoner som kan trenge deg" in home
        assert "Har ikke vært på fellesveiledning på to måneder" in home
        assert client.get("/likepersoner/?sort=-hours").status_code == 200
        assert client.get("/likepersoner/kandidater/").status_code == 200


def test_scale_seed_adds_check_ins_and_group_supervision_in_bulk(db):
    call_command("seed_demo", "--scale", "200", "--quiet-logins")
    scale = {"organisation__slug": "skala-200"}
    assert CheckIn.objects.filter(**scale).count() == 20
    assert GroupSupervision.objects.filter(**scale).count() == 1
