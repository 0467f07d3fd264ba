"""The library's editors classify some Delivering Differently projects; that classification is
stored and shown as theirs, never as the source document's."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from casestudies.models import CaseStudy, CaseStudyModel
from tests.factories import CaseStudyFactory, TransformationModelFactory

pytestmark = pytest.mark.django_db


def _classify(case: CaseStudy, **fields) -> CaseStudyModel:
    return CaseStudyModel.objects.create(case_study=case, model=TransformationModelFactory(), **fields)


def test_a_library_classification_without_its_basis_is_rejected() -> None:
    with pytest.raises(IntegrityError, match="casestudymodel_library_classification_has_basis"), transaction.atomic():
        _classify(CaseStudyFactory(), classified_by="library", basis_quote="")


def test_a_classification_is_the_source_documents_unless_said_otherwise() -> None:
    assert _classify(CaseStudyFactory()).classified_by == "source"


def test_the_case_study_page_marks_the_library_classification(client) -> None:
    case = CaseStudyFactory(status="published")
    _classify(case, classified_by="library", basis_quote="They propose creating a collaborative organisation.")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "classified by the library, not by the source document" in page
    assert "They propose creating a collaborative organisation." in page


def test_the_source_classification_is_not_marked(client) -> None:
    case = CaseStudyFactory(status="published")  # with a model of its source's
    assert "Classified by the library" not in client.get(case.get_absolute_url()).content.decode()


def test_the_api_tells_editorial_from_source_classifications(client) -> None:
    case = CaseStudyFactory(status="published")  # with a model of its source's
    _classify(case, classified_by="library", basis_quote="A sentence.")
    found = client.get(f"/api/v1/case-studies/{case.slug}/").json()["model_classifications"]
    assert sorted(c["classification"] for c in found) == ["editorial", "source"]  # one each
    assert [c["basis_quote"] for c in found if c["classification"] == "editorial"] == ["A sentence."]
