"""Patients and staff browse, search and read the library; drafts and other clinics' own
articles stay hidden."""

import pytest

from aftercare.library.models import Status
from aftercare.library.tests.helpers import make_article

DISCLAIMER = "For learning, not medical advice."


@pytest.fixture
def library(riverside, lakeside):
    return {
        "sleep": make_article(
            "sleep-after-treatment",
            title="Sleep after treatment",
            excerpt="How to rest on the first night.",
            body="Go to bed **early** and keep the room dark.",
            tags=("sleep", "phase:treatment_day"),
        ),
        "exercise": make_article(
            "exercise-on-day-two",
            title="Exercise on day two",
            body="A gentle walk is fine.",
            tags=("exercise", "phase:day_2"),
            category="CLINICAL_PRACTICE",
        ),
        "draft": make_article(
            "unfinished-draft", title="Unfinished draft", tags=("sleep",), publish=False
        ),
        "riverside": make_article(
            "riverside-parking", title="Parking at Riverside", clinic=riverside, tags=("sleep",)
        ),
        "lakeside": make_article(
            "lakeside-parking", title="Parking at Lakeside", clinic=lakeside, tags=("sleep",)
        ),
    }


def titles(response) -> set[str]:
    return {article.title for article in response.context["page"].object_list}


def test_a_patient_browses_shared_and_her_clinics_published_articles(as_user, alice, library):
    response = as_user(alice.user).get("/learn/")
    assert response.status_code == 200
    assert titles(response) == {
        "Sleep after treatment",
        "Exercise on day two",
        "Parking at Riverside",
    }
    page = response.content.decode()
    assert "Unfinished draft" not in page
    assert "Lakeside" not in page
    assert 'href="/learn/tag/phase:treatment_day/"' in page
    assert "Stage: treatment day" in page
    assert 'href="/learn/category/clinical-practice/"' in page
    assert "Manage the library" not in page


def test_staff_see_the_same_reading_list_and_a_link_to_manage(as_user, carol, eve, library):
    assert titles(as_user(carol).get("/learn/")) == {
        "Sleep after treatment",
        "Exercise on day two",
        "Parking at Riverside",
    }
    response = as_user(eve).get("/learn/")
    assert titles(response) == {
        "Sleep after treatment",
        "Exercise on day two",
        "Parking at Lakeside",
    }
    assert "Manage the library" in response.content.decode()


def test_it_browses_by_category(as_user, alice, library):
    response = as_user(alice.user).get("/learn/category/clinical-practice/")
    assert response.status_code == 200
    assert titles(response) == {"Exercise on day two"}
    assert as_user(alice.user).get("/learn/category/gossip/").status_code == 404


def test_it_browses_by_tag(as_user, alice, eve, library):
    response = as_user(alice.user).get("/learn/tag/sleep/")
    assert titles(response) == {"Sleep after treatment", "Parking at Riverside"}
    assert titles(as_user(alice.user).get("/learn/tag/phase:day_2/")) == {"Exercise on day two"}
    assert as_user(alice.user).get("/learn/tag/nothing-here/").status_code == 404
    assert titles(as_user(eve).get("/learn/tag/sleep/")) == {
        "Sleep after treatment",
        "Parking at Lakeside",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sleep", {"Sleep after treatment"}),  # title
        ("FIRST NIGHT", {"Sleep after treatment"}),  # excerpt, any case
        ("gentle walk", {"Exercise on day two"}),  # body, every word
        ("sleeping", {"Sleep after treatment"}),  # other forms of a word
        ("nights", {"Sleep after treatment"}),
        ("walked gently", {"Exercise on day two"}),
        ("exercises", {"Exercise on day two"}),
        ("beds", set()),  # a short word is searched as typed
        ("walk dark", set()),
        ("parking", {"Parking at Riverside"}),
        ("unfinished", set()),  # drafts are never found
        ("x" * 5000, set()),  # huge input is cut, not an error
        ("%_'\";--", set()),
    ],
)
def test_it_searches_title_excerpt_and_text(as_user, alice, library, query, expected):
    response = as_user(alice.user).get("/learn/", {"q": query})
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("driving", "driv"),
        ("drive", "driv"),
        ("worries", "worr"),
        ("worried", "worr"),
        ("Headaches", "headach"),
        ("nausea", "nausea"),
        ("dose", "dose"),
        ("beds", "beds"),
        ("sleep", "sleep"),
    ],
)
def test_a_searched_word_matches_its_other_forms(word, expected):
    from aftercare.library.selectors import stem

    assert stem(word) == expected


