"""One idempotency mechanism for every create form.

A create form carries a hidden ``submission_key`` (``ettervern.lib.forms.SubmissionKeyMixin``).
The create service is wrapped by ``once_per_submission``: the object and a ``Submission`` row
with the key are written in one transaction, so the same form sent twice, one after the other
or at the same moment (the unique key decides the race), returns the object created the first
time instead of storing a copy.
"""

import functools
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from ettervern.accounts.models import User
from ettervern.audit.models import Submission

M = TypeVar("M", bound=models.Model)


def _first_object(key: uuid.UUID, actor: User, model: type[M]) -> M | None:
    seen = Submission.objects.filter(key=key).first()
    if seen is None:
        return None
    if seen.actor_id != actor.pk or seen.object_type != ContentType.objects.get_for_model(model):
        raise ValidationError(_("The form was already used. Open it again."))
    found = model._default_manager.filter(pk=seen.object_id).first()
    if found is None:
        # The first object was deleted since: sending the old form again must not revive it.
        raise ValidationError(_("The form was already used. Open it again."))
    return found


def create_once(
    *, actor: User, key: uuid.UUID | None, model: type[M], create: Callable[[], M]
) -> tuple[M, bool]:
    """``create()`` unless ``key`` was handled before for ``actor``: (object, created)."""
    if key is None:
        return create(), True
    with transaction.atomic():
        existing = _first_object(key, actor, model)
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                obj = create()
                Submission.objects.create(
                    key=key,
                    actor=actor,
                    object_type=ContentType.objects.get_for_model(model),
                    object_id=obj.pk,
                )
        except IntegrityError:
            # The same form arrived twice at the same moment: the other request stored it.
            existing = _first_object(key, actor, model)
            if existing is None:
                raise
            return existing, False
        return obj, True


def once_per_submission(model: type[M]):
    """Give a create service ``(*, actor, ..., submission_key=None)`` that stores one ``model``
    per key and actor; a repeated key returns the object stored the first time."""

    def decorate(service: Callable[..., M]) -> Callable[..., M]:
        @functools.wraps(service)
        def wrapper(*, actor: User, submission_key: uuid.UUID | None = None, **kwargs) -> M:
            obj, _created = create_once(
                actor=actor,
                key=submission_key,
                model=model,
                create=lambda: service(actor=actor, **kwargs),
            )
            return obj

        return wrapper

    return decorate
