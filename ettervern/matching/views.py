from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programmes_for_role
from ettervern.audit.decorators import role_required
from ettervern.matching import engine, pauses, services
from ettervern.matching.access import Need, get_participant_for_user
from ettervern.matching.forms import (
    ConfirmForm,
    ExclusionForm,
    MatchingSettingsForm,
    PairForm,
    PauseCoversForm,
    PauseRequestForm,
    PauseStartForm,
    PeerChoiceForm,
)
from ettervern.matching.forms import peer_options as forms_peer_options
from ettervern.matching.loading import settings_for, weights_for
from ettervern.matching.models import Exclusion, Match
from ettervern.matching.selectors import (
    coordinated_programme,
    get_exclusion_for_user,
    get_proposal_for_user,
    programme_pair,
)
from ettervern.participants.models import Participant
from ettervern.peers.selectors import coordinates, get_peer_for_user


def _coordinated_participant(request, participant_id: int) -> Participant:
    return get_participant_for_user(request.user, participant_id, need=Need.COORDINATE)


def _back(participant: Participant):
    return redirect(f"{reverse('participants:detail', args=[participant.pk])}#matching")


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
@role_required(Role.COORDINATOR)
def propose(request, participant_id: int):
    participant = _coordinated_participant(request, participant_id)
    form = PeerChoiceForm(request.POST, programme=participant.programme, participant=participant)
    if not form.is_valid():
        messages.error(request, _("Choose a peer worker from the list."))
        return _back(participant)
    try:
        services.match_propose(
            actor=request.user, participant=participant, peer=form.cleaned_data["peer"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The peer worker is proposed. Confirm when both agree."))
    return _back(participant)


@require_POST
@role_required(Role.COORDINATOR)
def confirm(request, proposal_id: int):
    proposal = get_proposal_for_user(request.user, proposal_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(proposal.participant)
    try:
        services.match_confirm(
            actor=request.user, match=proposal, started_on=form.cleaned_data["started_on"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The match has started."))
    return _back(proposal.participant)


@require_POST
@role_required(Role.COORDINATOR)
def withdraw(request, proposal_id: int):
    proposal = get_proposal_for_user(request.user, proposal_id)
    try:
        services.match_proposal_withdraw(actor=request.user, match=proposal)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The proposal was withdrawn."))
    return _back(proposal.participant)


@require_POST
@role_required(Role.PEER_WORKER)
def accept(request, proposal_id: int):
    proposal = get_proposal_for_user(request.user, proposal_id, as_peer=True)
    try:
        services.match_proposal_accept(actor=request.user, match=proposal)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Thank you. The coordinator will confirm the match."))
    return redirect("web:home")


@require_GET
@role_required(Role.COORDINATOR)
def why_not(request, participant_id: int):
    participant = _coordinated_participant(request, participant_id)
    form = PeerChoiceForm(
        request.GET or None, programme=participant.programme, participant=participant
    )
    answer = None
    if form.is_valid():
        answer = engine.why_not_for(participant, form.cleaned_data["peer"])
    template = "matching/_why_not.html" if request.htmx else "matching/why_not.html"
    context = {"participant": participant, "form": form, "answer": answer}
    return render(request, template, context)


def _page_number(request) -> int:
    value = request.GET.get("side", "1")
    return min(int(value), 100_000) if value.isdigit() and len(value) < 7 else 1


@require_GET
@role_required(Role.COORDINATOR)
def peer_options(request, participant_id: int):
    """The peer picker's options as one types: the first peers of the participant's programme
    (one the user coordinates) whose name contains the search (names only)."""
    programme = _coordinated_participant(request, participant_id).programme
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    options = forms_peer_options(programme, query)
    return render(request, "matching/_peer_options.html", {"options": options})


@require_POST
@role_required(Role.COORDINATOR)
def exclude(request, participant_id: int):
    participant = _coordinated_participant(request, participant_id)
    form = ExclusionForm(request.POST, programme=participant.programme, participant=participant)
    if form.is_valid():
        try:
            services.exclusion_create(
                actor=request.user,
                participant=participant,
                peer=form.cleaned_data["peer"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The exclusion is recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back(participant)


@require_POST
@role_required(Role.COORDINATOR)
def exclusion_delete(request, exclusion_id: int):
    exclusion = get_exclusion_for_user(request.user, exclusion_id)
    services.exclusion_delete(actor=request.user, exclusion=exclusion)
    messages.success(request, _("The exclusion was removed."))
    return _back(exclusion.participant)


def _plan_url(programme) -> str:
    return f"{reverse('matching:plan')}?tiltak={programme.pk}"


def _plan_programme(request):
    programme = coordinated_programme(request.user, request.GET.get("tiltak"))
    if programme is None:
        raise Http404
    return programme


@require_GET
@role_required(Role.COORDINATOR)
def plan(request):
    """The plan page at once, with a "computing" notice: the plan itself (seconds for a large
    organisation) comes from :func:`plan_result`, which htmx loads into it."""
    programme = _plan_programme(request)
    context = {
        "programme": programme,
        "programmes": programmes_for_role(request.user, Role.COORDINATOR).order_by("name"),
        "page": _page_number(request),
    }
    return render(request, "matching/plan.html", context)


@require_GET
@role_required(Role.COORDINATOR)
def plan_result(request):
    """The computed plan: the fragment for htmx, or the whole page without JavaScript."""
    programme = _plan_programme(request)
    context = {
        "programme": programme,
        "plan": engine.batch_plan_for(programme, unmatched_page=_page_number(request)),
    }
    if request.htmx:
        return render(request, "matching/_plan_result.html", context)
    context["programmes"] = programmes_for_role(request.user, Role.COORDINATOR).order_by("name")
    return render(request, "matching/plan.html", context)


@require_POST
@role_required(Role.COORDINATOR)
def plan_pair(request):
    """Lock, forbid, clear or accept one pair of the plan."""
    programme = coordinated_programme(request.user, request.POST.get("tiltak"))
    form = PairForm(request.POST)
    if programme is None or not form.is_valid():
        messages.error(request, _("The plan was changed or the request was incomplete."))
        return redirect(reverse("matching:plan"))
    participant, peer = programme_pair(
        programme, form.cleaned_data["participant"], form.cleaned_data["peer"]
    )
    if participant is None or peer is None:
        raise Http404
    kind = form.cleaned_data["kind"]
    if kind == "accept":
        _accept(request, programme, [(participant.pk, peer.pk)])
    else:
        services.plan_constraint_set(
            actor=request.user,
            participant=participant,
            peer=peer,
            kind=None if kind == "clear" else kind,
        )
    return redirect(_plan_url(programme))


def _accept(request, programme, pairs) -> None:
    created, refused = services.plan_accept(actor=request.user, programme=programme, pairs=pairs)
    if created:
        messages.success(
            request,
            ngettext("%(count)d match started.", "%(count)d matches started.", len(created))
            % {"count": len(created)},
        )
    for _pair, reason in refused:
        messages.error(request, _("Not started: %(reason)s") % {"reason": reason})


@require_POST
@role_required(Role.COORDINATOR)
def plan_accept_all(request):
    programme = coordinated_programme(request.user, request.POST.get("tiltak"))
    if programme is None:
        raise Http404
    pairs = []
    for value in request.POST.getlist("pair"):
        left, sep, right = value.partition("-")
        if sep and left.isdigit() and right.isdigit() and len(value) < 40:
            pairs.append((int(left), int(right)))
    if not pairs:
        messages.error(request, _("There were no pairs to accept."))
    else:
        _accept(request, programme, pairs)
    return redirect(_plan_url(programme))


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def matching_settings(request):
    programme = coordinated_programme(
        request.user, request.POST.get("tiltak") or request.GET.get("tiltak")
    )
    if programme is None:
        raise Http404
    settings = settings_for(programme)
    initial = MatchingSettingsForm.initial_for(settings, weights_for(programme))
    form = MatchingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.matching_settings_update(
                actor=request.user,
                programme=programme,
                weights=form.weights(),
                suggestions_shown=form.cleaned_data["suggestions_shown"],
                require_peer_acceptance=form.cleaned_data["require_peer_acceptance"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The matching settings were saved."))
            return redirect(f"{reverse('matching:settings')}?tiltak={programme.pk}")
    return render(request, "matching/settings.html", {"form": form, "programme": programme})


def participant_panel_context(request, participant: Participant) -> dict:
    """What the matching panel on a participant's page shows a coordinator."""
    proposals = list(
        Match.objects.filter(participant=participant, status=Match.Status.PROPOSED)
        .select_related("peer__user")
        .order_by("created_at")
    )
    waiting = participant.status == Participant.Status.WAITING
    return {
        "participant": participant,
        "suggestions": engine.suggestions_for(participant) if waiting else [],
        "waiting": waiting,
        "proposals": proposals,
        "today": timezone.localdate(),
        "require_acceptance": settings_for(participant.programme).require_peer_acceptance,
        "exclusions": list(
            Exclusion.objects.filter(participant=participant).select_related("peer__user")
        ),
        # Distinct ids: both pickers are on the same page.
        "peer_form": PeerChoiceForm(
            programme=participant.programme, participant=participant, auto_id="why-not-%s"
        ),
        "exclusion_form": ExclusionForm(
            programme=participant.programme, participant=participant, auto_id="exclusion-%s"
        ),
    }


# --- a peer worker's pause ---------------------------------------------------------------------


def _coordinated_peer(request, peer_id: int):
    peer = get_peer_for_user(request.user, peer_id)
    if not coordinates(request.user, peer.programme_id):
        raise Http404
    return peer


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def pause_start(request, peer_id: int):
    """The coordinator pauses a peer and says who covers each of her participants."""
    peer = _coordinated_peer(request, peer_id)
    if pauses.open_pause(peer) is not None:
        return redirect("matching:pause", pause_id=pauses.open_pause(peer).pk)
    held = list(pauses.held_participants(peer))
    candidates = pauses.cover_candidates(peer)
    form = PauseStartForm(
        request.POST or None,
        participants=held,
        candidates=candidates,
        initial={"starts_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                pause = pauses.pause_start(
                    actor=request.user,
                    peer=peer,
                    reason=data["reason"],
                    starts_on=data["starts_on"],
                    expected_return_on=data["expected_return_on"],
                    covers=form.covers(),
                    submission_key=data.get("submission_key"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The pause was registered."))
                return redirect("matching:pause", pause_id=pause.pk)
        status = 400
    context = {"peer": peer, "form": form, "held": held}
    return render(request, "matching/pause_form.html", context, status=status)


@require_POST
@login_required
def pause_request(request, peer_id: int):
    """The peer asks for a pause from her own page."""
    peer = get_peer_for_user(request.user, peer_id)
    if peer.user_id != request.user.pk:
        raise Http404
    form = PauseRequestForm(request.POST)
    if form.is_valid():
        try:
            pauses.pause_request(actor=request.user, peer=peer, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Your request was sent. The coordinator will talk with you about it.")
            )
    else:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    return redirect("peers:detail", peer_id=peer.pk)


PAUSE_ACTIONS = {"approve", "decline", "covers", "end"}


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def pause_detail(request, pause_id: int):
    """A pause: approve or decline a request, give covers, end it when the peer is back."""
    pause = pauses.get_pause_for_user(request.user, pause_id)
    held = list(pauses.held_participants(pause.peer))
    existing = pauses.covers_of(pause)
    form = PauseCoversForm(
        request.POST or None,
        participants=held,
        candidates=pauses.cover_candidates(pause.peer),
        initial_covers={pid: c.cover_id for pid, c in existing.items()},
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in PAUSE_ACTIONS:
            raise Http404
        try:
            if action == "decline":
                pauses.pause_decline(actor=request.user, pause=pause)
                messages.success(request, _("The request was declined."))
                return redirect("peers:detail", peer_id=pause.peer_id)
            if action == "end":
                pauses.pause_end(actor=request.user, pause=pause)
                messages.success(request, _("Welcome back: the pause has ended."))
                return redirect("peers:detail", peer_id=pause.peer_id)
            if form.is_valid():
                if action == "approve":
                    pauses.pause_approve(actor=request.user, pause=pause, covers=form.covers())
                    messages.success(request, _("The pause was approved."))
                else:
                    pauses.pause_covers_set(actor=request.user, pause=pause, covers=form.covers())
                    messages.success(request, _("The covers were saved."))
                return redirect("matching:pause", pause_id=pause.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        status = 400
    context = {
        "pause": pause,
        "peer": pause.peer,
        "form": form,
        "held": held,
        "covers": existing,
    }
    return render(request, "matching/pause.html", context, status=status)
