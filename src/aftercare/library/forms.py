from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aftercare.library.categories import Category
from aftercare.library.importer import (
    MAX_FILE_BYTES,
    MAX_TAGS,
    ArticleData,
    Problem,
    check_article,
    parse_article,
)
from aftercare.library.models import Article, Status
from aftercare.library.review import BROWSER_SOURCE, MAX_TOKEN_LENGTH


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Markdown file (.md)"),
        help_text=format_lazy(
            _(
                "Front matter first: title, slug, excerpt, category (one of {categories}), "
                "author, publishedAt (YYYY-MM-DD), featuredImage and tags. A file with a slug "
                "you already have updates that article."
            ),
            categories=", ".join(Category.values),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,text/markdown,text/plain"}),
    )

    def clean_file(self) -> ArticleData:
        upload = self.cleaned_data["file"]
        name = upload.name or "upload.md"
        if not name.lower().endswith(".md"):
            raise ValidationError(_("Choose a Markdown file whose name ends in .md."))
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is too large: at most %(kb)d KB.") % {"kb": MAX_FILE_BYTES // 1024}
            )
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
        article, problems = parse_article(text, name)
        if problems:
            raise ValidationError([str(problem) for problem in problems])
        assert article is not None
        return article


class ConfirmUploadForm(forms.Form):
    """The answer to "publish the new text?"; `upload` is review.sign_pending()'s token.

    "edit" goes back to the article form with the pending text. `article` names the article
    being edited in the browser, only to send its editor back to it when the token cannot be
    read; it decides nothing else.
    """

    upload = forms.CharField(max_length=MAX_TOKEN_LENGTH, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("publish", "publish"), ("cancel", "cancel"), ("edit", "edit")]
    )
    article = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)


class _RequiredText(forms.CharField):
    """Required, and marked so, but the importer's checks say when it is empty, in the same
    words as for a file: Django's own required check is skipped."""

    def validate(self, value: str) -> None:
        pass


# Front-matter field (as the importer's problems name it) -> field of ArticleForm.
FORM_FIELDS = {
    "title": "title",
    "slug": "slug",
    "excerpt": "excerpt",
    "category": "category",
    "author": "author",
    "publishedAt": "published_on",
    "featuredImage": "featured_image",
    "tags": "tags",
    "body": "body",
}

# What to do about an empty required field, said beside it (a form asks; the importer reports).
MISSING = {
    "title": _("Write a title."),
    "slug": _("Write the article's address (slug)."),
    "excerpt": _("Write one or two sentences for the excerpt."),
    "category": _("Choose a category."),
    "author": _("Write the author's name."),
    "published_on": _("Give the publication date."),
    "body": _("Write the article's text."),
}


def split_tags(text: str) -> list[str]:
    # A comma at the end, or two in a row, is a slip of the keyboard, not an empty tag.
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def normalise_body(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; files and stored articles use LF, so a
    # saved edit would otherwise differ from the current text on every line.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ArticleForm(forms.Form):
    """An article written or edited in the browser: the front matter's fields and the text.

    Checked by the importer's own check_article(), so the form accepts exactly what a file
    would. `slug` is given for an existing article: it stays fixed, and the form has no field
    for it.
    """

    title = _RequiredText(label=_("Title"))
    slug = _RequiredText(
        label=_("Slug"),
        help_text=_(
            "The article's address: /learn/<slug>/. Lower-case letters, digits and single "
            "hyphens, e.g. sleep-after-treatment. It cannot be changed once saved."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    excerpt = _RequiredText(
        label=_("Excerpt"),
        help_text=_("One or two sentences, shown in lists of articles and under the title."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = _RequiredText(
        label=_("Category"),
        widget=forms.Select(choices=[("", _("Choose a category")), *Category.choices]),
    )
    author = _RequiredText(label=_("Author"))
    published_on = _RequiredText(
        label=_("Publication date"),
        help_text=_("As YYYY-MM-DD, e.g. 2026-01-08."),
        widget=forms.TextInput(attrs={"type": "date"}),
    )
    featured_image = forms.CharField(
        label=_("Featured image"),
        required=False,
        help_text=_("A path on this site, e.g. /images/articles/sleep.jpg."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=format_lazy(
            _(
                "Separate tags with commas, e.g. sleep, phase:day_1. At most {count} tags; "
                "phase: tags show the article at that stage of a patient's recovery."
            ),
            count=MAX_TAGS,
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    body = _RequiredText(
        label=_("Text (Markdown)"),
        strip=False,
        help_text=_(
            "A blank line between paragraphs, ## before a heading, - before a list item, "
            "[words](/learn/other-article/) for a link."
        ),
        widget=forms.Textarea(attrs={"rows": 20, "class": "markdown-input", "spellcheck": "true"}),
    )

    def __init__(self, *args: object, slug: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fixed_slug = slug
        if slug is not None:
            del self.fields["slug"]

    @staticmethod
    def initial_from(article: Article | ArticleData) -> dict[str, str]:
        """The form's values for a stored article, or for pending text not yet saved."""
        return {
            "title": article.title,
            "excerpt": article.excerpt,
            "category": article.category,
            "author": article.author,
            "published_on": article.published_on.isoformat(),
            "featured_image": article.featured_image,
            "tags": ", ".join(article.tags),
            "body": article.body,
        }

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        body = normalise_body(cleaned.get("body", ""))
        size = len(body.encode("utf-8"))
        if size > MAX_FILE_BYTES and "body" not in self.errors:
            self.add_error(
                "body",
                _("The text is %(size)d KB long; at most %(most)d KB fit.")
                % {"size": -(-size // 1024), "most": MAX_FILE_BYTES // 1024},
            )
        meta = {
            "title": cleaned.get("title", ""),
            "slug": self.fixed_slug if self.fixed_slug is not None else cleaned.get("slug", ""),
            "excerpt": cleaned.get("excerpt", ""),
            "category": cleaned.get("category", ""),
            "author": cleaned.get("author", ""),
            "publishedAt": cleaned.get("published_on", ""),
            "featuredImage": cleaned.get("featured_image", ""),
            "tags": split_tags(cleaned.get("tags", "")),
        }
        article, problems = check_article(meta, body, BROWSER_SOURCE)
        self.add_problems(problems)
        if article is not None and not self.errors:
            cleaned["article"] = article
        return cleaned

    def add_problems(self, problems: list[Problem]) -> None:
        """The importer's problems beside the fields they are about, in the importer's words."""
        explained = set(self.errors)
        for problem in problems:
            name = FORM_FIELDS.get(problem.field)
            if name not in self.fields:
                self.add_error(None, f"{problem.field}: {problem.message}")
            elif name in explained:
                continue  # already explained (e.g. a null character), once is enough
            elif name in MISSING and problem.message.startswith(("is missing", "is empty")):
                self.add_error(name, MISSING[name])
            elif problem.message.startswith('"'):
                # Starts with the value typed, e.g. '"8 January" is not a date (use ...)'.
                self.add_error(name, f"{problem.message}.")
            else:
                # Starts with a verb ("is 301 characters long"). Not the field's label: the
                # error summary puts that before every message already.
                self.add_error(name, f"{_('It')} {problem.message}.")


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
