"""Reading and validating articles in the seed's format: YAML front matter, then Markdown.

Pure parsing and checking, no database: actions.py writes what this accepts, and
`aftercare content check` runs the same checks on files. Every problem names the file and
the front-matter field, e.g. ``bad.md: publishedAt: "8 January" is not a date (use
YYYY-MM-DD)``.

The front matter (from shared/seeds/after-infusion-navigating-recovery.md):

    title, slug, excerpt, category, author, publishedAt, featuredImage, tags

All are required except featuredImage. Unknown fields are refused, so a typo such as
``tag:`` is caught instead of silently dropping the tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

from aftercare.guidance.phases import Phase
from aftercare.library.categories import KNOWN_CATEGORIES

FIELDS = (
    "title",
    "slug",
    "excerpt",
    "category",
    "author",
    "publishedAt",
    "featuredImage",
    "tags",
)
OPTIONAL_FIELDS = frozenset({"featuredImage"})
MAX_LENGTHS = {"title": 300, "slug": 200, "excerpt": 1000, "author": 200, "featuredImage": 500}
MAX_TAGS = 30
MAX_TAG_LENGTH = 100
MAX_FILE_BYTES = 512 * 1024

PHASE_TAG_PREFIX = "phase:"
# Articles for patients whose first series brought no response (insights' non-response flag):
# NOT_RESPONDING ones come first on their pages, AFTER_RELIEF ones (which assume the treatment
# helped) are left out of them. The article's "If You're Not Responding" section.
NOT_RESPONDING_TAG = "response:none"
AFTER_RELIEF_TAG = "response:relief"
RESPONSE_TAGS = frozenset({NOT_RESPONDING_TAG, AFTER_RELIEF_TAG})
KNOWN_PHASES = frozenset(phase.value for phase in Phase)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# /learn/<slug>/ in a Markdown link or an href; category and tag pages are not articles.
INTERNAL_LINK = re.compile(r"/learn/([a-z0-9]+(?:-[a-z0-9]+)*)/")
NOT_ARTICLE_SLUGS = frozenset({"category", "tag"})
# /clinic/library/upload/ and /clinic/library/new/ are pages, not articles.
RESERVED_SLUGS = frozenset({"upload", "new"})

_yaml = YAMLHandler()


@dataclass(frozen=True)
class Problem:
    source: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.message}"


class ImportFailed(Exception):
    """Nothing was written; `problems` says why, file by file and field by field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class ArticleData:
    source: str
    title: str
    slug: str
    excerpt: str
    category: str
    author: str
    published_on: date
    featured_image: str
    tags: tuple[str, ...]
    body: str

    @property
    def phase_tags(self) -> tuple[str, ...]:
        return tuple(t.removeprefix(PHASE_TAG_PREFIX) for t in self.tags if is_phase_tag(t))

    @property
    def internal_links(self) -> list[str]:
        found = INTERNAL_LINK.findall(self.body)
        return [slug for slug in dict.fromkeys(found) if slug not in NOT_ARTICLE_SLUGS]


def is_phase_tag(tag: str) -> bool:
    return tag.startswith(PHASE_TAG_PREFIX)


def _describe(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "..."


def _text(meta: dict, name: str, problems: list[Problem], source: str) -> str:
    value = meta.get(name)
    if value is None or value == "":
        if name not in OPTIONAL_FIELDS:
            problems.append(Problem(source, name, "is missing or empty"))
        return ""
    if not isinstance(value, str):
        problems.append(
            Problem(source, name, f"must be text, got {_describe(value)}: put it in quotes")
        )
        return ""
    value = value.strip()
    if not value and name not in OPTIONAL_FIELDS:
        problems.append(Problem(source, name, "is missing or empty"))
    limit = MAX_LENGTHS.get(name)
    if limit and len(value) > limit:
        problems.append(
            Problem(source, name, f"is {len(value)} characters long; at most {limit} fit")
        )
    return value


def _published_on(meta: dict, problems: list[Problem], source: str) -> date | None:
    value = meta.get("publishedAt")
    if value is None or value == "":
        problems.append(Problem(source, "publishedAt", "is missing or empty"))
        return None
    # YAML turns an unquoted 2026-01-08 into a date already; a time of day is not expected.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(
        Problem(source, "publishedAt", f"{_describe(value)} is not a date (use YYYY-MM-DD)")
    )
    return None


def _tags(meta: dict, problems: list[Problem], source: str) -> tuple[str, ...]:
    value = meta.get("tags")
    if value is None:
        problems.append(Problem(source, "tags", 'is missing (use a list, e.g. ["recovery"])'))
        return ()
    if not isinstance(value, list):
        problems.append(
            Problem(source, "tags", f'must be a list such as ["a", "b"], got {_describe(value)}')
        )
        return ()
    if len(value) > MAX_TAGS:
        problems.append(Problem(source, "tags", f"has {len(value)} tags; at most {MAX_TAGS}"))
    tags: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            problems.append(Problem(source, "tags", f"{_describe(item)} is not a tag (use text)"))
            continue
        tag = item.strip()
        if len(tag) > MAX_TAG_LENGTH:
            problems.append(
                Problem(source, "tags", f"{_describe(tag)} is longer than {MAX_TAG_LENGTH}")
            )
        elif "/" in tag:
            problems.append(Problem(source, "tags", f"{_describe(tag)} may not contain /"))
        elif tag in tags:
            problems.append(Problem(source, "tags", f"{_describe(tag)} appears twice"))
        elif is_phase_tag(tag) and tag.removeprefix(PHASE_TAG_PREFIX) not in KNOWN_PHASES:
            known = ", ".join(p.value for p in Phase)
            problems.append(
                Problem(source, "tags", f"{_describe(tag)} names no known phase (known: {known})")
            )
        elif tag.startswith("response:") and tag not in RESPONSE_TAGS:
            known = ", ".join(sorted(RESPONSE_TAGS))
            problems.append(
                Problem(source, "tags", f"{_describe(tag)} is not a known tag (known: {known})")
            )
        else:
            tags.append(tag)
    return tuple(tags)


