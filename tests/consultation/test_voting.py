"""Voting: one click to vote or withdraw, in place with htmx or with a full page
without JavaScript; one vote per topic (a database constraint), a vote budget, and a
voting period enforced on the server. Every refusal says why."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from coplat.consultation.enums import TopicState
from coplat.consultation.models import Participant, Vote
from coplat.extensions import db
from tests.conftest import english
from tests.consultation.conftest import (
    URL,
    add_topic,
    cast,
    consultation_row,
    count,
    set_period,
    text_of,
    topic_row,
    vote_count_shown,
    vote_fragment,
)


def votes_cast(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Participant.votes_cast).where(Participant.user_id == user_id)
        )


def test_voting_and_withdrawing_with_htmx_update_the_count_in_place(app, consultation, citizen):
    user, client = citizen(htmx=True)
    leaks = consultation.topics["leaks"]
    response = client.post(consultation.topic_url(leaks, "vote"))
    assert response.status_code == 200
    fragment = vote_fragment(response, leaks)
    assert vote_count_shown(fragment, leaks) == 1
    assert "Withdraw my vote" in fragment and 'aria-pressed="true"' in fragment
    assert "You voted for this topic" in fragment
    assert f'action="{consultation.topic_url(leaks, "withdraw")}"' in fragment
    assert count(app, Vote, topic_id=leaks, user_id=user) == 1
    assert topic_row(app, leaks).online_votes == 1
    assert votes_cast(app, user) == 1

    response = client.post(consultation.topic_url(leaks, "withdraw"))
    assert response.status_code == 200
    fragment = vote_fragment(response, leaks)
    assert vote_count_shown(fragment, leaks) == 0
    assert "Withdraw my vote" not in fragment
    assert f'action="{consultation.topic_url(leaks, "vote")}"' in fragment
    assert count(app, Vote) == 0
    assert topic_row(app, leaks).online_votes == 0
    assert votes_cast(app, user) == 0
    # Still a participant: they took part.
    assert consultation_row(app, consultation).participant_count == 1


def test_voting_without_javascript_comes_back_to_the_page(app, consultation, citizen):
    user, client = citizen()
    leaks = consultation.topics["leaks"]
    response = client.post(consultation.topic_url(leaks, "vote"), data={"next": f"{URL}?sort=new"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}?sort=new#vote-{leaks}")
    page = text_of(client.get(f"{URL}?sort=new"))
    assert vote_count_shown(page, leaks) == 1
    assert "You voted for this topic" in page
    assert count(app, Vote, user_id=user) == 1

    # Without a page to come back to, the topic's own page.
    response = client.post(consultation.topic_url(leaks, "withdraw"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{consultation.topic_url(leaks)}#vote-{leaks}")
    page = text_of(client.get(consultation.topic_url(leaks)))
    assert vote_count_shown(page, leaks) == 0
    assert count(app, Vote) == 0


def test_the_vote_form_does_not_send_a_visitor_elsewhere(app, consultation, citizen):
    _, client = citizen()
    leaks = consultation.topics["leaks"]
    response = client.post(consultation.topic_url(leaks, "vote"), data={"next": "//evil.example"})
    assert response.status_code == 303
    assert "evil.example" not in response.headers["Location"]
    assert count(app, Vote) == 1


def test_the_page_counts_every_citizens_vote(app, consultation, citizen, client, make_user):
    leaks = consultation.topics["leaks"]
    cast(app, leaks, make_user(email="a@example.mx"), make_user(email="b@example.mx"))
    page = text_of(client.get(URL))
    assert vote_count_shown(page, leaks) == 2
    # Nobody else's vote shows as mine.
    _, mine = citizen()
    assert "You voted for this topic" not in text_of(mine.get(URL))


def test_a_second_vote_for_the_same_topic_is_refused_in_place(app, consultation, citizen):
    user, client = citizen(htmx=True)
    leaks = consultation.topics["leaks"]
    assert client.post(consultation.topic_url(leaks, "vote")).status_code == 200
    again = client.post(consultation.topic_url(leaks, "vote"))
    assert again.status_code == 409
    fragment = vote_fragment(again, leaks)
    assert "You already voted for this topic." in fragment
    assert vote_count_shown(fragment, leaks) == 1
    assert count(app, Vote) == 1
    assert topic_row(app, leaks).online_votes == 1
    assert votes_cast(app, user) == 1


def test_a_second_vote_without_javascript_is_refused_with_a_message(app, consultation, citizen):
    _, client = citizen()
    leaks = consultation.topics["leaks"]
    assert client.post(consultation.topic_url(leaks, "vote")).status_code == 303
    again = client.post(consultation.topic_url(leaks, "vote"))
    assert again.status_code == 303
    assert "You already voted for this topic." in text_of(client.get(consultation.topic_url(leaks)))
    assert count(app, Vote) == 1


def test_withdrawing_a_vote_never_cast_is_refused(app, consultation, citizen):
    _, client = citizen(htmx=True)
    leaks = consultation.topics["leaks"]
    response = client.post(consultation.topic_url(leaks, "withdraw"))
    assert response.status_code == 409
    assert "You have not voted for this topic." in text_of(response)
    assert topic_row(app, leaks).online_votes == 0


def test_the_database_refuses_a_duplicate_vote(app, consultation, make_user):
    leaks = consultation.topics["leaks"]
    user = make_user()
    cast(app, leaks, user)
    with app.app_context():
        db.session.add(Vote(topic_id=leaks, user_id=user))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
    assert count(app, Vote) == 1


def test_the_vote_budget_is_enforced(app, make_consultation, citizen):
    setup = make_consultation(vote_budget=2)
    user, client = citizen(htmx=True)
    first = client.post(setup.topic_url("leaks", "vote"))
    # The page's one "votes left" line is refreshed along with the topic's block.
    oob = '<p id="votes-left" class="votes-left" role="status" hx-swap-oob="true">'
    assert f"{oob}You have 1 vote left.</p>" in vote_fragment(first, setup.topics["leaks"])
    second = client.post(setup.topic_url("lighting", "vote"))
    assert "You have 0 votes left." in text_of(second)
    refused = client.post(setup.topic_url("potholes", "vote"))
    assert refused.status_code == 409
    fragment = vote_fragment(refused, setup.topics["potholes"])
    assert "You have used all your 2 votes. Withdraw one to vote for this topic." in fragment
    assert vote_count_shown(fragment, setup.topics["potholes"]) == 0
    assert count(app, Vote, user_id=user) == 2
    assert votes_cast(app, user) == 2
    # Withdrawing one frees it.
    assert client.post(setup.topic_url("leaks", "withdraw")).status_code == 200
    assert client.post(setup.topic_url("potholes", "vote")).status_code == 200
    with app.app_context():
        voted = set(db.session.scalars(sa.select(Vote.topic_id).where(Vote.user_id == user)))
    assert voted == {setup.topics["lighting"], setup.topics["potholes"]}
    assert votes_cast(app, user) == 2


def test_a_budget_of_one_vote_says_so(app, make_consultation, citizen):
    setup = make_consultation(vote_budget=1)
    _, client = citizen(htmx=True)
    assert client.post(setup.topic_url("leaks", "vote")).status_code == 200
    refused = client.post(setup.topic_url("lighting", "vote"))
    assert refused.status_code == 409
    assert "You have used your only vote. Withdraw it to vote for this topic." in text_of(refused)


PERIODS = {
    "before opening": (
        {"opens_in": timedelta(hours=1), "closes_in": timedelta(days=7)},
        "Voting has not opened yet.",
    ),
    "after closing": (
        {"opens_in": timedelta(days=-8), "closes_in": timedelta(seconds=-1)},
        "The consultation is closed; votes can no longer change.",
    ),
}


@pytest.mark.parametrize("period", PERIODS)
def test_votes_are_refused_outside_the_voting_period(app, consultation, citizen, period):
    """The page was loaded while the consultation was open; the server still refuses."""
    window, message = PERIODS[period]
    _, client = citizen(htmx=True)
    leaks = consultation.topics["leaks"]
    set_period(app, consultation, **window)
    response = client.post(consultation.topic_url(leaks, "vote"))
    assert response.status_code == 409
    fragment = vote_fragment(response, leaks)
    assert message in fragment
    assert "<button" not in fragment  # no button to try again
    assert count(app, Vote) == 0
    assert count(app, Participant) == 0
    assert topic_row(app, leaks).online_votes == 0


def test_a_vote_cannot_be_withdrawn_after_closing(app, consultation, citizen):
    user, client = citizen()
    leaks = consultation.topics["leaks"]
    cast(app, leaks, user)
    set_period(app, consultation, opens_in=timedelta(days=-8), closes_in=timedelta(seconds=-1))
    response = client.post(consultation.topic_url(leaks, "withdraw"))
    assert response.status_code == 303
    page = text_of(client.get(consultation.topic_url(leaks)))
    assert "The consultation is closed; votes can no longer change." in page
    assert count(app, Vote) == 1
    assert topic_row(app, leaks).online_votes == 1


def test_a_closed_consultation_offers_no_vote_button(app, consultation, citizen):
    _, client = citizen()
    set_period(app, consultation, opens_in=timedelta(days=-8), closes_in=timedelta(seconds=-1))
    page = text_of(client.get(URL))
    assert "Voting closed" in page
    assert 'action="/e/valle/consultation/topics/' not in page


def test_anonymous_votes_are_sent_to_log_in(app, consultation, client):
    leaks = consultation.topics["leaks"]
    response = client.post(
        consultation.topic_url(leaks, "vote"), headers={"Referer": f"http://coplat.test{URL}"}
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/account/login"
    assert parse_qs(location.query)["next"] == [URL]  # back to the page after logging in
    assert count(app, Vote) == 0
    page = text_of(english(client).get(consultation.topic_url(leaks)))
    assert "Log in to vote" in page


def test_anonymous_votes_with_htmx_send_the_whole_page_to_log_in(app, consultation, htmx):
    leaks = consultation.topics["leaks"]
    response = htmx.post(
        consultation.topic_url(leaks, "vote"),
        headers={"HX-Current-URL": f"http://coplat.test{URL}?sort=new"},
    )
    assert response.status_code == 204
    location = urlsplit(response.headers["HX-Redirect"])
    assert location.path == "/account/login"
    assert parse_qs(location.query)["next"] == [f"{URL}?sort=new"]
    assert count(app, Vote) == 0


def test_a_pending_topic_takes_no_votes(app, consultation, citizen):
    author, author_client = citizen("Lucia", htmx=True)
    pending = add_topic(
        app, consultation, "Más áreas verdes", state=TopicState.PENDING, author_id=author
    )
    response = author_client.post(consultation.topic_url(pending, "vote"))
    assert response.status_code == 409
    assert "Only published topics take votes." in text_of(response)
    # For anyone else it does not exist.
    _, other = citizen("Pedro", htmx=True)
    assert other.post(consultation.topic_url(pending, "vote")).status_code == 404
    assert count(app, Vote) == 0
    assert topic_row(app, pending).online_votes == 0


@pytest.mark.parametrize("state", [TopicState.REJECTED, TopicState.MERGED])
def test_a_decided_topic_takes_no_votes(app, consultation, citizen, state):
    decided = add_topic(app, consultation, "Carretera estatal", state=state)
    _, client = citizen(htmx=True)
    response = client.post(consultation.topic_url(decided, "vote"))
    assert response.status_code == 409
    assert "Only published topics take votes." in text_of(response)
    assert count(app, Vote) == 0
    assert count(app, Participant) == 0


def test_a_topic_of_another_exercise_is_not_found_here(
    app, consultation, citizen, make_consultation, make_exercise
):
    elsewhere = make_consultation(exercise_id=make_exercise(slug="otro"))
    _, client = citizen(htmx=True)
    response = client.post(consultation.topic_url(elsewhere.topics["leaks"], "vote"))
    assert response.status_code == 404
    assert count(app, Vote) == 0


def test_each_citizen_counts_once_among_participants(app, consultation, citizen):
    _, ana = citizen("Ana", htmx=True)
    _, beto = citizen("Beto", htmx=True)
    for topic in ("leaks", "lighting", "potholes"):
        assert ana.post(consultation.topic_url(topic, "vote")).status_code == 200
    assert beto.post(consultation.topic_url("leaks", "vote")).status_code == 200
    assert consultation_row(app, consultation).participant_count == 2
    assert count(app, Participant) == 2
    assert topic_row(app, consultation.topics["leaks"]).online_votes == 2
