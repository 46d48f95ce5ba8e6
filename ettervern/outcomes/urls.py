from django.urls import path

from ettervern.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("meg/", views.own_outcomes, name="own"),
    path("tidsplan/", views.schedule, name="schedule"),
    path("tidsplan/lagre/", views.schedule_save, name="schedule_save"),
    path("<id:participant_id>/", views.participant_outcomes, name="participant"),
    path("<id:participant_id>/svar/", views.answer, name="answer"),
]
