from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.guidance.phases import Phase
from aftercare.library.categories import Category, category_url_part
from aftercare.library.importer import (
    AFTER_RELIEF_TAG,
    KNOWN_PHASES,
    NOT_RESPONDING_TAG,
    PHASE_TAG_PREFIX,
)

register = template.Library()

PHASE_NAMES = {
    Phase.NOT_STARTED: gettext_lazy("before treatment"),
    Phase.IN_SESSION: gettext_lazy("during the infusion"),
    Phase.IMMEDIATE: gettext_lazy("the first two hours"),
    Phase.GETTING_HOME: gettext_lazy("getting home"),
    Phase.TREATMENT_DAY: gettext_lazy("treatment day"),
    Phase.DAY_1: gettext_lazy("day 1"),
    Phase.DAY_2: gettext_lazy("day 2"),
    Phase.DAY_3: gettext_lazy("day 3"),
    Phase.FIRST_WEEK: gettext_lazy("the first week"),
    Phase.WEEKS_2_4: gettext_lazy("weeks 2 to 4"),
    Phase.MAINTENANCE: gettext_lazy("maintenance"),
    Phase.LONG_TERM: gettext_lazy("the long term"),
}


RESPONSE_LABELS = {
    NOT_RESPONDING_TAG: gettext_lazy("If treatment has not helped"),
    AFTER_RELIEF_TAG: gettext_lazy("After relief"),
}


@register.filter
def tag_label(tag: str) -> str:
    """`phase:day_2` reads as "Stage: day 2"; other tags as written."""
    if tag.startswith(PHASE_TAG_PREFIX):
        value = tag.removeprefix(PHASE_TAG_PREFIX)
        if value in KNOWN_PHASES:
            return _("Stage: %(name)s") % {"name": PHASE_NAMES[Phase(value)]}
    return str(RESPONSE_LABELS.get(tag, tag))


@register.filter
def category_label(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code


@register.filter
def category_slug(code: str) -> str:
    return category_url_part(code)
