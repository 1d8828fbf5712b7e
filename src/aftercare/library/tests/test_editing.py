"""A clinic admin writes a new article, or edits her clinic's own, in the browser: checked by
the importer's rules, previewed without saving, and a published article's new text goes
through the same review as an upload."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from conftest import utc

from aftercare.library import actions, review
from aftercare.library.models import Article, Status
from aftercare.library.tests.helpers import make_article

NEW = "/clinic/library/new/"
CONFIRM = "/clinic/library/upload/confirm/"
SLUG = "sleep-after-treatment"
EDIT = f"/clinic/library/{SLUG}/edit/"


def fields(**changes: str) -> dict[str, str]:
    """A complete, valid article as the form posts it; pass a field to change it."""
    values = {
        "title": "Sleep after treatment",
        "slug": SLUG,
        "excerpt": "A short guide.",
        "category": "PATIENT_EDUCATION",
        "author": "Test author",
        "published_on": "2026-01-08",
        "featured_image": "",
        "tags": "sleep, phase:day_1",
        "body": "Rest well.\n\nGo to bed early.\n",
        "action": "save",
    }
    return values | changes


def page(response) -> str:
    return response.content.decode()


def error_of(response, field: str) -> str:
    """The message shown beside a field (empty if none)."""
    found = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page(response), re.S)
    return unescape(found.group(1)) if found else ""


def value_of(response, field: str) -> str:
    """What the field shows: an input's value, a textarea's text, a select's chosen option."""
    html = page(response)
    found = re.search(rf'<textarea name="{field}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    if found:
        return unescape(found.group(1))
    found = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    if found:
        chosen = re.search(r'<option value="([^"]*)" selected>', found.group(0))
        return unescape(chosen.group(1)) if chosen else ""
    found = re.search(rf'<input [^>]*name="{field}"[^>]*>', html)
    assert found, f"no field {field}"
    value = re.search(r'value="([^"]*)"', found.group(0))
    return unescape(value.group(1)) if value else ""


def token_of(response) -> str:
    found = re.search(r'name="upload" value="([^"]+)"', page(response))
    assert found, "the review page carries the pending text"
    return unescape(found.group(1))


def own_article(riverside, dana, status: str) -> Article:
    article = make_article(
        SLUG,
        clinic=riverside,
        publish=False,
        by=dana,
        body="Rest well.\n\nGo to bed early.",
        tags=("sleep", "phase:day_1"),
    )
    if status in (Status.IN_REVIEW, Status.PUBLISHED):
        article = actions.change_status(article=article, to=Status.IN_REVIEW, by=dana)
    if status == Status.PUBLISHED:
        article = actions.change_status(article=article, to=Status.PUBLISHED, by=dana)
    return article


def patient_page(as_user, alice) -> str:
    html = page(as_user(alice.user).get(f"/learn/{SLUG}/"))
    return html[html.index("<article") : html.index("</article>")]


# Writing a new article


def test_the_manage_page_offers_writing_to_admins_only(as_user, dana, carol):
    assert f'href="{NEW}">Write a new article</a>' in page(as_user(dana).get("/clinic/library/"))
    assert "Write a new article" not in page(as_user(carol).get("/clinic/library/"))


def test_the_new_article_form_starts_with_the_author_and_today(as_user, dana):
    with time_machine.travel(utc(2026, 3, 4, 12, 0), tick=False):
        response = as_user(dana).get(NEW)
    assert response.status_code == 200
    assert "<h1>Write a new article</h1>" in page(response)
    assert value_of(response, "author") == "Dana Diaz"
    assert value_of(response, "published_on") == "2026-03-04"
    assert value_of(response, "slug") == ""
    # Every category of the library, to choose from.
    for code in ("PATIENT_EDUCATION", "CLINICAL_PRACTICE", "RESEARCH", "NEWS"):
        assert f'<option value="{code}"' in page(response)


def test_a_new_article_is_saved_as_a_draft_of_the_clinic(as_user, dana, riverside):
    client = as_user(dana)
    response = client.post(NEW, fields(body="# Sleep after treatment\r\n\r\nRest **well**.\r\n"))

    assert (response.status_code, response.url) == (302, f"/clinic/library/{SLUG}/")
    article = Article.objects.get()
    assert (article.clinic, article.status, article.updated_by) == (riverside, Status.DRAFT, dana)
    assert article.tags == ["sleep", "phase:day_1"]
    assert article.body == "# Sleep after treatment\n\nRest **well**."
    # Rendered as an import renders it: the repeated title is dropped.
    assert article.html == "<p>Rest <strong>well</strong>.</p>\n"
    assert article.source_name == ""
    preview = page(client.get(response.url))
    assert "Saved “Sleep after treatment” as a draft." in preview
    assert "Imported from" not in preview


def test_a_new_article_needs_no_tags_or_image(as_user, dana):
    response = as_user(dana).post(NEW, fields(tags=" , ", featured_image=""))
    assert response.status_code == 302
    assert Article.objects.get().tags == []


# Checks: the importer's, beside each field, nothing typed lost


def test_an_empty_form_names_every_missing_field_and_saves_nothing(as_user, dana):
    response = as_user(dana).post(NEW, {"action": "save"})

    assert response.status_code == 400
    for field, message in [
        ("title", "Write a title."),
        ("slug", "Write the article's address (slug)."),
        ("excerpt", "Write one or two sentences for the excerpt."),
        ("category", "Choose a category."),
        ("author", "Write the author's name."),
        ("published_on", "Give the publication date."),
    ]:
        assert error_of(response, field) == message, field
    assert error_of(response, "body") == "Write the article's text."
    assert error_of(response, "tags") == ""
    assert error_of(response, "featured_image") == ""
    assert 'class="error-summary" role="alert"' in page(response)
    # The summary names each field once: "Title: Write a title.", not "Title: Title is ...".
    assert "Title: Write a title." in page(response)
    assert "Title: Title" not in page(response)
    assert not Article.objects.exists()


def test_blank_spaces_are_empty_too(as_user, dana):
    response = as_user(dana).post(NEW, fields(title="   ", body="  \n\n "))
    assert response.status_code == 400
    assert error_of(response, "title") == "Write a title."
    assert error_of(response, "body") == "Write the article's text."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 301, "It is 301 characters long; at most 300 fit."),
        ("excerpt", "x" * 1001, "It is 1001 characters long; at most 1000 fit."),
        ("author", "x" * 201, "It is 201 characters long; at most 200 fit."),
        ("slug", "s" * 201, "It is 201 characters long; at most 200 fit."),
        (
            "featured_image",
            "/" + "x" * 500,
            "It is 501 characters long; at most 500 fit.",
        ),
        (
            "slug",
            "Sleep After",
            '"Sleep After" must be lower-case letters, digits and single hyphens.',
        ),
        ("slug", "sleep--after", "must be lower-case letters, digits and single hyphens"),
        ("slug", "new", '"new" is reserved; choose another.'),
        ("slug", "upload", '"upload" is reserved; choose another.'),
        ("category", "POETRY", '"POETRY" is not known (known: CLINICAL_PRACTICE,'),
        ("category", "patient_education", '"patient_education" is not known'),
        (
            "published_on",
            "8 January 2026",
            '"8 January 2026" is not a date (use YYYY-MM-DD).',
        ),
        ("published_on", "2026-02-30", '"2026-02-30" is not a date (use YYYY-MM-DD)'),
        ("published_on", "2026-1-8", '"2026-1-8" is not a date (use YYYY-MM-DD)'),
        ("tags", ", ".join(f"t{n}" for n in range(31)), "It has 31 tags; at most 30."),
        ("tags", "sleep, " + "t" * 101, "is longer than 100"),
        ("tags", "sleep, sleep", '"sleep" appears twice.'),
        ("tags", "sleep/rest", '"sleep/rest" may not contain /.'),
        ("tags", "phase:someday", '"phase:someday" names no known phase (known:'),
        ("tags", "response:maybe", '"response:maybe" is not a known tag'),
        ("title", "Sleep\x00", "Null characters are not allowed."),
        ("body", "x" * (600 * 1024), "The text is 600 KB long; at most 512 KB fit."),
    ],
)
def test_each_check_of_the_importer_is_shown_beside_its_field(as_user, dana, field, value, message):
    posted = fields(**{field: value})
    response = as_user(dana).post(NEW, posted)

    assert response.status_code == 400
    assert message in error_of(response, field)
    assert not Article.objects.exists()
    # Nothing typed is lost: every other field still holds what was posted.
    for other in ("title", "slug", "excerpt", "author", "published_on", "tags"):
        if other != field:
            assert value_of(response, other) == posted[other], other
    if field != "category":
        assert value_of(response, "category") == "PATIENT_EDUCATION"
    if field != "body":
        assert value_of(response, "body") == posted["body"]


