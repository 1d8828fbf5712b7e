"""The one list of article categories the library knows.

PATIENT_EDUCATION comes from the seed article's front matter
(shared/seeds/after-infusion-navigating-recovery.md). The others are a small set for
publishers' articles aimed at staff or news. A new category is added here and nowhere else;
the importer, `aftercare content check`, the model's choices and the browse pages read it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    PATIENT_EDUCATION = "PATIENT_EDUCATION", _("Patient education")
    CLINICAL_PRACTICE = "CLINICAL_PRACTICE", _("Clinical practice")
    RESEARCH = "RESEARCH", _("Research")
    NEWS = "NEWS", _("News")


KNOWN_CATEGORIES: frozenset[str] = frozenset(Category.values)


def category_url_part(code: str) -> str:
    """PATIENT_EDUCATION -> patient-education, for /learn/category/<part>/."""
    return code.lower().replace("_", "-")


def category_from_url_part(part: str) -> str | None:
    code = part.upper().replace("-", "_")
    return code if code in KNOWN_CATEGORIES else None
