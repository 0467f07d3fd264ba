from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="list"),
    path("<int:number>/", views.ReleaseDetailView.as_view(), name="detail"),
    path("<int:number>/<str:name>", views.release_file, name="file"),
]
