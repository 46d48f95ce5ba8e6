"""The org admin's pages: users and roles, deactivation, second factors, programmes."""

from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import ValidationError

from conftest import TEST_PASSWORD, make_user, member
from ettervern.accounts.models import Invitation, Membership, Programme, Role
from ettervern.audit.models import AuditEvent
from ettervern.orgadmin import services
from ettervern.orgadmin.tests.factories import membership_of, pending_invitation
from ettervern.web.tests.home import home_page

NON_ADMINS = ["coordinator", "peer_user", "participant_user", "employer", "referrer", "researcher"]
PAGES = ["/admin-org/", "/admin-org/inviter/", "/admin-org/tiltak/"]


def test_admin_home_links_to_the_admin_pages(client, personas):
    client.force_login(personas.admin)
    body = home_page(client).content.decode()
    assert "Administrasjon av Organisasjon A" in body
    assert 'href="/admin-org/"' in body and 'href="/admin-org/tiltak/"' in body
    assert "Du har ingen oppgaver" not in body


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_other_roles_get_404_on_every_admin_page(client, personas, persona):
    client.force_login(personas.user(persona))
    assert 'href="/admin-org/"' not in home_page(client).content.decode()
    for page in PAGES:
        assert client.get(page).status_code == 404
    assert client.get(f"/admin-org/brukere/{personas.peer_user.pk}/").status_code == 404


def test_another_organisations_user_and_programme_are_404(client, personas):
    client.force_login(personas.admin)
    b = personas.coordinator_b
    assert client.get(f"/admin-org/brukere/{b.pk}/").status_code == 404
    assert client.post(f"/admin-org/brukere/{b.pk}/deaktiver/").status_code == 404
    assert client.get(f"/admin-org/tiltak/{personas.programme_b.pk}/").status_code == 404
    assert client.post(f"/admin-org/tiltak/{personas.programme_b.pk}/arkiver/").status_code == 404
    b.refresh_from_db()
    assert b.is_active and Programme.objects.get(pk=personas.programme_b.pk).archived_at is None


def test_user_list_shows_roles_last_login_and_second_factor(
    client, personas, django_assert_max_num_queries
):
    Authenticator.objects.create(user=personas.coordinator, type="totp", data={})
    pending_invitation(personas.programme_a, "venter@a.test")
    client.force_login(personas.admin)
    with django_assert_max_num_queries(12):
        body = client.get("/admin-org/").content.decode()
    assert "Kari Koordinator" in body and "Prosjektkoordinator – Likepersontjenesten Bergen" in body
    assert "Bjørn Koordinator" not in body  # organisation B
    assert body.count('class="badge ok">På<') == 1
    assert "venter@a.test" in body and "Lenken virker til" in body


def test_admin_invites_through_the_form_once(client, personas):
    client.force_login(personas.admin)
    form = client.get("/admin-org/inviter/").context["form"]
    data = {
        "name": "Nina Ny",
        "email": "nina@a.test",
        "programme": personas.programme_a.pk,
        "role": Role.COORDINATOR,
        "submission_key": form["submission_key"].value(),
    }
    assert client.post("/admin-org/inviter/", data).status_code == 302
    assert client.post("/admin-org/inviter/", data).status_code == 302  # sent twice
    assert Invitation.objects.filter(email="nina@a.test").count() == 1
    assert len(mail.outbox) == 1
    foreign = {**data, "programme": personas.programme_b.pk, "submission_key": ""}
    response = client.post("/admin-org/inviter/", foreign)
    assert response.status_code == 200 and "programme" in response.context["form"].errors


