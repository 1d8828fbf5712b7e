"""A session's dose in words, the same on every page, sheet and report."""

from decimal import Decimal

from django.utils.translation import gettext as _

from aftercare.treatment.models import Infusion


def amount(value: Decimal) -> str:
    """A stored decimal as people write it: 0.5, 35.1, 100, never 0.500 or 1E+2. No trailing
    zero after the point either: "1.0 mg" is misread as "10 mg" (ISMP's list of error-prone
    abbreviations and dose designations)."""
    return f"{value.normalize():f}"


def dose_text(infusion: Infusion, *, short: bool = False) -> str:
    """ "0.5 mg/kg × 70 kg = 35 mg" (``short``: "0.5 mg/kg (35 mg)"), "56 mg (fixed dose)",
    "0.5 mg/kg" without a weight, or "" when no dose was recorded."""
    if infusion.dose_mg_per_kg is None:
        if infusion.dose_mg is None:
            return ""
        return _("%(mg)s mg (fixed dose)") % {"mg": amount(infusion.dose_mg)}
    per_kg = amount(infusion.dose_mg_per_kg)
    total = infusion.total_mg
    if total is None:
        return _("%(per_kg)s mg/kg") % {"per_kg": per_kg}
    if short or infusion.weight_kg is None:
        return _("%(per_kg)s mg/kg (%(mg)s mg)") % {"per_kg": per_kg, "mg": amount(total)}
    return _("%(per_kg)s mg/kg × %(kg)s kg = %(mg)s mg") % {
        "per_kg": per_kg,
        "kg": amount(infusion.weight_kg),
        "mg": amount(total),
    }
