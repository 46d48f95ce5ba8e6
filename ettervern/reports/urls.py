from django.urls import path

from ettervern.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<id:report_programme_id>/", views.report, name="report"),
    path("<id:report_programme_id>/sammendrag/", views.summary_save, name="summary_save"),
    path("<id:report_programme_id>/eksport/", views.export_create, name="export_create"),
    path("eksport/<id:report_export_id>/", views.export_detail, name="export"),
    path("eksport/<id:report_export_id>/steg/", views.export_step, name="export_step"),
    path("eksport/<id:report_export_id>/fil/", views.export_download, name="export_download"),
]