def test_admin_resends_and_revokes_from_the_list(client, personas):
    invitation = pending_invitation(personas.programme_a, "venter@a.test")
    client.force_login(personas.admin)
    client.post(f"/admin-org/invitasjoner/{invitation.pk}/send-igjen/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["venter@a.test"]
    client.post(f"/admin-org/invitasjoner/{invitation.pk}/trekk-tilbake/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.post(f"/admin-org/invitasjoner/{invitation.pk}/send-igjen/").status_code == 404


def test_admin_changes_a_role(client, personas):
    client.force_login(personas.admin)
    m = membership_of(personas.other_peer_user)
    url = f"/admin-org/brukere/{personas.other_peer_user.pk}/roller/{m.pk}/"
    assert client.post(url, {f"m{m.pk}-role": Role.COORDINATOR}).status_code == 302
    m.refresh_from_db()
    assert m.role == Role.COORDINATOR
    event = AuditEvent.objects.get(data__event="membership_role_changed")
    assert (event.data["old_role"], event.data["new_role"]) == (Role.PEER_WORKER, Role.COORDINATOR)
    # Another user's membership through this user's URL is a 404.
    other = membership_of(personas.peer_user)
    wrong = f"/admin-org/brukere/{personas.other_peer_user.pk}/roller/{other.pk}/"
    assert client.post(wrong, {f"m{other.pk}-role": Role.COORDINATOR}).status_code == 404


def test_deactivated_user_is_logged_out_at_once_and_cannot_log_in(client, personas):
    peer_client = type(client)()
    assert (
        peer_client.post(
            "/accounts/login/", {"login": personas.peer_user.email, "password": TEST_PASSWORD}
        ).status_code
        == 302
    )
    assert home_page(peer_client).status_code == 200
    client.force_login(personas.admin)
    response = client.post(f"/admin-org/brukere/{personas.peer_user.pk}/deaktiver/")
    assert response.status_code == 302
    # The next request of the deactivated user is anonymous.
    response = home_page(peer_client)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    peer_client.post(
        "/accounts/login/", {"login": personas.peer_user.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in peer_client.session
    assert home_page(peer_client).status_code == 302
    assert not Membership.objects.get(user=personas.peer_user).is_active
    event = AuditEvent.objects.get(data__event="user_deactivated")
    assert event.data["sessions_ended"] == 1 and event.data["login_closed"] is True
    # Reactivated: logs in again.
    client.post(f"/admin-org/brukere/{personas.peer_user.pk}/aktiver/")
    peer_client.post(
        "/accounts/login/", {"login": personas.peer_user.email, "password": TEST_PASSWORD}
    )
    assert home_page(peer_client).status_code == 200


def test_deactivation_here_leaves_another_organisations_membership_alone(personas):
    member(personas.coordinator_b, personas.programme_a, Role.REFERRER)
    services.user_deactivate(
        actor=personas.admin, organisation=personas.org_a, user=personas.coordinator_b
    )
    personas.coordinator_b.refresh_from_db()
    assert personas.coordinator_b.is_active
    assert Membership.objects.get(user=personas.coordinator_b, programme=personas.programme_b)
    assert Membership.objects.filter(user=personas.coordinator_b, is_active=True).count() == 1


def test_the_last_active_admin_cannot_be_removed(client, personas):
    client.force_login(personas.admin)
    response = client.post(f"/admin-org/brukere/{personas.admin.pk}/deaktiver/", follow=True)
    assert "minst én aktiv administrator" in response.content.decode()
    m = membership_of(personas.admin)
    client.post(
        f"/admin-org/brukere/{personas.admin.pk}/roller/{m.pk}/", {f"m{m.pk}-role": "coordinator"}
    )
    m.refresh_from_db()
    assert m.is_active and m.role == Role.ORG_ADMIN
    # A second admin may go; then the first one is the last again.
    second = make_user("admin2@a.test", "Andre Admin")
    member(second, personas.programme_a, Role.ORG_ADMIN)
    services.user_deactivate(actor=personas.admin, organisation=personas.org_a, user=second)
    with pytest.raises(ValidationError):
        services.user_deactivate(
            actor=personas.admin, organisation=personas.org_a, user=personas.admin
        )


def test_a_lost_second_factor_is_reset_with_a_reason(client, personas):
    Authenticator.objects.create(user=personas.coordinator, type="totp", data={})
    client.force_login(personas.admin)
    url = f"/admin-org/brukere/{personas.coordinator.pk}/tofaktor/"
    assert (
        "Mistet tofaktor"
        in client.get(f"/admin-org/brukere/{personas.coordinator.pk}/").content.decode()
    )
    client.post(url, {"reason": "free text is not a reason"})
    assert Authenticator.objects.filter(user=personas.coordinator).exists()
    assert client.post(url, {"reason": "lost_device"}).status_code == 302
    assert not Authenticator.objects.filter(user=personas.coordinator).exists()
    event = AuditEvent.objects.get(data__event="second_factor_reset")
    assert (event.data["reason"], event.data["authenticators"]) == ("lost_device", 1)
    assert event.organisation_id == personas.org_a.pk


def test_admin_creates_renames_sets_and_archives_a_programme(client, personas):
    client.force_login(personas.admin)
    form = client.get("/admin-org/tiltak/").context["form"]
    response = client.post(
        "/admin-org/tiltak/",
        {
            "name": "Ut i jobb Bergen",
            "kind": "job",
            "submission_key": form["submission_key"].value(),
        },
    )
    programme = Programme.objects.get(name="Ut i jobb Bergen")
    assert programme.organisation == personas.org_a and programme.slug == "ut-i-jobb-bergen"
    assert response["Location"] == f"/admin-org/tiltak/{programme.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Tiden en likeperson har til hver deltaker per uke" in page
    data = {
        "name": "Ut i jobb Vest",
        "kind": "job",
        "no_contact_alert_days": 10,
        "waiting_alert_days": 20,
        "review_interval_days": 60,
        "hours_per_participant_week": "5.5",
        "checkin_prompt_days": 14,
        "peer_read_grace_days": 7,
        "course_attendance_percent": 75,
        "office_opens": "08:00",
        "office_closes": "16:00",
    }
    assert client.post(response["Location"], data).status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Ut i jobb Vest"
    assert programme.hours_per_participant_week == Decimal("5.50")
    event = AuditEvent.objects.get(data__event="programme_updated")
    assert "hours_per_participant_week" in event.data["fields"]
    bad = client.post(response["Location"], {**data, "waiting_alert_days": "-3"})
    assert bad.status_code == 200 and bad.context["form"].errors
    bad = client.post(response["Location"], {**data, "course_attendance_percent": "101"})
    assert bad.status_code == 200 and "course_attendance_percent" in bad.context["form"].errors
    programme.refresh_from_db()
    assert programme.course_attendance_percent == 75
    client.post(f"/admin-org/tiltak/{programme.pk}/arkiver/", {"archived": "1"})
    programme.refresh_from_db()
    assert programme.archived_at is not None
    client.post(f"/admin-org/tiltak/{programme.pk}/arkiver/", {"archived": "0"})
    programme.refresh_from_db()
    assert programme.archived_at is None
