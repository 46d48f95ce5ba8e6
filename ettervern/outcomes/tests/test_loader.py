import shutil

import pytest

from ettervern.outcomes import loader
from ettervern.outcomes.models import Instrument, Item


@pytest.mark.django_db
def test_the_shipped_instruments_are_loaded_by_migrate():
    barc = Instrument.objects.get(code="barc10", version=1)
    assert barc.items.count() == 10
    assert (barc.scale_min, barc.scale_max) == (1, 6)
    assert barc.total_range == (10, 60)
    assert [c["score"] for c in barc.cutoffs] == [47]
    assert barc.translation_validated is False
    assert barc.source and barc.licence and barc.language == "nb"
    trust = Instrument.objects.get(code="trust")
    subscales = set(trust.items.values_list("subscale", flat=True))
    assert subscales == {"ability", "benevolence", "integrity"}
    assert trust.items.count() == 9 and trust.requires_match
    goals = Instrument.objects.get(code="goals")
    assert goals.kind == Instrument.Kind.GOALS and goals.items.count() == 0


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    before = list(Instrument.objects.values_list("pk", "digest"))
    results = loader.load_all()
    assert {r.code for r in results} == {"barc10", "trust", "goals"}
    assert not any(r.created for r in results)
    assert list(Instrument.objects.values_list("pk", "digest")) == before
    assert Item.objects.count() == 19


@pytest.mark.django_db
def test_a_changed_file_needs_a_new_version(tmp_path):
    path = tmp_path / "barc10.toml"
    text = (loader.INSTRUMENT_DIR / "barc10.toml").read_text()
    path.write_text(text.replace("Stort sett", "Stort sett sett"))
    with pytest.raises(loader.InstrumentFileError, match="new version"):
        loader.load_file(path)
    path.write_text(text.replace("version = 1", "version = 2").replace("Stort sett", "Jevnt over"))
    assert loader.load_file(path).created
    # The old version and its items stay, for the answers given in it.
    assert Instrument.objects.filter(code="barc10").count() == 2
    assert Item.objects.filter(instrument__code="barc10", instrument__version=1).count() == 10


@pytest.mark.parametrize(
    "change, message",
    [
        (("total_max = 60", "total_max = 61"), "total_min/total_max"),
        (('method = "sum"', 'method = "median"'), "unknown scoring method"),
        (("max = 6", "max = 7"), "one label per scale step"),
        (("translation_validated = false", 'translation_validated = "nei"'), "true or false"),
    ],
)
def test_a_broken_file_is_refused_with_the_reason(tmp_path, change, message):
    shutil.copy(loader.INSTRUMENT_DIR / "barc10.toml", tmp_path / "x.toml")
    path = tmp_path / "x.toml"
    path.write_text(path.read_text().replace(*change))
    with pytest.raises(loader.InstrumentFileError, match=message):
        loader.parse(path)
