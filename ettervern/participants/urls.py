from django.urls import path

from ettervern.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("venteliste/", views.participant_waiting_list, name="waiting_list"),
    path("henvisninger/", views.referral_list, name="referrals"),
    path("henvisninger/ny/", views.referral_new, name="referral_new"),
    path("henvisninger/send/", views.referral_submit, name="referral_submit"),
    path("meg/samtykke/gi/", views.own_consent_give, name="own_consent_give"),
    path("meg/samtykke/trekk/", views.own_consent_withdraw, name="own_consent_withdraw"),
    path("<id:participant_id>/", views.participant_detail, name="detail"),
    path("<id:participant_id>/kontaktinfo/", views.participant_edit_details, name="edit_details"),
    path(
        "<id:participant_id>/matchingprofil/",
        views.participant_matching_profile,
        name="matching_profile",
    ),
    path("<id:participant_id>/status/", views.participant_status, name="status"),
    path("<id:participant_id>/samtykke/", views.consent_add, name="consent_add"),
    path("<id:participant_id>/samtykke/trekk/", views.consent_withdraw, name="consent_withdraw"),
    path("<id:participant_id>/mal/", views.goal_add, name="goal_add"),
    path("<id:participant_id>/mal/<id:goal_id>/", views.goal_edit, name="goal_edit"),
    path("<id:participant_id>/onsker/", views.wish_add, name="wish_add"),
    path("<id:participant_id>/onsker/slett/", views.wish_remove, name="wish_remove"),
    path("<id:participant_id>/tjenester/", views.service_add, name="service_add"),
    path("<id:participant_id>/tjenester/slett/", views.service_remove, name="service_remove"),
    path("<id:participant_id>/kobling/", views.match_new, name="match_new"),
    path("<id:participant_id>/pause/", views.match_pause_view, name="pause"),
    path("<id:participant_id>/gjenoppta/", views.match_resume_view, name="resume"),
    path("<id:participant_id>/avslutt/", views.participant_end, name="end"),
    path("<id:participant_id>/innlogging/", views.own_login_invite, name="own_login_invite"),
    path(
        "<id:participant_id>/innlogging/send-igjen/",
        views.own_login_resend,
        name="own_login_resend",
    ),
    path("<id:participant_id>/innlogging/trekk/", views.own_login_revoke, name="own_login_revoke"),
]
