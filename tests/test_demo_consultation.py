"""The demo's closed topic consultation: played through the services, so its counters
must agree with the rows behind them."""

import pytest
import sqlalchemy as sa

from coplat.accounts.models import User
from coplat.consultation import services
from coplat.consultation.enums import Channel, ConsultationStatus, TopicState
from coplat.consultation.models import (
    Consultation,
    OfflineInput,
    OfflineTally,
    Participant,
    Topic,
    Vote,
)
from coplat.demo import DEMO_PASSWORD, DEMO_SLUG
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.feedback.models import FeedbackEntry


@pytest.fixture
def consultation(app, shared_demo):
    with app.app_context():
        yield db.session.scalar(
            sa.select(Consultation).join(Exercise).where(Exercise.slug == DEMO_SLUG)
        )


def topics(consultation, state=None):
    query = sa.select(Topic).where(Topic.consultation_id == consultation.id)
    if state:
        query = query.where(Topic.state == state)
    return list(db.session.scalars(query))


def count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def entries(topic) -> list[FeedbackEntry]:
    return list(
        db.session.scalars(
            sa.select(FeedbackEntry)
            .where(FeedbackEntry.topic_id == topic.id)
            .order_by(FeedbackEntry.id)
        )
    )


def test_the_consultation_is_closed_and_prioritised(consultation):
    assert consultation.status() == ConsultationStatus.CLOSED
    assert consultation.opens_at < consultation.closes_at < consultation.prioritised_at
    assert consultation.vote_budget == 3 and consultation.accepts_topics
    assert len(consultation.categories) >= 5
    assert len(consultation.region_list) >= 4
    assert all(c.name["es"] and c.name["en"] for c in consultation.categories)


def test_online_votes_match_their_rows(consultation):
    votes = sa.select(Vote).join(Topic).where(Topic.consultation_id == consultation.id)
    assert 300 <= count(votes) <= 450
    for topic in topics(consultation):
        assert topic.online_votes == count(sa.select(Vote).where(Vote.topic_id == topic.id))
        assert topic.offline_votes == sum(t.votes for t in topic.tallies)
    participants = list(
        db.session.scalars(
            sa.select(Participant).where(Participant.consultation_id == consultation.id)
        )
    )
    assert consultation.participant_count == len(participants) > 100
    for participant in participants:
        assert 0 <= participant.votes_cast <= 3
        assert participant.votes_cast == count(
            sa.select(Vote)
            .join(Topic)
            .where(Vote.user_id == participant.user_id, Topic.consultation_id == consultation.id)
        )
    # About two in five gave the profile, and the tallies count each of them once.
    profiles = [p for p in participants if p.profile_given_at is not None]
    assert 0.25 < len(profiles) / len(participants) < 0.55
    tallies = services.profile_tallies(consultation)
    assert all(sum(tallies[d].values()) == len(profiles) for d in services.PROFILE_DIMENSIONS)


def test_offline_input_comes_from_several_channels(consultation):
    channels = set(
        db.session.scalars(
            sa.select(OfflineInput.channel)
            .join(OfflineTally)
            .where(OfflineInput.consultation_id == consultation.id)
            .distinct()
        )
    )
    assert len(channels) >= 3 and Channel.WEB not in channels
    assert sum(t.offline_votes for t in topics(consultation)) >= 150
    for offline_input in consultation.offline_inputs:
        assert offline_input.participants > 0 and offline_input.place
        day = offline_input.held_on
        local = consultation.exercise.zone
        assert consultation.opens_at.astimezone(local).date() <= day
        assert day <= consultation.closes_at.astimezone(local).date()
    raised_offline = [t for t in topics(consultation) if t.channel != Channel.WEB]
    assert raised_offline and all(t.offline_input for t in raised_offline)


def test_moderation_left_rejections_and_a_merge(consultation):
    rejected = topics(consultation, TopicState.REJECTED)
    assert rejected
    for topic in rejected:
        assert topic.reason["es"] and topic.reason["en"]
        [entry] = entries(topic)
        assert entry.decision == Decision.REJECTED and entry.reason == topic.reason
    [merged] = topics(consultation, TopicState.MERGED)
    assert merged.merged_into.state == TopicState.PUBLISHED
    assert merged.total_votes == 0
    [entry] = entries(merged)
    assert entry.decision == Decision.MERGED and entry.merged_into == merged.merged_into


def test_every_published_topic_has_its_decision(consultation):
    published = services.published_topics(consultation)
    prioritised = [t for t in published if t.prioritised]
    # The STL chose the leading topics.
    assert 3 <= len(prioritised) <= 5
    assert published[: len(prioritised)] == prioritised
    for topic in published:
        [entry] = entries(topic)
        assert entry.decision == (Decision.ADOPTED if topic.prioritised else Decision.REJECTED)
        assert entry.reason["es"] and entry.reason["en"]
    assert not topics(consultation, TopicState.PENDING)


def test_demo_citizens_log_in_with_the_demo_password(consultation):
    citizen = db.session.scalar(
        sa.select(User).where(User.email.like("ciudadan_150@demo.coplat.mx"))
    )
    assert citizen.check_password(DEMO_PASSWORD)
