"""The org admin's pages (users, invitations, programmes) and the invitation link."""

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ettervern.accounts.areas import areas_of
from ettervern.accounts.models import Organisation, Role
from ettervern.accounts.selectors import is_staff_user
from ettervern.audit.decorators import role_required
from ettervern.matching import interests
from ettervern.orgadmin import selectors, services
from ettervern.orgadmin.forms import (
    AcceptInvitationForm,
    AreaCreateForm,
    AreaForm,
    InterestMergeForm,
    InviteForm,
    ProgrammeCreateForm,
    ProgrammeSettingsForm,
    RoleForm,
    SecondFactorResetForm,
)

AUTH_BACKEND = "ettervern.accounts.backends.EttervernAuthBackend"


def _organisation(request: HttpRequest) -> Organisation:
    # role_required(Role.ORG_ADMIN) made sure there is one.
    return selectors.administered_organisation(request.user)


def _site_url(request: HttpRequest) -> str:
    """Links in mail use the configured address, or else the address this request came to."""
    return settings.ETTERVERN_SITE_URL or request.build_absolute_uri("/")


# --- users and invitations ------------------------------------------------------------------


@require_GET
@role_required(Role.ORG_ADMIN)
def user_list(request):
    organisation = _organisation(request)
    context = {
        "organisation": organisation,
        "users": selectors.users_of(organisation),
        "invitations": selectors.pending_invitations(organisation),
    }
    return render(request, "orgadmin/users.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def invite(request):
    organisation = _organisation(request)
    programmes = selectors.programmes_of(organisation, archived=False)
    form = InviteForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, site_url=_site_url(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("orgadmin:users")
    return render(request, "orgadmin/invite.html", {"form": form})


@require_GET
@role_required(Role.ORG_ADMIN)
def user_detail(request, user_id: int):
    organisation = _organisation(request)
    person = selectors.user_in(organisation, user_id)
    context = {
        "person": person,
        "role_forms": [
            (m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}"))
            for m in person.org_memberships
        ],
        "reset_form": SecondFactorResetForm(),
    }
    return render(request, "orgadmin/user_detail.html", context)


def _back_with_error(request, exc: ValidationError, user_id: int):
    messages.error(request, " ".join(exc.messages))
    return redirect("orgadmin:user_detail", user_id=user_id)


@require_POST
@role_required(Role.ORG_ADMIN)
def membership_role(request, user_id: int, membership_id: int):
    organisation = _organisation(request)
    person = selectors.user_in(organisation, user_id)
    membership = selectors.membership_in(organisation, person, membership_id)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("orgadmin:user_detail", user_id=person.pk)
    try:
        services.membership_set_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        return _back_with_error(request, exc, person.pk)
    messages.success(request, _("The role was changed."))
    return redirect("orgadmin:user_detail", user_id=person.pk)


@require_POST
@role_required(Role.ORG_ADMIN)
def user_deactivate(request, user_id: int):
    organisation = _organisation(request)
    person = selectors.user_in(organisation, user_id)
    try:
        services.user_deactivate(actor=request.user, organisation=organisation, user=person)
    except ValidationError as exc:
        return _back_with_error(request, exc, person.pk)
    messages.success(request, _("%(name)s is deactivated and logged out.") % {"name": person.name})
    return redirect("orgadmin:user_detail", user_id=person.pk)


@require_POST
@role_required(Role.ORG_ADMIN)
def user_reactivate(request, user_id: int):
    organisation = _organisation(request)
    person = selectors.user_in(organisation, user_id)
    services.user_reactivate(actor=request.user, organisation=organisation, user=person)
    messages.success(request, _("%(name)s is active again.") % {"name": person.name})
    return redirect("orgadmin:user_detail", user_id=person.pk)


@require_POST
@role_required(Role.ORG_ADMIN)
def second_factor_reset(request, user_id: int):
    organisation = _organisation(request)
    person = selectors.user_in(organisation, user_id)
    form = SecondFactorResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the second factor is removed."))
        return redirect("orgadmin:user_detail", user_id=person.pk)
    services.second_factor_reset(
        actor=request.user,
        organisation=organisation,
        user=person,
        reason=form.cleaned_data["reason"],
    )
    messages.success(
        request,
        _("The second factor of %(name)s was removed: they set up a new one at their next login.")
        % {"name": person.name},
    )
    return redirect("orgadmin:user_detail", user_id=person.pk)


@require_POST
@role_required(Role.ORG_ADMIN)
def invitation_resend(request, invitation_id: int):
    invitation = selectors.invitation_in(_organisation(request), invitation_id)
    try:
        services.invitation_resend(
            actor=request.user, invitation=invitation, site_url=_site_url(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("A new invitation was sent to %(email)s; the old link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("orgadmin:users")


@require_POST
@role_required(Role.ORG_ADMIN)
def invitation_revoke(request, invitation_id: int):
    invitation = selectors.invitation_in(_organisation(request), invitation_id)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
    return redirect("orgadmin:users")


# --- programmes -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def programme_list(request):
    organisation = _organisation(request)
    form = ProgrammeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The programme was created. Check its settings."))
            return redirect("orgadmin:programme", programme_id=programme.pk)
    context = {"programmes": selectors.programmes_of(organisation), "form": form}
    return render(request, "orgadmin/programmes.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def programme_settings(request, programme_id: int):
    programme = selectors.programme_in(_organisation(request), programme_id)
    form = ProgrammeSettingsForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        # The form changed the instance in memory: the service compares with the stored row.
        try:
            services.programme_update(
                actor=request.user,
                programme=programme,
                **{k: form.cleaned_data[k] for k in form.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("orgadmin:programmes")
    return render(request, "orgadmin/programme.html", {"programme": programme, "form": form})


@require_POST
@role_required(Role.ORG_ADMIN)
def programme_archive(request, programme_id: int):
    programme = selectors.programme_in(_organisation(request), programme_id)
    archived = request.POST.get("archived", "1") != "0"
    services.programme_archive(actor=request.user, programme=programme, archived=archived)
    if archived:
        messages.success(request, _("The programme was archived."))
    else:
        messages.success(request, _("The programme is in use again."))
    return redirect("orgadmin:programmes")


# --- areas the organisation serves -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def area_list(request):
    organisation = _organisation(request)
    form = AreaCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.area_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The area was added."))
                return redirect("orgadmin:areas")
    context = {"areas": areas_of(organisation.pk), "form": form}
    return render(request, "orgadmin/areas.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def area_edit(request, area_id: int):
    area = selectors.area_in(_organisation(request), area_id)
    form = AreaForm(request.POST or None, instance=area)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.area_update(
                    actor=request.user,
                    area=area,
                    **{k: form.cleaned_data[k] for k in form.fields},
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The area was saved."))
                return redirect("orgadmin:areas")
    return render(request, "orgadmin/area.html", {"area": area, "form": form}, status=status)


@require_POST
@role_required(Role.ORG_ADMIN)
def area_active(request, area_id: int):
    area = selectors.area_in(_organisation(request), area_id)
    active = request.POST.get("active", "0") == "1"
    services.area_set_active(actor=request.user, area=area, active=active)
    if active:
        messages.success(request, _("%(name)s is offered again.") % {"name": area.name})
    else:
        messages.success(
            request,
            _("%(name)s is no longer offered; records that have it keep it.") % {"name": area.name},
        )
    return redirect("orgadmin:areas")


# --- interest tags in use --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def interest_list(request):
    organisation = _organisation(request)
    in_use = interests.interests_in_use(organisation)
    form = InterestMergeForm(request.POST or None, tags=[t.tag for t in in_use])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                participants, peers = interests.interests_merge(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "The tags were merged into “%(tag)s”: %(participants)s participants and "
                        "%(peers)s peer workers changed."
                    )
                    % {
                        "tag": form.cleaned_data["into"],
                        "participants": participants,
                        "peers": peers,
                    },
                )
                return redirect("orgadmin:interests")
    context = {"tags": in_use, "form": form}
    return render(request, "orgadmin/interests.html", context, status=status)


# --- the invitation link --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """The one-time link of an invitation. GET only shows it (mail scanners open links);
    POST accepts: a new login chooses a password and is logged in, an existing login gets the
    role and logs in as before."""
    invitation, problem = selectors.invitation_by_token(token)
    if problem:
        message = services.invitation_refused(invitation=invitation, reason=problem)
        status = 404 if invitation is None else 410
        return render(
            request, "orgadmin/invitation_invalid.html", {"message": message}, status=status
        )
    has_login = selectors.existing_login(invitation.email) is not None
    form = (
        None
        if has_login
        else AcceptInvitationForm(
            request.POST or None, email=invitation.email, name=invitation.name
        )
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user, new_login = services.invitation_accept(
                token=token, password=form.cleaned_data["password1"] if form else None
            )
        except ValidationError as exc:
            if form is None:
                return render(
                    request,
                    "orgadmin/invitation_invalid.html",
                    {"message": " ".join(exc.messages)},
                    status=410,
                )
            form.add_error(None, exc)
        else:
            if not new_login and request.user != user:
                messages.success(
                    request,
                    _("The invitation was accepted. Log in with your e-mail address and password."),
                )
                return redirect("account_login")
            if new_login:
                login(request, user, backend=AUTH_BACKEND)
                # Enrolling the second factor right away needs no second password prompt.
                record_authentication(request, user, method="password", email=user.email)
            user._ettervern_memberships = None
            if settings.ETTERVERN_REQUIRE_2FA and is_staff_user(user):
                messages.success(
                    request,
                    _(
                        "Welcome to Ettervern. Set up a second factor to protect the data you "
                        "work with."
                    ),
                )
                return redirect("mfa_activate_totp")
            messages.success(request, _("Welcome to Ettervern."))
            return redirect("web:home")
    context = {"invitation": invitation, "form": form, "has_login": has_login}
    return render(request, "orgadmin/invitation_accept.html", context)
