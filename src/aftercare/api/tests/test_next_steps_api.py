"""The patient API answers a high warning sign that is not a crisis as the web page does:
what happens next and what to do until then (safety.next_steps)."""

TITLE = "Saved. Here is what to do now."
API = "/api/v1/me/check-ins"


def test_the_api_carries_the_same_screen(alice, api_as):
    data = api_as(alice.user).post(API, {"mood": 5, "panic": True}).json()
    steps = data["next_steps"]
    assert data["crisis"] is None
    assert steps["title"] == TITLE
    assert steps["reasons"] == ["You told us about severe anxiety or panic."]
    assert "within 4 hours" in steps["told"]
    assert any("Breathe in gently" in step for step in steps["steps"])
    assert steps["contacts"][0]["href"] == "tel:+1 555 0100"
    assert "911" in steps["emergency"]


def test_the_api_sends_the_crisis_screen_alone_for_an_urgent_answer(alice, api_as):
    body = {"mood": 5, "panic": True, "suicidal_thoughts": True}
    data = api_as(alice.user).post(API, body).json()
    assert data["crisis"] is not None
    assert data["next_steps"] is None
