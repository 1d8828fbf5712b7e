"""Articles of the content library: Markdown with the seed article's front matter.

The front matter fields map one to one: title, slug, excerpt, category, author,
publishedAt -> published_on, featuredImage -> featured_image, tags -> ArticleTag rows (in order).
The Markdown body is kept as written; `html` is its sanitised rendering, made when the
article is saved through actions.py, so pages never render Markdown on the fly.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Clinic, User
from aftercare.library.categories import Category


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Article(models.Model):
    # No clinic: a shared article every clinic sees (the built-in guidance, an association's
    # articles). With a clinic: only that clinic's staff and patients see it.
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("clinic"),
    )
    slug = models.SlugField(_("slug"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    excerpt = models.TextField(_("excerpt"))
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    author = models.CharField(_("author"), max_length=200)
    published_on = models.DateField(_("publication date"))
    featured_image = models.CharField(_("featured image"), max_length=500, blank=True)
    body = models.TextField(_("Markdown text"))
    html = models.TextField(_("sanitised HTML"))
    source_name = models.CharField(_("imported from"), max_length=300, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # None for these people means the command line (import, built-in guidance).
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-published_on", "title"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["clinic", "slug"], name="library_article_slug_unique_per_clinic"
            ),
            # NULLs are distinct in unique constraints, so shared articles need their own.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(clinic__isnull=True),
                name="library_article_slug_unique_shared",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="library_article_status_known"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["status", "category"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library_article", kwargs={"slug": self.slug})

    @property
    def tags(self) -> list[str]:
        return [tag.name for tag in self.tag_rows.all()]

    @property
    def is_shared(self) -> bool:
        return self.clinic_id is None


class ArticleTag(models.Model):
    """One front-matter tag; `position` keeps the author's order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering: ClassVar = ["position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["article", "name"], name="library_tag_once_per_article")
        ]
        indexes: ClassVar = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name
