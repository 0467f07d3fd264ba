"""LibraryFilterSet: cheaper per request than django-filter's FilterSet, with the same answers."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from casestudies.filters import CaseStudyFilter, FigureFilter, SlugChoiceField
from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, TransformationModelFactory
from transform_models.models import TransformationModel

pytestmark = pytest.mark.django_db


def test_each_filterset_has_its_own_filters() -> None:
    first, second = CaseStudyFilter(QueryDict("")), CaseStudyFilter(QueryDict(""))
    assert first.filters["model"] is not second.filters["model"]
    assert first.filters["model"].parent is first and second.filters["model"].parent is second
    assert getattr(CaseStudyFilter.base_filters["model"], "parent", None) is None


def test_a_method_filter_runs_on_its_own_filterset() -> None:
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    wanted = CaseStudyFactory(models=[sharing])
    CaseStudyFactory(models=[TransformationModelFactory(slug="holistic", name="Holistic")])
    CaseStudyFilter(QueryDict("model=holistic"), queryset=CaseStudy.objects.all()).qs.count()
    found = CaseStudyFilter(QueryDict("model=sharing"), queryset=CaseStudy.objects.all()).qs
    assert list(found) == [wanted]


def test_the_form_class_is_built_once_per_filterset_class() -> None:
    form_class = CaseStudyFilter(QueryDict("")).form.__class__
    assert CaseStudyFilter(QueryDict("q=x")).form.__class__ is form_class
    assert FigureFilter(QueryDict("")).form.__class__ is not form_class


def test_forms_do_not_share_their_errors() -> None:
    bad = CaseStudyFilter(QueryDict("year_from=nonsense"))
    good = CaseStudyFilter(QueryDict("year_from=2010"))
    assert not bad.is_valid() and "year_from" in bad.errors
    assert good.is_valid()


def test_no_slug_given_cleans_to_an_empty_list_without_a_query(django_assert_num_queries) -> None:
    field = SlugChoiceField(queryset=TransformationModel.objects.all(), to_field_name="slug", required=False)
    with django_assert_num_queries(0):
        assert field.clean([]) == []
        assert field.clean(None) == []


def test_each_form_has_its_own_fields_and_widgets() -> None:
    first, second = CaseStudyFilter(QueryDict("")).form, CaseStudyFilter(QueryDict("")).form
    assert first.fields["model"] is not second.fields["model"]
    assert first.fields["model"].widget is not second.fields["model"].widget
    first.fields["region"].widget.attrs["aria-describedby"] = "region-error"
    assert "aria-describedby" not in second.fields["region"].widget.attrs
    assert "aria-describedby" not in CaseStudyFilter.base_filters["region"].field.widget.attrs


def test_a_form_field_queryset_is_a_clone_pointed_at_its_own_field() -> None:
    form_class = CaseStudyFilter(QueryDict("")).form.__class__
    form = CaseStudyFilter(QueryDict("")).form
    assert form.fields["model"].queryset is not form_class.base_fields["model"].queryset
    assert form.fields["model"].widget.choices.field is form.fields["model"]


def test_a_form_copies_its_fields_without_deep_copying_choices(monkeypatch) -> None:
    import copy

    CaseStudyFilter(QueryDict("")).form  # noqa: B018 (builds the shared form class)
    deep_copies: list[object] = []
    real_deepcopy = copy.deepcopy

    def counting_deepcopy(value, memo=None):
        deep_copies.append(value)
        return real_deepcopy(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counting_deepcopy)
    CaseStudyFilter(QueryDict("")).form  # noqa: B018
    assert len(deep_copies) == 1  # the base_fields mapping itself, copied lightly
