"""Which articles a person may read or manage, and the library's queries.

Articles are not health data, so reading them leaves no audit record. Visibility:
- everyone logged in reads published articles that are shared or belong to their clinic;
- staff (clinicians, admins) also see drafts and articles in review, shared or their clinic's;
- only a clinic admin (the publisher) changes their own clinic's articles; shared articles
  are managed from the command line.
Anything outside this is a 404, like the rest of the app.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from aftercare.accounts.models import Clinic, Role, User
from aftercare.guidance.phases import Phase
from aftercare.library.importer import AFTER_RELIEF_TAG, NOT_RESPONDING_TAG, PHASE_TAG_PREFIX
from aftercare.library.models import Article, ArticleTag, Status

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8


def _shared_or_own(clinic_id: int | None) -> Q:
    return Q(clinic__isnull=True) | Q(clinic_id=clinic_id)


def readable_articles(user: User) -> QuerySet[Article]:
    """Published articles shared with every clinic or owned by the reader's clinic."""
    if not user.is_authenticated or user.role not in Role.values:
        return Article.objects.none()
    return (
        Article.objects.filter(_shared_or_own(user.clinic_id), status=Status.PUBLISHED)
        .select_related("clinic")
        .prefetch_related("tag_rows")
    )


def staff_articles(user: User) -> QuerySet[Article]:
    """Every article a member of staff may look at, whatever its status."""
    if not user.is_authenticated or user.role not in (Role.CLINICIAN, Role.ADMIN):
        return Article.objects.none()
    return Article.objects.filter(_shared_or_own(user.clinic_id)).select_related(
        "clinic", "submitted_by", "published_by", "updated_by"
    )


def editable_articles(user: User) -> QuerySet[Article]:
    """The articles a publisher (clinic admin) may move through review: their clinic's own."""
    if not user.is_authenticated or user.role != Role.ADMIN:
        return Article.objects.none()
    return Article.objects.filter(clinic_id=user.clinic_id)


def can_publish(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


# Endings cut from a searched word so "driving" finds "drive" and "worried" finds "worry".
# Longest first; a stem keeps at least 4 letters, so short words are searched as typed.
ENDINGS = ("ies", "ied", "ing", "ed", "es", "s", "ly", "e")
MIN_STEM = 4


def stem(word: str) -> str:
    """The start of the word that its other forms share (English, no dictionary)."""
    word = word.lower()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Articles whose title, excerpt or text contains every word of `query` (any case), each
    word matching its other forms too (``stem``).

    Plain icontains, so it behaves the same on SQLite and PostgreSQL.
    """
    words = [stem(w) for w in query[:MAX_QUERY_LENGTH].split()[:MAX_QUERY_WORDS]]
    for word in words:
        articles = articles.filter(
            Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(body__icontains=word)
        )
    return articles


def with_tag(articles: QuerySet[Article], tag: str) -> QuerySet[Article]:
    return articles.filter(pk__in=ArticleTag.objects.filter(name=tag).values("article_id"))


def category_counts(articles: QuerySet[Article]) -> list[tuple[str, int]]:
    rows = articles.order_by().values("category").annotate(n=Count("pk")).order_by("category")
    return [(row["category"], row["n"]) for row in rows]


def tag_counts(articles: QuerySet[Article]) -> list[tuple[str, int]]:
    """Tags of these articles with how many carry each; phase tags first, in phase order."""
    rows = (
        ArticleTag.objects.filter(article__in=articles.order_by().values("pk"))
        .values("name")
        .annotate(n=Count("pk"))
    )
    order = {f"{PHASE_TAG_PREFIX}{phase.value}": i for i, phase in enumerate(Phase)}
    counts = [(row["name"], row["n"]) for row in rows]
    return sorted(counts, key=lambda item: (order.get(item[0], len(order)), item[0].casefold()))


def articles_for_phase(
    phase_value: str, limit: int = 3, *, clinic: Clinic | None = None, not_responding: bool = False
) -> list[Article]:
    """Published articles tagged ``phase:<phase_value>``, most specific first.

    Shared articles, plus `clinic`'s own when a clinic is given (pass the patient's clinic;
    without one only shared articles come back, never another clinic's). Articles tagged for
    fewer phases come first: the day-2 article before the general one on tracking.
    Raises ValueError for a phase the phase engine does not know.

    Every patient page asks this, so it is one plain query (the same as tagging the queryset
    with ``with_tag`` and counting phase tags, at a third of the ORM's cost to build); the
    articles come without their tags (the pages show a title and a link).

    ``not_responding``: the patient's series is flagged as a non-response, so articles tagged
    ``response:none`` come first and those tagged ``response:relief`` are left out; for everyone
    else the ``response:none`` ones are left out.
    """
    phase = Phase(phase_value)
    if limit <= 0:
        return []
    articles, tags = Article._meta.db_table, ArticleTag._meta.db_table
    sql = (
        f"SELECT a.*, (SELECT COUNT(*) FROM {tags} p WHERE p.article_id = a.id AND p.name LIKE %s)"  # noqa: S608
        f" AS phases, (SELECT COUNT(*) FROM {tags} f WHERE f.article_id = a.id AND f.name = %s)"
        f" AS fits FROM {articles} a WHERE (a.clinic_id IS NULL OR a.clinic_id = %s)"
        f" AND a.status = %s AND a.id IN (SELECT t.article_id FROM {tags} t WHERE t.name = %s)"
        f" AND a.id NOT IN (SELECT x.article_id FROM {tags} x WHERE x.name = %s)"
        " ORDER BY fits DESC, phases, a.title LIMIT %s"
    )
    # No tag is empty: for everyone else nothing comes first, and the articles for a series
    # that did not help are left out (they are in the library for whoever looks).
    first, left_out = (
        (NOT_RESPONDING_TAG, AFTER_RELIEF_TAG) if not_responding else ("", NOT_RESPONDING_TAG)
    )
    params = [
        f"{PHASE_TAG_PREFIX}%",
        first,
        clinic.pk if clinic is not None else None,
        Status.PUBLISHED,
        f"{PHASE_TAG_PREFIX}{phase.value}",
        left_out,
        limit,
    ]
    return list(Article.objects.raw(sql, params))
