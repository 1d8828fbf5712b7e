"""Markup the patient home page renders the same way for every patient, kept per process.

Only markup that depends on nothing but the language and the templates belongs here: never a
patient's data, a CSRF token or a submission key (those are rendered on each request).
"""

from __future__ import annotations

from typing import cast

from django.template import Template
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from aftercare.tracking.forms import CheckInForm

CHECK_IN_FIELDS = "tracking/includes/check_in_fields.html"

# language -> (the compiled template it came from, its markup)
_blank_check_in: dict[str | None, tuple[Template, SafeString]] = {}


def blank_check_in_fields() -> SafeString:
    """The empty check-in form's fields (a third of the page's rendering time), rendered once per
    language. Keyed on the compiled template too: when the development server reloads changed
    templates, the next request renders the new ones."""
    template = get_template(CHECK_IN_FIELDS)
    compiled = template.template  # type: ignore[attr-defined]
    language = get_language()
    found = _blank_check_in.get(language)
    if found is not None and found[0] is compiled:
        return found[1]
    markup = cast(SafeString, template.render({"form": CheckInForm()}))  # rendered: safe
    _blank_check_in[language] = (compiled, markup)
    return markup
