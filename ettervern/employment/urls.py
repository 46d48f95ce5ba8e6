from django.urls import path

from ettervern.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.placement_list, name="list"),
    path("bedrifter/", views.company_list, name="company_list"),
    path("bedrifter/ny/", views.company_create, name="company_create"),
    path("bedrifter/<id:company_id>/", views.company_detail, name="company_detail"),
    path(
        "bedrifter/<id:company_id>/kontaktpersoner/ny/",
        views.contact_person_add,
        name="contact_person_add",
    ),
    path("bedrifter/<id:company_id>/intensjonsavtaler/ny/", views.intent_add, name="intent_add"),
    path(
        "kontaktpersoner/<id:contact_person_id>/innlogging/",
        views.contact_person_login,
        name="contact_person_login",
    ),
    path(
        "kontaktpersoner/<id:contact_person_id>/deaktiver/",
        views.contact_person_deactivate,
        name="contact_person_deactivate",
    ),
    path("deltaker/<id:participant_id>/ny/", views.placement_create, name="placement_create"),
    path("<id:placement_id>/", views.placement_detail, name="placement_detail"),
    path("<id:placement_id>/endre/", views.placement_edit, name="placement_edit"),
    path("<id:placement_id>/avtale/", views.agreement_edit, name="agreement_edit"),
    path("<id:placement_id>/avtale/bekreft/", views.agreement_confirm, name="agreement_confirm"),
    path(
        "<id:placement_id>/avtale/bekreft-for/",
        views.agreement_confirm_on_behalf,
        name="agreement_confirm_on_behalf",
    ),
    path("<id:placement_id>/avtale/utskrift/", views.agreement_print, name="agreement_print"),
    path("<id:placement_id>/moter/ny/", views.meeting_schedule, name="meeting_schedule"),
    path("<id:placement_id>/tilbakefall/", views.relapse_record, name="relapse_record"),
    path("<id:placement_id>/avslutt/", views.placement_end, name="placement_end"),
    path("moter/<id:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("moter/<id:meeting_id>/referat/", views.meeting_record, name="meeting_record"),
    path("moter/<id:meeting_id>/tiltak/", views.action_add, name="action_add"),
    path("tiltak/<id:action_id>/ferdig/", views.action_done, name="action_done"),
]
