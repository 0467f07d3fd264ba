"""A briefing to take to a meeting: one case study, or a comparison, as a Word document (.docx).

The same content as the printed page: the facts of each case, every figure as published and per
year (achieved and expected apart), each with its citation (the verbatim sentence, the source
document and its section), outcomes with theirs, sources, how to cite, and the date the data was
taken. Built with python-docx from cases read by ``CaseStudy.objects.for_comparison()``: no query here.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt

from .models import CaseStudy, Figure

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIBRARY = "Council Transformation Library"


def source_of(case: CaseStudy) -> str:
    """'Title (2016), section 2.4.1 Barnet': where a case study's facts come from."""
    if case.source is None:
        return "source not recorded"
    text = case.source.title
    if case.source.year:
        text += f" ({case.source.year})"
    if case.source_section:
        text += f", section {case.source_section}"
    return text


def citation_of(case: CaseStudy, url: str) -> str:
    """How to cite a case study (as on its page)."""
    text = f"“{case.title}”. {LIBRARY}"
    if case.source is not None:
        by = case.source.author or case.source.publisher
        text += f", from {by + ', ' if by else ''}{case.source.title}"
        if case.source.year:
            text += f" ({case.source.year})"
        if case.source_section:
            text += f", section {case.source_section}"
    return f"{text}. {url}"


def council_line(link: object) -> str:
    council = link.council
    # Population comes from the council register when it records one; never guessed.
    population = getattr(council, "population", None)
    line = f"{council.name}{' (partner)' if link.role == 'partner' else ''}: {council.get_council_type_display()}, "
    line += f"{council.get_region_display()}; population {f'{population:,}' if population else 'not recorded'}"
    if council.is_abolished:
        line += f"; abolished {council.abolished_on:%Y}"
        successors = [successor.name for successor in council.successors.all()]
        if successors:
            line += f", now {' and '.join(successors)}"
    return line


def figure_line(figure: Figure) -> str:
    """'Saving (back office): £2m–£3m a year (from £10m total over 5 years)'."""
    line = figure.get_kind_display()
    if figure.label:
        line += f" ({figure.label})"
    if figure.annual_display:
        line += f": {figure.annual_display} a year"
        if figure.period != Figure.Period.PER_YEAR:
            line += f" (from {figure.amount_display} {figure.period_display})"
    else:
        period = f" {figure.period_display}" if figure.period != Figure.Period.UNSPECIFIED else ""
        line += f": {figure.amount_display}{period} (no per-year amount)"
    if councils := [council.name for council in figure.applies_to.all()]:
        line += f"; {', '.join(councils)}"
    return line


def _facts(case: CaseStudy) -> list[tuple[str, list[str]]]:
    """(label, lines) of the facts compared: the rows of the comparison page."""
    figures = list(case.figures.all())
    return [
        ("Councils", [council_line(link) for link in case.council_links.all()]),
        ("Transformation models", [link.model.name for link in case.model_links.all()] or ["Not classified"]),
        ("Years", [case.years_display or "Not stated"]),
        ("Stage", [case.get_stage_display()]),
        ("Service areas", [area.name for area in case.service_areas.all()] or ["None recorded"]),
        (
            "Achieved figures (per year)",
            [figure_line(f) for f in figures if f.status == Figure.Status.ACHIEVED] or ["None published"],
        ),
        (
            "Expected figures (per year)",
            [figure_line(f) for f in figures if f.status == Figure.Status.EXPECTED] or ["None published"],
        ),
        (
            "Outcomes",
            [
                f"{o.metric}{f': {o.value.normalize():f} {o.unit}'.rstrip() if o.value is not None else ''}"
                f" ({o.get_status_display().lower()})"
                for o in case.outcomes.all()
            ]
            or ["None recorded"],
        ),
        ("Source", [source_of(case)]),
    ]


