"""What the patient may see of the booster forecast: one neutral sentence, never a date.

The forecast is for the care team (issue #7: the patient sees that the timing is being
reviewed, never a raw prediction).
"""

from django.utils.translation import gettext_lazy as _

BOOSTER_REVIEW = _("Your care team is reviewing the timing of your next treatment.")
