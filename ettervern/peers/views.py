"""Peer workers' side: resource base, course, supervision, check-ins, time budget."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.areas import area_name
from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programmes_for_role
from ettervern.audit.decorators import role_required
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.followup import selectors as budget_selectors
from ettervern.followup.models import Contact
from ettervern.followup.peer_signals import signal_badges
from ettervern.lib import labels
from ettervern.lib.pages import offset_page, search_query
from ettervern.lib.panels import object_panels
from ettervern.lib.periods import FULL_TIME_HOURS
from ettervern.matching import pauses
from ettervern.matching.models import Match
from ettervern.peers import events, forms, selectors, services
from ettervern.peers.models import Candidate, CourseAbsence, CourseSession, PeerWorker

# --- the coordinator's overview ----------------------------------------------------------------


@require_GET
@role_required(Role.COORDINATOR)
def peer_list(request):
    sort = request.GET.get("sort", "name")
    if sort.removeprefix("-") not in budget_selectors.OVERVIEW_SORTS:
        sort = "name"
    status = request.GET.get("status", "")
    if status not in PeerWorker.ResourceStatus.values:
        status = ""
    balance = request.GET.get("balance", "")
    if balance not in ("over", "under"):
        balance = ""
    # NUL cannot reach PostgreSQL (a server error); it is never part of a name.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    try:
        number = max(1, min(int(request.GET.get("side", "1")), 10_000))
    except ValueError:
        number = 1
    page = budget_selectors.peer_overview_page(
        request.user, page=number, status=status, balance=balance, query=query, sort=sort
    )
    rows = page.rows
    # Signals as badges: one query per kind for the peers on this page.
    badges = signal_badges(request.user, [r.peer.pk for r in rows])
    for row in rows:
        row.signals = badges.get(row.peer.pk, [])
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.READ,
        object_type="peers.peerworker",
        summary="peer overview",
        event=events.PEER_OVERVIEW_READ,
        data={"count": len(rows)},
    )
    context = {
        "rows": rows,
        "page": page,
        "sort": sort,
        "status": status,
        "balance": balance,
        "query": query,
        "statuses": PeerWorker.ResourceStatus.choices,
        "columns": [
            ("name", _("Name")),
            ("status", _("Resource base")),
            ("capacity", _("Capacity used")),
            ("hours", _("Hours this month")),
            ("supervision", _("Last supervision")),
            ("checkin", _("Last check-in")),
        ],
    }
    return render(request, "peers/list.html", context)


# --- one peer ----------------------------------------------------------------------------------


def _codes(values, mapping) -> str:
    return ", ".join(str(mapping.get(v, v)) for v in values) or "–"


def _profile_facts(peer: PeerWorker) -> list[tuple[str, str]]:
    return [
        (_("Gender"), peer.get_gender_display() or "–"),
        (_("Birth year"), peer.birth_year or "–"),
        (_("Lived experience"), _codes(peer.lived_experience, labels.LIVED_EXPERIENCE_LABELS)),
        (_("Substance history"), _codes(peer.substances, labels.SUBSTANCE_LABELS)),
        (_("Treatment paths"), _codes(peer.treatment_paths, labels.TREATMENT_PATH_LABELS)),
        (
            _("Years in recovery"),
            peer.years_in_recovery if peer.years_in_recovery is not None else "–",
        ),
        (_("Interests"), ", ".join(peer.interests) or "–"),
        (_("Strengths"), _codes(peer.strengths, labels.LIFE_AREA_LABELS)),
        (_("Languages"), _codes(peer.languages, labels.LANGUAGE_LABELS)),
        (_("Area"), area_name(peer.organisation_id, peer.area) or "–"),
        (_("Availability"), _codes(peer.availability, labels.AVAILABILITY_LABELS)),
    ]


def _working_life(peer: PeerWorker) -> dict:
    """Positions held, hours worked, course and supervision: the path into working life."""
    share = round(100 * peer.programme.hours_per_participant_week / FULL_TIME_HOURS)
    positions = list(
        Match.objects.filter(peer=peer)
        .exclude(status=Match.Status.PROPOSED)
        .exclude(started_on__isnull=True)
        .order_by("started_on")
        .values("started_on", "ended_on", "status")
    )
    minutes = (
        Contact.objects.filter(peer=peer, outcome=Contact.Outcome.HELD).aggregate(
            m=Sum("duration_minutes")
        )["m"]
        or 0
    )
    candidate = Candidate.objects.filter(peer=peer).select_related("course").first()
    today = timezone.localdate()
    return {
        "share_percent": share,
        "positions": positions,
        "current_percent": share * sum(1 for p in positions if p["ended_on"] is None),
        "hours_worked": round(minutes / 60, 1),
        "course": candidate.course if candidate else None,
        "course_hours": sum(s.hours for s in CourseSession.objects.filter(attendees=candidate))
        if candidate
        else 0,
        "supervisions": peer.supervisions.filter(held_on__lte=today).count(),
        "group_supervisions": peer.group_supervisions.filter(held_on__lte=today).count(),
        "first_day": positions[0]["started_on"] if positions else peer.course_completed_on,
    }


def _peer_context(request, peer: PeerWorker) -> dict:
    is_coordinator = selectors.coordinates(request.user, peer.programme_id)
    is_own = selectors.is_own_profile(request.user, peer)
    load = selectors.peers_with_load(PeerWorker.objects.filter(pk=peer.pk)).values_list(
        "load", flat=True
    )[0]
    return {
        "peer": peer,
        "load": load,
        "is_coordinator": is_coordinator,
        "is_own": is_own,
    }


@require_GET
@login_required
def peer_detail(request, peer_id: int):
    peer = selectors.get_peer_for_user(request.user, peer_id)
    context = _peer_context(request, peer)
    context.update(
        facts=_profile_facts(peer),
        budget=budget_selectors.time_budget(peer),
        working_life=_working_life(peer),
        open_request=selectors.open_conversation_request(peer),
        checkin_due=context["is_own"] and selectors.checkin_due(peer),
        status_form=forms.ResourceStatusForm(initial={"status": peer.resource_status}),
        panels=object_panels(request, "peer_panels", peer),
    )
    return render(request, "peers/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def peer_profile_edit(request, peer_id: int):
    peer = selectors.get_peer_for_user(request.user, peer_id)
    form = forms.ProfileForm.for_peer(peer, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.peer_update_profile(
                    actor=request.user, peer=peer, changes=form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The profile was saved."))
                return redirect("peers:detail", peer_id=peer.pk)
        status = 400
    return render(request, "peers/profile_edit.html", {"peer": peer, "form": form}, status=status)


@require_POST
@role_required(Role.COORDINATOR)
def peer_status(request, peer_id: int):
    peer = selectors.get_peer_for_user(request.user, peer_id)
    if not selectors.coordinates(request.user, peer.programme_id):
        raise Http404
    form = forms.ResourceStatusForm(request.POST)
    if form.is_valid():
        try:
            status = form.cleaned_data["status"]
            open_pause = pauses.open_pause(peer)
            if (
                status == PeerWorker.ResourceStatus.ACTIVE
                and open_pause is not None
                and open_pause.status == open_pause.Status.APPROVED
            ):
                # Back from a pause: the pause and its covers end with it (and she is active).
                pauses.pause_end(actor=request.user, pause=open_pause)
            else:
                services.peer_set_resource_status(actor=request.user, peer=peer, status=status)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The resource base status was changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("peers:detail", peer_id=peer.pk)


@require_GET
@login_required
def peer_time_budget(request, peer_id: int):
    peer = selectors.get_peer_for_user(request.user, peer_id)
    context = _peer_context(request, peer)
    context["budget"] = budget_selectors.time_budget(peer)
    return render(request, "peers/time_budget.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def peer_supervision(request, peer_id: int):
    peer = selectors.get_peer_for_user(request.user, peer_id)
    context = _peer_context(request, peer)
    form = None
    status = 200
    if context["is_coordinator"]:
        form = forms.SupervisionForm(
            request.POST or None, initial={"held_on": timezone.localdate()}
        )
    elif request.method == "POST":
        raise Http404
    if request.method == "POST":
        if form.is_valid():
            try:
                services.supervision_create(actor=request.user, peer=peer, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The supervision was recorded."))
                return redirect("peers:supervision", peer_id=peer.pk)
        status = 400
    context.update(form=form, supervisions=selectors.supervisions_for(request.user, peer))
    return render(request, "peers/supervision.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def peer_checkins(request, peer_id: int):
    peer = selectors.get_peer_for_user(request.user, peer_id)
    context = _peer_context(request, peer)
    form = forms.CheckInForm(request.POST or None) if context["is_own"] else None
    if request.method == "POST" and form is None:
        raise Http404
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.checkin_submit(actor=request.user, peer=peer, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Thank you for checking in."))
                return redirect("peers:checkins", peer_id=peer.pk)
        status = 400
    context.update(form=form, checkins=selectors.checkins_for(request.user, peer))
    return render(request, "peers/checkins.html", context, status=status)


@require_POST
@login_required
def peer_conversation(request, peer_id: int):
    """The peer asks for a conversation with one tap; the coordinator marks it followed up."""
    peer = selectors.get_peer_for_user(request.user, peer_id)
    try:
        if selectors.is_own_profile(request.user, peer):
            services.conversation_request(actor=request.user, peer=peer)
            messages.success(request, _("Your coordinator will get in touch with you."))
        elif selectors.coordinates(request.user, peer.programme_id):
            services.conversation_resolve(actor=request.user, peer=peer)
            messages.success(request, _("The request was marked as followed up."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.POST.get("next") == "home":
        return redirect("web:home")
    return redirect("peers:detail", peer_id=peer.pk)


@require_GET
@login_required
def peer_certificate(request, peer_id: int):
    peer = selectors.get_peer_for_user(request.user, peer_id)
    context = _peer_context(request, peer)
    context.update(working_life=_working_life(peer), today=timezone.localdate())
    return render(request, "peers/certificate.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def advisor_new(request):
    """Register an advisor (veileder) without lived experience and without the peer course."""
    form = forms.AdvisorForm(request.POST or None, programmes=_programmes(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                peer = services.advisor_create(
                    actor=request.user,
                    site_url=settings.ETTERVERN_SITE_URL or request.build_absolute_uri("/"),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The advisor is now in the resource base and was invited by e-mail."),
                )
                return redirect("peers:detail", peer_id=peer.pk)
        status = 400
    return render(request, "peers/advisor_form.html", {"form": form}, status=status)


# --- recruitment and the course ----------------------------------------------------------------


def _programmes(request):
    return programmes_for_role(request.user, Role.COORDINATOR).order_by("name")


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def candidate_list(request):
    programmes = _programmes(request)
    courses = selectors.courses_visible_to(request.user)
    form = forms.CandidateForm(request.POST or None, programmes=programmes, courses=courses)
    course_form = forms.CourseForm(prefix="course", programmes=programmes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                candidate = services.candidate_create(actor=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The candidate was added."))
                return redirect("peers:candidate", candidate_id=candidate.pk)
        status = 400
    query = search_query(request)
    candidates = selectors.candidates_visible_to(request.user).select_related("course", "peer")
    if query:
        candidates = candidates.filter(name__icontains=query)
    page = offset_page(candidates.order_by("name", "pk"), request)
    context = {
        "form": form,
        "course_form": course_form,
        "candidates": page.rows,
        "page": page,
        "query": query,
        "courses": courses.order_by("-starts_on"),
    }
    return render(request, "peers/candidates.html", context, status=status)


@require_POST
@role_required(Role.COORDINATOR)
def course_create(request):
    programmes = _programmes(request)
    form = forms.CourseForm(request.POST, prefix="course", programmes=programmes)
    if form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The course was created."))
            return redirect("peers:course", course_id=course.pk)
    courses = selectors.courses_visible_to(request.user)
    context = {
        "form": forms.CandidateForm(programmes=programmes, courses=courses),
        "course_form": form,
        "candidates": selectors.candidates_visible_to(request.user).select_related("course"),
        "courses": courses.order_by("-starts_on"),
    }
    return render(request, "peers/candidates.html", context, status=400)


def _render_candidate(request, candidate: Candidate, status: int = 200, **bound):
    context = {
        "candidate": candidate,
        "lived": _codes(candidate.lived_experience, labels.LIVED_EXPERIENCE_LABELS),
        "course_form": bound.get("course_form")
        or forms.CandidateCourseForm(
            initial={"course": candidate.course_id},
            courses=selectors.courses_visible_to(request.user).filter(
                programme_id=candidate.programme_id
            ),
        ),
        "complete_form": bound.get("complete_form")
        or forms.CompleteCourseForm(initial={"completed_on": timezone.localdate()}),
        "admit_form": bound.get("admit_form")
        or forms.AdmitForm(initial={"email": candidate.email}),
        "attendance": selectors.attendance_share(candidate),
        "needed_percent": candidate.programme.course_attendance_percent,
    }
    return render(request, "peers/candidate.html", context, status=status)


@require_GET
@role_required(Role.COORDINATOR)
def candidate_detail(request, candidate_id: int):
    candidate = selectors.get_candidate_for_user(request.user, candidate_id)
    return _render_candidate(request, candidate)


def _candidate_action(
    request, candidate_id: int, form_class, key: str, action, done: str, form_kwargs=None
):
    candidate = selectors.get_candidate_for_user(request.user, candidate_id)
    form = form_class(request.POST, **(form_kwargs(candidate) if form_kwargs else {}))
    if form.is_valid():
        try:
            result = action(candidate, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return result
    return _render_candidate(request, candidate, status=400, **{key: form})


@require_POST
@role_required(Role.COORDINATOR)
def candidate_course(request, candidate_id: int):
    def action(candidate, data):
        services.candidate_set_course(
            actor=request.user, candidate=candidate, course=data["course"]
        )
        return redirect("peers:candidate", candidate_id=candidate.pk)

    return _candidate_action(
        request,
        candidate_id,
        forms.CandidateCourseForm,
        "course_form",
        action,
        _("The course was saved."),
        form_kwargs=lambda c: {
            "courses": selectors.courses_visible_to(request.user).filter(
                programme_id=c.programme_id
            )
        },
    )


@require_POST
@role_required(Role.COORDINATOR)
def candidate_complete(request, candidate_id: int):
    def action(candidate, data):
        services.candidate_complete_course(
            actor=request.user, candidate=candidate, completed_on=data["completed_on"]
        )
        return redirect("peers:candidate", candidate_id=candidate.pk)

    return _candidate_action(
        request,
        candidate_id,
        forms.CompleteCourseForm,
        "complete_form",
        action,
        _("The course completion was recorded."),
    )


@require_POST
@role_required(Role.COORDINATOR)
def candidate_admit(request, candidate_id: int):
    def action(candidate, data):
        peer = services.candidate_admit(
            actor=request.user,
            candidate=candidate,
            site_url=settings.ETTERVERN_SITE_URL or request.build_absolute_uri("/"),
            **data,
        )
        return redirect("peers:detail", peer_id=peer.pk)

    return _candidate_action(
        request,
        candidate_id,
        forms.AdmitForm,
        "admit_form",
        action,
        _(
            "The peer worker is now in the resource base. A new login gets an invitation by "
            "e-mail to choose a password."
        ),
    )


@require_POST
@role_required(Role.COORDINATOR)
def candidate_withdraw(request, candidate_id: int):
    candidate = selectors.get_candidate_for_user(request.user, candidate_id)
    try:
        services.candidate_withdraw(actor=request.user, candidate=candidate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The candidate was marked as withdrawn."))
    return redirect("peers:candidate", candidate_id=candidate.pk)


def _render_course(request, course, status: int = 200, session_form=None):
    sessions = list(course.sessions.prefetch_related("attendees", "absences"))
    candidates = list(course.candidates.order_by("name"))
    attended = {(s.pk, c.pk) for s in sessions for c in s.attendees.all()}
    reasons = {(s.pk, a.candidate_id): a.reason for s in sessions for a in s.absences.all()}
    today = timezone.localdate()
    grid = []
    for c in candidates:
        cells = [(s, (s.pk, c.pk) in attended, reasons.get((s.pk, c.pk), "")) for s in sessions]
        held = [cell for cell in cells if cell[0].held_on <= today]
        present = sum(1 for cell in held if cell[1])
        share = round(100 * present / len(held)) if held else None
        grid.append((c, cells, present, len(held), share))
    context = {
        "absence_reasons": CourseAbsence.Reason.choices,
        "needed_percent": course.programme.course_attendance_percent,
        "course": course,
        "sessions": sessions,
        "grid": grid,
        "total_hours": sum(s.hours for s in sessions),
        "session_form": session_form or forms.CourseSessionForm(),
    }
    return render(request, "peers/course.html", context, status=status)


@require_GET
@role_required(Role.COORDINATOR)
def course_detail(request, course_id: int):
    return _render_course(request, selectors.get_course_for_user(request.user, course_id))


@require_POST
@role_required(Role.COORDINATOR)
def course_session_add(request, course_id: int):
    course = selectors.get_course_for_user(request.user, course_id)
    form = forms.CourseSessionForm(request.POST)
    if form.is_valid():
        try:
            services.course_session_create(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session was added."))
            return redirect("peers:course", course_id=course.pk)
    return _render_course(request, course, status=400, session_form=form)


@require_POST
@role_required(Role.COORDINATOR)
def course_attendance(request, course_id: int):
    course = selectors.get_course_for_user(request.user, course_id)
    attended = set()
    for value in request.POST.getlist("attended"):
        session_id, _sep, candidate_id = value.partition("-")
        if session_id.isdigit() and candidate_id.isdigit():
            attended.add((int(session_id), int(candidate_id)))
    # A reason is kept only for someone absent: ticking "present" wins over a chosen reason.
    absences = {}
    for key, reason in request.POST.items():
        session_id, _sep, candidate_id = key.removeprefix("absence-").partition("-")
        if key.startswith("absence-") and session_id.isdigit() and candidate_id.isdigit():
            pair = (int(session_id), int(candidate_id))
            if reason and pair not in attended:
                absences[pair] = reason[:20]
    try:
        services.course_attendance_set(
            actor=request.user, course=course, attended=attended, absences=absences
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The attendance was saved."))
    return redirect("peers:course", course_id=course.pk)


# --- group supervision ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def group_supervision_list(request):
    programmes = _programmes(request)
    form = forms.GroupSupervisionForm(
        request.POST or None, programmes=programmes, initial={"held_on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.group_supervision_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The group supervision was saved."))
                return redirect("peers:group_supervision", group_supervision_id=session.pk)
        status = 400
    # Attendees counted by the database, not loaded to be counted.
    sessions = (
        selectors.group_supervisions_visible_to(request.user)
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-pk")[:50]
    )
    context = {
        "form": form,
        "sessions": sessions,
        "status_rows": selectors.group_supervision_status(request.user),
    }
    return render(request, "peers/group_supervisions.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def group_supervision_detail(request, group_supervision_id: int):
    session = selectors.get_group_supervision_for_user(request.user, group_supervision_id)
    peers = (
        PeerWorker.objects.filter(programme_id=session.programme_id)
        .exclude(resource_status=PeerWorker.ResourceStatus.CANDIDATE)
        .select_related("user")
        .order_by("user__name")
    )
    form = forms.GroupAttendanceForm(
        request.POST or None, peers=peers, initial={"attendees": list(session.attendees.all())}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_supervision_set_attendance(
                    actor=request.user, session=session, peers=list(form.cleaned_data["attendees"])
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The attendance was saved."))
                return redirect("peers:group_supervisions")
        status = 400
    context = {
        "session": session,
        "form": form,
        "is_future": session.held_on > timezone.localdate(),
    }
    return render(request, "peers/group_supervision.html", context, status=status)
