"""The public read-only API, version 1. Paths here are a public contract."""

from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.reference import api_reference
from api.schema import APINotFoundView, APIRootView
from casestudies.api import CaseStudyViewSet, FigureViewSet, ProgrammeViewSet, ServiceAreaViewSet
from councils.api import CouncilViewSet, PartnershipViewSet
from councils.register import REGISTER
from releases.api import ReleaseViewSet
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
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("themes", ThemeViewSet, basename="theme")
router.register("service-areas", ServiceAreaViewSet, basename="servicearea")
router.register("releases", ReleaseViewSet, basename="release")

urlpatterns = [
    path("", APIRootView.as_view(attributions=(REGISTER.as_dict(),)), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_reference, name="docs"),
    # Swagger UI: its start-up script is served from this URL (?script), so no inline script and no
    # hash in the CSP; only its <style> block, style attributes and data: icons need the extension.
    path(
        "docs/console/",
        csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="console",
    ),
    *router.urls,
    re_path(r"^[\s\S]+/$", APINotFoundView.as_view(), name="not-found"),
]
