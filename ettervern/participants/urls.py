from django.urls import path

from ettervern.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("<id:participant_id>/", views.participant_detail, name="detail"),
    path("<id:participant_id>/kontaktinfo/", views.participant_edit_details, name="edit_details"),
]
