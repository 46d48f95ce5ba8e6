import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ettervern.accounts.models import Role
from ettervern.audit.decorators import role_required
from ettervern.audit.services import audit_denied
from ettervern.followup.forms import AgreementForm, ContactCloseForm, ContactForm
from ettervern.followup.peer_signals import signal_mark_handled
from ettervern.followup.selectors import current_agreement, get_contact_for_user
from ettervern.followup.services import (
    agreement_confirm,
    agreement_save,
    contact_close,
    contact_log,
)
from ettervern.matching.access import Need, get_participant_for_user
from ettervern.peers.selectors import get_peer_for_user


def _writable_match(request, participant_id: int):
    """The participant and current match, for its peer worker or a coordinator; else 404."""
    participant = get_participant_for_user(request.user, participant_id, need=Need.FOLLOW)
    match = participant.access.match
    if match is None:
        raise Http404
    return participant, match


def _detail(participant):
    return redirect("participants:detail", participant_id=participant.pk)


@require_http_methods(["GET", "POST"])
@login_required
def agreement_edit(request, participant_id: int):
    participant, match = _writable_match(request, participant_id)
    current = current_agreement(match)
    if current is not None:
        initial = {
            "goals": list(current.goals.all()),
            "contact_kinds": current.contact_kinds,
            "rhythm": current.rhythm,
            "availability": current.availability,
            "joins_responsibility_group": current.joins_responsibility_group,
            "review_on": current.review_on,
        }
    else:
        days = participant.programme.review_interval_days
        initial = {"review_on": timezone.localdate() + dt.timedelta(days=days)}
    form = AgreementForm(request.POST or None, participant=participant, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_save(actor=request.user, match=match, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if current is not None and agreement.pk == current.pk:
                messages.info(
                    request,
                    _("Nothing was changed: the agreement is still version %(v)s.")
                    % {"v": agreement.version},
                )
            else:
                messages.success(
                    request,
                    _("Version %(v)s of the agreement was saved. Both must confirm it.")
                    % {"v": agreement.version},
                )
            return _detail(participant)
    context = {"form": form, "participant": participant, "current": current}
    return render(request, "followup/agreement_form.html", context)


@require_POST
@login_required
def agreement_confirm_view(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id)
    agreement = current_agreement(participant.access.match)
    if agreement is None:
        raise Http404
    version = request.POST.get("version", "")
    try:
        agreement_confirm(
            actor=request.user,
            agreement=agreement,
            party=request.POST.get("party", ""),
            version=int(version) if version.isdigit() else 0,
        )
        messages.success(request, _("The agreement was confirmed."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    if participant.access.own_record and request.POST.get("next") == "home":
        # Confirmed from the participant's own home page: back there, where the badge shows.
        return redirect("web:home")
    return _detail(participant)


@require_http_methods(["GET", "POST"])
@login_required
def contact_new(request, participant_id: int):
    # Read access first (a peer keeps it for a grace period), so that a contact for a match that
    # has ended meanwhile gets a clear message instead of a page that is suddenly gone.
    participant = get_participant_for_user(request.user, participant_id)
    access = participant.access
    match = access.match
    if not access.log_contacts:
        # A peer in the grace period (or a coordinator after the end) is told why; anyone else
        # may not log contacts for this participant at all.
        if not (access.grace_peer or access.coordinate):
            audit_denied(
                actor=request.user, object_type="participants.participant", object_id=participant.pk
            )
            raise Http404
        ended = _("The follow-up with this peer worker has ended.")
        if request.method != "POST":
            messages.error(request, ended)
            return _detail(participant)
        form = ContactForm(request.POST)
        form.is_valid()
        form.add_error(None, ended)
        context = {"form": form, "participant": participant, "match": None}
        return render(request, "followup/contact_form.html", context, status=400)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _contact, created = contact_log(actor=request.user, match=match, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("The contact was logged."))
            else:
                messages.success(request, _("This contact was already logged."))
            return _detail(participant)
    context = {"form": form, "participant": participant, "match": match}
    return render(request, "followup/contact_form.html", context)


def _back(contact, back: str):
    """Back to where the form was opened: the home page or the participant page."""
    if back == "home":
        return redirect("web:home")
    return _detail(contact.participant)


@require_http_methods(["GET", "POST"])
@login_required
def contact_close_view(request, contact_id: int):
    contact = get_contact_for_user(request.user, contact_id)
    back = "home" if (request.POST.get("back") or request.GET.get("back")) == "home" else ""
    data = request.POST if request.method == "POST" else None
    form = ContactCloseForm(data, initial={"duration_minutes": contact.duration_minutes})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _contact, changed = contact_close(
                    actor=request.user, contact=contact, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if changed:
                    messages.success(request, _("The contact was updated."))
                else:
                    messages.info(request, _("This contact was already updated."))
                return _back(contact, back)
        status = 400
    context = {
        "form": form,
        "contact": contact,
        "participant": contact.participant,
        "back": back,
        "now": timezone.now(),
    }
    return render(request, "followup/contact_close.html", context, status=status)


@require_POST
@role_required(Role.COORDINATOR)
def signal_handled(request, peer_id: int):
    """Mark one signal about a peer handled; back to the home page or her page."""
    peer = get_peer_for_user(request.user, peer_id, audit=False)
    try:
        done = signal_mark_handled(
            actor=request.user,
            peer=peer,
            kind=request.POST.get("kind", "")[:20],
            cause=request.POST.get("cause", "")[:41],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if done:
            messages.success(request, _("Marked handled. It shows again if the cause comes back."))
        else:
            messages.info(request, _("This was already handled."))
    if request.POST.get("next") == "peer":
        return redirect("peers:detail", peer_id=peer.pk)
    return redirect("web:home")
