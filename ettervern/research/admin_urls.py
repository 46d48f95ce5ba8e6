"""The org admin's research pages, under the administration's address (``/admin-org/``)."""

from django.urls import path

from ettervern.research import views

app_name = "research_admin"
urlpatterns = [
    path("", views.admin_projects, name="projects"),
    path("<id:research_project_id>/", views.admin_project, name="project"),
    path("<id:research_project_id>/godkjenn/", views.admin_project_approve, name="approve"),
    path("<id:research_project_id>/avslutt/", views.admin_project_end, name="end"),
]
