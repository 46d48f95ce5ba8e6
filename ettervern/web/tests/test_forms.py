"""Every form of every app, found by importing each app's ``forms`` module.

- every label, help text and choice label a user sees is translated to bokmål (checked against
  the gettext catalogue, so a word that is the same in both languages is allowed);
- an id one past the 64-bit range in any model choice is a form error, not a database error;
- a date in year 1 or 9999 is a form error in every date field.

A new form is covered automatically; a new constructor argument needs a line in ``_argument``.
"""

import datetime as dt
import importlib
import inspect
import re

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.utils import translation
from django.utils.translation import trans_real

from ettervern.accounts.models import Programme
from ettervern.employment.models import Company, Party
from ettervern.employment.tests.factories import jobs
from ettervern.lib import forms as safe
from ettervern.lib import labels
from ettervern.outcomes.forms import AnswerSheet
from ettervern.outcomes.services import STAFF_MODES
from ettervern.peers.models import Course, PeerWorker

TOO_BIG_ID = "9223372036854775808"
# Place names are the same in every language.
PROPER_NAMES = set(labels.AREA_LABELS.values())


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ettervern."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORM_CLASSES = _form_classes()


def _argument(name: str, personas, job):
    return {
        "participant": lambda: personas.participant,
        "companies": lambda: Company.objects.filter(programme=personas.programme_a),
        "programmes": lambda: Programme.objects.filter(organisation=personas.org_a),
        "programme": lambda: personas.programme_a,
        "courses": lambda: Course.objects.all(),
        "peers": lambda: PeerWorker.objects.filter(programme=personas.programme_a),
        "criteria": lambda: [],  # criteria are the agreement's own text, not UI strings
        "parties": lambda: list(Party.values),
        "tags": lambda: [],  # the choices are the users' own tags, not UI strings
        # Questions and scale labels are the instrument file's own (Norwegian) text.
        "sheet": lambda: AnswerSheet(questions=[], labels=[], scale_min=1, modes=list(STAFF_MODES)),
    }[name]()


def _build(cls, personas, job, data=None) -> forms.BaseForm:
    kwargs = {}
    for name, param in inspect.signature(cls).parameters.items():
        if param.kind == param.KEYWORD_ONLY and param.default is param.empty:
            try:
                kwargs[name] = _argument(name, personas, job)
            except KeyError:
                pytest.fail(f"{cls.__qualname__} needs {name}=: add it to _argument()")
    if issubclass(cls, forms.BaseModelForm):
        model = cls._meta.model
        kwargs["instance"] = job.placement if model is type(job.placement) else None
    return cls(data, **kwargs)


def _nb_catalog():
    return trans_real.translation("nb")._catalog


def _untranslated(text, catalog) -> str | None:
    """The English text, if it is shown in English under bokmål: not passed through gettext,
    or without a translation. A word that is the same in both is allowed if the catalogue
    says so."""
    with translation.override("en"):
        english = str(text)
    with translation.override("nb"):
        shown = str(text)
    if shown != english or not re.search(r"[A-Za-z]", english) or english in PROPER_NAMES:
        return None
    if english in catalog and catalog[english] == english:
        return None
    return english


def test_every_form_is_found():
    names = {c.__qualname__ for c in FORM_CLASSES}
    assert {"PlacementForm", "AgreementForm", "GroupAttendanceForm", "ContactForm"} <= names
    assert len(FORM_CLASSES) > 30


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_label_help_text_and_choice_is_norwegian(personas, cls):
    job = jobs(personas)
    catalog = _nb_catalog()
    with translation.override("nb"):
        form = _build(cls, personas, job)
        str(form)  # renders in bokmål without errors
        missing = []
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            texts = [form[name].label, field.help_text]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                for _value, label in field.choices:
                    if isinstance(label, list | tuple):  # an option group
                        texts += [sub for _v, sub in label]
                    else:
                        texts.append(label)
            missing += [f"{name}: {t!r}" for t in texts if t and _untranslated(t, catalog)]
    assert missing == []


