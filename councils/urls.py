from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("", views.CouncilListView.as_view(), name="list"),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnerships"),
    path("partnerships/<slug:slug>/", views.PartnershipDetailView.as_view(), name="partnership"),
    path("<slug:slug>/", views.CouncilDetailView.as_view(), name="detail"),
]
