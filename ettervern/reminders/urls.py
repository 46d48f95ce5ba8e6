from django.urls import path

from ettervern.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("kalender/ny/", views.calendar_link_create, name="calendar_create"),
    path("kalender/stopp/", views.calendar_link_revoke, name="calendar_revoke"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
