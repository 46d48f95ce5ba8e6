"""The data migration gives organisations whose records use the Bergen or Oslo codes those
districts as their own areas, so nothing stored stops being valid."""

import importlib

from django.apps import apps

from conftest import make_org, make_participant
from ettervern.accounts.models import Area
from ettervern.participants.models import Participant

seed = importlib.import_module("ettervern.peers.migrations.0005_seed_areas").seed


def test_organisations_using_the_old_codes_get_their_citys_districts(personas):
    org, programme = make_org("gammel", "Gammel organisasjon", "Gammelt tiltak")
    Participant.objects.filter(pk=make_participant(programme, "Gunnar Gammel").pk).update(
        area="sagene"
    )
    empty, _ = make_org("tom", "Tom organisasjon", "Tomt tiltak")
    before_a = Area.objects.filter(organisation=personas.org_a).count()
    seed(apps, None)
    codes = set(Area.objects.filter(organisation=org).values_list("code", flat=True))
    assert "sagene" in codes and "frogner" in codes and "fana" not in codes
    assert not Area.objects.filter(organisation=empty).exists()
    assert Area.objects.filter(organisation=personas.org_a).count() == before_a  # had them
    seed(apps, None)  # twice changes nothing
    assert Area.objects.filter(organisation=org).count() == len(codes)
