from django.urls import path

from . import views

app_name = "transform_models"

urlpatterns = [
    path("", views.TransformationModelListView.as_view(), name="list"),
    path("compare/", views.TransformationModelCompareView.as_view(), name="compare"),
    path("<slug:slug>/", views.TransformationModelDetailView.as_view(), name="detail"),
]
