from django.urls import path
app_name = "arenas"
urlpatterns = []
