from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aftercare.library.categories import Category
from aftercare.library.importer import MAX_FILE_BYTES, ArticleData, parse_article
from aftercare.library.models import Status
from aftercare.library.review import MAX_TOKEN_LENGTH


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
    """The answer to "publish the new text?"; `upload` is review.sign_pending()'s token."""

    upload = forms.CharField(max_length=MAX_TOKEN_LENGTH, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("publish", "publish"), ("cancel", "cancel")])


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
