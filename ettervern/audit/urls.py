from django.urls import path

from ettervern.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("min-journal/", views.own_record_access, name="own_record"),
]
