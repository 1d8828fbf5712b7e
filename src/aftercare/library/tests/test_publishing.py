"""A clinic admin imports, reviews and publishes her clinic's articles; nobody else can."""

import time_machine
from conftest import utc
from django.core.files.uploadedfile import SimpleUploadedFile

from aftercare.library.models import Article, Status
from aftercare.library.tests.helpers import make_article, markdown_file


def upload(client, text: str | bytes, name: str = "sleep.md"):
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        "/clinic/library/upload/", {"file": SimpleUploadedFile(name, content, "text/markdown")}
    )


def set_status(client, slug: str, to: str):
    return client.post(f"/clinic/library/{slug}/status/", {"to": to})


def test_an_admin_uploads_a_file_as_a_draft_of_her_clinic(as_user, dana, riverside):
    response = upload(as_user(dana), markdown_file())
    assert response.status_code == 302
    assert response.url == "/clinic/library/sleep-after-treatment/"
    article = Article.objects.get()
    assert (article.clinic, article.status, article.updated_by) == (riverside, "draft", dana)
    assert article.tags == ["sleep", "phase:day_1"]


def test_uploading_the_same_slug_again_updates_it(as_user, dana):
    client = as_user(dana)
    upload(client, markdown_file())
    response = upload(client, markdown_file(title='"Better title"'))
    assert response.status_code == 302
    assert list(Article.objects.values_list("title", flat=True)) == ["Better title"]
    page = client.get(response.url).content.decode()
    assert "Updated “Better title”." in page


def test_a_malformed_upload_is_refused_with_the_field_named(as_user, dana):
    response = upload(as_user(dana), markdown_file(published='"soon"', tags='"a, b"'))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    assert "sleep.md: publishedAt: &quot;soon&quot; is not a date (use YYYY-MM-DD)" in page
    assert "sleep.md: tags: must be a list" in page
    assert not Article.objects.exists()


def test_uploads_that_are_not_markdown_text_are_refused(as_user, dana):
    client = as_user(dana)
    cases = [
        (upload(client, markdown_file(), name="sleep.txt"), "ends in .md"),
        (upload(client, b"\xff\xfe\x00bad", name="x.md"), "is not UTF-8 text"),
        (upload(client, "x" * (600 * 1024), name="big.md"), "The file is too large"),
        (client.post("/clinic/library/upload/", {}), "This field is required."),
    ]
    for response, message in cases:
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Article.objects.exists()


def test_an_upload_may_not_take_a_shared_articles_slug(as_user, dana):
    make_article("sleep-after-treatment")
    response = upload(as_user(dana), markdown_file())
    assert response.status_code == 400
    assert "is already used by a shared article" in response.content.decode()
    assert Article.objects.get().clinic is None


def test_only_a_clinic_admin_may_upload(as_user, alice, carol, eve, client):
    for user in (alice.user, carol, eve):
        assert as_user(user).get("/clinic/library/upload/").status_code == 404
        assert upload(as_user(user), markdown_file()).status_code == 404
    assert client.get("/clinic/library/upload/").status_code == 302
    assert not Article.objects.exists()


def test_an_article_goes_from_draft_to_review_to_published_with_who_and_when(
    as_user, alice, dana, riverside
):
    article = make_article("clinic-news", clinic=riverside, publish=False)
    client = as_user(dana)
    assert as_user(alice.user).get("/learn/clinic-news/").status_code == 404

    with time_machine.travel(utc(2026, 3, 2, 9, 0), tick=False):
        assert set_status(client, "clinic-news", "in_review").status_code == 302
    with time_machine.travel(utc(2026, 3, 2, 15, 30), tick=False):
        assert set_status(client, "clinic-news", "published").status_code == 302

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert (article.submitted_by, article.submitted_at) == (dana, utc(2026, 3, 2, 9, 0))
    assert (article.published_by, article.published_at) == (dana, utc(2026, 3, 2, 15, 30))
    assert as_user(alice.user).get("/learn/clinic-news/").status_code == 200
    preview = client.get("/clinic/library/clinic-news/").content.decode()
    assert "Published by Dana Diaz" in preview
    assert "Sent for review by Dana Diaz" in preview


def test_publishing_skips_no_step(as_user, dana, riverside):
    make_article("clinic-news", clinic=riverside, publish=False)
    client = as_user(dana)
    response = set_status(client, "clinic-news", "published")
    assert response.status_code == 302
    assert Article.objects.get().status == Status.DRAFT
    page = client.get(response.url).content.decode()
    assert "That change is not possible" in page


def test_a_published_article_can_be_taken_down(as_user, alice, dana, riverside):
    make_article("clinic-news", clinic=riverside, publish=True)
    set_status(as_user(dana), "clinic-news", "draft")
    assert Article.objects.get().status == Status.DRAFT
    assert as_user(alice.user).get("/learn/clinic-news/").status_code == 404


def test_patients_and_clinicians_cannot_publish(as_user, alice, carol, riverside):
    make_article("clinic-news", clinic=riverside, publish=False)
    for user in (alice.user, carol):
        assert set_status(as_user(user), "clinic-news", "in_review").status_code == 404
    assert Article.objects.get().status == Status.DRAFT


def test_an_admin_cannot_change_shared_or_other_clinics_articles(as_user, dana, lakeside):
    make_article("shared-one", publish=False)
    make_article("lakeside-one", clinic=lakeside, publish=False)
    client = as_user(dana)
    assert set_status(client, "shared-one", "in_review").status_code == 404
    assert set_status(client, "lakeside-one", "in_review").status_code == 404
    assert set(Article.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_a_bad_status_request_is_a_400(as_user, dana, riverside):
    make_article("clinic-news", clinic=riverside, publish=False)
    client = as_user(dana)
    assert set_status(client, "clinic-news", "launched").status_code == 400
    assert client.post("/clinic/library/clinic-news/status/").status_code == 400
    assert client.get("/clinic/library/clinic-news/status/").status_code == 405


def test_staff_see_drafts_in_the_manage_list_but_only_admins_get_buttons(
    as_user, carol, dana, riverside, lakeside
):
    make_article("clinic-news", title="Clinic news", clinic=riverside, publish=False)
    make_article("shared-one", title="Shared one", publish=True)
    make_article("lakeside-one", title="Lakeside one", clinic=lakeside, publish=False)

    for user in (carol, dana):
        page = as_user(user).get("/clinic/library/").content.decode()
        assert "Clinic news" in page
        assert "Shared one" in page
        assert "Lakeside one" not in page

    carol_preview = as_user(carol).get("/clinic/library/clinic-news/").content.decode()
    dana_preview = as_user(dana).get("/clinic/library/clinic-news/").content.decode()
    assert "Submit for review" not in carol_preview
    assert "Submit for review" in dana_preview
    shared = as_user(dana).get("/clinic/library/shared-one/").content.decode()
    assert "managed from the command line" in shared
    assert "Unpublish" not in shared
    assert "Import a Markdown file" in as_user(dana).get("/clinic/library/").content.decode()
    assert "Import a Markdown file" not in as_user(carol).get("/clinic/library/").content.decode()


def test_patients_cannot_open_the_staff_pages(as_user, alice, riverside, client):
    make_article("clinic-news", clinic=riverside, publish=True)
    for path in ("/clinic/library/", "/clinic/library/clinic-news/"):
        assert as_user(alice.user).get(path).status_code == 404
        assert client.get(path).status_code == 302
