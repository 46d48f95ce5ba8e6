from django.urls import path

from ettervern.research import views

app_name = "research"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("<id:project_id>/", views.project_detail, name="project"),
    path("<id:project_id>/eksport/", views.project_export, name="export"),
]
