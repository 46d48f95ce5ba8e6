import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.areas import area_name
from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programmes_for_role
from ettervern.audit.decorators import role_required
from ettervern.lib import labels
from ettervern.lib.pages import offset_page, search_query
from ettervern.lib.panels import object_panels
from ettervern.matching.access import (
    Need,
    get_participant_for_user,
    own_participant,
    participants_for,
)
from ettervern.matching.selectors import peers_with_room
from ettervern.matching.services import (
    follow_up_end,
    follow_up_set_status,
    match_create,
    match_pause,
    match_resume,
)
from ettervern.orgadmin import selectors as orgadmin_selectors
from ettervern.orgadmin import services as orgadmin_services
from ettervern.participants import forms as pforms
from ettervern.participants import services
from ettervern.participants.models import TRANSITIONS, Consent, Goal, Participant
from ettervern.participants.selectors import (
    duplicate_ids,
    end_of_follow_up,
    participant_has_consent,
    possible_duplicates,
    referrals_for_referrer,
    referrals_visible_to,
    time_in_states,
    timeline,
    waiting_list,
)


def _profile_rows(participant: Participant) -> list[tuple[str, str]]:
    """The matching profile's code lists as (label, "a, b") for the page; "–" when missing."""
    rows = [
        (_("Kinds of lived experience"), "lived_experience", labels.LIVED_EXPERIENCE_LABELS),
        (_("Substance history"), "substances", labels.SUBSTANCE_LABELS),
        (_("Treatment paths"), "treatment_paths", labels.TREATMENT_PATH_LABELS),
        (_("Languages"), "languages", labels.LANGUAGE_LABELS),
        (_("Wanted availability"), "availability_wanted", labels.AVAILABILITY_LABELS),
    ]
    return [
        (title, ", ".join(str(names.get(c, c)) for c in getattr(participant, field) or []) or "–")
        for title, field, names in rows
    ]


def _detail(participant):
    return redirect("participants:detail", participant_id=participant.pk)


def _form_page(request, title: str, form, participant, **extra):
    context = {"form": form, "participant": participant, "title": title, **extra}
    return render(request, "participants/form_page.html", context)


def _run(form, call) -> bool:
    """Call a service; a ValidationError becomes a form error. True when it succeeded."""
    try:
        call()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


# Volunteers see nothing of anyone's follow-up, not even an empty list of participants.
NOT_VOLUNTEERS = tuple(r for r in Role.values if r != Role.VOLUNTEER)


@require_GET
@role_required(*NOT_VOLUNTEERS)
def participant_list(request):
    query = search_query(request)
    qs = participants_for(request.user, Need.CURRENT).select_related("programme")
    if query:
        qs = qs.filter(name__icontains=query)
    page = offset_page(qs.order_by("name", "pk"), request)
    context = {"participants": page.rows, "page": page, "query": query}
    return render(request, "participants/list.html", context)


@require_GET
@role_required(Role.COORDINATOR)
def participant_waiting_list(request):
    now = timezone.now()
    query = search_query(request)
    qs = waiting_list(request.user)
    if query:
        qs = qs.filter(name__icontains=query)
    page = offset_page(qs, request)
    rows = [(p, (now - p.status_since).days) for p in page.rows]
    context = {"rows": rows, "page": page, "query": query}
    return render(request, "participants/waiting_list.html", context)


