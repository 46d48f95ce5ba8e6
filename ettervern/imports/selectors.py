"""Reads of the import pages, scoped to the coordinator asking."""

from django.db.models import QuerySet
from django.http import Http404

from ettervern.accounts.models import Role, User
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.audit.services import audit_denied
from ettervern.imports.models import ImportUpload


def uploads_visible_to(user: User) -> QuerySet[ImportUpload]:
    return ImportUpload.objects.filter(
        programme_id__in=programme_ids_for_role(user, Role.COORDINATOR)
    )


def get_upload_for_user(user: User, pk: int) -> ImportUpload:
    upload = uploads_visible_to(user).select_related("programme").filter(pk=pk).first()
    if upload is None:
        audit_denied(actor=user, object_type="imports.importupload", object_id=pk)
        raise Http404
    return upload