def test_thirty_tags_of_a_hundred_characters_still_fit(as_user, dana):
    tags = [f"{n:02d}" + "t" * 98 for n in range(30)]
    response = as_user(dana).post(NEW, fields(tags=", ".join(tags)))
    assert response.status_code == 302
    assert Article.objects.get().tags == tags


def test_every_problem_of_a_field_is_shown(as_user, dana):
    response = as_user(dana).post(NEW, fields(tags="a/b, phase:later"))
    assert response.status_code == 400
    message = error_of(response, "tags")
    assert '"a/b" may not contain /.' in message
    assert '"phase:later" names no known phase' in message


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": json.dumps(fields()), "content_type": "application/json"},
        {
            "data": "title=%FF%FE&slug[]=a&body=",
            "content_type": "application/x-www-form-urlencoded",
        },
        {"data": {"title": ["One", "Two"], "tags": ["a", "b"], "category": ["NEWS", "RESEARCH"]}},
    ],
    ids=["json", "garbled", "repeated-fields"],
)
def test_a_request_that_is_not_the_form_is_refused_not_a_crash(as_user, dana, request_kwargs):
    response = as_user(dana).post(NEW, **request_kwargs)
    assert response.status_code == 400
    assert error_of(response, "slug") == "Write the article's address (slug)."
    assert not Article.objects.exists()


