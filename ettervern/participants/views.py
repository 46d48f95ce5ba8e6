from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programme_ids_for_role
from ettervern.matching.selectors import current_match_of
from ettervern.participants.forms import ParticipantDetailsForm
from ettervern.participants.selectors import get_participant_for_user, participants_visible_to
from ettervern.participants.services import participant_update_details
from ettervern.web.home_panels import object_panels


@require_GET
@login_required
def participant_list(request):
    participants = (
        participants_visible_to(request.user).select_related("programme").order_by("name")[:500]
    )
    return render(request, "participants/list.html", {"participants": participants})


@require_GET
@login_required
def participant_detail(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id)
    is_coordinator = participant.programme_id in programme_ids_for_role(
        request.user, Role.COORDINATOR
    )
    context = {
        "participant": participant,
        "match": current_match_of(participant),
        "is_coordinator": is_coordinator,
        "panels": object_panels(request, "participant_panels", participant),
    }
    return render(request, "participants/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def participant_edit_details(request, participant_id: int):
    participant = get_participant_for_user(request.user, participant_id, for_write=True)
    form = ParticipantDetailsForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        participant_update_details(
            actor=request.user, participant=participant, changes=form.cleaned_data
        )
        messages.success(request, _("The details were saved."))
        return redirect("participants:detail", participant_id=participant.pk)
    return render(
        request, "participants/edit_details.html", {"form": form, "participant": participant}
    )
