from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ettervern.lib import forms as safe
from ettervern.matching import core
from ettervern.matching.models import Exclusion, PeerPause, PlanConstraint
from ettervern.peers.models import PeerWorker

CRITERION_LABELS = {
    "wishes": _("The participant's wishes"),
    "gender": _("Same gender"),
    "age": _("Age proximity"),
    "substances": _("Shared substance history"),
    "treatment_path": _("Shared treatment path (e.g. LAR, 12-step)"),
    "lived_experience": _("Same kind of lived experience"),
    "interests": _("Shared interests"),
    "goals": _("The participant's goals and the peer's strengths"),
    "availability": _("Availability"),
    "language": _("Shared language"),
    "distance": _("Distance between areas"),
    "continuity": _("Continuity (earlier peer worker)"),
    "load": _("Spread the load across peer workers"),
}
WEIGHT_ERRORS = {
    "invalid": _("Enter a number, e.g. 2 or 0.5."),
    "min_value": _("A weight cannot be negative."),
    "max_value": _("A weight can be at most 100."),
    "required": _("Enter a weight (0 switches the criterion off)."),
}


class MatchingSettingsForm(forms.Form):
    suggestions_shown = forms.IntegerField(
        label=_("Number of suggestions shown"),
        min_value=1,
        max_value=20,
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("Show at least one suggestion."),
            "max_value": _("Show at most 20 suggestions."),
        },
    )
    require_peer_acceptance = forms.BooleanField(
        label=_("The peer worker accepts before I confirm a match"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in core.CRITERIA:
            self.fields[f"w_{criterion}"] = forms.FloatField(
                label=CRITERION_LABELS[criterion],
                min_value=0,
                max_value=100,
                error_messages=WEIGHT_ERRORS,
                localize=True,
            )

    def weights(self) -> dict[str, float]:
        return {c: self.cleaned_data[f"w_{c}"] for c in core.CRITERIA}

    @staticmethod
    def initial_for(settings, weights: core.Weights) -> dict:
        initial = {f"w_{c}": v for c, v in weights.as_dict().items()}
        initial["suggestions_shown"] = settings.suggestions_shown
        initial["require_peer_acceptance"] = settings.require_peer_acceptance
        return initial


# How many peers a picker lists at once: the rest are found by searching.
PEER_OPTIONS_SHOWN = 20


class PeerSearchSelect(forms.Select):
    """A search field (htmx: the options are fetched as one types) above a short select of the
    first peers by name, never every peer of a large programme."""

    template_name = "matching/_peer_picker.html"

    def __init__(self, *args, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        return context


def peer_options(programme, query: str = "", selected=None) -> list[tuple[int, str]]:
    """The first peers of a programme whose name contains ``query``, by name (and the selected
    one, so a redisplayed form keeps it)."""
    qs = PeerWorker.objects.filter(programme=programme).select_related("user")
    if query:
        qs = qs.filter(user__name__icontains=query)
    rows = [(p.pk, p.user.name) for p in qs.order_by("user__name", "pk")[:PEER_OPTIONS_SHOWN]]
    wanted = str(selected or "")
    if wanted.isdigit() and len(wanted) < 19 and int(wanted) not in {pk for pk, _n in rows}:
        extra = qs.model.objects.filter(programme=programme, pk=int(wanted))
        rows += [(p.pk, p.user.name) for p in extra.select_related("user")]
    return rows


class PeerChoiceForm(forms.Form):
    peer = safe.ModelChoiceField(
        label=_("Peer worker"),
        queryset=PeerWorker.objects.none(),
        error_messages={
            "required": _("Choose a peer worker."),
            "invalid_choice": _("Choose a peer worker from the list."),
        },
    )

    def __init__(self, *args, programme, participant=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["peer"]
        field.queryset = PeerWorker.objects.filter(programme=programme).select_related("user")
        field.label_from_instance = lambda peer: peer.user.name
        # Validated against the whole programme (by id), but only a few options are rendered.
        search = reverse("matching:peer_options", args=[participant.pk]) if participant else ""
        field.widget = PeerSearchSelect(search_url=search)
        selected = self.data.get(self.add_prefix("peer")) if self.is_bound else None
        field.widget.choices = [("", "—"), *peer_options(programme, selected=selected)]


class ExclusionForm(PeerChoiceForm):
    kind = forms.ChoiceField(
        label=_("Why"),
        choices=Exclusion.Kind.choices,
        error_messages={"required": _("Choose why."), "invalid_choice": _("Choose why.")},
    )
    reason = forms.CharField(
        label=_("Short reason (coordinators only)"),
        max_length=200,
        error_messages={
            "required": _("Give a short reason for the exclusion."),
            "max_length": _("Keep the reason under 200 characters."),
        },
    )


class PairForm(forms.Form):
    participant = forms.IntegerField(label=_("Participant"), min_value=1, max_value=10**18)
    peer = forms.IntegerField(label=_("Peer worker"), min_value=1, max_value=10**18)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            *PlanConstraint.Kind.choices,
            ("clear", _("Remove the choice")),
            ("accept", _("Accept the plan's pair")),
        ],
    )


class ConfirmForm(forms.Form):
    """Confirming a proposal: the day the follow-up started (today, or earlier when the pair
    began before the match was registered)."""

    started_on = safe.DateField(
        label=_("The follow-up started"),
        years_ahead=0,
        required=False,
        error_messages={
            "invalid": _("Enter a valid date."),
            "date_too_late": _("The start date cannot be in the future."),
        },
    )


# --- a peer worker's pause -------------------------------------------------------------------

PAUSE_DATE_ERRORS = {
    "required": _("Enter a date."),
    "invalid": _("Enter a real date."),
}


class PauseRequestForm(safe.SubmissionKeyMixin, forms.Form):
    """The peer's own request, or the first part of the coordinator's pause form."""

    reason = forms.ChoiceField(
        label=_("Why"),
        choices=PeerPause.Reason.choices,
        help_text=_("Only the coordinator sees the reason."),
    )
    starts_on = safe.DateField(
        label=_("From"), years_back=1, years_ahead=1, error_messages=PAUSE_DATE_ERRORS
    )
    expected_return_on = safe.DateField(
        label=_("Expected back"), years_back=1, years_ahead=2, error_messages=PAUSE_DATE_ERRORS
    )

    def clean(self):
        data = super().clean()
        starts, back = data.get("starts_on"), data.get("expected_return_on")
        if starts and back and back < starts:
            raise forms.ValidationError(_("The pause cannot end before it starts."))
        return data


class CoverFieldsMixin:
    """One optional "who covers" choice per participant of the paused peer (``cover_<id>``)."""

    def add_cover_fields(self, participants, candidates, initial=None) -> None:
        initial = initial or {}
        for p in participants:
            self.fields[f"cover_{p.pk}"] = safe.ModelChoiceField(
                queryset=candidates,
                required=False,
                label=_("Who covers %(name)s") % {"name": p.name},
                empty_label=_("No one yet"),
                initial=initial.get(p.pk),
            )
            self.fields[f"cover_{p.pk}"].label_from_instance = lambda peer: peer.user.name

    def covers(self) -> dict:
        return {
            int(name.removeprefix("cover_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("cover_") and value is not None
        }


class PauseStartForm(CoverFieldsMixin, PauseRequestForm):
    def __init__(self, *args, participants=(), candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.add_cover_fields(participants, candidates)


class PauseCoversForm(CoverFieldsMixin, forms.Form):
    def __init__(self, *args, participants=(), candidates=None, initial_covers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.add_cover_fields(participants, candidates, initial_covers)
