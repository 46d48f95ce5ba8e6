from django.urls import path

from ettervern.peers import views

app_name = "peers"
urlpatterns = [
    path("", views.peer_list, name="list"),
    path("veiledere/ny/", views.advisor_new, name="advisor_new"),
    path("kandidater/", views.candidate_list, name="candidates"),
    path("kandidater/<id:candidate_id>/", views.candidate_detail, name="candidate"),
    path("kandidater/<id:candidate_id>/kurs/", views.candidate_course, name="candidate_course"),
    path(
        "kandidater/<id:candidate_id>/fullfort/",
        views.candidate_complete,
        name="candidate_complete",
    ),
    path("kandidater/<id:candidate_id>/opptak/", views.candidate_admit, name="candidate_admit"),
    path(
        "kandidater/<id:candidate_id>/trukket/",
        views.candidate_withdraw,
        name="candidate_withdraw",
    ),
    path("kurs/ny/", views.course_create, name="course_create"),
    path("kurs/<id:course_id>/", views.course_detail, name="course"),
    path("kurs/<id:course_id>/samling/", views.course_session_add, name="course_session_add"),
    path("kurs/<id:course_id>/oppmote/", views.course_attendance, name="course_attendance"),
    path("fellesveiledning/", views.group_supervision_list, name="group_supervisions"),
    path(
        "fellesveiledning/<id:group_supervision_id>/",
        views.group_supervision_detail,
        name="group_supervision",
    ),
    path("<id:peer_id>/", views.peer_detail, name="detail"),
    path("<id:peer_id>/profil/", views.peer_profile_edit, name="profile_edit"),
    path("<id:peer_id>/status/", views.peer_status, name="status"),
    path("<id:peer_id>/timer/", views.peer_time_budget, name="time_budget"),
    path("<id:peer_id>/veiledning/", views.peer_supervision, name="supervision"),
    path("<id:peer_id>/innsjekk/", views.peer_checkins, name="checkins"),
    path("<id:peer_id>/samtale/", views.peer_conversation, name="conversation"),
    path("<id:peer_id>/attest/", views.peer_certificate, name="certificate"),
]