@require_GET
@login_required
def participant_detail(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id)
    access = participant.access
    is_coordinator = access.coordinate
    context = {
        "participant": participant,
        "match": access.match,
        "is_coordinator": is_coordinator,
        "is_own": access.own_record,
        "can_write": access.follow,
        "can_change_wishes": access.coordinate,
        "profile_rows": _profile_rows(participant),
        "area_name": area_name(participant.organisation_id, participant.area),
        "goals": participant.goals.order_by("status", "life_area"),
        "consents": participant.consents.order_by("purpose", "-given_at"),
        "wishes": participant.wishes.order_by("kind"),
        "services": participant.other_services.order_by("kind"),
        "referral": participant.referrals.first(),
        "timeline": [] if access.own_record else timeline(participant),
        "ending": end_of_follow_up(participant),
        "panels": object_panels(request, "participant_panels", participant),
    }
    if is_coordinator:
        context["duplicates"] = possible_duplicates(participant, user=request.user)
        context["time_in_states"] = time_in_states(participant)
        context["next_steps"] = [
            (s, Participant.Status(s).label)
            for s in sorted(TRANSITIONS[participant.status] & services.MANUAL_STEPS)
        ]
        active = {c.purpose for c in context["consents"] if c.is_active}
        context["missing_consents"] = [
            (p, label) for p, label in Consent.Purpose.choices if p not in active
        ]
    return render(request, "participants/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def participant_edit_details(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    form = pforms.ParticipantDetailsForm(request.POST or None, instance=participant)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            lambda: services.participant_update_details(
                actor=request.user, participant=participant, changes=form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The details were saved."))
        return _detail(participant)
    return _form_page(request, _("Contact details and situation"), form, participant)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def participant_matching_profile(request, participant_id: int):
    """The coordinator records what matching compares, at intake and later."""
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    form = pforms.MatchingProfileForm.for_participant(participant, request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            lambda: services.participant_update_profile(
                actor=request.user, participant=participant, changes=form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The matching profile was saved."))
        return _detail(participant)
    return _form_page(request, _("Matching profile"), form, participant)


# --- referrals ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def referral_new(request):
    programmes = list(programmes_for_role(request.user, Role.COORDINATOR))
    form = pforms.ReferralForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        programme = form.programme_of(data.pop("programme", None))
        created = []
        if _run(
            form,
            lambda: created.append(
                services.referral_create(actor=request.user, programme=programme, **data)
            ),
        ):
            messages.success(request, _("The referral was registered."))
            return _detail(created[0].participant)
    return render(request, "participants/referral_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(Role.REFERRER)
def referral_submit(request):
    programmes = list(programmes_for_role(request.user, Role.REFERRER))
    form = pforms.ReferrerReferralForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        programme = form.programme_of(data.pop("programme", None))
        if _run(
            form,
            lambda: services.referral_create(
                actor=request.user,
                programme=programme,
                referrer_name=request.user.name,
                referrer_email=request.user.email,
                **data,
            ),
        ):
            messages.success(request, _("Thank you. The referral was sent."))
            return redirect("participants:referrals")
    return render(request, "participants/referral_form.html", {"form": form, "short": True})


@require_GET
@role_required(Role.COORDINATOR, Role.REFERRER)
def referral_list(request):
    if programmes_for_role(request.user, Role.COORDINATOR).exists():
        page = offset_page(
            referrals_visible_to(request.user)
            .select_related("participant", "submitted_by")
            .order_by("-created_at", "-id"),
            request,
        )
        referrals = page.rows
        # Duplicates looked for among the shown referrals only.
        dupes = duplicate_ids([r.participant for r in referrals], user=request.user)
        rows = [(r, r.participant_id in dupes) for r in referrals]
        return render(request, "participants/referral_list.html", {"rows": rows, "page": page})
    return render(
        request, "participants/my_referrals.html", {"rows": referrals_for_referrer(request.user)}
    )


# --- status, consent, goals, wishes, services ----------------------------------------------


@require_POST
@role_required(Role.COORDINATOR)
def participant_status(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    form = pforms.StatusForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: follow_up_set_status(
            actor=request.user, participant=participant, to=form.cleaned_data["to"]
        ),
    ):
        messages.success(request, _("The status was changed."))
    else:
        for error in form.non_field_errors() or [_("Choose a status.")]:
            messages.error(request, error)
    return _detail(participant)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def consent_add(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    form = pforms.ConsentForm(request.POST or None, initial={"purpose": request.GET.get("purpose")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = timezone.localtime()
        given_at = (
            now
            if data["given_on"] == now.date()
            else timezone.make_aware(dt.datetime.combine(data["given_on"], dt.time(12)))
        )
        if _run(
            form,
            lambda: services.consent_give(
                actor=request.user,
                participant=participant,
                purpose=data["purpose"],
                method=data["method"],
                text_version=data["text_version"],
                given_at=given_at,
            ),
        ):
            messages.success(request, _("The consent was registered."))
            return _detail(participant)
    return _form_page(request, _("Register consent"), form, participant)


@require_POST
@role_required(Role.COORDINATOR)
def consent_withdraw(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    try:
        services.consent_withdraw(
            actor=request.user, participant=participant, purpose=request.POST.get("purpose", "")
        )
        messages.success(request, _("The consent was withdrawn."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return _detail(participant)


def _own_consent(request, give: bool):
    """The participant's own login gives or withdraws a consent: a tap on the home page, then
    one on a small page that says what it means. The same services as for coordinators."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    purpose = request.POST.get("purpose") or request.GET.get("purpose", "")
    if purpose not in Consent.Purpose.values:
        raise Http404
    if participant_has_consent(participant, purpose) == give:
        # Nothing to do, e.g. the form was sent twice: say so instead of an error.
        if give:
            messages.info(request, _("You have already given this consent."))
        else:
            messages.info(request, _("You have already withdrawn this consent."))
        return redirect("web:home")
    if request.method == "POST":
        try:
            if give:
                services.consent_give(
                    actor=request.user,
                    participant=participant,
                    purpose=purpose,
                    method=Consent.Method.DIGITAL,
                    text_version=pforms.CONSENT_TEXT_VERSION,
                )
                messages.success(request, _("Thank you. Your consent was registered."))
            else:
                services.consent_withdraw(
                    actor=request.user, participant=participant, purpose=purpose
                )
                messages.success(request, _("Your consent was withdrawn."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("web:home")
    context = {
        "participant": participant,
        "purpose": purpose,
        "label": Consent.Purpose(purpose).label,
        "give": give,
        "text_version": pforms.CONSENT_TEXT_VERSION,
    }
    return render(request, "participants/own_consent.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.PARTICIPANT)
def own_consent_give(request):
    return _own_consent(request, give=True)


@require_http_methods(["GET", "POST"])
@role_required(Role.PARTICIPANT)
def own_consent_withdraw(request):
    return _own_consent(request, give=False)


@require_http_methods(["GET", "POST"])
@login_required
def goal_add(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    form = pforms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.goal_create(actor=request.user, participant=participant, **form.cleaned_data)
        messages.success(request, _("The goal was added."))
        return _detail(participant)
    return _form_page(request, _("New goal"), form, participant)


@require_http_methods(["GET", "POST"])
@login_required
def goal_edit(request, participant_id: int, goal_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    goal = Goal.objects.filter(participant=participant, pk=goal_id).first()
    if goal is None:
        raise Http404
    form = pforms.GoalUpdateForm(request.POST or None, initial={"status": goal.status})
    if request.method == "POST" and form.is_valid():
        services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        messages.success(request, _("The goal was updated."))
        return _detail(participant)
    return _form_page(request, _("Goal"), form, participant, goal=goal, notes=goal.notes.all())


@require_http_methods(["GET", "POST"])
@login_required
def wish_add(request, participant_id: int):
    # The wishes are hard constraints on who the peer worker is: a matched peer may read them,
    # only the coordinator changes them.
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    form = pforms.WishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.wish_add(
                actor=request.user,
                participant=participant,
                kind=data["kind"],
                value=data["value"],
                must=data["must"],
            ),
        ):
            messages.success(request, _("The wish was added."))
            return _detail(participant)
    return _form_page(request, _("New wish for a peer worker"), form, participant)


@require_POST
@login_required
def wish_remove(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    try:
        services.wish_remove(
            actor=request.user, participant=participant, wish_id=_int(request.POST.get("wish"))
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return _detail(participant)


@require_http_methods(["GET", "POST"])
@login_required
def service_add(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    form = pforms.OtherServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.other_service_add(actor=request.user, participant=participant, **form.cleaned_data)
        messages.success(request, _("The service was added."))
        return _detail(participant)
    return _form_page(request, _("Other service involved"), form, participant)


@require_POST
@login_required
def service_remove(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    try:
        services.other_service_remove(
            actor=request.user,
            participant=participant,
            service_id=_int(request.POST.get("service")),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return _detail(participant)


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


# --- match, pause, resume, end -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def match_new(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    peers = peers_with_room(participant.programme_id)
    form = pforms.MatchForm(request.POST or None, peers=peers)
    if request.method == "POST" and form.is_valid():
        peer = form.peers[form.cleaned_data["peer"]]
        if _run(
            form,
            lambda: match_create(
                actor=request.user,
                participant=participant,
                peer=peer,
                started_on=form.cleaned_data["started_on"],
            ),
        ):
            messages.success(
                request, _("The participant was matched with %(peer)s.") % {"peer": peer.user.name}
            )
            return _detail(participant)
    return _form_page(request, _("Match with a peer worker"), form, participant)


def _current_match_or_404(participant):
    match = participant.access.match
    if match is None:
        raise Http404
    return match


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def match_pause_view(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    match = _current_match_or_404(participant)
    form = pforms.PauseForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(form, lambda: match_pause(actor=request.user, match=match, **form.cleaned_data))
    ):
        messages.success(request, _("The follow-up was paused; the match is kept."))
        return _detail(participant)
    return _form_page(request, _("Pause the follow-up"), form, participant, match=match)


@require_POST
@role_required(Role.COORDINATOR)
def match_resume_view(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    match = _current_match_or_404(participant)
    try:
        match_resume(actor=request.user, match=match)
        messages.success(request, _("The follow-up was resumed."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return _detail(participant)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def participant_end(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    form = pforms.EndForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            lambda: follow_up_end(actor=request.user, participant=participant, **form.cleaned_data),
        )
    ):
        messages.success(request, _("The follow-up was ended."))
        return _detail(participant)
    return _form_page(request, _("End the follow-up"), form, participant)


# --- the participant's own login --------------------------------------------------------------


def _site_url(request) -> str:
    return settings.ETTERVERN_SITE_URL or request.build_absolute_uri("/")


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def own_login_invite(request, participant_id: int):
    """Invite the participant to an own login tied to this record (the mail carries the link)."""
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    form = pforms.OwnLoginInviteForm(request.POST or None, initial={"email": participant.email})
    if request.method == "POST" and form.is_valid():
        sent = []
        if _run(
            form,
            lambda: sent.append(
                orgadmin_services.participant_invitation_create(
                    actor=request.user,
                    participant=participant,
                    site_url=_site_url(request),
                    **form.cleaned_data,
                )
            ),
        ):
            messages.success(
                request,
                _("An invitation to an own login was sent to %(email)s.")
                % {"email": sent[0].email},
            )
            return _detail(participant)
    return _form_page(request, _("Invite to own login"), form, participant)


def _pending_or_back(request, participant):
    pending = orgadmin_selectors.pending_for_participant(participant)
    if pending is None:
        messages.error(request, _("The participant has no pending invitation."))
    return pending


@require_POST
@role_required(Role.COORDINATOR)
def own_login_resend(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    pending = _pending_or_back(request, participant)
    if pending is not None:
        try:
            orgadmin_services.invitation_resend(
                actor=request.user, invitation=pending, site_url=_site_url(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("A new invitation was sent to %(email)s; the old link no longer works.")
                % {"email": pending.email},
            )
    return _detail(participant)


@require_POST
@role_required(Role.COORDINATOR)
def own_login_revoke(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)
    pending = _pending_or_back(request, participant)
    if pending is not None:
        try:
            orgadmin_services.invitation_revoke(actor=request.user, invitation=pending)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The invitation was revoked."))
    return _detail(participant)
