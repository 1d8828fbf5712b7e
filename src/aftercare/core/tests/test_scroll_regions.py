"""A table that can scroll sideways on a phone can be scrolled with the keyboard too (WCAG 2.1.1):
its scroll box takes focus and is a named region, the pattern of the trends page."""

import re
from pathlib import Path

import pytest

# The project-wide folder and each app's own.
TEMPLATES = sorted(Path(__file__).parents[2].glob("**/templates/**/*.html"))
SCROLL_BOX = re.compile(r'<div class="table-scroll[^"]*"([^>]*)>')


def scroll_boxes(template: Path) -> list[str]:
    return SCROLL_BOX.findall(template.read_text())


@pytest.mark.parametrize(
    "template", [t for t in TEMPLATES if scroll_boxes(t)], ids=lambda p: p.name
)
def test_every_sideways_scrolling_table_can_take_focus_and_has_a_name(template):
    for attrs in scroll_boxes(template):
        assert 'tabindex="0"' in attrs
        assert 'role="region"' in attrs
        assert "aria-label=" in attrs or "aria-labelledby=" in attrs


def test_a_named_box_points_at_a_caption_in_the_same_template():
    for template in TEMPLATES:
        source = template.read_text()
        for attrs in scroll_boxes(template):
            labelled = re.search(r'aria-labelledby="([^"]+)"', attrs)
            if labelled:
                assert f'id="{labelled.group(1)}"' in source, template.name


def test_a_box_is_not_named_by_the_heading_of_the_section_around_it():
    # Two regions with one name (the section and the box inside it) confuse landmark lists.
    for template in TEMPLATES:
        source = template.read_text()
        sections = set(re.findall(r'<section[^>]*aria-labelledby="([^"]+)"', source))
        for attrs in scroll_boxes(template):
            labelled = re.search(r'aria-labelledby="([^"]+)"', attrs)
            assert not (labelled and labelled.group(1) in sections), template.name


# Tables that fit a 360 px screen whatever their content (few, short columns); PDFs have no
# screen.
FIT_ANY_SCREEN = ("templates/guidance/home.html",)


def wide_table_templates() -> list[Path]:
    return [
        t
        for t in TEMPLATES
        if "<table" in t.read_text()
        and not t.name.endswith("_pdf.html")
        and not t.as_posix().endswith(FIT_ANY_SCREEN)
    ]


@pytest.mark.parametrize("template", wide_table_templates(), ids=lambda p: p.name)
def test_every_table_sits_in_a_scroll_box(template):
    source = template.read_text()
    for match in re.finditer(r"<table\b", source):
        before = source[: match.start()]
        opened = before.rfind('<div class="table-scroll')
        assert opened >= 0, template.name
        assert "</div>" not in before[opened:], template.name
