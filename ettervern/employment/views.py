from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programme_ids_for_role, programmes_for_role
from ettervern.audit.decorators import role_required
from ettervern.audit.services import audit_denied
from ettervern.employment import selectors, services
from ettervern.employment.forms import (
    ActionForm,
    AgreementForm,
    CompanyForm,
    ConfirmForm,
    ConfirmOnBehalfForm,
    ContactPersonForm,
    IntentAgreementForm,
    MeetingRecordForm,
    MeetingScheduleForm,
    PlacementEditForm,
    PlacementEndForm,
    PlacementForm,
    RelapseForm,
)
from ettervern.employment.models import (
    AgreementVersion,
    ContactPerson,
    Meeting,
    Party,
    Placement,
)
from ettervern.lib import forms as safe
from ettervern.lib.pages import offset_page, search_query
from ettervern.matching.access import Need, get_participant_for_user

CASE_ROLES = (Role.COORDINATOR, Role.PEER_WORKER, Role.PARTICIPANT, Role.EMPLOYER_CONTACT)


def _refuse(form: forms.Form, exc: ValidationError) -> None:
    form.add_error(None, exc)


# --- companies ---------------------------------------------------------------------------------


@require_GET
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def company_list(request):
    query = search_query(request)
    companies = selectors.companies_visible_to(request.user)
    if query:
        companies = companies.filter(name__icontains=query)
    # Capacity is counted for the companies of the page shown only.
    page = offset_page(
        selectors.with_capacity(companies).order_by("name", "pk"),
        request,
    )
    is_coordinator = bool(programme_ids_for_role(request.user, Role.COORDINATOR))
    return render(
        request,
        "employment/company_list.html",
        {"companies": page.rows, "page": page, "query": query, "is_coordinator": is_coordinator},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def company_create(request):
    programmes = programmes_for_role(request.user, Role.COORDINATOR).order_by("name")
    form = CompanyForm(request.POST or None)
    form.fields["programme"] = safe.ModelChoiceField(
        queryset=programmes, label=_("Programme"), initial=programmes.first()
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        programme = data.pop("programme")
        try:
            company = services.company_create(actor=request.user, programme=programme, **data)
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The company was added."))
            return redirect("employment:company_detail", company_id=company.pk)
    context = {"form": form, "title": _("New company")}
    return render(request, "employment/form.html", context, status=_status(form))


@require_GET
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def company_detail(request, company_id: int):
    company = selectors.get_company_for_user(request.user, company_id)
    company = (
        selectors.with_capacity(type(company).objects.filter(pk=company.pk))
        .prefetch_related("contacts", "intents")
        .get()
    )
    placements = selectors.placements_for_list(request.user).filter(company=company)
    is_coordinator = company.programme_id in programme_ids_for_role(request.user, Role.COORDINATOR)
    context = {
        "company": company,
        "placements": placements,
        "is_coordinator": is_coordinator,
        "today": timezone.localdate(),
    }
    return render(request, "employment/company_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def contact_person_add(request, company_id: int):
    company = selectors.get_company_for_user(request.user, company_id, for_write=True)
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_add(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The contact person was added."))
            return redirect("employment:company_detail", company_id=company.pk)
    context = {"form": form, "title": _("New contact person"), "company": company}
    return render(request, "employment/form.html", context, status=_status(form))


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def intent_add(request, company_id: int):
    company = selectors.get_company_for_user(request.user, company_id, for_write=True)
    form = IntentAgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intent_agreement_add(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The intent agreement was added."))
            return redirect("employment:company_detail", company_id=company.pk)
    context = {"form": form, "title": _("New intent agreement"), "company": company}
    return render(request, "employment/form.html", context)


def _contact_person_for_coordinator(request, pk: int) -> ContactPerson:
    person = (
        ContactPerson.objects.filter(
            programme_id__in=programme_ids_for_role(request.user, Role.COORDINATOR)
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        audit_denied(actor=request.user, object_type="employment.contactperson", object_id=pk)
        raise Http404
    return person


@require_POST
@role_required(Role.COORDINATOR)
def contact_person_deactivate(request, contact_person_id: int):
    person = _contact_person_for_coordinator(request, contact_person_id)
    services.contact_person_deactivate(actor=request.user, person=person)
    messages.success(
        request,
        _("%(name)s is no longer a contact person and sees none of the agreements.")
        % {"name": person.name},
    )
    return redirect("employment:company_detail", company_id=person.company_id)


@require_POST
@role_required(Role.COORDINATOR)
def contact_person_login(request, contact_person_id: int):
    person = _contact_person_for_coordinator(request, contact_person_id)
    try:
        services.contact_person_grant_login(
            actor=request.user,
            person=person,
            site_url=settings.ETTERVERN_SITE_URL or request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s has a login: an invitation to choose a password was sent by e-mail.")
            % {"name": person.name},
        )
    return redirect("employment:company_detail", company_id=person.company_id)


# --- placements --------------------------------------------------------------------------------


@require_GET
@role_required(*CASE_ROLES)
def placement_list(request):
    query = search_query(request)
    placements = selectors.placements_for_list(request.user)
    if query:
        placements = placements.filter(
            Q(participant__name__icontains=query) | Q(company__name__icontains=query)
        )
    # Active first, then the latest ended; one page of them.
    page = offset_page(
        selectors.with_end_reason_shown(request.user, placements).order_by(
            F("ended_on").desc(nulls_first=True), "-started_on", "pk"
        ),
        request,
    )
    coordinated = programme_ids_for_role(request.user, Role.COORDINATOR)
    context = {
        "placements": page.rows,
        "page": page,
        "query": query,
        "figures_panel": (
            {"figures": selectors.programme_figures(coordinated)} if coordinated else None
        ),
        "can_see_companies": bool(
            programme_ids_for_role(request.user, Role.COORDINATOR, Role.PEER_WORKER)
        ),
    }
    return render(request, "employment/placement_list.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def placement_create(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    companies = selectors.companies_visible_to(request.user).filter(
        programme_id=participant.programme_id
    )
    form = PlacementForm(request.POST or None, participant=participant, companies=companies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["goals"] = list(data["goals"])
        try:
            placement = services.placement_create(
                actor=request.user, participant=participant, **data
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The placement was registered. Now write the agreement."))
            return redirect("employment:agreement_edit", placement_id=placement.pk)
    context = {"form": form, "participant": participant}
    return render(request, "employment/placement_form.html", context, status=_status(form))


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def placement_edit(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id, for_write=True)
    form = PlacementEditForm(request.POST or None, instance=placement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        goals = list(data.pop("goals"))
        try:
            # The ModelForm has written into ``placement``; the service compares with the row.
            services.placement_update(
                actor=request.user, placement=placement, changes=data, goals=goals
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The placement was saved."))
            return redirect("employment:placement_detail", placement_id=placement.pk)
    context = {"form": form, "placement": placement}
    return render(request, "employment/placement_edit.html", context, status=_status(form))


def _status(form: forms.Form) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_GET
@role_required(*CASE_ROLES)
def placement_detail(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id)
    access = selectors.access_to(request.user, placement)
    version = selectors.current_version(placement)
    confirmations = {c.party: c for c in version.confirmations.all()} if version else {}
    meetings = list(placement.meetings.order_by("-scheduled_for", "-id"))
    actions = list(placement.actions.filter(done_at__isnull=True).order_by("due_on", "id"))
    relapses = list(placement.relapses.all())
    if access.employer_only:
        relapses = [r for r in relapses if r.shared_with_employer]
    context = {
        "placement": placement,
        "access": access,
        # The end reason "relapse" would tell the employer what the participant did not share.
        "relapse_hidden": (
            access.employer_only
            and placement.end_reason == Placement.EndReason.RELAPSE
            and not relapses
        ),
        "version": version,
        "in_force": selectors.is_in_force(version),
        "signed": selectors.signed_version(placement),
        "confirmations": [(p, label, confirmations.get(p)) for p, label in Party.choices],
        "can_confirm": bool(
            version and access.party and access.party not in confirmations and placement.is_active
        ),
        "on_behalf_form": _on_behalf_form(access, version, confirmations, placement),
        "confirm_form": ConfirmForm(initial={"number": version.number}) if version else None,
        "meetings": meetings,
        "actions": actions,
        "relapses": relapses,
        "goals": list(placement.goals.all()) if not access.employer_only else [],
        "next_due": _next_due(placement),
        "schedule_form": MeetingScheduleForm(initial={"scheduled_for": _suggested(placement)}),
        "missing": [
            m
            for m in selectors.job_starts_without_contact(request.user)
            if m.placement == placement
        ]
        if access.manage
        else [],
    }
    return render(request, "employment/placement_detail.html", context)


def _suggested(placement: Placement):
    """The date the rhythm suggests for the next meeting (never before the start)."""
    due = _next_due(placement)
    if due is None or due.planned:
        return None
    return max(due.due_on, timezone.localdate(), placement.started_on)


def _next_due(placement: Placement):
    prefetched = selectors.with_rhythm(Placement.objects.filter(pk=placement.pk)).first()
    return selectors.next_meeting_due(prefetched)


def _on_behalf_form(access, version, confirmations, placement):
    if not (access.manage and version and placement.is_active):
        return None
    parties = [p for p in Party.values if p not in confirmations and p != access.party]
    if not parties:
        return None
    return ConfirmOnBehalfForm(initial={"number": version.number}, parties=parties)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def agreement_edit(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id, for_write=True)
    current = placement.versions.order_by("-number").first()
    form = AgreementForm(request.POST or None, instance=None, initial=_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_save(
                actor=request.user, placement=placement, fields=form.cleaned_data
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            if current and version.pk == current.pk:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(
                    request,
                    _("Version %(n)s was saved. All three must confirm it.")
                    % {"n": version.number},
                )
            return redirect("employment:placement_detail", placement_id=placement.pk)
    context = {"form": form, "placement": placement, "current": current}
    return render(request, "employment/agreement_form.html", context, status=_status(form))


def _initial(current: AgreementVersion | None) -> dict:
    if current is None:
        return {}
    return {f: getattr(current, f) for f in AgreementVersion.TEXT_FIELDS}


@require_POST
@role_required(*CASE_ROLES)
def agreement_confirm(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id)
    access = selectors.access_to(request.user, placement)
    form = ConfirmForm(request.POST)
    if not access.party:
        raise Http404
    if form.is_valid():
        try:
            services.agreement_confirm(
                actor=request.user,
                placement=placement,
                number=form.cleaned_data["number"],
                party=access.party,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Your confirmation was recorded."))
    else:
        messages.error(request, _("The confirmation could not be read. Reload the page."))
    return redirect("employment:placement_detail", placement_id=placement.pk)


@require_POST
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def agreement_confirm_on_behalf(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id, for_write=True)
    access = selectors.access_to(request.user, placement)
    form = ConfirmOnBehalfForm(request.POST, parties=[p for p in Party.values if p != access.party])
    if form.is_valid():
        try:
            services.agreement_confirm(
                actor=request.user,
                placement=placement,
                number=form.cleaned_data["number"],
                party=form.cleaned_data["party"],
                on_behalf=True,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The confirmation was recorded, with the reason."))
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(
            request,
            _("The confirmation was not recorded: %(errors)s") % {"errors": " ".join(errors)},
        )
    return redirect("employment:placement_detail", placement_id=placement.pk)


@require_GET
@role_required(*CASE_ROLES)
def agreement_print(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id)
    signed = selectors.signed_version(placement)
    confirmations = {c.party: c for c in signed.confirmations.all()} if signed is not None else {}
    current = placement.versions.order_by("-number").first()
    context = {
        "placement": placement,
        "version": signed,
        "newer": current if signed and current.number > signed.number else None,
        "confirmations": [(p, label, confirmations.get(p)) for p, label in Party.choices],
    }
    return render(request, "employment/agreement_print.html", context)


# --- meetings ----------------------------------------------------------------------------------


@require_POST
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def meeting_schedule(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id, for_write=True)
    form = MeetingScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_schedule(
                actor=request.user,
                placement=placement,
                scheduled_for=form.cleaned_data["scheduled_for"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The meeting was planned."))
    else:
        messages.error(request, _("Give a valid date for the meeting."))
    return redirect("employment:placement_detail", placement_id=placement.pk)


@require_GET
@role_required(*CASE_ROLES)
def meeting_detail(request, meeting_id: int):
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    access = selectors.access_to(request.user, meeting.placement)
    actions = list(meeting.actions.all())
    context = {
        "meeting": meeting,
        "placement": meeting.placement,
        "access": access,
        "actions": actions,
        "action_form": ActionForm() if access.manage else None,
    }
    return render(request, "employment/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def meeting_record(request, meeting_id: int):
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, for_write=True)
    version = meeting.version or meeting.placement.versions.order_by("-number").first()
    criteria = version.criteria() if version else []
    form = MeetingRecordForm(
        request.POST or None, criteria=criteria, initial=_meeting_initial(meeting)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                actor=request.user,
                meeting=meeting,
                status=data["status"],
                held_on=data.get("held_on"),
                attended={p: data[f"{p}_attended"] for p in Party.values},
                criteria=form.criteria_review(),
                raised={p: data[f"{p}_raised"] for p in Party.values},
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("employment:meeting_detail", meeting_id=meeting.pk)
    context = {"form": form, "meeting": meeting, "placement": meeting.placement}
    return render(request, "employment/meeting_form.html", context, status=_status(form))


def _meeting_initial(meeting: Meeting) -> dict:
    if meeting.status != Meeting.Status.HELD:
        return {}
    initial = {
        "status": meeting.status,
        "held_on": meeting.held_on,
        "participant_attended": meeting.participant_attended,
        "employer_attended": meeting.employer_attended,
        "advisor_attended": meeting.advisor_attended,
        "participant_raised": meeting.participant_raised,
        "employer_raised": meeting.employer_raised,
        "advisor_raised": meeting.advisor_raised,
    }
    for index, review in enumerate(meeting.criteria_review):
        initial[f"criterion_{index}"] = review.get("status", "")
    return initial


@require_POST
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def action_add(request, meeting_id: int):
    meeting = selectors.get_meeting_for_user(request.user, meeting_id, for_write=True)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The action was added."))
    else:
        messages.error(request, _("Describe the action and choose who owns it."))
    return redirect("employment:meeting_detail", meeting_id=meeting.pk)


@require_POST
@role_required(*CASE_ROLES)
def action_done(request, action_id: int):
    action = selectors.get_action_for_user(request.user, action_id)
    access = selectors.access_to(request.user, action.placement)
    if not (access.manage or access.party == action.owner):
        audit_denied(
            actor=request.user, object_type="employment.meetingaction", object_id=action_id
        )
        raise Http404
    services.action_mark_done(actor=request.user, action=action)
    messages.success(request, _("The action is marked as done."))
    return redirect("employment:meeting_detail", meeting_id=action.meeting_id)


# --- relapse and end ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def relapse_record(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id, for_write=True)
    version = placement.versions.order_by("-number").first()
    form = RelapseForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.relapse_record(
                actor=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(
                request,
                _("The relapse was recorded; follow-up is stepped up until %(date)s.")
                % {"date": event.intensified_until.strftime("%d.%m.%Y")},
            )
            return redirect("employment:placement_detail", placement_id=placement.pk)
    context = {
        "form": form,
        "placement": placement,
        "version": version,
        "shared": selectors.relapse_sharing_agreed(placement),
    }
    return render(request, "employment/relapse_form.html", context, status=_status(form))


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.PEER_WORKER)
def placement_end(request, placement_id: int):
    placement = selectors.get_placement_for_user(request.user, placement_id, for_write=True)
    form = PlacementEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_end(
                actor=request.user,
                placement=placement,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(
                request, _("The placement has ended. The follow-up of the participant continues.")
            )
            return redirect("employment:placement_detail", placement_id=placement.pk)
    context = {"form": form, "placement": placement}
    return render(request, "employment/placement_end.html", context, status=_status(form))
