"""Reading the library (/learn/...) and publishing to it (/clinic/library/...)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Role
from aftercare.accounts.scoping import signed_in_required, staff_required
from aftercare.library import actions, selectors
from aftercare.library.categories import Category, category_from_url_part
from aftercare.library.forms import StatusForm, UploadForm
from aftercare.library.importer import ImportFailed
from aftercare.library.models import Article, Status

PER_PAGE = 20

View = Callable[..., HttpResponse]


def publisher_required(view: View) -> View:
    """Clinic admins publish for their clinic; anyone else gets a 404."""

    @wraps(view)
    @signed_in_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.can_publish(request.user):  # type: ignore[arg-type]
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _listing(
    request: HttpRequest,
    articles: QuerySet[Article],
    *,
    heading: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    query = request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]
    if query:
        articles = selectors.search(articles, query)
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    readable = selectors.readable_articles(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "library/list.html",
        {
            "heading": heading,
            "query": query,
            "page": page,
            "categories": selectors.category_counts(readable),
            "tags": selectors.tag_counts(readable),
            "is_staff": getattr(request.user, "role", None) in (Role.CLINICIAN, Role.ADMIN),
            **(extra or {}),
        },
    )


@signed_in_required
def index(request: HttpRequest) -> HttpResponse:
    articles = selectors.readable_articles(request.user)  # type: ignore[arg-type]
    return _listing(request, articles, heading=_("Learn"), extra={"is_index": True})


@signed_in_required
def category(request: HttpRequest, category: str) -> HttpResponse:
    code = category_from_url_part(category)
    if code is None:
        raise Http404
    articles = selectors.readable_articles(request.user).filter(category=code)  # type: ignore[arg-type]
    return _listing(
        request, articles, heading=str(Category(code).label), extra={"current_category": code}
    )


@signed_in_required
def tag(request: HttpRequest, tag: str) -> HttpResponse:
    articles = selectors.with_tag(selectors.readable_articles(request.user), tag)  # type: ignore[arg-type]
    if not articles.exists():
        raise Http404
    return _listing(request, articles, heading=tag, extra={"current_tag": tag})


@signed_in_required
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(selectors.readable_articles(request.user), slug=slug)  # type: ignore[arg-type]
    return render(request, "library/article.html", {"article": found})


@staff_required
def manage(request: HttpRequest) -> HttpResponse:
    articles = selectors.staff_articles(request.user).order_by("status", "title")  # type: ignore[arg-type]
    return render(
        request,
        "library/manage.html",
        {
            "articles": articles,
            "can_publish": selectors.can_publish(request.user),  # type: ignore[arg-type]
        },
    )


@staff_required
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(selectors.staff_articles(request.user), slug=slug)  # type: ignore[arg-type]
    editable = selectors.editable_articles(request.user).filter(pk=found.pk).exists()  # type: ignore[arg-type]
    return render(
        request,
        "library/preview.html",
        {
            "article": found,
            "transitions": _transition_buttons(found) if editable else [],
        },
    )


def _transition_buttons(found: Article) -> list[tuple[str, str]]:
    labels = {
        "submit": _("Submit for review"),
        "publish": _("Publish"),
        "return": _("Return to draft"),
        "unpublish": _("Unpublish"),
    }
    return [
        (to, labels[actions.TRANSITIONS[(found.status, to)]])
        for to in actions.allowed_transitions(found)
    ]


@publisher_required
def upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data["file"]
        try:
            result = actions.import_articles(
                articles=[data],
                clinic=request.user.clinic,  # type: ignore[union-attr]
                by=request.user,  # type: ignore[arg-type]
            )
        except ImportFailed as failed:
            form.add_error("file", [str(problem) for problem in failed.problems])
        else:
            title = {"title": data.title}
            if result.created:
                messages.success(request, _("Imported “%(title)s” as a draft.") % title)
            elif result.updated:
                messages.success(request, _("Updated “%(title)s”.") % title)
            else:
                messages.info(request, _("“%(title)s” has not changed.") % title)
            return redirect("library_preview", slug=data.slug)
    return render(
        request, "library/upload.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
@publisher_required
def change_status(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(selectors.editable_articles(request.user), slug=slug)  # type: ignore[arg-type]
    form = StatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a status."), status=400, content_type="text/plain")
    try:
        actions.change_status(article=found, to=form.cleaned_data["to"], by=request.user)  # type: ignore[arg-type]
    except actions.TransitionNotAllowed:
        messages.error(request, _("That change is not possible from the article's current status."))
    else:
        messages.success(
            request,
            _("“%(title)s” is now: %(status)s.")
            % {"title": found.title, "status": Status(form.cleaned_data["to"]).label},
        )
    return redirect("library_preview", slug=found.slug)