def test_a_slug_the_clinic_already_has_is_refused_beside_the_slug(as_user, dana, riverside):
    make_article(SLUG, title="Our sleep guide", clinic=riverside, publish=True, body="Old.")

    response = as_user(dana).post(NEW, fields(title="Another guide", body="New.\n"))

    assert response.status_code == 400
    assert error_of(response, "slug") == (
        "Your clinic already has an article with the slug “sleep-after-treatment”: "
        "“Our sleep guide”. Choose another slug, or edit that article."
    )
    assert value_of(response, "title") == "Another guide"
    article = Article.objects.get()
    assert (article.title, article.body) == ("Our sleep guide", "Old.")


def test_a_slug_of_a_shared_article_is_refused_beside_the_slug(as_user, dana):
    make_article(SLUG, title="Shared guide", publish=True)

    response = as_user(dana).post(NEW, fields())

    assert response.status_code == 400
    assert error_of(response, "slug") == (
        '"sleep-after-treatment" is already used by a shared article.'
    )
    assert Article.objects.get().title == "Shared guide"


def test_another_clinics_slug_is_free(as_user, dana, lakeside, riverside):
    make_article(SLUG, title="Lakeside guide", clinic=lakeside, publish=True)
    assert as_user(dana).post(NEW, fields()).status_code == 302
    assert Article.objects.get(clinic=riverside).title == "Sleep after treatment"
    assert Article.objects.get(clinic=lakeside).title == "Lakeside guide"


def test_a_slug_saved_by_someone_else_at_the_same_moment_is_refused(dana, riverside):
    from aftercare.library.tests.helpers import article_data

    make_article(SLUG, title="Saved first", clinic=riverside, publish=False)
    with pytest.raises(actions.SlugTaken) as taken:
        actions.create_article(data=article_data(SLUG), clinic=riverside, by=dana)
    assert taken.value.title == "Saved first"
    assert Article.objects.get().title == "Saved first"


