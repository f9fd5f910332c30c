"""Offline input: the facilitator records what a suggestion box, a regional table, an
assembly or paper surveys gathered — new topics and votes for existing ones — with
channel, place and date. Offline votes show apart from online ones, by channel, and
add to the total."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import OfflineInput, OfflineTally, Topic
from coplat.extensions import db
from tests.conftest import english
from tests.consultation.conftest import (
    URL,
    add_topic,
    cast,
    count,
    text_of,
    topic_row,
    vote_count_shown,
)

BOX = {
    "offline-channel": "suggestion_box",
    "offline-place": "Presidencia municipal",
    "offline-held_on": "2026-03-02",
    "offline-participants": "40",
    "offline-notes": "Buzón abierto ante la contraloría.",
}
ASSEMBLY = {
    "offline-channel": "assembly",
    "offline-place": "Plaza de San Juan",
    "offline-held_on": "2026-03-09",
    "offline-participants": "120",
}


@pytest.fixture
def facilitator(as_role):
    return as_role("facilitator")


def record(client, data=BOX) -> int:
    response = client.post(f"{URL}/offline", data=data)
    assert response.status_code == 303, text_of(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def set_tally(client, record_id: int, topic_id: int, votes) -> object:
    data = {"tally-topic": topic_id, "tally-votes": votes}
    return client.post(f"{URL}/offline/{record_id}/tallies", data=data)


def tally_id(app, record_id: int, topic_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(OfflineTally.id).where(
                OfflineTally.offline_input_id == record_id, OfflineTally.topic_id == topic_id
            )
        )


def test_recording_a_suggestion_box(app, consultation, facilitator):
    assert "Nothing recorded yet." in text_of(facilitator.get(f"{URL}/offline"))
    box = record(facilitator)
    with app.app_context():
        stored = db.session.get(OfflineInput, box)
        assert stored.channel == Channel.SUGGESTION_BOX
        assert stored.place == "Presidencia municipal"
        assert stored.held_on == date(2026, 3, 2)
        assert stored.participants == 40
        assert stored.notes == "Buzón abierto ante la contraloría."
    page = text_of(facilitator.get(f"{URL}/offline/{box}"))
    assert "Recorded. Now add the topics and votes it gathered." in page
    assert "<h1>Suggestion box: Presidencia municipal</h1>" in page
    assert "No votes recorded for this input yet." in page
    listing = text_of(facilitator.get(f"{URL}/offline"))
    assert "Suggestion box" in listing and "Presidencia municipal" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"offline-place": " "}, "Say where the input was gathered."),
        ({"offline-held_on": "ayer"}, "Enter a valid date."),
        ({"offline-channel": "web"}, "Not a valid choice."),
        ({"offline-participants": "-3"}, "Enter a number from 0."),
    ],
)
def test_an_incomplete_record_is_refused(app, consultation, facilitator, changes, message):
    response = facilitator.post(f"{URL}/offline", data={**BOX, **changes})
    assert response.status_code == 422
    assert message in text_of(response)
    assert count(app, OfflineInput) == 0


def test_a_new_topic_raised_offline_is_published_with_its_votes(
    app, consultation, facilitator, client
):
    box = record(facilitator)
    data = {
        "new-title-es": "Transporte a la sierra",
        "new-title-en": "Transport to the highlands",
        "new-description-es": "No hay camión después de las 6.",
        "new-category": consultation.categories["safety"],
        "new-votes": "12",
    }
    response = facilitator.post(f"{URL}/offline/{box}/topics", data=data)
    assert response.status_code == 303
    with app.app_context():
        topic = db.session.scalar(sa.select(Topic).where(Topic.offline_input_id == box))
        assert topic.title == {"es": "Transporte a la sierra", "en": "Transport to the highlands"}
        assert topic.state == TopicState.PUBLISHED
        assert topic.channel == Channel.SUGGESTION_BOX
        assert topic.category_id == consultation.categories["safety"]
        assert (topic.online_votes, topic.offline_votes) == (0, 12)
        topic_id = topic.id
    assert count(app, OfflineTally, offline_input_id=box, topic_id=topic_id, votes=12) == 1
    # Public at once, with its channel, place and date.
    english(client)
    page = text_of(client.get(consultation.topic_url(topic_id)))
    assert "Raised through: Suggestion box" in page
    assert "Presidencia municipal" in page and "2026" in page
    assert "Votes by channel" in page
    listing = text_of(client.get(URL))
    assert "Transport to the highlands" in listing
    assert vote_count_shown(listing, topic_id) == 12
    assert "(0 online, 12 offline)" in listing


def test_a_new_topic_needs_its_spanish_title(app, consultation, facilitator):
    box = record(facilitator)
    data = {"new-title-en": "Transport", "new-votes": "3"}
    response = facilitator.post(f"{URL}/offline/{box}/topics", data=data)
    assert response.status_code == 422
    assert "Write this in Spanish." in text_of(response)
    assert 'value="Transport"' in text_of(response)
    assert count(app, Topic) == 3


def test_tallies_for_an_existing_topic_add_to_the_online_votes(
    app, consultation, facilitator, make_user, client
):
    leaks = consultation.topics["leaks"]
    cast(app, leaks, make_user(email="vota@example.mx"))
    box, assembly = record(facilitator), record(facilitator, ASSEMBLY)
    assert set_tally(facilitator, box, leaks, 7).status_code == 303
    assert set_tally(facilitator, assembly, leaks, 4).status_code == 303
    topic = topic_row(app, leaks)
    assert (topic.online_votes, topic.offline_votes, topic.total_votes) == (1, 11, 12)
    page = text_of(facilitator.get(f"{URL}/offline/{box}"))
    assert "Water leaks" in page and "<td>7</td>" in page
    # The public sees the total, and each channel apart.
    english(client)
    topic_page = text_of(client.get(consultation.topic_url(leaks)))
    assert vote_count_shown(topic_page, leaks) == 12
    assert "(1 online, 11 offline)" in topic_page
    assert "<dt>Suggestion box</dt><dd>7</dd>" in topic_page
    assert "<dt>Town-hall assembly</dt><dd>4</dd>" in topic_page


def test_a_second_figure_for_the_same_record_replaces_the_first(app, consultation, facilitator):
    leaks = consultation.topics["leaks"]
    box = record(facilitator)
    assert set_tally(facilitator, box, leaks, 7).status_code == 303
    assert set_tally(facilitator, box, leaks, 9).status_code == 303
    assert count(app, OfflineTally) == 1
    assert topic_row(app, leaks).offline_votes == 9
    assert set_tally(facilitator, box, leaks, 2).status_code == 303
    assert topic_row(app, leaks).offline_votes == 2


def test_removing_a_tally(app, consultation, facilitator):
    leaks = consultation.topics["leaks"]
    box, assembly = record(facilitator), record(facilitator, ASSEMBLY)
    set_tally(facilitator, box, leaks, 7)
    set_tally(facilitator, assembly, leaks, 4)
    response = facilitator.post(f"{URL}/offline/{box}/tallies/{tally_id(app, box, leaks)}/delete")
    assert response.status_code == 303
    assert topic_row(app, leaks).offline_votes == 4
    assert count(app, OfflineTally) == 1
    assert "No votes recorded for this input yet." in text_of(
        facilitator.get(f"{URL}/offline/{box}")
    )


def test_a_tally_is_removed_only_from_its_own_record(app, consultation, facilitator):
    leaks = consultation.topics["leaks"]
    box, assembly = record(facilitator), record(facilitator, ASSEMBLY)
    set_tally(facilitator, box, leaks, 7)
    wrong = facilitator.post(f"{URL}/offline/{assembly}/tallies/{tally_id(app, box, leaks)}/delete")
    assert wrong.status_code == 404
    assert topic_row(app, leaks).offline_votes == 7


def test_tallies_with_htmx_return_the_records_section(app, consultation, facilitator):
    leaks = consultation.topics["leaks"]
    box = record(facilitator)
    facilitator.environ_base["HTTP_HX_REQUEST"] = "true"
    response = set_tally(facilitator, box, leaks, 5)
    assert response.status_code == 200
    body = text_of(response).strip()
    assert body.startswith('<section id="offline-record"') and "<html" not in body
    assert "Water leaks" in body and "<td>5</td>" in body


@pytest.mark.parametrize("votes", ["", "-1", "muchos"])
def test_a_tally_needs_a_number_from_zero(app, consultation, facilitator, votes):
    box = record(facilitator)
    response = set_tally(facilitator, box, consultation.topics["leaks"], votes)
    assert response.status_code == 422
    assert "Enter a number from 0." in text_of(response)
    assert count(app, OfflineTally) == 0


@pytest.mark.parametrize("state", [TopicState.PENDING, TopicState.REJECTED])
def test_a_tally_goes_only_to_a_published_topic(app, consultation, facilitator, state):
    box = record(facilitator)
    other = add_topic(app, consultation, "Otro", state=state)
    response = set_tally(facilitator, box, other, 3)
    assert response.status_code == 422  # not among the choices
    assert "Not a valid choice." in text_of(response)
    assert count(app, OfflineTally) == 0
    assert topic_row(app, other).offline_votes == 0


def test_the_results_show_a_column_per_channel(app, consultation, facilitator, make_user, client):
    leaks, lighting = consultation.topics["leaks"], consultation.topics["lighting"]
    cast(app, leaks, make_user(email="a@example.mx"), make_user(email="b@example.mx"))
    box, assembly = record(facilitator), record(facilitator, ASSEMBLY)
    set_tally(facilitator, box, leaks, 7)
    set_tally(facilitator, assembly, lighting, 4)
    page = text_of(english(client).get(f"{URL}/results"))
    header = page[page.index("<thead>") : page.index("</thead>")]
    assert ">Online</th>" in header
    assert ">Suggestion box</th>" in header and ">Town-hall assembly</th>" in header
    assert ">Regional table</th>" not in header  # no votes through it
    assert "13 (2 online, 11 offline)" in page
    leaks_row = ranking_row(page, leaks)
    assert leaks_row == ["2", "7", "0", "<strong>9</strong>", "69.2%"]
    assert ranking_row(page, lighting) == ["0", "0", "4", "<strong>4</strong>", "30.8%"]


def ranking_row(page: str, topic_id: int) -> list[str]:
    """The figures of a topic's row in the ranking: online, each channel, total, share."""
    start = page.index(f'href="{URL}/topics/{topic_id}"')
    row = page[start : page.index("</tr>", start)]
    return re.findall(r'<td class="number">(.*?)</td>', row)


def test_a_record_of_another_exercise_is_not_found_here(
    app, consultation, facilitator, make_consultation, make_exercise
):
    elsewhere = make_consultation(exercise_id=make_exercise(slug="otro"))
    with app.app_context():
        foreign = OfflineInput(
            consultation_id=elsewhere.id,
            channel=Channel.SURVEY,
            place="Otra plaza",
            held_on=date(2026, 3, 1),
        )
        db.session.add(foreign)
        db.session.commit()
        foreign = foreign.id
    assert facilitator.get(f"{URL}/offline/{foreign}").status_code == 404
    response = set_tally(facilitator, foreign, consultation.topics["leaks"], 3)
    assert response.status_code == 404
    assert count(app, OfflineTally) == 0


def test_citizens_cannot_record_offline_input(app, consultation, as_role):
    citizen = as_role("citizen")
    assert citizen.get(f"{URL}/offline").status_code == 403
    assert citizen.post(f"{URL}/offline", data=BOX).status_code == 403
    assert count(app, OfflineInput) == 0
