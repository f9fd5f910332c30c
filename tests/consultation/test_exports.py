"""Open data: topics and participation as CSV and JSON downloads, with stable column
names, never a topic awaiting moderation, and small groups exported as "<5"."""

import csv
import io
import json
from datetime import date

import pytest

from coplat.consultation import services
from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.exports import PARTICIPATION_COLUMNS, TOPIC_COLUMNS
from coplat.consultation.models import OfflineInput, Topic
from coplat.extensions import db
from tests.consultation.conftest import URL, add_topic, cast


@pytest.fixture
def data(app, consultation, make_user):
    """Votes online and from a suggestion box, one topic of each state."""
    leaks = consultation.topics["leaks"]
    cast(app, leaks, *[make_user(email=f"v{i}@example.mx") for i in range(6)])
    with app.app_context():
        box = OfflineInput(
            consultation_id=consultation.id,
            channel=Channel.SUGGESTION_BOX,
            place="Presidencia",
            held_on=date(2026, 3, 1),
            participants=3,
        )
        db.session.add(box)
        db.session.flush()
        services.set_tally(box, db.session.get(Topic, leaks), 2)
        db.session.commit()
    topics = {
        "pending": add_topic(app, consultation, "Tema sin moderar", state=TopicState.PENDING),
        "rejected": add_topic(app, consultation, "Tema rechazado", state=TopicState.REJECTED),
        "merged": add_topic(app, consultation, "Tema fusionado", state=TopicState.MERGED),
    }
    return consultation, topics


def download(client, name: str):
    response = client.get(f"{URL}/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="valle-{name}"'
    return response


def csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so spreadsheets read the accents as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_topics_as_csv(data, client):
    consultation, topics = data
    response = download(client, "topics.csv")
    assert response.mimetype == "text/csv"
    header, *rows = csv_rows(response)
    assert header == TOPIC_COLUMNS
    by_id = {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}
    # Published, rejected and merged topics; never one awaiting moderation.
    assert set(by_id) == {*consultation.topics.values(), topics["rejected"], topics["merged"]}
    assert "Tema sin moderar" not in response.get_data(as_text=True)
    leaks = by_id[consultation.topics["leaks"]]
    assert leaks["title_es"] == "Fugas de agua" and leaks["title_en"] == "Water leaks"
    assert leaks["category_es"] == "Agua" and leaks["category_en"] == "Water"
    assert leaks["state"] == "published" and leaks["channel"] == "web"
    assert leaks["online_votes"] == "6"
    assert leaks["offline_votes_suggestion_box"] == "2"
    assert leaks["offline_votes_assembly"] == "0"
    assert leaks["offline_votes"] == "2" and leaks["total_votes"] == "8"
    assert leaks["share_of_votes"] == "1.0"
    assert leaks["url"] == f"http://coplat.test{URL}/topics/{consultation.topics['leaks']}"
    assert by_id[topics["rejected"]]["state"] == "rejected"


def test_topics_as_json(data, client):
    consultation, topics = data
    response = download(client, "topics.json")
    assert response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    assert document["consultation"]["exercise"] == "valle"
    assert document["consultation"]["status"] == "open"
    assert document["consultation"]["online_participants"] == 6
    for row in document["topics"]:
        assert list(row) == TOPIC_COLUMNS
    ids = {row["id"] for row in document["topics"]}
    assert topics["pending"] not in ids
    assert ids == {*consultation.topics.values(), topics["rejected"], topics["merged"]}
    leaks = next(r for r in document["topics"] if r["id"] == consultation.topics["leaks"])
    assert (leaks["online_votes"], leaks["offline_votes"], leaks["total_votes"]) == (6, 2, 8)
    assert leaks["prioritised"] is False and leaks["merged_into_id"] is None


def test_participation_as_csv_hides_small_groups(data, client):
    response = download(client, "participation.csv")
    header, *rows = csv_rows(response)
    assert header == PARTICIPATION_COLUMNS
    channel = {row[1]: row[3] for row in rows if row[0] == "channel"}
    # 6 online and 3 by the box: the box is hidden, and so the online figure is too.
    assert channel == {"web": "<5", "suggestion_box": "<5"}
    dimensions = {row[0] for row in rows}
    assert dimensions == {"channel", "age_band", "gender", "region", "indigenous", "disability"}
    no_profile = {row[0]: row[3] for row in rows if row[1] == "no_profile"}
    assert no_profile["age_band"] == "6"


def test_participation_as_json_hides_small_groups(data, client):
    response = download(client, "participation.json")
    document = json.loads(response.get_data(as_text=True))
    rows = document["participation"]
    for row in rows:
        assert list(row) == PARTICIPATION_COLUMNS
    cells = {(r["dimension"], r["value"]): r["people"] for r in rows}
    assert cells[("channel", "web")] == "<5"
    assert cells[("channel", "suggestion_box")] == "<5"
    assert cells[("age_band", "no_profile")] == 6
    assert cells[("age_band", "18_29")] == "<5"  # nobody: still not told apart from a few


def test_a_title_that_looks_like_a_formula_is_defused_in_the_csv(app, consultation, client):
    add_topic(app, consultation, '=HYPERLINK("http://evil.example","clic")')
    header, *rows = csv_rows(download(client, "topics.csv"))
    titles = [dict(zip(header, row, strict=True))["title_es"] for row in rows]
    assert '\'=HYPERLINK("http://evil.example","clic")' in titles


def test_the_results_page_links_to_every_download(consultation, client):
    page = client.get(f"{URL}/results").get_data(as_text=True)
    for name in ("topics.csv", "topics.json", "participation.csv", "participation.json"):
        assert f'href="{URL}/{name}"' in page


def test_an_unknown_download_is_not_found(consultation, client):
    assert client.get(f"{URL}/votes.csv").status_code == 404
    assert client.get(f"{URL}/topics.xlsx").status_code == 404
