"""Articles for tests, made through the same actions the importer and the pages use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import aftercare.settings
from aftercare.accounts.models import Clinic, User
from aftercare.library.actions import import_articles
from aftercare.library.importer import ArticleData
from aftercare.library.models import Article

# shared/ lies next to the repository folder (src/aftercare/settings.py is three levels
# down): /work/shared beside /work/main, and in CI beside the fresh clone.
SHARED_DIR = Path(aftercare.settings.__file__).resolve().parents[3] / "shared"
SEED_ARTICLE = SHARED_DIR / "seeds" / "after-infusion-navigating-recovery.md"


def article_data(
    slug: str = "sleep-after-treatment",
    *,
    title: str | None = None,
    body: str = "Rest well.\n\n- Go to bed early.\n",
    tags: tuple[str, ...] = ("sleep",),
    category: str = "PATIENT_EDUCATION",
    excerpt: str = "A short guide.",
) -> ArticleData:
    return ArticleData(
        source=f"{slug}.md",
        title=title or slug.replace("-", " ").capitalize(),
        slug=slug,
        excerpt=excerpt,
        category=category,
        author="Test author",
        published_on=date(2026, 1, 8),
        featured_image="",
        tags=tags,
        body=body,
    )


def make_article(
    slug: str = "sleep-after-treatment",
    *,
    clinic: Clinic | None = None,
    publish: bool = True,
    by: User | None = None,
    **fields,
) -> Article:
    import_articles(articles=[article_data(slug, **fields)], clinic=clinic, by=by, publish=publish)
    return Article.objects.get(slug=slug, clinic=clinic)


def markdown_file(
    *,
    title: str = '"Sleep after treatment"',
    slug: str = '"sleep-after-treatment"',
    excerpt: str = '"A short guide."',
    category: str = '"PATIENT_EDUCATION"',
    author: str = '"Test author"',
    published: str = '"2026-01-08"',
    image: str = '"/images/x.jpg"',
    tags: str = '["sleep", "phase:day_1"]',
    body: str = "Rest well.\n",
    drop: tuple[str, ...] = (),
) -> str:
    """An article file; pass a field's raw YAML to break it, or name it in `drop`."""
    fields = {
        "title": title,
        "slug": slug,
        "excerpt": excerpt,
        "category": category,
        "author": author,
        "publishedAt": published,
        "featuredImage": image,
        "tags": tags,
    }
    front = "\n".join(f"{k}: {v}" for k, v in fields.items() if k not in drop)
    return f"---\n{front}\n---\n\n{body}"
