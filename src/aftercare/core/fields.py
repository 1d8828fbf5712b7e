from typing import Any

from django import forms


class FreeTextField(forms.CharField):
    """Free text from a patient. NUL characters (which databases refuse) are dropped rather than
    refused: a stray control character must never stop a check-in or a call for help."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\x00", "") if isinstance(text, str) else text
