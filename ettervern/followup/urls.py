from django.urls import path

from ettervern.followup import views

app_name = "followup"
urlpatterns = [
    path("<id:participant_id>/avtale/", views.agreement_edit, name="agreement_edit"),
    path(
        "<id:participant_id>/avtale/bekreft/",
        views.agreement_confirm_view,
        name="agreement_confirm",
    ),
    path("<id:participant_id>/kontakt/", views.contact_new, name="contact_new"),
    path("kontakt/<id:contact_id>/avslutt/", views.contact_close_view, name="contact_close"),
    path("likeperson/<id:peer_id>/signal/", views.signal_handled, name="signal_handled"),
]