def test_a_clash_caught_by_the_database_is_a_slug_taken_too(dana, riverside, monkeypatch):
    from django.db import IntegrityError

    from aftercare.library.tests.helpers import article_data

    def clash(**kwargs):
        raise IntegrityError("library_article_slug_unique_per_clinic")

    # Two admins saving the same new slug at once: both pass the check, the second insert fails.
    monkeypatch.setattr(actions, "import_articles", clash)
    with pytest.raises(actions.SlugTaken):
        actions.create_article(data=article_data(SLUG), clinic=riverside, by=dana)


# Preview


def test_preview_renders_the_text_safely_and_saves_nothing(as_user, dana):
    body = (
        "# Sleep after treatment\r\n\r\n## Tonight\r\n\r\n- Go to bed **early**.\r\n\r\n"
        '<script>alert("x")</script><img src="https://tracker.example/p.gif" alt="">'
        "[Click](javascript:alert(1))\r\n"
    )
    response = as_user(dana).post(NEW, fields(body=body, action="preview", published_on="soon"))

    assert response.status_code == 200
    html = page(response)
    assert '<h2 id="preview-title">Preview of the text</h2>' in html
    section = html[html.index('id="preview"') : html.index("</section>")]
    assert "<h2>Tonight</h2>" in section
    assert "<li>Go to bed <strong>early</strong>.</li>" in section
    assert "<script" not in section
    assert "tracker.example" not in section
    assert 'href="javascript' not in section
    assert "Sleep after treatment</h" not in section  # the title is the page's, not the text's
    # Not checked (a half-written article can be previewed), not saved, nothing lost.
    assert 'class="error-summary"' not in html
    assert not Article.objects.exists()
    assert value_of(response, "published_on") == "soon"
    assert value_of(response, "body") == body
    assert value_of(response, "category") == "PATIENT_EDUCATION"
    # The preview button brings the reader straight to the preview.
    assert f'formaction="{NEW}#preview"' in html


def test_preview_of_an_empty_or_huge_text_says_so(as_user, dana):
    client = as_user(dana)
    empty = client.post(NEW, fields(body="", action="preview"))
    assert "There is no text to preview yet." in page(empty)
    huge = client.post(NEW, fields(body="x" * (600 * 1024), action="preview"))
    assert huge.status_code == 200
    assert "The text is too long to preview: at most 512 KB fit." in page(huge)
    assert not Article.objects.exists()


def test_preview_of_a_published_article_changes_nothing_patients_read(
    as_user, alice, dana, riverside
):
    own_article(riverside, dana, Status.PUBLISHED)
    before = patient_page(as_user, alice)

    response = as_user(dana).post(EDIT, fields(body="Brand new advice.\n", action="preview"))

    assert response.status_code == 200
    assert "<p>Brand new advice.</p>" in page(response)
    assert patient_page(as_user, alice) == before
    assert Article.objects.get().body == "Rest well.\n\nGo to bed early."


# Editing


def test_the_preview_page_of_an_own_article_links_to_its_edit_page(as_user, dana, riverside):
    own_article(riverside, dana, Status.DRAFT)
    html = page(as_user(dana).get(f"/clinic/library/{SLUG}/"))
    assert f'href="{EDIT}">Edit<span class="visually-hidden"> “Sleep after treatment”' in html


