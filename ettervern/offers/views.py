"""The offers directory: search on a phone, offer pages, editing, suggestions, spreadsheet,
sharing with partner organisations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.models import Organisation, Role
from ettervern.accounts.selectors import memberships_of
from ettervern.audit.decorators import role_required
from ettervern.audit.services import audit_denied
from ettervern.matching.access import Need, get_participant_for_user, participants_for
from ettervern.offers import selectors, services, sheets
from ettervern.offers.forms import (
    FilterForm,
    ImportForm,
    OfferForm,
    OutcomeForm,
    SharingForm,
    SuggestForm,
)
from ettervern.offers.models import Sharing, Suggestion, categories_for_life_areas

READERS = (Role.COORDINATOR, Role.ORG_ADMIN, Role.PEER_WORKER, Role.PARTICIPANT)
EDITORS = (Role.COORDINATOR, Role.ORG_ADMIN)
PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisation(user, roles) -> Organisation | None:
    """The organisation whose directory the user works in (their first with such a role)."""
    for m in memberships_of(user):
        if m.role in roles:
            return m.organisation
    return None


def _editor_organisation(user) -> Organisation:
    organisation = _organisation(user, EDITORS)
    if organisation is None:
        raise Http404
    return organisation


@require_GET
@role_required(*READERS)
def offer_list(request):
    organisation = _organisation(request.user, READERS)
    form = FilterForm(request.GET or None, organisation=organisation)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    offers = selectors.search(
        selectors.offers_visible_to(request.user).select_related("organisation"),
        text=data.get("q", ""),
        category=data.get("category", ""),
        area=data.get("area", ""),
        stale_only=data.get("stale", False),
        today=today,
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("side"))
    selectors.with_area_names(page.object_list)
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "stale_before": selectors.stale_before(today),
        "own_organisations": selectors.organisation_ids_for(request.user),
        "can_edit": bool(selectors.organisation_ids_for(request.user, EDITORS)),
        "is_admin": Role.ORG_ADMIN in {m.role for m in memberships_of(request.user)},
    }
    template = "offers/_results.html" if request.htmx else "offers/list.html"
    return render(request, template, context)


@require_GET
@role_required(*READERS)
def offer_detail(request, offer_id: int):
    offer = selectors.get_offer_for_user(request.user, offer_id)
    selectors.with_area_names([offer])
    can_edit = selectors.can_edit(request.user, offer)
    # Whom the user may suggest it to: the participants they follow now (the access module).
    followed = participants_for(request.user, Need.FOLLOW).order_by("name")[:50]
    context = {
        "offer": offer,
        "stale": selectors.is_stale(offer),
        "can_edit": can_edit,
        "shared_from": offer.organisation
        if offer.organisation_id not in selectors.organisation_ids_for(request.user)
        else None,
        "followed": followed,
    }
    return render(request, "offers/detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def offer_create(request):
    organisation = _editor_organisation(request.user)
    form = OfferForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}
        try:
            offer = services.offer_create(
                actor=request.user,
                organisation=organisation,
                submission_key=form.cleaned_data.get("submission_key"),
                **data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The offer was added to the directory."))
            return redirect("offers:detail", offer_id=offer.pk)
    return _form_page(request, form, _("New offer"))


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def offer_edit(request, offer_id: int):
    offer = selectors.get_offer_for_user(request.user, offer_id, for_write=True)
    form = OfferForm(request.POST or None, instance=offer, organisation=offer.organisation)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}
        try:
            services.offer_update(actor=request.user, offer=offer, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The offer was saved."))
            return redirect("offers:detail", offer_id=offer.pk)
    return _form_page(request, form, _("Change the offer"), offer=offer)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_page(request, form, title, offer=None):
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "offers/form.html", {"form": form, "title": title, "offer": offer}, status=status
    )


@require_POST
@role_required(*EDITORS)
def offer_confirm(request, offer_id: int):
    offer = selectors.get_offer_for_user(request.user, offer_id, for_write=True)
    services.offer_confirm(actor=request.user, offer=offer)
    messages.success(request, _("Thank you: the offer is marked as checked today."))
    return redirect("offers:detail", offer_id=offer.pk)


# --- suggestions ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def suggest(request, offer_id: int, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    offer = selectors.get_offer_for_user(request.user, offer_id)
    form = SuggestForm(request.POST or None, participant=participant)
    if request.method == "GET":
        fitting = [
            g
            for g in form.fields["goal"].queryset
            if offer.category in categories_for_life_areas([g.life_area])
        ]
        if fitting:
            form.fields["goal"].initial = fitting[0].pk
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_create(
                actor=request.user,
                participant=participant,
                offer=offer,
                goal=form.cleaned_data["goal"],
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(offer)s was suggested to %(name)s.")
                % {"offer": offer.name, "name": participant.name},
            )
            return redirect("participants:detail", participant_id=participant.pk)
    context = {"form": form, "offer": offer, "participant": participant}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "offers/suggest.html", context, status=status)


@require_POST
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def suggestion_outcome(request, suggestion_id: int):
    suggestion = (
        Suggestion.objects.filter(
            pk=suggestion_id, participant__in=participants_for(request.user, Need.FOLLOW)
        )
        .select_related("participant", "offer")
        .first()
    )
    if suggestion is None:
        audit_denied(actor=request.user, object_type="offers.suggestion", object_id=suggestion_id)
        raise Http404
    form = OutcomeForm(request.POST)
    if form.is_valid():
        services.suggestion_set_outcome(
            actor=request.user, suggestion=suggestion, outcome=form.cleaned_data["outcome"]
        )
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose what came of the suggestion."))
    return redirect("participants:detail", participant_id=suggestion.participant_id)


# --- spreadsheet ----------------------------------------------------------------------------------


@require_GET
@role_required(*EDITORS)
def offer_export(request):
    organisation = _editor_organisation(request.user)
    content = sheets.export_xlsx(actor=request.user, organisation=organisation)
    response = HttpResponse(content, content_type=XLSX)
    name = f"tilbud-{organisation.slug}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def offer_import(request):
    organisation = _editor_organisation(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            file = form.cleaned_data["file"]
            content = file.read(sheets.reading.MAX_BYTES + 1)
            outcome = sheets.directory_import(
                actor=request.user,
                organisation=organisation,
                name=file.name,
                content=content,
                dry_run=form.cleaned_data["dry_run"],
            )
            if not outcome.ok:
                form.add_error(
                    "file", _("Nothing was imported. Correct the file and upload it again.")
                )
                status = 400
            elif outcome.written:
                messages.success(request, _("The directory was imported."))
                form = ImportForm()
    return render(request, "offers/import.html", {"form": form, "outcome": outcome}, status=status)


# --- sharing --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def sharing(request):
    organisation = _organisation(request.user, (Role.ORG_ADMIN,))
    form = SharingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing_add(
                actor=request.user,
                organisation=organisation,
                partner_code=form.cleaned_data["partner_code"],
            )
        except ValidationError as exc:
            form.add_error("partner_code", exc)
        else:
            messages.success(request, _("The directory is shared with the partner."))
            return redirect("offers:sharing")
    context = {
        "form": form,
        "organisation": organisation,
        "sharings": selectors.sharings_of(organisation.pk).order_by("partner__name"),
        "shared_with_us": selectors.shared_with(organisation.pk),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "offers/sharing.html", context, status=status)


@require_POST
@role_required(Role.ORG_ADMIN)
def sharing_remove(request, sharing_id: int):
    admin_of = selectors.organisation_ids_for(request.user, (Role.ORG_ADMIN,))
    found = Sharing.objects.filter(pk=sharing_id, organisation_id__in=admin_of).first()
    if found is None:
        audit_denied(actor=request.user, object_type="offers.sharing", object_id=sharing_id)
        raise Http404
    services.sharing_remove(actor=request.user, sharing=found)
    messages.success(request, _("The partner no longer sees the directory."))
    return redirect("offers:sharing")
