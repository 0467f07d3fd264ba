"""Briefings to take to a meeting: a case study or a comparison as a Word document (.docx) with the
citation of every fact and the date the data was taken. Opened with python-docx and read."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document

from casestudies.briefing import DOCX_CONTENT_TYPE
from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, FigureFactory

pytestmark = pytest.mark.django_db


def read_docx(response) -> tuple[str, list[list[list[str]]]]:
    """All paragraphs' text, and each table as rows of cell texts."""
    document = Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def test_case_study_briefing_is_a_word_document(client, full_case_study):
    response = client.get(f"/case-studies/{full_case_study.slug}/briefing.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="shared-refuse.docx"'


def test_case_study_briefing_holds_the_facts_and_the_citation_of_each_figure(client, full_case_study):
    text, _tables = read_docx(client.get(f"/case-studies/{full_case_study.slug}/briefing.docx"))
    assert "Shared refuse service" in text
    assert "Old District Council" in text and "abolished 2019, now New Unitary Council" in text
    # Each figure per year, with its verbatim sentence and where it comes from.
    assert "Saving: up to £16.5m a year (from up to £165m total over 10 years)" in text
    assert (
        "“Savings of up to £165 million over ten years.”"
        " Source: Local Authority Transformational Models (2016), section 2.4.1." in text
    )
    assert "“The council expects to save £2-3 million per year.”" in text
    assert "Apprenticeships created" in text and "“The council created 50 apprenticeships.”" in text
    assert "Further reading: Shared Services in Local Government" in text
    assert "“Shared refuse service”. Council Transformation Library, from Localis, Local Authority" in text
    assert "http://testserver/case-studies/shared-refuse/" in text


def test_briefing_says_when_the_data_was_taken(client, full_case_study):
    text, _tables = read_docx(client.get(f"/case-studies/{full_case_study.slug}/briefing.docx"))
    assert f"Data taken on {timezone.localdate():%d %B %Y}" in text


def test_briefing_keeps_achieved_and_expected_apart(client, full_case_study):
    text, _tables = read_docx(client.get(f"/case-studies/{full_case_study.slug}/briefing.docx"))
    achieved = text[text.index("Achieved (1)") : text.index("Expected (1)")]
    assert "£16.5m" in achieved and "£2m–£3m" not in achieved
    assert "£2m–£3m a year" in text[text.index("Expected (1)") :]


def test_briefing_leaves_out_hidden_contacts_and_drafts(client, full_case_study):
    text, _tables = read_docx(client.get(f"/case-studies/{full_case_study.slug}/briefing.docx"))
    assert "Hidden Person" not in text
    draft = CaseStudyFactory(slug="a-draft", status=CaseStudy.Status.DRAFT)
    assert client.get(f"/case-studies/{draft.slug}/briefing.docx").status_code == 404


def test_comparison_briefing_puts_the_cases_side_by_side(client, full_case_study):
    other = CaseStudyFactory(title="County traded services", slug="county-traded")
    FigureFactory(case_study=other, quote="It saved £1 million a year.")
    response = client.get("/case-studies/compare/briefing.docx", {"compare": "shared-refuse,county-traded"})
    assert response.status_code == 200
    text, tables = read_docx(response)
    header, *rows = tables[0]
    assert header[1:] == ["Shared refuse service", "County traded services"]
    by_label = {row[0]: row[1:] for row in rows}
    assert "up to £16.5m a year" in by_label["Achieved figures (per year)"][0]
    assert "£1m a year" in by_label["Achieved figures (per year)"][1]
    assert "£2m–£3m a year" in by_label["Expected figures (per year)"][0]
    assert "“It saved £1 million a year.”" in text
    assert "Cite this comparison" in text
    assert "http://testserver/case-studies/compare/?compare=shared-refuse,county-traded" in text


def test_a_bad_comparison_briefing_is_the_comparison_pages_400(client, full_case_study):
    response = client.get("/case-studies/compare/briefing.docx", {"compare": "shared-refuse"})
    assert response.status_code == 400
    assert "Choose at least 2 case studies" in response.content.decode()


def test_case_study_page_links_to_its_briefing(client, full_case_study):
    html = client.get(full_case_study.get_absolute_url()).content.decode()
    assert 'href="/case-studies/shared-refuse/briefing.docx" download' in html
