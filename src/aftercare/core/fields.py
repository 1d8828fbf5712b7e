from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class FreeTextField(forms.CharField):
    """Free text from a patient. NUL characters (which databases refuse) are dropped rather than
    refused: a stray control character must never stop a check-in or a call for help."""

    default_error_messages = {
        "max_length": _(
            "Please keep this under %(limit_value)s characters (it has %(show_value)s). "
            "Everything you wrote is still here."
        ),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No maxlength in the page: a browser cuts a long paste short without a word, and the
        # patient would not know. The length is checked on sending, with the text kept.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\x00", "") if isinstance(text, str) else text
