from django.urls import path

from ettervern.peers import views

app_name = "peers"
urlpatterns = [
    path("", views.peer_list, name="list"),
    path("<id:peer_id>/", views.peer_detail, name="detail"),
]
