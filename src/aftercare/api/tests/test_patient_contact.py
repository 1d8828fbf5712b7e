"""The staff API gives the numbers to call along with the patient record."""

from aftercare.accounts.models import Patient


def test_the_patient_record_carries_the_contact_details(api_as, carol, alice):
    Patient.objects.filter(pk=alice.pk).update(
        phone="+1 503 555 0142", support_name="Sam Archer", support_phone="503 555 0199"
    )
    record = api_as(carol).get(f"/api/v1/patients/{alice.pk}").json()
    assert (record["phone"], record["support_name"], record["support_phone"]) == (
        "+1 503 555 0142",
        "Sam Archer",
        "503 555 0199",
    )


def test_no_number_on_record_is_an_empty_string(api_as, carol, alice):
    record = api_as(carol).get(f"/api/v1/patients/{alice.pk}").json()
    assert (record["phone"], record["support_name"], record["support_phone"]) == ("", "", "")
