"""Reading the library (/learn/...) and publishing to it (/clinic/library/...)."""

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Role
from aftercare.accounts.scoping import signed_in_required, staff_required
from aftercare.library import actions, review, selectors
from aftercare.library.categories import Category, category_from_url_part
from aftercare.library.forms import (
    ArticleForm,
    ConfirmUploadForm,
    StatusForm,
    UploadForm,
    normalise_body,
)
from aftercare.library.importer import MAX_FILE_BYTES, ArticleData, ImportFailed
from aftercare.library.models import Article, Status
from aftercare.library.rendering import render_markdown

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
            "editable": editable,
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
            # Nothing reviewed yet: an upload that would change a published article stops here.
            result = _import(request, data, reviewed={})
        except ImportFailed as failed:
            form.add_error("file", [str(problem) for problem in failed.problems])
        except actions.ReviewNeeded as needed:
            return _review(request, needed)
        else:
            return _imported(request, data, result)
    return render(
        request,
        "library/upload.html",
        {"form": form, "categories": Category.choices},
        status=400 if form.errors else 200,
    )


@require_POST
@publisher_required
def upload_confirm(request: HttpRequest) -> HttpResponse:
    """The answer to the review page: publish the new text (an upload's or an edit's), keep
    the current one, or go back to editing."""
    form = ConfirmUploadForm(request.POST)
    form.is_valid()
    editing = form.cleaned_data.get("article") or ""
    try:
        data, version = review.read_pending(
            form.cleaned_data.get("upload", ""),
            user=request.user,  # type: ignore[arg-type]
        )
    except review.PendingUploadExpired as expired:
        if expired.data is not None and review.is_browser_edit(expired.data):
            return _edit_again(
                request,
                expired.data,
                notice=_(
                    "Your changes waited more than an hour for your answer, so nothing was "
                    "published. They are below: save them again to see what they would change."
                ),
            )
        return _start_again(
            request,
            _(
                "Your changes waited more than an hour for your answer, so nothing was "
                "changed. Make them again to see what they would change."
            )
            if editing
            else _(
                "This upload waited more than an hour for your answer, so nothing was changed. "
                "Choose the file again to see what would change."
            ),
            editing=editing,
        )
    except review.PendingUploadInvalid:
        return _start_again(
            request,
            _(
                "These changes could not be checked, so nothing was changed. Make them again "
                "to see what they would change."
            )
            if editing
            else _(
                "This upload could not be checked, so nothing was changed. Choose the file "
                "again to see what would change."
            ),
            editing=editing,
        )
    edited = review.is_browser_edit(data)
    editing = data.slug if edited else ""
    decision = form.cleaned_data.get("decision")
    if decision is None:
        live = (
            selectors.editable_articles(request.user)  # type: ignore[arg-type]
            .filter(slug=data.slug, status=Status.PUBLISHED)
            .first()
        )
        if live is None or actions.live_version(live) != version:
            return _start_again(
                request,
                _("Nothing was changed. Edit the article again to see what it would change.")
                if edited
                else _("Nothing was changed. Choose the file again to see what it would change."),
                editing=editing,
            )
        return _review(
            request,
            actions.ReviewNeeded(live, data, version),
            error=_("Choose whether to publish the new text or keep the current one."),
        )
    if decision == "edit":
        return _edit_again(request, data)
    if decision == "cancel":
        live = selectors.editable_articles(request.user).filter(slug=data.slug).first()  # type: ignore[arg-type]
        messages.info(
            request,
            _("Nothing was changed: patients still read the current “%(title)s”.")
            % {"title": live.title if live else data.title},
        )
        if edited and live is not None:
            return redirect("library_preview", slug=live.slug)
        return redirect("library_upload")
    try:
        result = _import(request, data, reviewed={data.slug: version})
    except ImportFailed as failed:
        for problem in failed.problems:
            messages.error(request, str(problem))
        return _start_again(request, _("Nothing was changed."), editing=editing)
    except actions.ReviewNeeded as needed:
        # Someone changed the article after the review page was made: show the changes anew.
        return _review(
            request,
            needed,
            notice=(
                _(
                    "“%(title)s” changed while you were looking at it, so nothing was "
                    "published. Here is what your edit would change now."
                )
                if edited
                else _(
                    "“%(title)s” changed while you were looking at it, so nothing was "
                    "published. Here is what your file would change now."
                )
            )
            % {"title": needed.article.title},
        )
    return _imported(request, data, result)


def _import(
    request: HttpRequest, data: ArticleData, *, reviewed: dict[str, str]
) -> actions.ImportResult:
    return actions.import_articles(
        articles=[data],
        clinic=request.user.clinic,  # type: ignore[union-attr]
        by=request.user,  # type: ignore[arg-type]
        reviewed=reviewed,
    )


