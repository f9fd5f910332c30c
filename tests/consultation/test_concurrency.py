"""Many citizens vote at the same moment for the same topics, some clicking twice at
once in two tabs: afterwards every kept count equals the votes stored, nobody holds
two votes for one topic, no vote is lost and no budget is exceeded.

Run it on both databases: SQLite (the default) and PostgreSQL (DATABASE_URL)."""

import os
import random
import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Participant, Topic, Vote
from coplat.extensions import db
from tests.conftest import english
from tests.consultation.conftest import add_topic, text_of

VOTERS = 20
DOUBLE_CLICKERS = 6  # of the voters, with a second tab doing the same clicks at once
BUDGET = 3
ROUNDS = 5  # topics merged or rejected while people vote for them
REFUSALS = {
    "You already voted for this topic.",
    "You have not voted for this topic.",
    f"You have used all your {BUDGET} votes. Withdraw one to vote for this topic.",
}


def plan_for(voter: int, topics: list[int]) -> list[tuple[str, int]]:
    """Vote for every topic in a random order (one more than a budget of three), vote
    again for the first, withdraw the second and vote for it once more."""
    order = random.Random(voter).sample(topics, len(topics))
    return [
        *[("vote", topic) for topic in order],
        ("vote", order[0]),
        ("withdraw", order[1]),
        ("vote", order[1]),
    ]


@pytest.mark.parametrize("budget", [None, BUDGET], ids=["one vote per topic", "budget of 3"])
def test_concurrent_votes_leave_exact_counts(app, make_consultation, make_user, login, budget):
    setup = make_consultation(vote_budget=budget)
    topics = [*setup.topics.values(), add_topic(app, setup, "Parques", title_en="Parks")]
    voters = [make_user(email=f"voter{i}@example.mx", name=f"Voter {i}") for i in range(VOTERS)]

    def tab(user_id):
        client = english(login(app.test_client(), user_id))
        client.environ_base["HTTP_HX_REQUEST"] = "true"
        return client

    tabs = [(user, tab(user), plan_for(i, topics)) for i, user in enumerate(voters)]
    tabs += [(user, tab(user), plan) for user, _, plan in tabs[:DOUBLE_CLICKERS]]
    start = threading.Barrier(len(tabs))
    outcomes, errors = [], []

    def click(user, client, plan):
        try:
            start.wait(timeout=60)
            for action, topic in plan:
                response = client.post(setup.topic_url(topic, action))
                outcomes.append((user, action, topic, response.status_code, text_of(response)))
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=click, args=t) for t in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(outcomes) == sum(len(plan) for _, _, plan in tabs)

    # Every click was answered: done, or refused with a reason.
    for _user, _action, _topic, status, body in outcomes:
        assert status in (200, 409), body
        if status == 409:
            assert any(reason in body for reason in REFUSALS), body
        assert "You have -" not in body  # nobody was ever told they were over budget

    with app.app_context():
        stored = db.session.execute(sa.select(Vote.user_id, Vote.topic_id)).all()
        pairs = Counter(stored)
        # No duplicate (topic, citizen).
        assert max(pairs.values()) == 1
        # No lost vote: what each citizen was told adds up to what is stored.
        accepted = Counter()
        for user, action, topic, status, _ in outcomes:
            if status == 200:
                accepted[(user, topic)] += 1 if action == "vote" else -1
        for user in voters:
            for topic in topics:
                assert accepted[(user, topic)] == pairs[(user, topic)], (user, topic)
        # The kept counters agree with the rows.
        for topic in db.session.scalars(sa.select(Topic).where(Topic.consultation_id == setup.id)):
            assert topic.online_votes == sum(1 for _, t in stored if t == topic.id), topic.id
        participants = db.session.scalars(sa.select(Participant)).all()
        by_user = Counter(user for user, _ in stored)
        for participant in participants:
            assert participant.votes_cast == by_user[participant.user_id]
            if budget:
                assert participant.votes_cast <= budget
        consultation = db.session.get(Consultation, setup.id)
        assert consultation.participant_count == len(participants) == VOTERS
        # Everyone ends with a vote for every topic, or, with a budget, exactly three.
        assert sorted(by_user.values()) == [budget or len(topics)] * VOTERS


def is_postgresql() -> bool:
    return "postgresql" in (os.environ.get("DATABASE_URL") or "")


@pytest.mark.parametrize("decision", ["merge", "reject"])
def test_votes_during_a_merge_or_a_rejection_stay_consistent(
    app, consultation, make_user, login, as_role, decision
):
    """Citizens vote for a topic while the facilitator merges or rejects it: each vote
    is either refused or counted where the topic's votes end up, never left behind."""
    facilitator = as_role("facilitator")
    target = consultation.topics["leaks"]
    decided = []
    for round_ in range(ROUNDS):
        topic = add_topic(app, consultation, f"Duplicado {round_}")
        decided.append(topic)
        tabs = []
        for i in range(8):
            client = login(app.test_client(), make_user(email=f"r{round_}v{i}@example.mx"))
            client.environ_base["HTTP_HX_REQUEST"] = "true"
            tabs.append(client)
        start = threading.Barrier(len(tabs) + 1)
        answers = []

        def vote(client, topic=topic, start=start, answers=answers):
            start.wait(timeout=60)
            answers.append(client.post(consultation.topic_url(topic, "vote")).status_code)

        def decide(topic=topic, start=start, answers=answers):
            start.wait(timeout=60)
            data = (
                {f"merge-{topic}-target": target}
                if decision == "merge"
                else {f"reject-{topic}-reason-es": "Duplicado."}
            )
            answers.append(
                facilitator.post(consultation.topic_url(topic, decision), data=data).status_code
            )

        threads = [threading.Thread(target=vote, args=(c,)) for c in tabs]
        threads.append(threading.Thread(target=decide))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert all(status in (200, 303, 409) for status in answers), answers

    with app.app_context():
        stored = Counter(db.session.scalars(sa.select(Vote.topic_id)))
        for topic in db.session.scalars(sa.select(Topic)):
            assert topic.online_votes == stored[topic.id], (topic.id, topic.state)
            if topic.state in (TopicState.MERGED, TopicState.REJECTED):
                assert stored[topic.id] == 0, (topic.id, topic.state)
        by_user = Counter(db.session.scalars(sa.select(Vote.user_id)))
        for participant in db.session.scalars(sa.select(Participant)):
            assert participant.votes_cast == by_user[participant.user_id]