def _cited(document: DocumentObject, fact: str, quote: str, source: str) -> None:
    document.add_paragraph(fact, style="List Bullet")
    cite = document.add_paragraph(style="Quote")
    cite.add_run(f"“{quote}”")
    cite.add_run(f" Source: {source}.").italic = False


def _case_section(document: DocumentObject, case: CaseStudy, url: str, level: int, note: str = "") -> None:
    document.add_heading(case.title, level=level)
    if note:
        document.add_paragraph(note)
    document.add_paragraph(case.summary)
    for label, lines in _facts(case):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run("; ".join(lines))
    if case.body:
        document.add_heading("What the council did", level=level + 1)
        for part in case.body.split("\n\n"):
            document.add_paragraph(part.strip())
    source = source_of(case)
    document.add_heading("Figures and where they come from", level=level + 1)
    figures = list(case.figures.all())
    for status, heading in ((Figure.Status.ACHIEVED, "Achieved"), (Figure.Status.EXPECTED, "Expected")):
        chosen = [figure for figure in figures if figure.status == status]
        document.add_paragraph(f"{heading} ({len(chosen)})", style=f"Heading {min(level + 2, 9)}")
        for figure in chosen:
            _cited(document, figure_line(figure), figure.quote, source)
        if not chosen:
            document.add_paragraph("None published.")
    outcomes = list(case.outcomes.all())
    if outcomes:
        document.add_heading("Outcomes", level=level + 1)
        for outcome in outcomes:
            value = f": {outcome.value.normalize():f} {outcome.unit}".rstrip() if outcome.value is not None else ""
            _cited(document, f"{outcome.metric}{value} ({outcome.get_status_display().lower()})", outcome.quote, source)
    document.add_heading("Sources", level=level + 1)
    document.add_paragraph(
        f"Source document: {source}." + (f" {case.source.url}" if case.source and case.source.url else "")
    )
    for reading in case.further_reading.all():
        document.add_paragraph(
            f"Further reading: {reading.title}{f', {reading.author}' if reading.author else ''}"
            f"{f' ({reading.year})' if reading.year else ''}{f'. {reading.url}' if reading.url else ''}",
            style="List Bullet",
        )
    document.add_heading("Cite this case study", level=level + 1)
    document.add_paragraph(citation_of(case, url))
    document.add_paragraph(f"Last changed in the library: {case.updated_at:%d %B %Y}.")


def briefing_docx(cases: Sequence[CaseStudy], *, taken: datetime.date, site: str, comparison_url: str = "") -> bytes:
    """The briefing document as bytes. ``site`` is the scheme and host (``https://example.org``);
    with ``comparison_url`` (and two or more cases) it is a comparison, the facts side by side first."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    compared = len(cases) > 1
    document.core_properties.title = "Comparison of case studies" if compared else cases[0].title
    document.core_properties.author = LIBRARY
    note = (
        f"From the {LIBRARY}. Data taken on {taken:%d %B %Y}. Figures are as published by the councils and "
        "not audited; “per year” is the library's normalisation (a total divided by its years)."
    )
    if compared:
        document.add_heading("Comparison of case studies", level=0)
        document.add_paragraph(note)
        table = document.add_table(rows=1, cols=len(cases) + 1)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text = ""
        for cell, case in zip(header[1:], cases, strict=True):
            cell.text = case.title
        facts = [_facts(case) for case in cases]
        for index, (label, _lines) in enumerate(facts[0]):
            cells = table.add_row().cells
            cells[0].text = label
            for cell, case_facts in zip(cells[1:], facts, strict=True):
                cell.text = "\n".join(case_facts[index][1])
        for case in cases:
            _case_section(document, case, site + case.get_absolute_url(), level=1)
        document.add_heading("Cite this comparison", level=1)
        titles = ", ".join(f"“{case.title}”" for case in cases)
        document.add_paragraph(f"{LIBRARY}, comparison of {titles}. Data taken {taken:%d %B %Y}. {comparison_url}")
    else:
        case = cases[0]
        _case_section(document, case, site + case.get_absolute_url(), level=0, note=note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
