from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.models import Role, token_hash
from ettervern.audit.decorators import role_required
from ettervern.audit.services import audit_denied
from ettervern.reminders import services
from ettervern.reminders.feed import feed_events, to_ical
from ettervern.reminders.forms import DigestSettingsForm
from ettervern.reminders.models import CalendarToken

STAFF = (Role.PEER_WORKER, Role.COORDINATOR)
# The new address is shown once, on the page the create redirects to, then forgotten.
_SHOW_ONCE = "reminders_calendar_link"


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def reminder_settings(request):
    current = services.settings_of(request.user)
    initial = {"digest_enabled": current.digest_enabled, "digest_hour": current.digest_hour}
    form = DigestSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_settings_update(
                actor=request.user,
                digest_enabled=form.cleaned_data["digest_enabled"],
                digest_hour=form.cleaned_data["digest_hour"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your reminder settings were saved."))
            return redirect("reminders:settings")
    token = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    secret = request.session.pop(_SHOW_ONCE, None)
    link = ""
    if secret and token is not None:
        # The site's own address (behind a proxy the request's host may be an internal one).
        base = settings.ETTERVERN_SITE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1]
        link = base + reverse("reminders:calendar_feed", args=[secret])
    # Phones subscribe with one tap to a webcal: address.
    webcal = "webcal:" + link.split(":", 1)[1] if link else ""
    return render(
        request,
        "reminders/settings.html",
        {"form": form, "token": token, "link": link, "webcal": webcal},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*STAFF)
def calendar_link_create(request):
    request.session[_SHOW_ONCE] = services.calendar_token_create(actor=request.user)
    messages.success(
        request, _("Your calendar address is ready. Copy it now: it is shown only once.")
    )
    return redirect(f"{reverse('reminders:settings')}#kalender")


@require_POST
@role_required(*STAFF)
def calendar_link_revoke(request):
    if services.calendar_token_revoke(actor=request.user):
        messages.success(request, _("The calendar address no longer works."))
    return redirect(f"{reverse('reminders:settings')}#kalender")


@require_GET
def calendar_feed(request, token: str):
    """The feed, for a calendar client without a login: the secret in the address is the key.
    A wrong or revoked address is a 404, audited (with part of its hash, never the secret)."""
    hashed = token_hash(token[:200])
    row = CalendarToken.objects.select_related("user").filter(token_hash=hashed).first()
    if row is None or row.revoked_at is not None or not row.user.is_active:
        kind = "unknown" if row is None else f"revoked:{row.pk}"
        audit_denied(actor=request.user, object_type="reminders.calendar_feed", object_id=kind)
        raise Http404
    events = feed_events(row.user)
    body = to_ical(events, name=_("Ettervern"))
    services.calendar_feed_read(token=row, events_count=len(events))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
