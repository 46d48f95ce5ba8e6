from django.urls import path

from ettervern.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("hjem/<slug:key>/", views.panel, name="panel"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
]
