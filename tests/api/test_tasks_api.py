"""Task registry over HTTP: filters, unit aliases, deadline views, calendar, bad input."""

from datetime import date

import pytest
from icalendar import Calendar

PLAN = "ke-hoach-de-an-06-tphcm-2024.txt"


def tasks(client, **params) -> dict:
    response = client.get("/v1/tasks", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["tasks"])
    return body


@pytest.mark.parametrize("unit", ["Cục Thuế Thành phố", "cuc thue thanh pho", "Cục thuế TP"])
def test_unit_filter_is_alias_and_accent_insensitive(client, unit: str) -> None:
    body = tasks(client, unit=unit, document=PLAN)
    assert body["count"] >= 2
    assert all(
        "Cục Thuế Thành phố" in t["lead_units"] + t["coordinating_units"] for t in body["tasks"]
    )


def test_role_filter_separates_lead_from_coordinating(client) -> None:
    lead = tasks(client, unit="STTTT", role="lead", document=PLAN)["tasks"]
    coordinating = tasks(client, unit="Sở TT&TT", role="coordinating", document=PLAN)["tasks"]
    assert lead and coordinating
    assert all("Sở Thông tin và Truyền thông" in t["lead_units"] for t in lead)
    assert all("Sở Thông tin và Truyền thông" in t["coordinating_units"] for t in coordinating)


def test_task_shape_matches_the_contract(client) -> None:
    task = tasks(client, document=PLAN, limit=1)["tasks"][0]
    assert set(task) >= {
        "id", "source", "section", "row", "text", "lead_units", "coordinating_units", "directives",
        "deadline", "product", "status", "result", "line_start", "line_end",
    }  # fmt: skip
    assert set(task["deadline"]) == {"text", "start", "end", "kind"}
    assert task["deadline"]["kind"] in {"date", "range", "recurring", "unspecified"}


def test_plan_appendix_has_47_rows(client) -> None:
    body = tasks(client, document="kế hoạch 2024")
    assert body["count"] == 47
    assert {t["row"] for t in body["tasks"]} == {f"{n:02d}" for n in range(1, 50)} - {"02", "10"}


def test_due_window_and_text_search(client) -> None:
    body = tasks(client, document=PLAN, due_from="2024-04-01", due_to="2024-06-30")
    assert body["count"] > 0
    for task in body["tasks"]:
        assert task["deadline"]["end"] >= "2024-04-01" and task["deadline"]["start"] <= "2024-06-30"
    assert tasks(client, q="hoa don dien tu may tinh tien", document=PLAN)["count"] == 1


def test_unknown_unit_gives_empty_list_with_suggestions(client) -> None:
    typo = tasks(client, unit="Sở Thông tin va Truyen thongg")  # fuzzy match still resolves
    assert typo["count"] > 0 and not typo["suggestions"]
    body = tasks(client, unit="Sở Du lịch vũ trụ")
    assert body["count"] == 0 and body["tasks"] == []
    assert body["suggestions"] and all(isinstance(s, str) for s in body["suggestions"])


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/tasks", {"due_from": "2024-13-01"}),
        ("/v1/tasks", {"due_to": "30/06/2024"}),
        ("/v1/tasks/overdue", {"as_of": "hôm qua"}),
        ("/v1/tasks/upcoming", {"as_of": "2024-02-30"}),
        ("/v1/tasks", {"status": "xong rồi"}),
        ("/v1/tasks", {"role": "boss"}),
    ],
)
def test_malformed_filters_are_422_with_a_message(client, path: str, params: dict) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_overdue_and_upcoming_with_fixed_as_of(client) -> None:
    overdue = client.get("/v1/tasks/overdue", params={"as_of": "2024-07-01"}).json()["tasks"]
    assert overdue
    for task in overdue:
        assert task["status"] != "hoàn thành"
        assert task["deadline"]["kind"] in {"date", "range"}
        assert date.fromisoformat(task["deadline"]["end"]) < date(2024, 7, 1)
    upcoming = client.get("/v1/tasks/upcoming", params={"as_of": "2024-03-15", "days": 30}).json()[
        "tasks"
    ]
    assert upcoming
    for task in upcoming:
        assert date(2024, 3, 15) <= date.fromisoformat(task["deadline"]["end"]) <= date(2024, 4, 14)
        assert task["status"] != "hoàn thành"


def test_units_endpoint_counts_roles(client) -> None:
    units = client.get("/v1/units").json()["units"]
    by_name = {u["name"]: u for u in units}
    police = by_name["Công an Thành phố"]
    assert police["lead"] > 0 and police["total"] == police["lead"] + police["coordinating"]


def test_calendar_feed_parses_back_with_one_event_per_dated_task(client) -> None:
    response = client.get("/v1/tasks.ics", params={"unit": "Cục Thuế Thành phố", "document": PLAN})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    dated = [
        t for t in tasks(client, unit="Cục Thuế Thành phố", document=PLAN)["tasks"]
        if t["deadline"]["kind"] in {"date", "range"}
    ]  # fmt: skip
    assert len(events) == len(dated) > 0
    for event in events:
        assert "Cục Thuế Thành phố" in str(event["description"])
        assert PLAN in str(event["description"])
        end = event.decoded("dtstart")
        assert isinstance(end, date)
