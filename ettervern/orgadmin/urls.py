from django.urls import path

from ettervern.orgadmin import views

app_name = "orgadmin"
urlpatterns = [
    path("", views.user_list, name="users"),
    path("inviter/", views.invite, name="invite"),
    path("brukere/<id:user_id>/", views.user_detail, name="user_detail"),
    path(
        "brukere/<id:user_id>/roller/<id:membership_id>/",
        views.membership_role,
        name="membership_role",
    ),
    path("brukere/<id:user_id>/deaktiver/", views.user_deactivate, name="user_deactivate"),
    path("brukere/<id:user_id>/aktiver/", views.user_reactivate, name="user_reactivate"),
    path("brukere/<id:user_id>/tofaktor/", views.second_factor_reset, name="second_factor_reset"),
    path(
        "invitasjoner/<id:invitation_id>/send-igjen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitasjoner/<id:invitation_id>/trekk-tilbake/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("tiltak/", views.programme_list, name="programmes"),
    path("tiltak/<id:programme_id>/", views.programme_settings, name="programme"),
    path("tiltak/<id:programme_id>/arkiver/", views.programme_archive, name="programme_archive"),
    path("interesser/", views.interest_list, name="interests"),
    path("omrader/", views.area_list, name="areas"),
    path("omrader/<id:area_id>/", views.area_edit, name="area"),
    path("omrader/<id:area_id>/i-bruk/", views.area_active, name="area_active"),
]
