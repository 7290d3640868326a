"""Calendar subscriptions when API keys are on: a long-lived token in the feed URL only."""

from icalendar import Calendar

from tests.api.conftest import INTEGRATION_KEY, KEYS, READ_KEY

FEED = "/v1/tasks.ics"


def secured(make_client):
    return make_client(api_keys=KEYS, widget_secret="bi-mat-thu-nghiem")


def test_feed_needs_a_credential_when_keys_are_on(make_client) -> None:
    client = secured(make_client)
    assert client.get(FEED, params={"unit": "CATP"}).status_code == 401
    assert (
        client.get(FEED, params={"unit": "CATP"}, headers={"X-API-Key": READ_KEY}).status_code
        == 200
    )


def test_calendar_token_in_the_url_opens_the_feed(make_client) -> None:
    client = secured(make_client)
    issued = client.post("/v1/calendar-tokens", headers={"X-API-Key": INTEGRATION_KEY})
    assert issued.status_code == 200
    body = issued.json()
    assert body["url"].startswith(f"{FEED}?token=")
    feed = client.get(body["url"] + "&unit=Công an Thành phố")
    assert feed.status_code == 200
    assert list(Calendar.from_ical(feed.content).walk("VEVENT"))


def test_calendar_token_opens_nothing_else(make_client) -> None:
    client = secured(make_client)
    token = client.post("/v1/calendar-tokens", headers={"X-API-Key": INTEGRATION_KEY}).json()[
        "token"
    ]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/tasks", headers=bearer).status_code == 401
    assert (
        client.post("/v1/ask", json={"question": "CATP chủ trì gì?"}, headers=bearer).status_code
        == 401
    )


def test_widget_token_and_forged_token_do_not_open_the_feed(make_client) -> None:
    client = secured(make_client)
    widget = client.post("/v1/widget-tokens", headers={"X-API-Key": INTEGRATION_KEY}).json()[
        "token"
    ]
    assert client.get(FEED, params={"token": widget}).status_code == 401
    assert client.get(FEED, params={"token": "gia-mao"}).status_code == 401


def test_only_integration_or_admin_keys_issue_calendar_tokens(make_client) -> None:
    client = secured(make_client)
    assert client.post("/v1/calendar-tokens").status_code == 401
    assert client.post("/v1/calendar-tokens", headers={"X-API-Key": READ_KEY}).status_code == 403