def _fields(cls, personas, job, kind) -> list[str]:
    form = _build(cls, personas, job)
    return [n for n, f in form.fields.items() if isinstance(f, kind)]


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_model_choices_and_dates_use_the_safe_fields(personas, cls):
    job = jobs(personas)
    form = _build(cls, personas, job)
    unsafe = [
        name
        for name, field in form.fields.items()
        if (isinstance(field, forms.ModelChoiceField) and type(field).__module__ != safe.__name__)
        or (isinstance(field, forms.DateField) and not isinstance(field, safe.DateField))
        or (isinstance(field, forms.DateTimeField) and not isinstance(field, safe.DateTimeField))
    ]
    assert unsafe == []


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_an_id_out_of_the_64_bit_range_is_a_form_error(personas, cls):
    job = jobs(personas)
    for name in _fields(cls, personas, job, forms.ModelChoiceField):
        for value in (TOO_BIG_ID, "-1", "1.5", "x", "١"):
            prefixed = _build(cls, personas, job).add_prefix(name)
            form = _build(cls, personas, job, data={prefixed: [value]})
            with translation.override("nb"):
                assert not form.is_valid()
                assert form.errors.get(name), (name, value)
                shown = form.errors[name][0]
            with translation.override("en"):
                english = _build(cls, personas, job, data={prefixed: [value]}).errors[name][0]
            assert shown != english


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_a_date_in_year_1_or_9999_is_a_form_error(personas, cls):
    job = jobs(personas)
    for name in _fields(cls, personas, job, forms.DateField):
        for value in ("0001-01-01", "9999-12-31"):
            data = {_build(cls, personas, job).add_prefix(name): value}
            with translation.override("nb"):
                form = _build(cls, personas, job, data=data)
                assert not form.is_valid()
                assert form.errors.get(name), (name, value)
                shown = form.errors[name][0]
            with translation.override("en"):
                assert shown != _build(cls, personas, job, data=data).errors[name][0]
    for name in _fields(cls, personas, job, forms.DateTimeField):
        for value in ("0001-01-01T10:00", "9999-12-31T10:00"):
            form = _build(cls, personas, job, data={name: value})
            assert not form.is_valid() and form.errors.get(name), (name, value)


@time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_date_field_accepts_ten_years_either_side_and_says_the_limit():
    field = safe.DateField()
    assert field.clean("2017-03-01") == dt.date(2017, 3, 1)
    assert field.clean("2037-03-01") == dt.date(2037, 3, 1)
    with translation.override("nb"):
        with pytest.raises(forms.ValidationError) as early:
            field.clean("2017-02-28")
        with pytest.raises(forms.ValidationError) as late:
            field.clean("2037-03-02")
    assert early.value.messages == ["Datoen må være 01.03.2017 eller senere."]
    assert late.value.messages == ["Datoen må være 01.03.2037 eller tidligere."]


@time_machine.travel(dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC), tick=False)
def test_a_history_date_goes_back_to_1900_but_not_into_the_future():
    field = safe.DateField(earliest=safe.EARLIEST_HISTORY, years_ahead=0)
    assert field.clean("1900-01-01") == dt.date(1900, 1, 1)
    assert field.clean("2028-02-29") == dt.date(2028, 2, 29)
    for value in ("1899-12-31", "2028-03-01"):
        with pytest.raises(forms.ValidationError):
            field.clean(value)
    # 29 February ten years on is the 28th.
    assert safe.DateField().bounds() == (dt.date(2018, 2, 28), dt.date(2038, 2, 28))


@pytest.mark.parametrize(
    ("persona", "url", "field"),
    [
        ("peer_user", "/oppfolging/{participant}/avtale/", "goals"),
        ("peer_user", "/arbeid/deltaker/{participant}/ny/", "goals"),
        ("peer_user", "/arbeid/{placement}/endre/", "goals"),
        ("coordinator", "/likepersoner/fellesveiledning/{session}/", "attendees"),
    ],
)
def test_an_id_out_of_range_in_a_multiple_choice_is_refused_with_a_message(
    client, personas, persona, url, field
):
    from ettervern.peers.services import group_supervision_create

    job = jobs(personas)
    session = group_supervision_create(
        actor=personas.coordinator,
        programme=personas.programme_a,
        held_on=dt.date(2026, 1, 5),
        theme="Grenser",
    )
    ids = {"participant": personas.participant.pk, "placement": job.placement.pk}
    client.force_login(personas.user(persona))
    response = client.post(url.format(session=session.pk, **ids), {field: [TOO_BIG_ID]})
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert f"{TOO_BIG_ID}&quot; er ikke en gyldig verdi" in body
