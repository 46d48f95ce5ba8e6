"""Pages of the social arenas: the month calendar, an event with its sign-ups, the attendance
screen (a list to tap on a phone), and the coordinator's forms."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.models import Role
from ettervern.accounts.selectors import memberships_of, programmes_for_role, role_in_programme
from ettervern.arenas import selectors, services
from ettervern.arenas.forms import (
    EventEditForm,
    EventForm,
    HelperForm,
    SeriesForm,
    SignUpForm,
    VolunteerInviteForm,
)
from ettervern.arenas.models import Helper, SignUp
from ettervern.audit.decorators import role_required
from ettervern.audit.services import audit_denied
from ettervern.matching.access import Need, own_participant, participants_for
from ettervern.orgadmin.services import invitation_create

ARENA_ROLES = (Role.COORDINATOR, Role.PEER_WORKER, Role.PARTICIPANT, Role.VOLUNTEER)


def _month(request) -> tuple[int, int]:
    """The month asked for (``?maned=2026-12``), or this month for anything else."""
    today = timezone.localdate()
    raw = request.GET.get("maned", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _shift(year: int, month: int, delta: int) -> str:
    index = year * 12 + (month - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@require_GET
@role_required(*ARENA_ROLES)
def calendar(request):
    year, month = _month(request)
    weeks = selectors.month_calendar(request.user, year, month)
    days_with_events = [d for week in weeks for d in week if d.in_month and d.events]
    context = {
        "weeks": weeks,
        "days_with_events": days_with_events,
        "month_start": dt.date(year, month, 1),
        "previous": _shift(year, month, -1),
        "next": _shift(year, month, 1),
        "today": timezone.localdate(),
        "coordinator": bool(programmes_for_role(request.user, Role.COORDINATOR).exists()),
    }
    return render(request, "arenas/calendar.html", context)


# --- coordinator: create and change ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def event_create(request):
    programmes = programmes_for_role(request.user, Role.COORDINATOR).order_by("name")
    form = EventForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                submission_key=form.cleaned_data.get("submission_key"),
                **form.event_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event was added."))
            return redirect("arenas:event_detail", event_id=event.pk)
    context = {"form": form, "title": _("New event")}
    return render(request, "arenas/form.html", context, status=_status(request, form))


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def series_create(request):
    programmes = programmes_for_role(request.user, Role.COORDINATOR).order_by("name")
    form = SeriesForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            series = services.series_create(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            first = series.events.order_by("starts_at").first()
            messages.success(
                request,
                _("The recurring event was added with %(n)s dates.") % {"n": series.events.count()},
            )
            return redirect("arenas:event_detail", event_id=first.pk)
    context = {"form": form, "title": _("New recurring event")}
    return render(request, "arenas/form.html", context, status=_status(request, form))


def _status(request, form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def _coordinated_event(request, event_id: int):
    event = selectors.get_event_for_user(request.user, event_id)
    if not selectors.coordinates(request.user, event):
        audit_denied(actor=request.user, object_type="arenas.event", object_id=event_id)
        raise Http404
    return event


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def event_edit(request, event_id: int):
    event = _coordinated_event(request, event_id)
    local_start = timezone.localtime(event.starts_at)
    initial = {
        "title": event.title,
        "kind": event.kind,
        "place": event.place,
        "day": local_start.date(),
        "start_time": local_start.time(),
        "end_time": timezone.localtime(event.ends_at).time(),
        "capacity": event.capacity,
        "audience": event.audience,
    }
    form = EventEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **form.event_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event was changed."))
            return redirect("arenas:event_detail", event_id=event.pk)
    title = _("Change this date only") if event.series_id else _("Change the event")
    context = {"form": form, "title": title, "event": event}
    return render(request, "arenas/form.html", context, status=_status(request, form))


@require_POST
@role_required(Role.COORDINATOR)
def event_cancel(request, event_id: int):
    event = _coordinated_event(request, event_id)
    try:
        services.event_cancel(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The event was cancelled."))
    return redirect("arenas:event_detail", event_id=event.pk)


@require_POST
@role_required(Role.COORDINATOR)
def helper_add(request, event_id: int):
    event = _coordinated_event(request, event_id)
    form = HelperForm(request.POST, users=selectors.possible_helpers(event))
    if form.is_valid():
        try:
            services.helper_add(actor=request.user, event=event, user=form.cleaned_data["user"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The helper was added."))
            return redirect("arenas:event_detail", event_id=event.pk)
    return _detail(request, event, helper_form=form, status=400)


@require_POST
@role_required(Role.COORDINATOR)
def helper_remove(request, helper_id: int):
    helper = Helper.objects.filter(pk=helper_id).select_related("event__programme").first()
    if helper is None or not selectors.coordinates(request.user, helper.event):
        audit_denied(actor=request.user, object_type="arenas.helper", object_id=helper_id)
        raise Http404
    services.helper_remove(actor=request.user, helper=helper)
    messages.success(request, _("The helper was removed."))
    return redirect("arenas:event_detail", event_id=helper.event_id)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def volunteer_invite(request):
    programmes = programmes_for_role(request.user, Role.COORDINATOR).order_by("name")
    form = VolunteerInviteForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation_create(
                actor=request.user,
                programme=data["programme"],
                role=Role.VOLUNTEER,
                email=data["email"],
                name=data["name"],
                site_url=request.build_absolute_uri("/"),
                submission_key=data.get("submission_key"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % data)
            return redirect("arenas:calendar")
    context = {"form": form, "title": _("Invite a volunteer")}
    return render(request, "arenas/form.html", context, status=_status(request, form))


# --- an event, and signing up --------------------------------------------------------------


def _signable_participants(request, event):
    """Participants the user may sign up with them (a peer's, a coordinator's), not yet on the
    list; None for someone who signs up only themselves."""
    if role_in_programme(request.user, event.programme_id) not in (
        Role.COORDINATOR,
        Role.PEER_WORKER,
    ):
        return None
    return (
        participants_for(request.user, Need.ARENAS)
        .filter(programme_id=event.programme_id)
        .exclude(pk__in=event.signups.filter(participant__isnull=False).values("participant"))
        .order_by("name")
    )


def _self_signup_possible(request, event) -> bool:
    role = role_in_programme(request.user, event.programme_id)
    if role == Role.PARTICIPANT:
        own = own_participant(request.user)
        return own is not None and not event.signups.filter(participant=own).exists()
    return (
        role in selectors.PERSON_KIND_OF_ROLE
        and not event.signups.filter(user=request.user).exists()
    )


def _detail(request, event, *, self_form=None, participant_form=None, helper_form=None, status=200):
    user = request.user
    runs = selectors.may_record_attendance(user, event)
    coordinates = selectors.coordinates(user, event)
    open_for_signup = not event.is_cancelled and event.starts_at > timezone.now()
    signable = _signable_participants(request, event) if open_for_signup else None
    if open_for_signup and self_form is None and _self_signup_possible(request, event):
        self_form = SignUpForm()
    if signable is not None and participant_form is None and signable.exists():
        participant_form = SignUpForm(participants=signable)
    if coordinates and helper_form is None:
        helper_form = HelperForm(users=selectors.possible_helpers(event))
    signups = selectors.signups_for(user, event)
    count = selectors.signup_count(event)
    context = {
        "event": event,
        "signups": signups,
        "count": count,
        "hidden_count": count - len(signups),
        "places_left": max(event.capacity - count, 0),
        "runs": runs,
        "coordinates": coordinates,
        "helpers": selectors.helpers_of(event) if runs else [],
        # A refused form keeps its message even when sign-up has closed since.
        "self_form": self_form if open_for_signup or _refused(self_form) else None,
        "participant_form": participant_form
        if open_for_signup or _refused(participant_form)
        else None,
        "helper_form": helper_form,
        "may_cancel": _cancellable(user, signups, coordinates) if open_for_signup else set(),
    }
    return render(request, "arenas/event_detail.html", context, status=status)


def _refused(form) -> bool:
    return form is not None and form.is_bound and bool(form.errors)


def _cancellable(user, signups, coordinates: bool) -> set[int]:
    # The coordinator may withdraw any sign-up; others are asked one by one (few rows).
    if coordinates:
        return {s.pk for s in signups}
    # A volunteer withdraws only their own; nobody's record is asked about.
    rows = [s for s in signups if s.user_id == user.pk or s.participant_id]
    if Role.VOLUNTEER in {m.role for m in memberships_of(user)}:
        rows = [s for s in rows if s.user_id == user.pk]
    return {s.pk for s in rows if services.may_cancel_signup(user, s)}


@require_GET
@role_required(*ARENA_ROLES)
def event_detail(request, event_id: int):
    event = selectors.get_event_for_user(request.user, event_id)
    return _detail(request, event)


@require_POST
@role_required(*ARENA_ROLES)
def signup(request, event_id: int):
    event = selectors.get_event_for_user(request.user, event_id)
    for_participant = request.POST.get("for") == "participant"
    if for_participant:
        signable = _signable_participants(request, event)
        if signable is None:
            raise Http404
        form = SignUpForm(request.POST, participants=signable)
    else:
        form = SignUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        participant = data.get("participant")
        if not for_participant and role_in_programme(request.user, event.programme_id) == (
            Role.PARTICIPANT
        ):
            participant = own_participant(request.user)
            if participant is None:
                raise Http404
        try:
            services.signup_create(
                actor=request.user,
                event=event,
                participant=participant,
                visible=data["visible"],
                submission_key=data.get("submission_key"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Signed up."))
            return redirect("arenas:event_detail", event_id=event.pk)
    key = "participant_form" if for_participant else "self_form"
    return _detail(request, event, status=400, **{key: form})


@require_POST
@role_required(*ARENA_ROLES)
def signup_cancel(request, signup_id: int):
    found = (
        SignUp.objects.filter(pk=signup_id, event__in=selectors.events_visible_to(request.user))
        .select_related("event", "participant")
        .first()
    )
    if found is None or not services.may_cancel_signup(request.user, found):
        audit_denied(actor=request.user, object_type="arenas.signup", object_id=signup_id)
        raise Http404
    try:
        services.signup_cancel(actor=request.user, signup=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The sign-up was withdrawn."))
    return redirect("arenas:event_detail", event_id=found.event_id)


# --- attendance ------------------------------------------------------------------------------


def _run_event(request, event_id: int):
    event = selectors.get_event_for_user(request.user, event_id)
    if not selectors.may_record_attendance(request.user, event):
        audit_denied(actor=request.user, object_type="arenas.event", object_id=event_id)
        raise Http404
    return event


@require_GET
@role_required(*ARENA_ROLES)
def attendance(request, event_id: int):
    event = _run_event(request, event_id)
    signups = selectors.signups_for(request.user, event)
    context = {
        "event": event,
        "signups": signups,
        "attended": sum(1 for s in signups if s.attended),
    }
    return render(request, "arenas/attendance.html", context)


@require_POST
@role_required(*ARENA_ROLES)
def attendance_mark(request, event_id: int, signup_id: int):
    event = _run_event(request, event_id)
    found = event.signups.filter(pk=signup_id).select_related("participant", "user").first()
    if found is None:
        audit_denied(actor=request.user, object_type="arenas.signup", object_id=signup_id)
        raise Http404
    error = ""
    try:
        found = services.attendance_set(
            actor=request.user, signup=found, attended=request.POST.get("attended") == "1"
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        context = {"event": event, "s": found, "error": error}
        return render(request, "arenas/_attendance_row.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect("arenas:attendance", event_id=event.pk)
