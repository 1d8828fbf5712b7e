"""Words for the trajectory classes and the dashboard's numbers (translated).

Each metric names the anchor of its definition on the definitions page.
"""

from django.utils.translation import gettext_lazy as _

from aftercare.insights.trajectory import Trajectory

TRAJECTORY = {
    Trajectory.SUSTAINED: _("Sustained improvement"),
    Trajectory.FADE: _("Gradual fade"),
    Trajectory.VARIABLE: _("Variable response"),
    Trajectory.NO_RESPONSE: _("No clear response"),
    Trajectory.NOT_ENOUGH_DATA: _("Not enough data yet"),
}

# key -> (label, anchor on the definitions page)
METRIC = {
    "treated": (_("Patients treated"), "trajectory"),
    "started": (_("Series started"), "completion"),
    "completed": (_("Completed the series"), "completion"),
    "dropped_out": (_("Dropped out (after infusion 1, before the last)"), "dropout"),
    "in_progress": (_("Series under way"), "completion"),
    "assessed": (_("Assessed after the series"), "assessment"),
    "not_assessed": (_("Completed, not assessed"), "assessment"),
    "response": (_("Response"), "response"),
    "partial": (_("Partial response"), "partial"),
    "remission": (_("Remission"), "remission"),
    "worsened": (_("Worse than baseline"), "worsening"),
    "mcid": (_("Meaningful improvement"), "mcid"),
    "lost_response": (_("Lost response"), "loss"),
    "si_baseline": (_("Suicidal thoughts before treatment"), "suicidal"),
    "si_assessed": (_("… of them assessed after the series"), "suicidal"),
    "si_resolved": (_("Suicidal thoughts resolved"), "suicidal"),
    "non_response_flag": (_("Flagged: no response after the series"), "non-response"),
    "booster_proposed": (_("Fading: booster window proposed"), "booster"),
    "booster_review_pending": (_("… nothing scheduled in time"), "booster"),
    "survival": (_("Responders followed"), "loss"),
    "survival_events": (_("Lost response"), "loss"),
    "survival_censored": (_("Still responding when last seen"), "loss"),
    "intervals": (_("Booster intervals"), "intervals"),
    **{f"trajectory_{t.value}": (label, "trajectory") for t, label in TRAJECTORY.items()},
}

COURSE_STATUS = {
    "completed": _("Completed"),
    "dropped_out": _("Dropped out"),
    "in_progress": _("Under way"),
    "not_started": _("Not started"),
}
