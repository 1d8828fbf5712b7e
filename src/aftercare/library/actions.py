"""Writes to the content library. Tests set up articles through these too.

Imports are atomic per batch: every file is read and checked first, and if any file has a
problem nothing at all is written (and every problem is reported). Re-importing a slug
updates that article in place, so an import can be repeated safely.

Updating a published article replaces what patients read at once. The upload page therefore
asks first (ReviewNeeded) and only writes the version the admin has seen and confirmed; the
command line writes straight away and reports those articles in ImportResult.live.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from aftercare.accounts.models import Clinic, User
from aftercare.library.content_check import BUILTIN_DIR
from aftercare.library.importer import (
    ArticleData,
    ImportFailed,
    Problem,
    duplicate_slugs,
    read_batch,
)
from aftercare.library.models import Article, ArticleTag, Status
from aftercare.library.rendering import render_markdown

# progress(done, total, outcome, article): outcome is "created", "updated" or "unchanged".
Progress = Callable[[int, int, str, ArticleData], None]


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Published before the import and updated by it: patients read the new text now.
    live: list[str] = field(default_factory=list)


class ReviewNeeded(Exception):
    """The import would change a published article's text; nothing was written.

    `article` is the live version as read (under lock), `version` its live_version(), which
    the confirmation must name for the write to go ahead.
    """

    def __init__(self, article: Article, data: ArticleData, version: str) -> None:
        self.article = article
        self.data = data
        self.version = version
        super().__init__(data.slug)


class TransitionNotAllowed(Exception):
    pass


# Draft -> in review -> published; a reviewer can send an article back, a publisher can
# take a published article down again.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.IN_REVIEW): "submit",
    (Status.IN_REVIEW, Status.PUBLISHED): "publish",
    (Status.IN_REVIEW, Status.DRAFT): "return",
    (Status.PUBLISHED, Status.DRAFT): "unpublish",
}


def allowed_transitions(article: Article) -> list[str]:
    return [to for (start, to) in TRANSITIONS if start == article.status]


def _owner_conflicts(articles: Sequence[ArticleData], clinic: Clinic | None) -> list[Problem]:
    """A slug names one article for everyone who can see it: shared and own may not clash."""
    sources = {a.slug: a.source for a in articles}
    others = Article.objects.filter(slug__in=sources).select_related("clinic")
    if clinic is None:
        return [
            Problem(sources[a.slug], "slug", f'"{a.slug}" is already used by {a.clinic}')
            for a in others.filter(clinic__isnull=False)
        ]
    return [
        Problem(sources[a.slug], "slug", f'"{a.slug}" is already used by a shared article')
        for a in others.filter(clinic__isnull=True)
    ]


def _values(data: ArticleData) -> dict[str, object]:
    return {
        "title": data.title,
        "excerpt": data.excerpt,
        "category": data.category,
        "author": data.author,
        "published_on": data.published_on,
        "featured_image": data.featured_image,
        "body": data.body,
        "html": render_markdown(data.body, title=data.title),
    }


def live_version(article: Article) -> str:
    """A fingerprint of what patients read now, so a confirmation given for one version is not
    taken for another (a second upload, or a status change, in the meantime)."""
    fields = {
        "status": article.status,
        "title": article.title,
        "excerpt": article.excerpt,
        "category": article.category,
        "author": article.author,
        "published_on": article.published_on.isoformat(),
        "featured_image": article.featured_image,
        "tags": article.tags,
        "body": article.body,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _save(
    data: ArticleData,
    *,
    clinic: Clinic | None,
    by: User | None,
    publish: bool,
    reviewed: Mapping[str, str] | None,
) -> tuple[Article, str, bool]:
    values = _values(data)
    article = Article.objects.select_for_update().filter(clinic=clinic, slug=data.slug).first()
    if article is None:
        article = Article(clinic=clinic, slug=data.slug, status=Status.DRAFT)
        outcome = "created"
    elif (
        all(getattr(article, name) == value for name, value in values.items())
        and article.tags == list(data.tags)
        and (not publish or article.status == Status.PUBLISHED)
    ):
        return article, "unchanged", False
    else:
        outcome = "updated"
    was_live = article.status == Status.PUBLISHED
    if was_live and reviewed is not None:
        version = live_version(article)
        if reviewed.get(data.slug) != version:
            raise ReviewNeeded(article, data, version)
    for name, value in values.items():
        setattr(article, name, value)
    article.source_name = Path(data.source).name
    article.updated_by = by
    if publish and article.status != Status.PUBLISHED:
        article.status = Status.PUBLISHED
        article.published_at = timezone.now()
        article.published_by = by
    article.save()
    article.tag_rows.all().delete()
    ArticleTag.objects.bulk_create(
        ArticleTag(article=article, name=name, position=i) for i, name in enumerate(data.tags)
    )
    return article, outcome, was_live


def import_articles(
    *,
    articles: Sequence[ArticleData],
    clinic: Clinic | None = None,
    by: User | None = None,
    publish: bool = False,
    progress: Progress | None = None,
    reviewed: Mapping[str, str] | None = None,
) -> ImportResult:
    """Create or update (by slug) every article, all or nothing.

    New articles start as drafts unless `publish`; an update keeps the article's status
    (and `publish` publishes it). `clinic` None means shared with every clinic.

    `reviewed` None (the command line) updates published articles straight away. Otherwise a
    published article whose text would change is only written if `reviewed` maps its slug to
    its current live_version(); if not, ReviewNeeded is raised and nothing is written.
    """
    problems = duplicate_slugs(articles) + _owner_conflicts(articles, clinic)
    if problems:
        raise ImportFailed(problems)
    result = ImportResult()
    with transaction.atomic():
        for done, data in enumerate(articles, start=1):
            _, outcome, was_live = _save(
                data, clinic=clinic, by=by, publish=publish, reviewed=reviewed
            )
            getattr(result, outcome).append(data.slug)
            if was_live:
                result.live.append(data.slug)
            if progress is not None:
                progress(done, len(articles), outcome, data)
    return result


class SlugTaken(Exception):
    """The clinic already has an article with this slug; nothing was written."""

    def __init__(self, slug: str, title: str) -> None:
        self.slug = slug
        self.title = title
        super().__init__(slug)


def create_article(*, data: ArticleData, clinic: Clinic, by: User) -> ImportResult:
    """A new draft written in the browser. Unlike an import, an existing slug is refused
    (SlugTaken) instead of updated: the writer meant a new article, not to replace one."""
    try:
        with transaction.atomic():
            taken = Article.objects.filter(clinic=clinic, slug=data.slug).first()
            if taken is not None:
                raise SlugTaken(data.slug, taken.title)
            return import_articles(articles=[data], clinic=clinic, by=by, reviewed={})
    except IntegrityError:
        # Saved by someone else at the same moment (the unique constraint caught it).
        raise SlugTaken(data.slug, data.title) from None


def import_paths(
    *,
    paths: Sequence[Path],
    clinic: Clinic | None = None,
    by: User | None = None,
    publish: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import .md files and folders of them; raises ImportFailed, writing nothing, on any
    problem in any file."""
    articles, problems = read_batch(paths)
    if problems:
        raise ImportFailed(problems)
    return import_articles(
        articles=articles, clinic=clinic, by=by, publish=publish, progress=progress
    )


def import_builtin(*, progress: Progress | None = None) -> ImportResult:
    """Load (or refresh) the built-in guidance as shared, published articles."""
    return import_paths(paths=[BUILTIN_DIR], publish=True, progress=progress)


@transaction.atomic
def change_status(*, article: Article, to: str, by: User) -> Article:
    """Move an article along draft -> in review -> published (or back), recording who/when."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if (article.status, to) not in TRANSITIONS:
        raise TransitionNotAllowed(f"{article.status} -> {to}")
    now = timezone.now()
    if to == Status.IN_REVIEW:
        article.submitted_at, article.submitted_by = now, by
    elif to == Status.PUBLISHED:
        article.published_at, article.published_by = now, by
    article.status = to
    article.updated_by = by
    article.save()
    return article


def rerender_all() -> int:
    """Render every stored article again (after a change to the renderer); returns the count."""
    count = 0
    with transaction.atomic():
        for article in Article.objects.select_for_update().only("pk", "title", "body", "html"):
            html = render_markdown(article.body, title=article.title)
            if html != article.html:
                Article.objects.filter(pk=article.pk).update(html=html)
                count += 1
    return count
