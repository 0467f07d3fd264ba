from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("", views.home, name="home"),
    path("case-studies/", views.CaseStudyListView.as_view(), name="list"),
    path("case-studies/feed/", views.case_study_feed, name="feed"),
    path("case-studies/compare/", views.case_study_compare, name="compare"),
    path("case-studies/compare/briefing.docx", views.case_study_compare_briefing, name="compare-briefing"),
    path("case-studies/<slug:slug>/", views.CaseStudyDetailView.as_view(), name="detail"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("councils-like-mine/", views.LikeMineView.as_view(), name="like-mine"),
    path("case-studies/<slug:slug>/briefing.docx", views.case_study_briefing, name="briefing"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/sent/", views.suggest_sent, name="suggest-sent"),
    path("themes/", views.ThemeListView.as_view(), name="themes"),
    path("about-the-data/", views.AboutView.as_view(), name="about"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
]
