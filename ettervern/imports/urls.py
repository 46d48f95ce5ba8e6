from django.urls import path

from ettervern.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("mal.xlsx", views.template_xlsx, name="template_xlsx"),
    path("mal-deltakere.csv", views.template_csv, {"kind": "participant"}, name="template_csv"),
    path("mal-likepersoner.csv", views.template_csv, {"kind": "peer"}, name="template_peer_csv"),
    path("<id:upload_id>/", views.upload_detail, name="detail"),
]
