from django.urls import path

from ettervern.offers import views

app_name = "offers"
urlpatterns = [
    path("", views.offer_list, name="list"),
    path("ny/", views.offer_create, name="create"),
    path("eksport/", views.offer_export, name="export"),
    path("import/", views.offer_import, name="import"),
    path("deling/", views.sharing, name="sharing"),
    path("deling/<id:sharing_id>/fjern/", views.sharing_remove, name="sharing_remove"),
    path("<id:offer_id>/", views.offer_detail, name="detail"),
    path("<id:offer_id>/endre/", views.offer_edit, name="edit"),
    path("<id:offer_id>/bekreft/", views.offer_confirm, name="confirm"),
    path("<id:offer_id>/foresla/<id:participant_id>/", views.suggest, name="suggest"),
    path("forslag/<id:suggestion_id>/utfall/", views.suggestion_outcome, name="outcome"),
]
