"""The public read-only API, version 1. Paths here are a public contract."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from casestudies.api import CaseStudyViewSet, FigureViewSet, ProgrammeViewSet, ServiceAreaViewSet
from config.api_schema import APINotFoundView, APIRootView
from councils.api import CouncilViewSet
from councils.register import REGISTER
from surveys.api import SurveyViewSet
from transform_models.api import ThemeViewSet, TransformationModelViewSet

app_name = "api"

router = SimpleRouter()
router.register("transformation-models", TransformationModelViewSet, basename="transformationmodel")
router.register("councils", CouncilViewSet, basename="council")
router.register("case-studies", CaseStudyViewSet, basename="casestudy")
router.register("figures", FigureViewSet, basename="figure")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("themes", ThemeViewSet, basename="theme")
router.register("service-areas", ServiceAreaViewSet, basename="servicearea")

urlpatterns = [
    path("", APIRootView.as_view(attributions=(REGISTER.as_dict(),)), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    re_path(r"^[\s\S]+/$", APINotFoundView.as_view(), name="not-found"),
]
