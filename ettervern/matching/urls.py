from django.urls import path

from ettervern.matching import views

app_name = "matching"
urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/resultat/", views.plan_result, name="plan_result"),
    path("plan/par/", views.plan_pair, name="plan_pair"),
    path("plan/godta/", views.plan_accept_all, name="plan_accept_all"),
    path("innstillinger/", views.matching_settings, name="settings"),
    path("deltaker/<id:participant_id>/likepersoner/", views.peer_options, name="peer_options"),
    path("deltaker/<id:participant_id>/foresla/", views.propose, name="propose"),
    path("deltaker/<id:participant_id>/hvorfor-ikke/", views.why_not, name="why_not"),
    path("deltaker/<id:participant_id>/utelukk/", views.exclude, name="exclude"),
    path("forslag/<id:proposal_id>/bekreft/", views.confirm, name="confirm"),
    path("forslag/<id:proposal_id>/trekk/", views.withdraw, name="withdraw"),
    path("forslag/<id:proposal_id>/godta/", views.accept, name="accept"),
    path("utelukkelse/<id:exclusion_id>/slett/", views.exclusion_delete, name="exclusion_delete"),
    path("likeperson/<id:peer_id>/pause/", views.pause_start, name="pause_start"),
    path("likeperson/<id:peer_id>/be-om-pause/", views.pause_request, name="pause_request"),
    path("pause/<id:pause_id>/", views.pause_detail, name="pause"),
]
