from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("", views.home, name="home"),
    path("case-studies/", views.CaseStudyListView.as_view(), name="list"),
    path("case-studies/<slug:slug>/", views.CaseStudyDetailView.as_view(), name="detail"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("themes/", views.ThemeListView.as_view(), name="themes"),
    path("about-the-data/", views.AboutView.as_view(), name="about"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
]
