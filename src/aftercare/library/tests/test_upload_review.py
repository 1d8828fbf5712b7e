"""An upload that would change a published article is shown as a diff and written only once
the clinic admin confirms it; drafts, new and unchanged articles behave as before."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from conftest import PASSWORD, utc
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from aftercare.accounts.actions import create_staff
from aftercare.accounts.models import Role
from aftercare.library import actions, review
from aftercare.library.models import Article, Status
from aftercare.library.tests.helpers import article_data, make_article, markdown_file

URL = "/clinic/library/upload/"
CONFIRM = "/clinic/library/upload/confirm/"
SLUG = "sleep-after-treatment"
OLD_BODY = "Rest well.\n\nGo to bed early.\n\nDrink water.\n"
NEW_BODY = "Rest well.\n\nGo to bed early, and <b>skip</b> screens.\n\nDrink water.\n"


def upload(client, text: str, name: str = "sleep.md"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode(), "text/markdown")})


def confirm(client, token: str, decision: str = "publish"):
    return client.post(CONFIRM, {"upload": token, "decision": decision})


def token_of(response) -> str:
    found = re.search(r'name="upload" value="([^"]+)"', response.content.decode())
    assert found, "the review page carries the pending upload"
    return unescape(found.group(1))


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def published(as_user, riverside, dana):
    """Riverside's published article, uploaded and published as the admin does it."""
    upload(as_user(dana), markdown_file(body=OLD_BODY))
    article = actions.change_status(article=Article.objects.get(), to=Status.IN_REVIEW, by=dana)
    return actions.change_status(article=article, to=Status.PUBLISHED, by=dana)


def live_text(as_user, alice) -> str:
    """The article as a patient reads it (without the page's per-request tokens)."""
    page = text_of(as_user(alice.user).get(f"/learn/{SLUG}/"))
    return page[page.index("<article") : page.index("</article>")]


def test_a_changed_published_article_is_shown_first_and_nothing_is_written(
    as_user, alice, dana, published
):
    before = live_text(as_user, alice)
    response = upload(
        as_user(dana),
        markdown_file(title='"Sleeping after treatment"', tags='["sleep", "rest"]', body=NEW_BODY),
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "Check the changes to “Sleep after treatment”" in page
    assert "Publish the new text" in page
    # Details: what patients read now against the file.
    assert "Sleep after treatment</del>" in page
    assert "Sleeping after treatment</ins>" in page
    assert "Tags added: rest" in page
    assert "Tags removed: phase:day_1" in page
    # The text as a line diff, marked by more than colour, and escaped.
    assert "1 line added, 1 line removed" in page
    assert (
        '<del><span class="diff-mark" aria-hidden="true">−</span>'
        '<span class="visually-hidden">Removed: </span>Go to bed early.</del>'
    ) in page
    assert (
        '<ins><span class="diff-mark" aria-hidden="true">+</span>'
        '<span class="visually-hidden">Added: </span>'
        "Go to bed early, and &lt;b&gt;skip&lt;/b&gt; screens.</ins>"
    ) in page
    assert "<b>skip</b>" not in page

    article = Article.objects.get(slug=SLUG)
    assert (article.title, article.body, article.tags) == (
        "Sleep after treatment",
        OLD_BODY.strip("\n"),
        ["sleep", "phase:day_1"],
    )
    assert live_text(as_user, alice) == before
    assert "skip" not in before


def test_the_review_page_starts_at_its_summary(as_user, dana, published):
    page = text_of(upload(as_user(dana), markdown_file(body=NEW_BODY)))
    assert "<h1>Check the changes to “Sleep after treatment”</h1>" in page
    assert 'id="change-summary" class="card change-summary" tabindex="-1"' in page
    assert "library/review.js" in page
    assert "No details would change" in page
    assert '<h2 id="text-changes-title">Text</h2>' in page
    assert "<h3>Lines 1–5 of the new text (now lines 1–5)</h3>" in page
    assert '<form id="decide"' in page


def test_confirming_publishes_the_new_text_without_choosing_the_file_again(
    as_user, alice, dana, published
):
    client = as_user(dana)
    token = token_of(upload(client, markdown_file(body=NEW_BODY)))

    with time_machine.travel(utc(2026, 3, 4, 10, 15), tick=False):
        response = confirm(client, token)

    assert response.status_code == 302
    assert response.url == f"/clinic/library/{SLUG}/"
    article = Article.objects.get(slug=SLUG)
    assert article.body == NEW_BODY.strip("\n")
    assert (article.status, article.updated_by, article.published_by) == (
        Status.PUBLISHED,
        dana,
        dana,
    )
    assert "skip" in live_text(as_user, alice)
    preview = text_of(client.get(response.url))
    assert "Published the new text of “Sleep after treatment”: patients read it now." in preview
    assert "Last changed by Dana Diaz, 4 Mar 2026, " in preview


def test_cancelling_keeps_the_current_text(as_user, alice, dana, published):
    client = as_user(dana)
    token = token_of(upload(client, markdown_file(title='"New title"', body=NEW_BODY)))

    response = confirm(client, token, "cancel")

    assert (response.status_code, response.url) == (302, URL)
    assert Article.objects.get(slug=SLUG).body == OLD_BODY.strip("\n")
    assert "skip" not in live_text(as_user, alice)
    page = text_of(client.get(URL))
    assert "Nothing was changed: patients still read the current “Sleep after treatment”." in page


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "x" * (review.MAX_TOKEN_LENGTH + 1)],
    ids=["missing", "made-up", "too-long"],
)
def test_a_missing_or_made_up_pending_upload_sends_back_to_the_form(
    as_user, dana, published, token
):
    client = as_user(dana)
    response = confirm(client, token)
    assert (response.status_code, response.url) == (302, URL)
    assert Article.objects.get(slug=SLUG).body == OLD_BODY.strip("\n")
    page = text_of(client.get(URL))
    assert "This upload could not be checked, so nothing was changed." in page


