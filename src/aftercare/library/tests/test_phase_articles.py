"""Each phase of recovery links the published articles tagged for it."""

import pytest

from aftercare.guidance.phases import Phase
from aftercare.library.actions import change_status, import_builtin
from aftercare.library.models import Article, Status
from aftercare.library.selectors import articles_for_phase
from aftercare.library.tests.helpers import make_article


def test_it_returns_published_articles_tagged_for_the_phase(db):
    make_article("day-two", tags=("phase:day_2",))
    make_article("day-two-draft", tags=("phase:day_2",), publish=False)
    make_article("day-three", tags=("phase:day_3",))
    make_article("untagged", tags=("day_2",))

    assert [a.slug for a in articles_for_phase("day_2")] == ["day-two"]


def test_specific_articles_come_first_and_the_limit_holds(db):
    make_article("general", title="A general one", tags=("phase:day_1", "phase:day_2"))
    make_article("specific", title="Z specific", tags=("phase:day_2", "sleep", "rest"))
    make_article("another", title="B general", tags=("phase:day_2", "phase:day_3"))

    assert [a.slug for a in articles_for_phase("day_2")] == ["specific", "general", "another"]
    assert [a.slug for a in articles_for_phase(Phase.DAY_2, limit=1)] == ["specific"]
    assert articles_for_phase("day_2", limit=0) == []


def test_a_clinic_sees_its_own_and_shared_articles_never_another_clinics(db, riverside, lakeside):
    make_article("shared", tags=("phase:day_1",))
    make_article("riverside-own", clinic=riverside, tags=("phase:day_1",))
    make_article("lakeside-own", clinic=lakeside, tags=("phase:day_1",))

    assert {a.slug for a in articles_for_phase("day_1", clinic=riverside)} == {
        "shared",
        "riverside-own",
    }
    assert {a.slug for a in articles_for_phase("day_1")} == {"shared"}


def test_a_patient_the_series_did_not_help_reads_about_options_not_relief(db):
    make_article("relief", title="A relief", tags=("phase:maintenance", "response:relief"))
    make_article("boosters", title="B boosters", tags=("phase:maintenance",))
    make_article("options", title="Z options", tags=("phase:maintenance", "response:none"))
    make_article("general", title="C general", tags=("phase:maintenance", "phase:long_term"))

    assert [a.slug for a in articles_for_phase("maintenance")] == ["relief", "boosters", "general"]
    assert [a.slug for a in articles_for_phase("maintenance", not_responding=True)] == [
        "options",
        "boosters",
        "general",
    ]


def test_the_builtin_articles_for_non_responders_are_tagged(db):
    import_builtin()
    slugs = [a.slug for a in articles_for_phase("maintenance", not_responding=True)]
    assert slugs[0] == "if-treatment-is-not-working"
    assert "building-on-the-foundation" not in slugs
    assert "building-on-the-foundation" in [a.slug for a in articles_for_phase("long_term")]


def test_an_unknown_phase_is_a_programming_error(db):
    with pytest.raises(ValueError, match="day_9"):
        articles_for_phase("day_9")


def test_the_builtin_guidance_loads_published_and_shared_and_covers_every_phase(db):
    first = import_builtin()
    second = import_builtin()

    assert len(first.created) >= len(Phase)
    assert second.created == second.updated == []
    assert len(second.unchanged) == len(first.created)
    assert not Article.objects.exclude(status=Status.PUBLISHED, clinic=None).exists()
    for phase in Phase:
        assert articles_for_phase(phase.value), f"no article for {phase}"
    day_2 = articles_for_phase("day_2")
    assert day_2[0].slug == "day-2-after-treatment"


def test_reloading_the_builtin_guidance_republishes_an_unpublished_article(db, dana):
    import_builtin()
    article = Article.objects.get(slug="warning-signs")
    Article.objects.filter(pk=article.pk).update(status=Status.IN_REVIEW)
    change_status(article=article, to=Status.DRAFT, by=dana)

    assert import_builtin().updated == ["warning-signs"]
    assert Article.objects.get(slug="warning-signs").status == Status.PUBLISHED


def test_readers_see_published_sources_not_the_internal_reference_file(db, alice, as_user):
    """Each built-in article names what its facts rest on in words a patient can look up; the
    maintainers' pointer to CLINICAL.md is an HTML comment, which the renderer drops."""
    import_builtin()
    client = as_user(alice.user)
    for article in Article.objects.all():
        html = client.get(f"/learn/{article.slug}/").content.decode()
        assert "Sources" in html, article.slug
        assert "CLINICAL.md" not in html, article.slug
        assert "CLINICAL.md" in article.body, article.slug  # still traceable in the file
