"""The footer's disclaimer speaks to patients; staff pages do not address staff as patients."""

DISCLAIMER = "It does not replace your care team"


def test_patients_and_visitors_read_the_disclaimer(client, as_user, alice):
    assert DISCLAIMER in as_user(alice.user).get("/me/").content.decode()
    assert DISCLAIMER in client.get("/accounts/login/").content.decode()


def test_staff_pages_leave_it_out(as_user, carol):
    assert DISCLAIMER not in as_user(carol).get("/clinic/patients/").content.decode()
