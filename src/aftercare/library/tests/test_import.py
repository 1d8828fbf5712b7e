"""Importing articles in the seed's format: every field kept, repeatable, all or nothing."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from aftercare.library.actions import import_paths
from aftercare.library.importer import ImportFailed, parse_article
from aftercare.library.models import Article, Status
from aftercare.library.tests.helpers import SEED_ARTICLE, make_article, markdown_file

needs_seed = pytest.mark.skipif(
    not SEED_ARTICLE.exists(),
    reason=f"the seed article is not at {SEED_ARTICLE} (shared/ next to the repository)",
)


@needs_seed
def test_it_imports_the_seed_article_with_every_field_intact(db):
    import_paths(paths=[SEED_ARTICLE])

    article = Article.objects.get()
    assert article.title == (
        "After the Infusion: Navigating the Days and Weeks Following Treatment"
    )
    assert article.slug == "after-infusion-navigating-recovery"
    assert article.excerpt == (
        "The ketamine infusion is just the beginning. Learn what to expect in the hours, days, "
        "and weeks following treatment, and how to optimize your recovery and sustain the "
        "benefits you've gained."
    )
    assert article.category == "PATIENT_EDUCATION"
    assert article.author == "Ketamine Association Editorial Team"
    assert article.published_on == date(2026, 1, 8)
    assert article.featured_image == "/images/articles/placeholder.jpg"
    assert article.tags == ["ketamine", "recovery", "aftercare", "mental health", "follow-up care"]
    assert article.body.startswith("# After the Infusion: Navigating the Days")
    assert article.body.rstrip().endswith("contact them with any concerns about your recovery.*")
    assert article.clinic is None
    assert article.status == Status.DRAFT
    assert article.source_name == "after-infusion-navigating-recovery.md"
    # The title is the page's h1, so the body's repeat of it is left out of the HTML.
    assert "<h1>" not in article.html
    assert "<h2>The First Few Hours</h2>" in article.html
    assert "<h3>Immediate Post-Infusion Period (0-2 Hours)</h3>" in article.html
    assert "<strong>What you'll likely experience:</strong>" in article.html


@needs_seed
def test_importing_the_seed_twice_updates_instead_of_duplicating(db):
    first = import_paths(paths=[SEED_ARTICLE])
    Article.objects.update(title="Edited by hand", html="stale")
    second = import_paths(paths=[SEED_ARTICLE])
    third = import_paths(paths=[SEED_ARTICLE])

    assert (first.created, second.updated, third.unchanged) == (
        ["after-infusion-navigating-recovery"],
    ) * 3
    article = Article.objects.get()
    assert article.title.startswith("After the Infusion")
    assert "<h2>The First Few Hours</h2>" in article.html  # rendered again on update
    assert article.tag_rows.count() == 5


def test_reimport_updates_fields_tags_and_html_but_keeps_the_status(db, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(markdown_file(tags='["sleep", "phase:day_1"]', body="First text.\n"))
    import_paths(paths=[path], publish=True)
    path.write_text(markdown_file(title='"New title"', tags='["rest"]', body="Second **text**.\n"))

    result = import_paths(paths=[path])

    article = Article.objects.get()
    assert result.updated == ["sleep-after-treatment"]
    assert (article.title, article.tags, article.status) == ("New title", ["rest"], "published")
    assert article.html == "<p>Second <strong>text</strong>.</p>\n"


@needs_seed
def test_the_command_imports_a_folder_with_progress(db, tmp_path, capsys):
    (tmp_path / "seed.md").write_text(SEED_ARTICLE.read_text())
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "b.md").write_text(markdown_file())

    call_command("content", "import", str(tmp_path), "--publish")

    out = capsys.readouterr().out
    assert "[1/2] created   sleep-after-treatment" in out
    assert "[2/2] created   after-infusion-navigating-recovery" in out
    assert "2 created, 0 updated, 0 unchanged" in out
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_the_command_imports_for_one_clinic(db, riverside, tmp_path):
    (tmp_path / "a.md").write_text(markdown_file())
    call_command("content", "import", str(tmp_path / "a.md"), "--clinic", "riverside")
    assert Article.objects.get().clinic == riverside


def test_the_command_refuses_an_unknown_clinic(db, tmp_path):
    (tmp_path / "a.md").write_text(markdown_file())
    with pytest.raises(CommandError, match="No clinic has the short name 'nowhere'"):
        call_command("content", "import", str(tmp_path / "a.md"), "--clinic", "nowhere")


@pytest.mark.parametrize(
    ("broken", "field", "message"),
    [
        ({"drop": ("title",)}, "title", "is missing or empty"),
        ({"title": '""'}, "title", "is missing or empty"),
        ({"title": "2026"}, "title", "must be text, got 2026"),
        ({"published": '"8 January 2026"'}, "publishedAt", "is not a date (use YYYY-MM-DD)"),
        ({"published": '"2026-02-30"'}, "publishedAt", "is not a date"),
        ({"published": "2026-01-08T10:00:00"}, "publishedAt", "is not a date"),
        ({"drop": ("publishedAt",)}, "publishedAt", "is missing"),
        ({"category": '"GOSSIP"'}, "category", '"GOSSIP" is not known (known: CLINICAL_PRACTICE'),
        ({"tags": '"ketamine, recovery"'}, "tags", "must be a list"),
        ({"tags": "[1, 2]"}, "tags", "is not a tag"),
        ({"tags": '["a", "a"]'}, "tags", '"a" appears twice'),
        ({"tags": '["phase:day_9"]'}, "tags", '"phase:day_9" names no known phase'),
        ({"drop": ("tags",)}, "tags", "is missing"),
        ({"slug": '"Not A Slug!"'}, "slug", "must be lower-case letters"),
        ({"slug": '"upload"'}, "slug", "is reserved"),
        ({"slug": '"new"'}, "slug", "is reserved"),
        ({"excerpt": '"' + "x" * 1001 + '"'}, "excerpt", "is 1001 characters long"),
        ({"body": "   \n"}, "body", "is empty"),
    ],
)
def test_a_malformed_field_is_named_with_its_file(broken, field, message):
    article, problems = parse_article(markdown_file(**broken), "bad.md")
    assert article is None
    assert any(
        p.source == "bad.md" and p.field == field and message in p.message for p in problems
    ), [str(p) for p in problems]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Just text, no front matter.\n", "is missing: the file must start with a --- line"),
        ("---\ntitle: [unclosed\n---\nbody\n", "is not valid YAML (line 2)"),
        ("---\n- a\n- b\n---\nbody\n", "must be fields (name: value)"),
        ("---\ntitle: x\n", "has no closing --- line"),
    ],
)
def test_broken_front_matter_is_reported(text, message):
    article, problems = parse_article(text, "bad.md")
    assert article is None
    assert [(p.field, message in p.message) for p in problems] == [("front matter", True)], [
        str(p) for p in problems
    ]


def test_an_unknown_field_is_reported_so_typos_are_caught():
    text = markdown_file(drop=("tags",)).replace("---\n\n", "tag: [sleep]\n---\n\n", 1)
    _, problems = parse_article(text, "typo.md")
    assert {(p.field, p.message.split(" (")[0]) for p in problems} == {
        ("tag", "is not a known field"),
        ("tags", "is missing"),
    }


def test_an_unquoted_yaml_date_is_accepted():
    article, problems = parse_article(markdown_file(published="2026-01-08"), "a.md")
    assert problems == []
    assert article is not None
    assert article.published_on == date(2026, 1, 8)


def test_featured_image_may_be_left_out():
    article, problems = parse_article(markdown_file(drop=("featuredImage",)), "a.md")
    assert problems == []
    assert article is not None
    assert article.featured_image == ""


def test_a_bad_file_in_a_batch_leaves_the_library_untouched(db, tmp_path):
    existing = make_article("sleep-after-treatment", title="Original title")
    (tmp_path / "1-good.md").write_text(markdown_file(title='"Changed title"'))
    (tmp_path / "2-new.md").write_text(markdown_file(slug='"brand-new"'))
    (tmp_path / "3-bad.md").write_text(markdown_file(slug='"another"', published='"soon"'))

    with pytest.raises(ImportFailed) as failed:
        import_paths(paths=[tmp_path])

    assert [str(p) for p in failed.value.problems] == [
        f'{tmp_path / "3-bad.md"}: publishedAt: "soon" is not a date (use YYYY-MM-DD)'
    ]
    assert list(Article.objects.values_list("slug", "title")) == [
        ("sleep-after-treatment", "Original title")
    ]
    existing.refresh_from_db()
    assert existing.tags == ["sleep"]


def test_a_slug_used_twice_in_one_batch_names_both_files(db, tmp_path):
    (tmp_path / "a.md").write_text(markdown_file())
    (tmp_path / "b.md").write_text(markdown_file(title='"Other"'))

    with pytest.raises(ImportFailed) as failed:
        import_paths(paths=[tmp_path])

    assert sorted(str(p) for p in failed.value.problems) == [
        f'{tmp_path / "a.md"}: slug: "sleep-after-treatment" is also used by {tmp_path / "b.md"} '
        "in this batch",
        f'{tmp_path / "b.md"}: slug: "sleep-after-treatment" is also used by {tmp_path / "a.md"} '
        "in this batch",
    ]
    assert not Article.objects.exists()


def test_the_command_prints_every_problem_and_exits_non_zero(db, tmp_path, capsys):
    (tmp_path / "bad.md").write_text(markdown_file(drop=("title",), tags='"x"'))
    with pytest.raises(CommandError, match="2 problem"):
        call_command("content", "import", str(tmp_path))
    err = capsys.readouterr().err
    assert f"{tmp_path / 'bad.md'}: title: is missing or empty" in err
    assert f"{tmp_path / 'bad.md'}: tags: must be a list" in err
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "file: is not UTF-8 text"),
        (
            b"---\ntitle: x\n---\n" + b"y" * (600 * 1024),
            "file: is 614417 bytes; at most 524288 are read",
        ),
    ],
)
def test_unreadable_or_huge_files_are_refused(db, tmp_path, content, message):
    (tmp_path / "odd.md").write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        import_paths(paths=[tmp_path / "odd.md"])


def test_a_missing_path_or_empty_folder_is_reported(db, tmp_path):
    with pytest.raises(ImportFailed) as failed:
        import_paths(paths=[tmp_path / "nope.md", tmp_path])
    assert [str(p) for p in failed.value.problems] == [
        f"{tmp_path / 'nope.md'}: path: does not exist",
        f"{tmp_path}: path: holds no .md files",
    ]


def test_a_clinic_article_may_not_take_a_shared_slug_and_the_reverse(db, riverside, tmp_path):
    (tmp_path / "a.md").write_text(markdown_file())
    import_paths(paths=[tmp_path])
    with pytest.raises(ImportFailed, match="is already used by a shared article"):
        import_paths(paths=[tmp_path], clinic=riverside)

    (tmp_path / "a.md").write_text(markdown_file(slug='"riverside-own"'))
    import_paths(paths=[tmp_path], clinic=riverside)
    with pytest.raises(ImportFailed, match="is already used by Riverside Ketamine Clinic"):
        import_paths(paths=[tmp_path])
    assert Article.objects.count() == 2


def test_two_clinics_may_use_the_same_slug(db, riverside, lakeside, tmp_path):
    (tmp_path / "a.md").write_text(markdown_file())
    import_paths(paths=[tmp_path], clinic=riverside)
    import_paths(paths=[tmp_path], clinic=lakeside)
    assert Article.objects.filter(slug="sleep-after-treatment").count() == 2
