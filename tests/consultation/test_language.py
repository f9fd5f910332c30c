"""Refusals reach each reader in their language: a Spanish reader gets the Spanish
catalogue's message, not the English source text."""

from datetime import timedelta

import pytest
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from coplat.consultation.models import Vote
from tests.consultation.conftest import count, set_period, text_of, vote_fragment


def spanish(app, message: str) -> str:
    with app.test_request_context(), force_locale("es"):
        translated = _(message)
    assert translated != message, f"not in the Spanish catalogue: {message!r}"
    return translated


@pytest.fixture
def spanish_voter(app, make_user, login):
    """A citizen whose account is in Spanish, voting with htmx."""
    client = login(app.test_client(), make_user(locale="es"))
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    return client


def test_a_second_vote_is_refused_in_spanish(app, consultation, spanish_voter):
    leaks = consultation.topics["leaks"]
    assert spanish_voter.post(consultation.topic_url(leaks, "vote")).status_code == 200
    response = spanish_voter.post(consultation.topic_url(leaks, "vote"))
    assert response.status_code == 409
    fragment = vote_fragment(response, leaks)
    assert spanish(app, "You already voted for this topic.") in fragment
    assert "You already voted" not in fragment
    assert count(app, Vote) == 1


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (
            {"opens_in": timedelta(hours=1), "closes_in": timedelta(days=7)},
            "Voting has not opened yet.",
        ),
        (
            {"opens_in": timedelta(days=-8), "closes_in": timedelta(seconds=-1)},
            "The consultation is closed; votes can no longer change.",
        ),
    ],
)
def test_a_vote_outside_the_period_is_refused_in_spanish(
    app, consultation, spanish_voter, window, message
):
    set_period(app, consultation, **window)
    response = spanish_voter.post(consultation.topic_url("leaks", "vote"))
    assert response.status_code == 409
    assert spanish(app, message) in text_of(response)


def test_the_vote_budget_refusal_is_in_spanish(app, make_consultation, spanish_voter):
    setup = make_consultation(vote_budget=2)
    for topic in ("leaks", "lighting"):
        assert spanish_voter.post(setup.topic_url(topic, "vote")).status_code == 200
    response = spanish_voter.post(setup.topic_url("potholes", "vote"))
    assert response.status_code == 409
    with app.test_request_context(), force_locale("es"):
        expected = ngettext(
            "You have used your only vote. Withdraw it to vote for this topic.",
            "You have used all your %(num)s votes. Withdraw one to vote for this topic.",
            2,
        )
    assert "Withdraw one" not in expected
    assert expected in text_of(response)