def _imported(
    request: HttpRequest, data: ArticleData, result: actions.ImportResult
) -> HttpResponse:
    title = {"title": data.title}
    if result.created and review.is_browser_edit(data):
        messages.success(request, _("Saved “%(title)s” as a draft.") % title)
    elif result.created:
        messages.success(request, _("Imported “%(title)s” as a draft.") % title)
    elif result.live:
        messages.success(
            request, _("Published the new text of “%(title)s”: patients read it now.") % title
        )
    elif result.updated:
        messages.success(request, _("Updated “%(title)s”.") % title)
    else:
        messages.info(request, _("“%(title)s” has not changed.") % title)
    return redirect("library_preview", slug=data.slug)


def _review(
    request: HttpRequest,
    needed: actions.ReviewNeeded,
    *,
    notice: str = "",
    error: str = "",
) -> HttpResponse:
    """What the upload would change in a published article, and the question whether to."""
    token = review.sign_pending(needed.data, user=request.user, version=needed.version)  # type: ignore[arg-type]
    return render(
        request,
        "library/upload_review.html",
        {
            "article": needed.article,
            "changes": review.compare(needed.article, needed.data),
            "source_name": Path(needed.data.source).name,
            "edited": review.is_browser_edit(needed.data),
            "token": token,
            "notice": notice,
            "error": error,
        },
        status=400 if error else 200,
    )


def _start_again(request: HttpRequest, message: str, *, editing: str = "") -> HttpResponse:
    """Back to the upload form, or to the edit page of the article `editing` names."""
    messages.error(request, message)
    if editing:
        return redirect("library_edit", slug=editing)
    return redirect("library_upload")


@publisher_required
def write(request: HttpRequest) -> HttpResponse:
    """A new article typed in the browser, saved as a draft of the admin's clinic."""
    if request.method != "POST":
        initial = {
            "author": request.user.get_full_name(),  # type: ignore[union-attr]
            "published_on": timezone.localdate().isoformat(),
        }
        return _article_form(request, ArticleForm(initial=initial))
    return _article_submitted(request, None)


@publisher_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The clinic's own article in the browser; shared articles come from the operator's
    import and are a 404 here, like another clinic's."""
    found = get_object_or_404(
        selectors.editable_articles(request.user).prefetch_related("tag_rows"),  # type: ignore[arg-type]
        slug=slug,
    )
    if request.method != "POST":
        form = ArticleForm(initial=ArticleForm.initial_from(found), slug=found.slug)
        return _article_form(request, form, article=found)
    return _article_submitted(request, found)


def _article_submitted(request: HttpRequest, found: Article | None) -> HttpResponse:
    slug = found.slug if found is not None else None
    if request.POST.get("action") == "preview":
        # The text as typed, unchecked and unsaved: a half-written article can be previewed.
        form = ArticleForm(initial=request.POST.dict(), slug=slug)
        body = normalise_body(request.POST.get("body", ""))
        if len(body.encode("utf-8")) > MAX_FILE_BYTES:
            return _article_form(
                request,
                form,
                article=found,
                preview="",
                preview_error=_("The text is too long to preview: at most %(kb)d KB fit.")
                % {"kb": MAX_FILE_BYTES // 1024},
            )
        html = render_markdown(body, title=request.POST.get("title", ""))
        return _article_form(request, form, article=found, preview=html)
    form = ArticleForm(request.POST, slug=slug)
    if form.is_valid():
        data = form.cleaned_data["article"]
        try:
            if found is None:
                result = actions.create_article(
                    data=data,
                    clinic=request.user.clinic,  # type: ignore[union-attr]
                    by=request.user,  # type: ignore[arg-type]
                )
            else:
                # Nothing reviewed yet: a change to a published article stops here.
                result = _import(request, data, reviewed={})
        except actions.SlugTaken as taken:
            form.add_error(
                "slug",
                _(
                    "Your clinic already has an article with the slug “%(slug)s”: "
                    "“%(title)s”. Choose another slug, or edit that article."
                )
                % {"slug": taken.slug, "title": taken.title},
            )
        except ImportFailed as failed:
            form.add_problems(failed.problems)
        except actions.ReviewNeeded as needed:
            return _review(request, needed)
        else:
            return _imported(request, data, result)
    return _article_form(request, form, article=found, status=400)


def _edit_again(request: HttpRequest, data: ArticleData, *, notice: str = "") -> HttpResponse:
    """The article form holding text that was not saved (from the review page)."""
    found = get_object_or_404(
        selectors.editable_articles(request.user).prefetch_related("tag_rows"),  # type: ignore[arg-type]
        slug=data.slug,
    )
    form = ArticleForm(initial=ArticleForm.initial_from(data), slug=found.slug)
    return _article_form(request, form, article=found, notice=notice)


def _article_form(
    request: HttpRequest,
    form: ArticleForm,
    *,
    article: Article | None = None,
    preview: str | None = None,
    preview_error: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "library/edit.html",
        {
            "form": form,
            "article": article,
            "preview": preview,
            "preview_error": preview_error,
            "notice": notice,
        },
        status=status,
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