def test_an_altered_pending_upload_is_refused(as_user, dana, published):
    client = as_user(dana)
    token = token_of(upload(client, markdown_file(body=NEW_BODY)))
    # Swap two characters of the signed data: the signature no longer matches.
    middle = len(token) // 2
    altered = token[: middle - 1] + token[middle] + token[middle - 1] + token[middle + 1 :]
    assert altered != token

    response = confirm(client, altered)

    assert (response.status_code, response.url) == (302, URL)
    assert Article.objects.get(slug=SLUG).body == OLD_BODY.strip("\n")
    assert "could not be checked" in text_of(client.get(URL))


def test_a_pending_upload_is_the_uploaders_own(as_user, dana, riverside, published):
    other_admin = create_staff(
        clinic=riverside,
        email="olive@example.org",
        password=PASSWORD,
        role=Role.ADMIN,
        first_name="Olive",
        last_name="Olsen",
    )
    token = token_of(upload(as_user(dana), markdown_file(body=NEW_BODY)))

    response = confirm(as_user(other_admin), token)

    assert (response.status_code, response.url) == (302, URL)
    assert Article.objects.get(slug=SLUG).body == OLD_BODY.strip("\n")


def test_an_expired_pending_upload_says_so(as_user, dana, published):
    client = as_user(dana)
    with time_machine.travel(utc(2026, 3, 4, 9, 0), tick=False):
        token = token_of(upload(client, markdown_file(body=NEW_BODY)))
    later = utc(2026, 3, 4, 9, 0) + timedelta(seconds=review.PENDING_MAX_AGE + 60)
    with time_machine.travel(later, tick=False):
        response = confirm(client, token)
        page = text_of(client.get(URL))

    assert (response.status_code, response.url) == (302, URL)
    assert "waited more than an hour for your answer, so nothing was changed" in page
    assert Article.objects.get(slug=SLUG).body == OLD_BODY.strip("\n")


def test_an_answer_that_is_neither_is_asked_again(as_user, dana, published):
    client = as_user(dana)
    token = token_of(upload(client, markdown_file(body=NEW_BODY)))

    response = confirm(client, token, "maybe")

    assert response.status_code == 400
    page = text_of(response)
    assert "Choose whether to publish the new text or keep the current one." in page
    assert 'class="error-summary" role="alert"' in page
    assert Article.objects.get(slug=SLUG).body == OLD_BODY.strip("\n")
    # The pending upload is still there: publishing from the page works.
    assert confirm(client, token_of(response)).status_code == 302
    assert Article.objects.get(slug=SLUG).body == NEW_BODY.strip("\n")


def test_a_change_made_meanwhile_is_not_overwritten_unseen(as_user, dana, published):
    client = as_user(dana)
    first = token_of(upload(client, markdown_file(body=NEW_BODY)))
    other = markdown_file(body="Rest well.\n\nSomeone else's text.\n")
    confirm(client, token_of(upload(client, other)))

    response = confirm(client, first)

    assert response.status_code == 200
    page = text_of(response)
    assert "changed while you were looking at it, so nothing was published" in page
    assert "Someone else&#x27;s text.</del>" in page
    assert Article.objects.get(slug=SLUG).body == "Rest well.\n\nSomeone else's text."
    # Confirming the changes as now shown goes ahead.
    assert confirm(client, token_of(response)).status_code == 302
    assert Article.objects.get(slug=SLUG).body == NEW_BODY.strip("\n")


def test_an_unchanged_published_upload_still_says_so(as_user, dana, published):
    client = as_user(dana)
    response = upload(client, markdown_file(body=OLD_BODY))
    assert response.status_code == 302
    assert "“Sleep after treatment” has not changed." in text_of(client.get(response.url))


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_drafts_and_articles_in_review_are_updated_at_once(as_user, dana, riverside, status):
    client = as_user(dana)
    upload(client, markdown_file(body=OLD_BODY))
    if status == Status.IN_REVIEW:
        actions.change_status(article=Article.objects.get(), to=status, by=dana)

    response = upload(client, markdown_file(body=NEW_BODY))

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.body, article.status) == (NEW_BODY.strip("\n"), status)
    assert "Updated “Sleep after treatment”." in text_of(client.get(response.url))


