"""Records of a patient's own, made through the tracking actions, for access tests."""

from aftercare.tracking.actions import submit_check_in, submit_scale_response, write_journal_entry
from aftercare.tracking.instruments import get_instrument

PHQ9_ALL_ZERO = {item.id: 0 for item in get_instrument("phq9").scored_items}


def own_record_ids(patient, template: str) -> dict:
    """Ids for the placeholders {check_in}, {journal}, {scale} that ``template`` uses."""
    ids = {}
    if "{check_in}" in template:
        ids["check_in"] = submit_check_in(patient=patient, answers={"mood": 5})[0].pk
    if "{journal}" in template:
        ids["journal"] = write_journal_entry(patient=patient, body="Private words.")[0].pk
    if "{scale}" in template:
        ids["scale"] = submit_scale_response(
            patient=patient, instrument=get_instrument("phq9"), answers=PHQ9_ALL_ZERO
        )[0].pk
    return ids
