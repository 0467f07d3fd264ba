"""The server-rendered SVG bar chart every chart page uses: accessible, escaped, never colour alone."""

from __future__ import annotations

from casestudies.charts import Bar, BarGroup, horizontal_bar_chart


def chart(groups, **kwargs):
    return horizontal_bar_chart(groups, title="A title", description="A description", chart_id="c", **kwargs)


def test_chart_is_an_image_with_title_and_description():
    svg = chart([BarGroup("Group", [Bar("One", 50, "50%")])])
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">A title</title>' in svg
    assert '<desc id="c-desc">A description</desc>' in svg


def test_every_bar_has_its_label_and_value_as_text():
    svg = chart([BarGroup("Drivers", [Bar("Money", 75, "75%"), Bar("People", 20, "20%")])])
    for text in ("Drivers", "Money", "75%", "People", "20%"):
        assert f">{text}<" in svg


def test_bar_lengths_are_proportional_to_values_on_a_fixed_scale():
    svg = chart([BarGroup("G", [Bar("Half", 50, "50%")])], max_value=100)
    assert 'width="260.0"' in svg  # half of the 520 px bar space


def test_text_is_escaped():
    svg = chart([BarGroup("<b>", [Bar("<script>alert(1)</script>", 1, "1")])])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_empty_groups_are_left_out():
    svg = chart([BarGroup("Empty", []), BarGroup("Full", [Bar("A", 1, "1")])])
    assert "Empty" not in svg and "Full" in svg


def test_zero_value_draws_no_bar_but_keeps_its_value_text():
    svg = chart([BarGroup("G", [Bar("Nothing", 0, "0%")])], max_value=100)
    assert 'width="0.0"' in svg and ">0%<" in svg


def test_hatched_bars_use_a_pattern():
    svg = chart([BarGroup("G", [Bar("Expected one", 5, "£5 (expected)", style="hatched")])])
    assert 'fill="url(#c-hatch)"' in svg and '<pattern id="c-hatch"' in svg