def test_the_edit_form_holds_the_article(as_user, dana, riverside):
    own_article(riverside, dana, Status.DRAFT)
    response = as_user(dana).get(EDIT)
    assert response.status_code == 200
    html = page(response)
    assert "<h1>Edit “Sleep after treatment”</h1>" in html
    assert value_of(response, "title") == "Sleep after treatment"
    assert value_of(response, "tags") == "sleep, phase:day_1"
    assert value_of(response, "published_on") == "2026-01-08"
    assert value_of(response, "category") == "PATIENT_EDUCATION"
    assert value_of(response, "body") == "Rest well.\n\nGo to bed early."
    # The slug is shown, not editable: links to the article keep working.
    assert 'name="slug"' not in html
    assert "<code>sleep-after-treatment</code>" in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_a_draft_or_an_article_in_review_is_updated_at_once(as_user, dana, riverside, status):
    own_article(riverside, dana, status)
    client = as_user(dana)

    response = client.post(
        EDIT,
        fields(
            title="Sleeping well",
            slug="a-new-address",
            tags="sleep, rest",
            body="Rest well.\r\n\r\nGo to bed early.\r\n\r\nA new paragraph.\r\n",
        ),
    )

    assert (response.status_code, response.url) == (302, f"/clinic/library/{SLUG}/")
    article = Article.objects.get()
    assert (article.slug, article.title, article.status) == (SLUG, "Sleeping well", status)
    assert article.body == "Rest well.\n\nGo to bed early.\n\nA new paragraph."
    assert article.tags == ["sleep", "rest"]
    assert "<p>A new paragraph.</p>" in article.html
    assert "Updated “Sleeping well”." in page(client.get(response.url))


def test_an_edit_shows_the_errors_and_keeps_the_text(as_user, dana, riverside):
    own_article(riverside, dana, Status.DRAFT)
    response = as_user(dana).post(EDIT, fields(title="", body="My long new text.\n"))
    assert response.status_code == 400
    assert error_of(response, "title") == "Write a title."
    assert value_of(response, "body") == "My long new text.\n"
    assert Article.objects.get().title == "Sleep after treatment"


def test_saving_an_unchanged_published_article_asks_nothing(as_user, dana, riverside):
    own_article(riverside, dana, Status.PUBLISHED)
    client = as_user(dana)
    # As the browser sends the unchanged text back: CRLF line breaks.
    response = client.post(EDIT, fields(body="Rest well.\r\n\r\nGo to bed early.\r\n"))
    assert response.status_code == 302
    assert "“Sleep after treatment” has not changed." in page(client.get(response.url))


def test_a_published_article_is_changed_only_after_the_review(as_user, alice, dana, riverside):
    own_article(riverside, dana, Status.PUBLISHED)
    before = patient_page(as_user, alice)
    client = as_user(dana)
    edit_page = client.get(EDIT)
    assert "When you save, you first see what would change" in page(edit_page)
    assert ">Check the changes</button>" in page(edit_page)

    response = client.post(EDIT, fields(body="Rest well.\n\nGo to bed early, and skip screens.\n"))

    # The review page uploads use, worded for an edit.
    assert response.status_code == 200
    html = page(response)
    assert "<h1>Check the changes to “Sleep after treatment”</h1>" in html
    assert "What your edit would change" in html
    assert "Your edited text would replace what they read." in html
    assert "1 line added, 1 line removed" in html
    assert "Go to bed early, and skip screens.</ins>" in html
    assert "Publish the new text" in html
    assert 'name="article" value="sleep-after-treatment"' in html
    assert patient_page(as_user, alice) == before

    with time_machine.travel(utc(2026, 3, 4, 10, 15), tick=False):
        confirmed = client.post(CONFIRM, {"upload": token_of(response), "decision": "publish"})

    assert (confirmed.status_code, confirmed.url) == (302, f"/clinic/library/{SLUG}/")
    article = Article.objects.get()
    assert article.body == "Rest well.\n\nGo to bed early, and skip screens."
    assert (article.status, article.updated_by, article.source_name) == (
        Status.PUBLISHED,
        dana,
        "",
    )
    assert "skip screens" in patient_page(as_user, alice)
    preview = page(client.get(confirmed.url))
    assert "Published the new text of “Sleep after treatment”: patients read it now." in preview


def test_cancelling_an_edit_keeps_the_current_text(as_user, alice, dana, riverside):
    own_article(riverside, dana, Status.PUBLISHED)
    client = as_user(dana)
    review_page = client.post(EDIT, fields(body="Something else.\n"))

    response = client.post(CONFIRM, {"upload": token_of(review_page), "decision": "cancel"})

    assert (response.status_code, response.url) == (302, f"/clinic/library/{SLUG}/")
    assert Article.objects.get().body == "Rest well.\n\nGo to bed early."
    assert "Something else" not in patient_page(as_user, alice)
    assert "Nothing was changed: patients still read the current" in page(client.get(response.url))


