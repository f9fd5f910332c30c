"""Results: the public ranking (online, offline by channel, total, share), the number
of people, and the participation breakdown, where any group under five people is
shown as "< 5" — and one more when a single hidden group could be worked out. The
optional profile: given once, erasable, only ever counted in totals."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from coplat.accounts.models import User
from coplat.consultation import services
from coplat.consultation.enums import AgeBand, Answer, Channel, Gender, TopicState
from coplat.consultation.models import Consultation, OfflineInput, Participant, ProfileTally, Topic
from coplat.extensions import db
from tests.conftest import english
from tests.consultation.conftest import URL, add_topic, cast, count, table_rows, text_of

HIDDEN = "&lt; 5"


def offline(app, setup, channel: Channel, participants: int, votes: dict | None = None) -> int:
    """An offline record with its people and, optionally, votes per topic id."""
    with app.app_context():
        record = OfflineInput(
            consultation_id=setup.id,
            channel=channel,
            place="Plaza",
            held_on=date(2026, 3, 1),
            participants=participants,
        )
        db.session.add(record)
        db.session.flush()
        for topic_id, number in (votes or {}).items():
            services.set_tally(record, db.session.get(Topic, topic_id), number)
        db.session.commit()
        return record.id


def people(make_user, how_many: int, prefix="p") -> list[int]:
    return [
        make_user(email=f"{prefix}{i}@example.mx", name=f"Persona {i}") for i in range(how_many)
    ]


def give_profile(
    app, setup, user_id: int, age=AgeBand.FROM_18_TO_29, gender=Gender.WOMAN, region="Centro"
):
    with app.test_request_context():
        participant = services.participant_of(
            db.session.get(Consultation, setup.id), db.session.get(User, user_id)
        )
        services.give_profile(
            participant,
            services.Profile(
                age_band=age,
                gender=gender,
                region=region,
                indigenous=Answer.UNSTATED,
                disability=Answer.NO,
            ),
        )
        db.session.commit()


def results_page(client) -> str:
    response = english(client).get(f"{URL}/results")
    assert response.status_code == 200
    return text_of(response)


def ranking_titles(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.findall(r'<th scope="row"><a href="[^"]+">(.*?)</a>', body)


def ranking_figures(page: str, topic_id: int) -> list[str]:
    start = page.index(f'href="{URL}/topics/{topic_id}"')
    return re.findall(r'<td class="number">(.*?)</td>', page[start : page.index("</tr>", start)])


# ----- the ranking ----------------------------------------------------------------------


def test_the_ranking_orders_topics_by_total_votes_with_their_share(
    app, consultation, make_user, client
):
    leaks, lighting, potholes = (consultation.topics[k] for k in ("leaks", "lighting", "potholes"))
    voters = people(make_user, 4)
    cast(app, leaks, *voters[:3])
    cast(app, potholes, *voters[:3])
    cast(app, lighting, voters[3])
    offline(app, consultation, Channel.SUGGESTION_BOX, 10, {leaks: 1})
    # Neither pending nor rejected topics are ranked.
    add_topic(app, consultation, "Pendiente", state=TopicState.PENDING)
    add_topic(app, consultation, "Rechazado", state=TopicState.REJECTED)

    page = results_page(client)
    assert ranking_titles(page) == ["Water leaks", "Potholes", "Street lighting"]
    assert ranking_figures(page, leaks) == ["3", "1", "<strong>4</strong>", "50.0%"]
    assert ranking_figures(page, potholes) == ["3", "0", "<strong>3</strong>", "37.5%"]
    assert ranking_figures(page, lighting) == ["1", "0", "<strong>1</strong>", "12.5%"]
    assert "8 (7 online, 1 offline)" in page
    assert "<dt>Different people online</dt><dd>4</dd>" in page
    assert "<dt>Published topics</dt><dd>3</dd>" in page


def test_the_page_ranks_the_most_voted_and_counts_every_topic(
    app, consultation, make_user, client, monkeypatch
):
    """A state-wide consultation has thousands of topics: the page ranks the most voted
    ones (two here) while its totals still count them all."""
    monkeypatch.setattr("coplat.consultation.views.RANKING_SHOWN", 2)
    monkeypatch.setitem(app.jinja_env.globals, "RANKING_SHOWN", 2)
    leaks, lighting, potholes = (consultation.topics[k] for k in ("leaks", "lighting", "potholes"))
    voters = people(make_user, 4)
    cast(app, leaks, *voters[:3])
    cast(app, potholes, *voters[:2])
    cast(app, lighting, voters[3])
    offline(app, consultation, Channel.SUGGESTION_BOX, 10, {lighting: 2})

    page = results_page(client)
    assert ranking_titles(page) == ["Water leaks", "Street lighting"]
    assert "8 (6 online, 2 offline)" in page
    assert "<dt>Published topics</dt><dd>3</dd>" in page
    assert "The 2 most voted topics are shown; the open data below holds them all." in page
    # The offline column's total counts the tally of every topic.
    total_row = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert '<td class="number">2</td>' in total_row


def test_results_without_votes(app, consultation, client):
    page = results_page(client)
    assert ranking_figures(page, consultation.topics["leaks"]) == [
        "0",
        "<strong>0</strong>",
        "0.0%",
    ]


# ----- the participation breakdown --------------------------------------------------


def test_small_groups_of_a_channel_are_hidden(app, consultation, make_user, client):
    cast(app, consultation.topics["leaks"], *people(make_user, 6))
    offline(app, consultation, Channel.SUGGESTION_BOX, 3)
    offline(app, consultation, Channel.REGIONAL_TABLE, 2)
    offline(app, consultation, Channel.ASSEMBLY, 30)
    rows = table_rows(results_page(client), "breakdown-channel")
    assert rows == {
        "Online": "6",
        "Suggestion box": HIDDEN,
        "Regional table": HIDDEN,
        "Town-hall assembly": "30",
    }


def test_a_single_hidden_group_hides_the_next_smallest_too(app, consultation, make_user, client):
    """Otherwise the total minus the shown groups would give the hidden one away."""
    cast(app, consultation.topics["leaks"], *people(make_user, 6))
    offline(app, consultation, Channel.SUGGESTION_BOX, 3)
    offline(app, consultation, Channel.ASSEMBLY, 30)
    rows = table_rows(results_page(client), "breakdown-channel")
    assert rows == {"Online": HIDDEN, "Suggestion box": HIDDEN, "Town-hall assembly": "30"}


def test_groups_of_five_or_more_are_shown(app, consultation, make_user, client):
    cast(app, consultation.topics["leaks"], *people(make_user, 5))
    offline(app, consultation, Channel.SURVEY, 5)
    rows = table_rows(results_page(client), "breakdown-channel")
    assert rows == {"Online": "5", "Paper survey": "5"}


def test_the_profile_breakdown_counts_answers_and_hides_small_groups(
    app, make_consultation, make_user, client
):
    setup = make_consultation(regions="Centro\nSierra")
    voters = people(make_user, 8)
    cast(app, setup.topics["leaks"], *voters)
    for user in voters[:5]:
        give_profile(app, setup, user)
    give_profile(
        app, setup, voters[5], age=AgeBand.FROM_30_TO_44, gender=Gender.MAN, region="Sierra"
    )
    page = results_page(client)
    ages = table_rows(page, "breakdown-age_band")
    assert ages["18 to 29"] == "5"
    assert ages["30 to 44"] == HIDDEN
    assert ages["Did not fill the profile"] == HIDDEN  # two people
    assert ages["60 or older"] == HIDDEN
    assert table_rows(page, "breakdown-gender")["Woman"] == "5"
    regions = table_rows(page, "breakdown-region")
    assert list(regions) == [
        "Centro",
        "Sierra",
        "Somewhere else",
        "Prefer not to say",
        "Did not fill the profile",
    ]
    assert regions["Centro"] == "5" and regions["Sierra"] == HIDDEN
    assert table_rows(page, "breakdown-disability")["No"] == "6"
    # Nobody is shown one by one.
    assert "Persona" not in page and "@example.mx" not in page


def test_the_breakdown_is_read_from_the_kept_tallies(app, consultation, make_user):
    voters = people(make_user, 3)
    cast(app, consultation.topics["leaks"], *voters)
    for user in voters:
        give_profile(app, consultation, user)
    with app.app_context():
        tallies = {
            (t.dimension, t.value): t.people for t in db.session.scalars(sa.select(ProfileTally))
        }
    assert tallies[("age_band", "18_29")] == 3
    assert tallies[("gender", "woman")] == 3
    assert tallies[("region", "Centro")] == 3
    assert tallies[("disability", "no")] == 3


# ----- the profile, through its page --------------------------------------------------

ANSWERS = {
    "age_band": "30_44",
    "gender": "non_binary",
    "region": "Sierra",
    "indigenous": "yes",
    "disability": "unstated",
}


def tally(app, dimension: str, value: str) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                sa.select(ProfileTally.people).where(
                    ProfileTally.dimension == dimension, ProfileTally.value == value
                )
            )
            or 0
        )


@pytest.fixture
def with_regions(make_consultation):
    return make_consultation(regions="Centro\nSierra")


def test_the_profile_needs_taking_part_first(app, with_regions, citizen):
    _, client = citizen()
    page = text_of(client.get(f"{URL}/profile"))
    assert (
        "Take part first — vote or propose a topic — and then, if you wish, tell us about yourself."
        in page
    )
    response = client.post(f"{URL}/profile", data=ANSWERS)
    assert response.status_code == 200
    assert "Take part first" in text_of(response)
    assert count(app, ProfileTally) == 0
    assert count(app, Participant) == 0


def test_a_participant_gives_the_profile_once(app, with_regions, citizen):
    user, client = citizen()
    cast(app, with_regions.topics["leaks"], user)
    assert "answer a few optional questions about yourself" in text_of(client.get(URL))
    form = text_of(client.get(f"{URL}/profile"))
    assert "About you (optional)" in form and ">Sierra</option>" in form

    response = client.post(f"{URL}/profile", data=ANSWERS)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(URL)
    page = text_of(client.get(URL))
    assert "Thank you. Your answers only ever count in totals." in page
    assert "answer a few optional questions about yourself" not in page
    with app.app_context():
        participant = db.session.scalar(sa.select(Participant).where(Participant.user_id == user))
        assert participant.profile_given_at is not None
        assert (participant.age_band, participant.gender, participant.region) == (
            AgeBand.FROM_30_TO_44,
            Gender.NON_BINARY,
            "Sierra",
        )
        assert (participant.indigenous, participant.disability) == (Answer.YES, Answer.UNSTATED)
    assert tally(app, "age_band", "30_44") == 1
    assert tally(app, "indigenous", "yes") == 1
    assert "You have already answered these questions. Thank you." in text_of(
        client.get(f"{URL}/profile")
    )

    # A second time is refused, and counts nothing twice.
    again = client.post(f"{URL}/profile", data={**ANSWERS, "age_band": "60_plus"})
    assert again.status_code == 303
    assert "You have already answered these questions. Thank you." in text_of(client.get(URL))
    assert tally(app, "age_band", "30_44") == 1
    assert tally(app, "age_band", "60_plus") == 0


def test_every_answer_can_be_declined(app, with_regions, citizen):
    user, client = citizen()
    cast(app, with_regions.topics["leaks"], user)
    assert client.post(f"{URL}/profile", data={}).status_code == 303
    assert tally(app, "age_band", "unstated") == 1
    assert tally(app, "region", "unstated") == 1


def test_a_region_outside_the_list_is_refused(app, with_regions, citizen):
    user, client = citizen()
    cast(app, with_regions.topics["leaks"], user)
    response = client.post(f"{URL}/profile", data={**ANSWERS, "region": "Atlántida"})
    assert response.status_code == 422
    assert "Not a valid choice." in text_of(response)
    assert count(app, ProfileTally) == 0


def test_erasing_the_profile_takes_it_out_of_the_tallies(app, with_regions, citizen, make_user):
    user, client = citizen()
    cast(app, with_regions.topics["leaks"], user)
    others = people(make_user, 4)
    cast(app, with_regions.topics["leaks"], *others)
    for other in others:
        give_profile(app, with_regions, other, age=AgeBand.FROM_30_TO_44)
    assert client.post(f"{URL}/profile", data=ANSWERS).status_code == 303
    assert tally(app, "age_band", "30_44") == 5
    assert table_rows(results_page(client), "breakdown-age_band")["30 to 44"] == "5"

    response = client.post(f"{URL}/profile/erase")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}/profile")
    page = text_of(client.get(f"{URL}/profile"))
    assert "Your profile answers were erased." in page
    assert "Send my answers" in page  # the questions again, unanswered
    assert tally(app, "age_band", "30_44") == 4
    assert tally(app, "indigenous", "yes") == 0
    with app.app_context():
        participant = db.session.scalar(sa.select(Participant).where(Participant.user_id == user))
        assert participant.profile_given_at is None
        assert participant.age_band is None and participant.region is None
    assert table_rows(results_page(client), "breakdown-age_band")["30 to 44"] == HIDDEN
