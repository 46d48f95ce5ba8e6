from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.models import Role
from ettervern.accounts.selectors import programmes_for_role
from ettervern.audit.decorators import role_required
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record
from ettervern.matching.access import Need, get_participant_for_user, own_participant
from ettervern.outcomes import events, selectors, services
from ettervern.outcomes.display import cards_for
from ettervern.outcomes.forms import AnswerForm, AnswerSheet, ScheduleForm
from ettervern.outcomes.models import Instrument, Mode
from ettervern.participants.models import Participant


def _participant(request, participant_id: int, view: str) -> Participant:
    """The participant, if the user may see her scores (coordinator, current peer worker, the
    participant herself); 404 otherwise. The read is audited as a read of her scores."""
    participant = get_participant_for_user(
        request.user, participant_id, need=Need.CURRENT, audit=False
    )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.READ,
        obj=participant,
        event=events.OUTCOMES_VIEWED,
        data={"view": view},
    )
    return participant


def _available(participant: Participant) -> list[Instrument]:
    """The questionnaires she can answer now (the trust scale needs a current peer worker)."""
    match = participant.access.match
    return [
        i
        for i in selectors.current_instruments().values()
        if not (i.requires_match and match is None)
    ]


@require_GET
@login_required
def participant_outcomes(request, participant_id: int):
    participant = _participant(request, participant_id, "page")
    today = timezone.localdate()
    context = {
        "participant": participant,
        "is_own": participant.access.own_record,
        "cards": cards_for(selectors.series_for(participant)),
        "due": selectors.due_for_participant(participant, today),
        "instruments": _available(participant),
        "responses": selectors.responses_of(participant),
    }
    return render(request, "outcomes/participant.html", context)


@require_GET
@role_required(Role.PARTICIPANT)
def own_outcomes(request):
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    return redirect("outcomes:participant", participant_id=participant.pk)


@require_http_methods(["GET", "POST"])
@login_required
def answer(request, participant_id: int):
    participant = _participant(request, participant_id, "answer")
    code = request.POST.get("skjema") or request.GET.get("skjema", "")
    instrument = {i.code: i for i in _available(participant)}.get(code)
    if instrument is None:
        raise Http404
    own = participant.access.own_record
    questions = services.questions_for(instrument, participant)
    sheet = AnswerSheet(
        questions=questions,
        labels=instrument.scale_labels,
        scale_min=instrument.scale_min,
        modes=[Mode.OWN_LOGIN] if own else list(services.STAFF_MODES),
    )
    form = AnswerForm(request.POST or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_submit(
                actor=request.user,
                participant=participant,
                instrument=instrument,
                values=form.values(),
                mode=form.mode(),
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if response.complete:
                messages.success(request, _("Thank you. The answers were saved."))
            else:
                answered = sum(1 for v in form.values().values() if v is not None)
                messages.warning(
                    request,
                    _(
                        "Saved as incomplete: %(answered)s of %(total)s questions answered. "
                        "An incomplete questionnaire is not scored."
                    )
                    % {"answered": answered, "total": len(questions)},
                )
            return redirect("outcomes:participant", participant_id=participant.pk)
    context = {
        "participant": participant,
        "instrument": instrument,
        "form": form,
        "is_own": own,
        "no_questions": not questions,
    }
    return render(request, "outcomes/answer.html", context, status=400 if form.errors else 200)


def _schedule_rows(request, programmes):
    instruments = selectors.current_instruments()
    rows = []
    for programme in programmes:
        schedule = selectors.programme_schedule(programme)
        forms_ = [
            (
                instrument,
                ScheduleForm(
                    initial={
                        "programme": programme.pk,
                        "instrument": code,
                        "points": schedule.get(code, []),
                    },
                    programmes=programmes,
                    auto_id=f"id_p{programme.pk}_{code}_%s",
                ),
            )
            for code, instrument in instruments.items()
        ]
        rows.append((programme, forms_))
    return rows


@require_GET
@role_required(Role.COORDINATOR)
def schedule(request):
    programmes = programmes_for_role(request.user, Role.COORDINATOR)
    return render(request, "outcomes/schedule.html", {"rows": _schedule_rows(request, programmes)})


@require_POST
@role_required(Role.COORDINATOR)
def schedule_save(request):
    programmes = programmes_for_role(request.user, Role.COORDINATOR)
    form = ScheduleForm(request.POST, programmes=programmes)
    if form.is_valid():
        try:
            services.schedule_set(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                instrument_code=form.cleaned_data["instrument"],
                points=form.cleaned_data["points"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The schedule was saved."))
    else:
        messages.error(request, _("The schedule could not be saved. Try again."))
    return redirect("outcomes:schedule")