def test_search_results_say_how_many_matched(as_user, alice, library):
    page = as_user(alice.user).get("/learn/", {"q": "sleep"}).content.decode()
    assert "1 article matches “sleep”." in page
    page = as_user(alice.user).get("/learn/", {"q": "nothing"}).content.decode()
    assert "0 articles match “nothing”." in page
    assert "Try fewer or shorter words." in page


def test_search_works_inside_a_category(as_user, alice, library):
    response = as_user(alice.user).get("/learn/category/patient-education/", {"q": "parking"})
    assert titles(response) == {"Parking at Riverside"}


def test_a_long_list_is_paged(as_user, alice, db):
    for i in range(23):
        make_article(f"article-{i:02}", title=f"Article {i:02}")
    first = as_user(alice.user).get("/learn/")
    assert len(first.context["page"].object_list) == 20
    assert "Page 1 of 2" in first.content.decode()
    assert len(as_user(alice.user).get("/learn/", {"page": "2"}).context["page"]) == 3
    assert as_user(alice.user).get("/learn/", {"page": "999"}).status_code == 200
    assert as_user(alice.user).get("/learn/", {"page": "abc"}).status_code == 200


def test_an_article_page_shows_every_part_and_the_disclaimer(as_user, alice, library):
    response = as_user(alice.user).get("/learn/sleep-after-treatment/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Sleep after treatment</h1>" in page
    assert "How to rest on the first night." in page
    assert "By Test author" in page
    assert '<time datetime="2026-01-08">8 January 2026</time>' in page
    assert "Go to bed <strong>early</strong>" in page
    assert DISCLAIMER in page
    assert 'href="/learn/tag/sleep/"' in page


@pytest.mark.parametrize("slug", ["sleep-after-treatment", "riverside-parking"])
def test_every_article_page_carries_the_disclaimer(as_user, alice, carol, library, slug):
    for user in (alice.user, carol):
        assert DISCLAIMER in as_user(user).get(f"/learn/{slug}/").content.decode()


def test_drafts_and_articles_in_review_are_not_shown_to_readers(as_user, alice, carol, library):
    for user in (alice.user, carol):
        assert as_user(user).get("/learn/unfinished-draft/").status_code == 404
    library["draft"].status = Status.IN_REVIEW
    library["draft"].save()
    assert as_user(alice.user).get("/learn/unfinished-draft/").status_code == 404


def test_another_clinics_own_article_is_a_404(as_user, alice, bob, carol, eve, library):
    for user in (alice.user, bob.user, carol):
        assert as_user(user).get("/learn/lakeside-parking/").status_code == 404
        assert as_user(user).get("/learn/riverside-parking/").status_code == 200
    assert as_user(eve).get("/learn/riverside-parking/").status_code == 404
    assert as_user(eve).get("/clinic/library/riverside-parking/").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, library):
    for path in ("/learn/", "/learn/sleep-after-treatment/", "/learn/tag/sleep/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_reading_uses_a_constant_number_of_queries(
    as_user, alice, library, django_assert_max_num_queries
):
    for i in range(15):
        make_article(f"more-{i}", tags=("sleep", f"tag-{i}"))
    client = as_user(alice.user)
    with django_assert_max_num_queries(12):
        assert client.get("/learn/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/learn/sleep-after-treatment/").status_code == 200


def test_reading_leaves_no_audit_record(as_user, alice, library):
    from aftercare.audit.models import AuditEvent

    as_user(alice.user).get("/learn/sleep-after-treatment/")
    assert not AuditEvent.objects.exists()