def test_the_upload_page_lists_the_categories(as_user, dana):
    page = text_of(as_user(dana).get(URL))
    assert "category (one of PATIENT_EDUCATION, CLINICAL_PRACTICE, RESEARCH, NEWS)" in page
    assert "<dt><code>CLINICAL_PRACTICE</code></dt><dd>Clinical practice</dd>" in page


def test_the_command_line_says_whose_live_text_changed(db, riverside, tmp_path, capsys):
    make_article("published-one", clinic=riverside, publish=True, body="Old.\n")
    make_article("draft-one", clinic=riverside, publish=False, body="Old.\n")
    for slug in ("published-one", "draft-one"):
        (tmp_path / f"{slug}.md").write_text(
            markdown_file(slug=f'"{slug}"', body="New.\n", tags='["sleep"]')
        )

    call_command("content", "import", str(tmp_path), "--clinic", "riverside")

    out = capsys.readouterr().out
    assert "0 created, 2 updated, 0 unchanged." in out
    assert "Live text changed for 1 published article(s); patients read the new text now:" in out
    assert f"  published-one  ({tmp_path / 'published-one.md'})" in out
    assert "draft-one  (" not in out.split("Live text changed")[1]
    # The command line still writes at once.
    assert Article.objects.get(slug="published-one").body == "New."


def test_the_command_line_says_when_no_live_text_changed(db, riverside, tmp_path, capsys):
    make_article("draft-one", clinic=riverside, publish=False, body="Old.\n")
    (tmp_path / "a.md").write_text(markdown_file(slug='"draft-one"', body="New.\n"))
    call_command("content", "import", str(tmp_path), "--clinic", "riverside")
    out = capsys.readouterr().out
    assert "No published article's live text changed." in out
    assert "Live text changed for" not in out


def test_compare_lists_each_changed_detail_and_the_changed_lines(db, riverside):
    live = make_article(SLUG, clinic=riverside, body="One\nTwo\nThree\n", tags=("a", "b"))
    data = article_data(
        SLUG, body="One\nTwo and a half\nThree\n\nFour\n", tags=("b", "c"), category="NEWS"
    )

    changes = review.compare(live, data)

    assert [c.label for c in changes.fields] == ["Category", "Tags"]
    category, tags = changes.fields
    assert (category.now, category.new) == ("Patient education (PATIENT_EDUCATION)", "News (NEWS)")
    assert (tags.now, tags.new, tags.added, tags.removed) == ("a, b", "b, c", ("c",), ("a",))
    assert (changes.added, changes.removed) == (3, 1)
    [hunk] = changes.hunks
    assert hunk.heading == "Lines 1–5 of the new text (now lines 1–3)"
    assert [(line.kind, line.text) for line in hunk.lines] == [
        ("same", "One"),
        ("removed", "Two"),
        ("added", "Two and a half"),
        ("same", "Three"),
        ("added", ""),
        ("added", "Four"),
    ]


def test_an_identical_body_has_no_text_changes(db, riverside):
    live = make_article(SLUG, clinic=riverside)
    changes = review.compare(live, article_data(SLUG, title="New title"))
    assert not changes.body_changed
    assert [(c.label, c.now, c.new) for c in changes.fields] == [
        ("Title", "Sleep after treatment", "New title")
    ]


def test_changes_far_apart_are_shown_apart_with_their_line_numbers(db, riverside):
    lines = [f"Line {n}" for n in range(1, 21)]
    live = make_article(SLUG, clinic=riverside, body="\n".join(lines))
    edited = [*lines[:1], "Line 2, edited", *lines[2:18], *lines[19:]]

    changes = review.compare(live, article_data(SLUG, body="\n".join(edited)))

    assert [hunk.heading for hunk in changes.hunks] == [
        "Lines 1–5 of the new text (now lines 1–5)",
        "Lines 16–19 of the new text (now lines 16–20)",
    ]
    assert [line.text for line in changes.hunks[1].lines if line.kind != "same"] == ["Line 19"]
    assert (changes.added, changes.removed) == (1, 2)


def test_a_very_long_text_still_shows_every_changed_line(db, riverside):
    lines = [f"Line {n}" for n in range(1, 6001)]
    live = make_article(SLUG, clinic=riverside, body="\n".join(lines))
    edited = [
        *lines[:9],
        "Changed near the start",
        *lines[10:5990],
        "Changed near the end",
        *lines[5991:],
    ]

    changes = review.compare(live, article_data(SLUG, body="\n".join(edited)))

    # Too long to match line by line quickly: the changed stretch is one block, whole.
    [hunk] = changes.hunks
    assert hunk.heading == "Lines 7–5994 of the new text (now lines 7–5994)"
    assert (changes.added, changes.removed) == (5982, 5982)
    added = [line.text for line in hunk.lines if line.kind == "added"]
    assert (added[0], added[-1]) == ("Changed near the start", "Changed near the end")