def test_back_to_editing_brings_the_unsaved_text_back(as_user, dana, riverside):
    own_article(riverside, dana, Status.PUBLISHED)
    client = as_user(dana)
    review_page = client.post(EDIT, fields(title="Sleep, revised", body="Draft text.\n"))
    assert "Back to editing" in page(review_page)

    response = client.post(CONFIRM, {"upload": token_of(review_page), "decision": "edit"})

    assert response.status_code == 200
    assert value_of(response, "title") == "Sleep, revised"
    assert value_of(response, "body") == "Draft text."
    # Saving from here is saving the edit again, not answering the review page.
    assert f'<form method="post" action="{EDIT}"' in page(response)
    assert f'formaction="{EDIT}#preview"' in page(response)
    assert Article.objects.get().title == "Sleep after treatment"


def test_an_edit_left_too_long_comes_back_to_the_form_unpublished(as_user, dana, riverside):
    own_article(riverside, dana, Status.PUBLISHED)
    client = as_user(dana)
    with time_machine.travel(utc(2026, 3, 4, 9, 0), tick=False):
        token = token_of(client.post(EDIT, fields(body="Late text.\n")))
    later = utc(2026, 3, 4, 9, 0) + timedelta(seconds=review.PENDING_MAX_AGE + 60)
    with time_machine.travel(later, tick=False):
        response = client.post(CONFIRM, {"upload": token, "decision": "publish"})

    assert response.status_code == 200
    assert "Your changes waited more than an hour for your answer" in page(response)
    assert value_of(response, "body") == "Late text."
    assert Article.objects.get().body == "Rest well.\n\nGo to bed early."


def test_an_edit_whose_token_cannot_be_read_goes_back_to_the_edit_page(as_user, dana, riverside):
    own_article(riverside, dana, Status.PUBLISHED)
    client = as_user(dana)
    response = client.post(CONFIRM, {"upload": "made-up", "decision": "publish", "article": SLUG})
    assert (response.status_code, response.url) == (302, EDIT)
    assert "These changes could not be checked, so nothing was changed." in page(
        client.get(response.url)
    )
    assert Article.objects.get().body == "Rest well.\n\nGo to bed early."


def test_the_upload_review_is_unchanged_for_files(as_user, dana, riverside):
    """Uploads still speak of the file and offer no editing step."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftercare.library.tests.helpers import markdown_file

    own_article(riverside, dana, Status.PUBLISHED)
    text = markdown_file(body="Changed.\n", image='""')
    response = as_user(dana).post(
        "/clinic/library/upload/",
        {"file": SimpleUploadedFile("sleep.md", text.encode(), "text/markdown")},
    )
    html = page(response)
    assert "What your file would change" in html
    assert "sleep.md would replace what they read." in html
    assert "Back to editing" not in html
    assert 'name="article"' not in html


# Who may edit what


def test_a_shared_article_cannot_be_edited_in_the_browser(as_user, dana):
    make_article(SLUG, title="Shared guide", publish=True)
    client = as_user(dana)

    preview = page(client.get(f"/clinic/library/{SLUG}/"))
    assert "It comes from the operator's import" in preview
    assert "cannot be edited here" in preview
    assert EDIT not in preview
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, fields(title="Hijacked")).status_code == 404
    assert Article.objects.get().title == "Shared guide"


def test_another_clinics_article_is_a_404(as_user, pat, dana, riverside):
    own_article(riverside, dana, Status.PUBLISHED)
    client = as_user(pat)
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, fields(title="Hijacked")).status_code == 404
    assert Article.objects.get().title == "Sleep after treatment"


def test_clinicians_see_no_edit_link_and_cannot_edit(as_user, carol, dana, riverside):
    own_article(riverside, dana, Status.DRAFT)
    client = as_user(carol)
    assert EDIT not in page(client.get(f"/clinic/library/{SLUG}/"))
    assert client.get(EDIT).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, fields()).status_code == 404
    assert Article.objects.count() == 1
