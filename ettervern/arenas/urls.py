from django.urls import path

from ettervern.arenas import views

app_name = "arenas"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("ny/", views.event_create, name="event_create"),
    path("fast/ny/", views.series_create, name="series_create"),
    path("frivillige/inviter/", views.volunteer_invite, name="volunteer_invite"),
    path("<id:event_id>/", views.event_detail, name="event_detail"),
    path("<id:event_id>/endre/", views.event_edit, name="event_edit"),
    path("<id:event_id>/avlys/", views.event_cancel, name="event_cancel"),
    path("<id:event_id>/pamelding/", views.signup, name="signup"),
    path("<id:event_id>/hjelpere/", views.helper_add, name="helper_add"),
    path("<id:event_id>/oppmote/", views.attendance, name="attendance"),
    path("<id:event_id>/oppmote/<id:signup_id>/", views.attendance_mark, name="attendance_mark"),
    path("pameldinger/<id:signup_id>/avmeld/", views.signup_cancel, name="signup_cancel"),
    path("hjelpere/<id:helper_id>/fjern/", views.helper_remove, name="helper_remove"),
]