def parse_article(text: str, source: str) -> tuple[ArticleData | None, list[Problem]]:
    """The article in `text` (read from `source`), or None and every problem found."""
    text = text.removeprefix("\ufeff")
    if not _yaml.detect(text):
        return None, [
            Problem(source, "front matter", "is missing: the file must start with a --- line")
        ]
    try:
        front, body = _yaml.split(text)
    except ValueError:
        return None, [Problem(source, "front matter", "has no closing --- line")]
    try:
        meta = _yaml.load(front)
    except yaml.YAMLError as error:
        # Line numbers in the file: the front matter starts on line 2, after the --- line.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        first_line = 1 if front.startswith("\n") else 2
        where = f" (line {mark.line + first_line})" if mark is not None else ""
        reason = getattr(error, "problem", None) or "cannot be read"
        return None, [Problem(source, "front matter", f"is not valid YAML{where}: {reason}")]
    if not isinstance(meta, dict):
        return None, [
            Problem(source, "front matter", "must be fields (name: value), not a list or text")
        ]
    return check_article(meta, body, source)


def check_article(meta: dict, body: str, source: str) -> tuple[ArticleData | None, list[Problem]]:
    """The article from front-matter fields (as YAML reads them) and its Markdown body, or None
    and every problem found. The article page in the browser checks its fields here too, so a
    file and the form accept exactly the same articles."""
    problems: list[Problem] = []
    for name in meta:
        if name not in FIELDS:
            problems.append(
                Problem(source, str(name), f"is not a known field (known: {', '.join(FIELDS)})")
            )
    title = _text(meta, "title", problems, source)
    slug = _text(meta, "slug", problems, source)
    if slug and not SLUG.match(slug):
        problems.append(
            Problem(
                source,
                "slug",
                f"{_describe(slug)} must be lower-case letters, digits and single hyphens",
            )
        )
    elif slug in RESERVED_SLUGS:
        problems.append(Problem(source, "slug", f"{_describe(slug)} is reserved; choose another"))
    excerpt = _text(meta, "excerpt", problems, source)
    category = _text(meta, "category", problems, source)
    if category and category not in KNOWN_CATEGORIES:
        known = ", ".join(sorted(KNOWN_CATEGORIES))
        problems.append(
            Problem(source, "category", f"{_describe(category)} is not known (known: {known})")
        )
    author = _text(meta, "author", problems, source)
    published_on = _published_on(meta, problems, source)
    featured_image = _text(meta, "featuredImage", problems, source)
    tags = _tags(meta, problems, source)
    body = body.strip("\n")
    if not body.strip():
        problems.append(Problem(source, "body", "is empty: write the article below the --- line"))

    if problems or published_on is None:
        return None, problems
    return (
        ArticleData(
            source=source,
            title=title,
            slug=slug,
            excerpt=excerpt,
            category=category,
            author=author,
            published_on=published_on,
            featured_image=featured_image,
            tags=tags,
            body=body,
        ),
        [],
    )


def read_article(path: Path, source: str | None = None) -> tuple[ArticleData | None, list[Problem]]:
    source = source or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(source, "file", f"is {size} bytes; at most {MAX_FILE_BYTES} are read")
            ]
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(source, "file", "is not UTF-8 text")]
    except OSError as error:
        return None, [Problem(source, "file", f"cannot be read: {error.strerror or error}")]
    return parse_article(text, source)


def markdown_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The .md files named, and those inside named folders (recursively, sorted)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.md") if p.is_file())
            if not found:
                problems.append(Problem(str(path), "path", "holds no .md files"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "path", "does not exist"))
    return list(dict.fromkeys(files)), problems


def duplicate_slugs(articles: Sequence[ArticleData]) -> list[Problem]:
    counts = Counter(article.slug for article in articles)
    problems = []
    for article in articles:
        if counts[article.slug] > 1:
            others = [a.source for a in articles if a.slug == article.slug and a is not article]
            problems.append(
                Problem(
                    article.source,
                    "slug",
                    f'"{article.slug}" is also used by {", ".join(others)} in this batch',
                )
            )
    return problems


def read_batch(paths: Iterable[Path]) -> tuple[list[ArticleData], list[Problem]]:
    """Every article under `paths`, and every problem: per file, and slugs used twice."""
    files, problems = markdown_files(paths)
    articles: list[ArticleData] = []
    for path in files:
        article, found = read_article(path)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    problems.extend(duplicate_slugs(articles))
    return articles, problems
