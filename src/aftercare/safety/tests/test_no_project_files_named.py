"""Staff read the published sources of each rule and definition, never this project's own file
names (CLINICAL.md, PRODUCT.md ...), which they cannot open."""

import pytest

from aftercare.safety.actions import report_concern
from aftercare.safety.rules import RULES

PROJECT_NAMES = (
    "CLINICAL.md",
    "PRODUCT.md",
    "docs/",
    "JOURNAL_PHRASES",
    "PROJECT DEFAULT",
    # Our notes' markers of how sure a figure is: meaningless to a reader of the page.
    "[V]",
    "[S]",
    "[U]",
)


def assert_no_project_names(html: str) -> None:
    for name in PROJECT_NAMES:
        assert name not in html, name


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rules_source_names_published_work_only(rule_id):
    assert_no_project_names(RULES[rule_id].source)


def test_staff_pages_with_sources_name_no_project_file(as_user, dana, alice):
    alert = report_concern(patient=alice, text="Dizzy")
    client = as_user(dana)
    for url in (
        f"/clinic/alerts/{alert.pk}/",
        "/clinic/safety-settings/",
        "/clinic/outcomes/definitions/",
        "/clinic/settings/monitoring/",
        "/clinic/exports/",
        "/clinic/settings/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_project_names(response.content.decode())
