from django.urls import path

from ettervern.radar import views

app_name = "radar"
urlpatterns = [
    path("", views.radar, name="radar"),
    path("resultat/", views.radar_result, name="result"),
    path("kort/", views.radar_card, name="card"),
]
