"""Consultation rules, free of the request. Callers commit; on ConsultationError they
roll back, since a refused vote may have written part of itself.

Counts are kept exact under concurrency by letting the database decide: a vote is
an INSERT guarded by a unique constraint, the budget is a conditional UPDATE on the
participant's row, and every counter moves by `column + 1` in the same transaction
as the vote. Rows are locked in one order (topic, then participant and consultation)
so two transactions never wait on each other in a circle."""

import functools
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coplat.accounts.models import Role
from coplat.consultation.enums import (
    AgeBand,
    Answer,
    Channel,
    ConsultationStatus,
    Gender,
    TopicState,
)
from coplat.consultation.models import (
    Consultation,
    OfflineInput,
    OfflineTally,
    Participant,
    ProfileTally,
    Topic,
    TopicCategory,
    Vote,
)
from coplat.core.models import utcnow
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.services import record_decision

MODERATORS = (Role.FACILITATOR, Role.STL_MEMBER)
PRIORITISERS = (Role.STL_MEMBER, Role.FACILITATOR)


class ConsultationError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def insert_ignoring_duplicates(model, **values) -> bool:
    """INSERT unless the row's unique key exists; True when this call inserted it."""
    dialect = db.session.get_bind().dialect.name
    result = db.session.execute(
        _insert_ignoring(dialect, model, tuple(values)),
        {f"new_{name}": value for name, value in values.items()},
        # psycopg reports no row count for an INSERT unless asked to.
        execution_options={"preserve_rowcount": True},
    )
    return result.rowcount == 1


@functools.cache
def _insert_ignoring(dialect: str, model, columns: tuple[str, ...]) -> sa.Insert:
    """INSERT ... ON CONFLICT DO NOTHING of these columns, built once (a vote runs one)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {name: sa.bindparam(f"new_{name}") for name in columns}
    # Of the table, not the model: an ORM INSERT given values would be a bulk insert.
    return insert(model.__table__).values(values).on_conflict_do_nothing()


# ----- the consultation -------------------------------------------------------


def check_period(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ConsultationError(_l("The consultation must close after it opens."))


def votes_exist(consultation: Consultation) -> bool:
    topic_ids = sa.select(Topic.id).where(Topic.consultation_id == consultation.id)
    return (
        db.session.scalar(sa.select(Vote.id).where(Vote.topic_id.in_(topic_ids)).limit(1))
        is not None
    )


def change_vote_budget(consultation: Consultation, budget: int | None) -> None:
    """The voting rule cannot change once someone voted under it."""
    if consultation.id and budget != consultation.vote_budget and votes_exist(consultation):
        raise ConsultationError(
            _l("People have already voted, so the number of votes each one has cannot change.")
        )
    consultation.vote_budget = budget


def check_moderation_open(consultation: Consultation) -> None:
    if consultation.prioritised_at is not None:
        raise ConsultationError(
            _l("The STL has already prioritised the topics; the consultation is final.")
        )


def check_voting_open(consultation: Consultation, now: datetime) -> None:
    status = consultation.status(now)
    if status == ConsultationStatus.UPCOMING:
        raise ConsultationError(_l("Voting has not opened yet."))
    if status == ConsultationStatus.CLOSED:
        raise ConsultationError(_l("The consultation is closed; votes can no longer change."))


def add_category(consultation: Consultation, name: dict) -> TopicCategory:
    position = max((c.position for c in consultation.categories), default=0) + 1
    category = TopicCategory(name=name, position=position)
    consultation.categories.append(category)
    return category


def category_in_use(category: TopicCategory) -> bool:
    return (
        db.session.scalar(sa.select(Topic.id).where(Topic.category_id == category.id).limit(1))
        is not None
    )


# ----- taking part online -----------------------------------------------------


def join(consultation: Consultation, user, now: datetime | None = None) -> Participant:
    """The user's participant row, created (and counted) on their first action."""
    _join(consultation, user, now)
    return participant_of(consultation, user)


def _join(consultation: Consultation, user, now: datetime | None = None) -> bool:
    """Create and count the user's participant row unless it exists; True if created."""
    if not insert_ignoring_duplicates(
        Participant, consultation_id=consultation.id, user_id=user.id, joined_at=now or utcnow()
    ):
        return False
    db.session.execute(
        sa.update(Consultation)
        .where(Consultation.id == consultation.id)
        .values(participant_count=Consultation.participant_count + 1)
    )
    return True


def participant_of(consultation: Consultation, user) -> Participant | None:
    if not (user and user.is_authenticated):
        return None
    return db.session.scalar(
        sa.select(Participant).where(
            Participant.consultation_id == consultation.id, Participant.user_id == user.id
        )
    )


def submit_topic(
    consultation: Consultation,
    user,
    *,
    title: dict,
    description: dict,
    category: TopicCategory | None,
    now: datetime | None = None,
) -> Topic:
    now = now or utcnow()
    if not consultation.accepts_topics:
        raise ConsultationError(_l("This consultation does not take new topics."))
    status = consultation.status(now)
    if status != ConsultationStatus.OPEN:
        raise ConsultationError(_l("Topics can be proposed only while the consultation is open."))
    _join(consultation, user, now)
    topic = Topic(
        consultation=consultation,
        title=title,
        description=description,
        category=category,
        channel=Channel.WEB,
        author_id=user.id,
        state=TopicState.PENDING,
        created_at=now,
    )
    db.session.add(topic)
    db.session.flush()
    return topic


# A vote's statements are built once: each vote only binds its values. A published
# topic's counter moves; the citizen's votes in use, within the budget if there is one.
COUNT_VOTE = (
    sa.update(Topic)
    .where(Topic.id == sa.bindparam("topic"), Topic.state == TopicState.PUBLISHED)
    .values(online_votes=Topic.online_votes + sa.bindparam("change"))
    .returning(Topic.online_votes, Topic.offline_votes)
)
SPEND_VOTE = (
    sa.update(Participant)
    .where(
        Participant.consultation_id == sa.bindparam("consultation"),
        Participant.user_id == sa.bindparam("user"),
    )
    .values(votes_cast=Participant.votes_cast + sa.bindparam("change"))
    .returning(Participant.votes_cast)
)
SPEND_VOTE_IN_BUDGET = SPEND_VOTE.where(Participant.votes_cast < sa.bindparam("budget"))
# The counts are set on the objects in memory from RETURNING; nothing to synchronise.
UNSYNCHRONISED = {"synchronize_session": False}


def _count_vote(topic: Topic, change: int) -> None:
    """Move the topic's counter, only while it is published. Taking the topic's row
    lock first, before anything else, is what keeps a vote and a merge (or rejection)
    of the same topic from crossing: whichever comes second sees the other's result.
    The topic in memory takes the counts as they are now, under the lock."""
    counts = db.session.execute(
        COUNT_VOTE, {"topic": topic.id, "change": change}, execution_options=UNSYNCHRONISED
    ).first()
    if counts is None:
        raise ConsultationError(_l("Only published topics take votes."))
    set_committed_value(topic, "online_votes", counts.online_votes)
    set_committed_value(topic, "offline_votes", counts.offline_votes)


def _spend(consultation: Consultation, user, change: int) -> int | None:
    """Move the user's votes in use (never above the budget); their new number, or
    None if nothing moved: no participant row, or no vote left."""
    values = {"consultation": consultation.id, "user": user.id, "change": change}
    statement = SPEND_VOTE
    if change > 0 and consultation.vote_budget is not None:
        statement, values["budget"] = SPEND_VOTE_IN_BUDGET, consultation.vote_budget
    return db.session.scalar(statement, values, execution_options=UNSYNCHRONISED)


def cast_vote(topic: Topic, user, now: datetime | None = None) -> int:
    """Vote for the topic; returns how many of their votes the user now has in use.
    The unique constraint on (topic, user) decides whether this is a second vote: the
    INSERT does nothing then, and a second click racing the first waits for it."""
    now = now or utcnow()
    consultation = topic.consultation
    check_voting_open(consultation, now)
    _count_vote(topic, +1)
    if not insert_ignoring_duplicates(Vote, topic_id=topic.id, user_id=user.id, created_at=now):
        raise ConsultationError(_l("You already voted for this topic."))
    votes_cast = _spend(consultation, user, +1)
    if votes_cast is None:
        # No row yet (or no vote left): join, then try again. Another tab may have
        # joined meanwhile, so the second try decides, not whether this one inserted.
        _join(consultation, user, now)
        votes_cast = _spend(consultation, user, +1)
    if votes_cast is None:
        raise ConsultationError(
            ngettext(
                "You have used your only vote. Withdraw it to vote for this topic.",
                "You have used all your %(num)s votes. Withdraw one to vote for this topic.",
                consultation.vote_budget,
            )
        )
    return votes_cast


def withdraw_vote(topic: Topic, user, now: datetime | None = None) -> int:
    """Withdraw the user's vote for the topic; returns how many of their votes are
    still in use."""
    consultation = topic.consultation
    check_voting_open(consultation, now or utcnow())
    _count_vote(topic, -1)
    removed = db.session.execute(
        sa.delete(Vote).where(Vote.topic_id == topic.id, Vote.user_id == user.id)
    ).rowcount
    votes_cast = _spend(consultation, user, -1) if removed == 1 else None
    if votes_cast is None:
        raise ConsultationError(_l("You have not voted for this topic."))
    return votes_cast


def has_voted(topic_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    voted = sa.select(Vote.id).where(Vote.topic_id == topic_id, Vote.user_id == user_id)
    return db.session.scalar(voted) is not None


def votes_cast(consultation: Consultation, user_id: int | None) -> int:
    """How many of their votes the user has in use in this consultation."""
    if user_id is None:
        return 0
    cast = sa.select(Participant.votes_cast).where(
        Participant.consultation_id == consultation.id, Participant.user_id == user_id
    )
    return db.session.scalar(cast) or 0


def voted_topic_ids(user, topic_ids: list[int]) -> set[int]:
    """Those of these topics the user voted for."""
    if not (user and user.is_authenticated and topic_ids):
        return set()
    return set(
        db.session.scalars(
            sa.select(Vote.topic_id).where(Vote.user_id == user.id, Vote.topic_id.in_(topic_ids))
        )
    )


# ----- moderation -------------------------------------------------------------


def lock(*topics: Topic) -> None:
    """Lock the topics' rows (in id order, so two moderators never deadlock) and
    reload them: a vote committed meanwhile must be seen before deciding."""
    ids = sorted(topic.id for topic in topics)
    db.session.scalars(
        sa.select(Topic)
        .where(Topic.id.in_(ids))
        .order_by(Topic.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()


def publish(topic: Topic, now: datetime | None = None) -> None:
    check_moderation_open(topic.consultation)
    if topic.state != TopicState.PENDING:
        raise ConsultationError(_l("Only a topic awaiting moderation can be published."))
    topic.state = TopicState.PUBLISHED
    topic.moderated_at = now or utcnow()


def reject(topic: Topic, user, reason: dict, now: datetime | None = None) -> None:
    """Reject a topic with a reason its author and the public can read. A published
    topic with votes cannot be rejected: its voters deserve a merge or a decision."""
    check_moderation_open(topic.consultation)
    lock(topic)
    if topic.state not in (TopicState.PENDING, TopicState.PUBLISHED):
        raise ConsultationError(_l("This topic has already been decided."))
    if topic.total_votes:
        raise ConsultationError(
            _l("This topic already has votes; merge it into another topic instead.")
        )
    topic.reason = dict(reason)
    _moderated(topic, TopicState.REJECTED, user, now or utcnow(), reason=reason)


def _moderated(topic: Topic, state: TopicState, user, now: datetime, **decision) -> None:
    """The topic's new state, and the same decision in the feedback log."""
    topic.state = state
    topic.moderated_at = now
    record_decision(
        topic.exercise,
        stage=Stage.CONSULTATION,
        decision=Decision(state.value),
        user=user,
        acting_as=MODERATORS,
        topic=topic,
        now=now,
        **decision,
    )


def merge(topic: Topic, target: Topic, user, now: datetime | None = None) -> None:
    """Merge a duplicate into `target`. Its votes move across, except a citizen who
    voted for both keeps one vote (and gets the other back to spend); its offline
    tallies add to the target's."""
    check_moderation_open(topic.consultation)
    lock(topic, target)
    if topic.state not in (TopicState.PENDING, TopicState.PUBLISHED):
        raise ConsultationError(_l("This topic has already been decided."))
    if (
        target.id == topic.id
        or target.consultation_id != topic.consultation_id
        or target.state != TopicState.PUBLISHED
    ):
        raise ConsultationError(_l("Choose another published topic of this consultation."))
    now = now or utcnow()
    both = sa.select(Vote.user_id).where(Vote.topic_id == target.id)
    double_voters = sa.select(Vote.user_id).where(Vote.topic_id == topic.id, Vote.user_id.in_(both))
    db.session.execute(
        sa.update(Participant)
        .where(
            Participant.consultation_id == topic.consultation_id,
            Participant.user_id.in_(double_voters),
        )
        .values(votes_cast=Participant.votes_cast - 1)
    )
    db.session.execute(
        sa.delete(Vote).where(Vote.topic_id == topic.id, Vote.user_id.in_(both)),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        sa.update(Vote).where(Vote.topic_id == topic.id).values(topic_id=target.id),
        execution_options={"synchronize_session": False},
    )
    for tally in list(topic.tallies):
        existing = next(
            (t for t in target.tallies if t.offline_input_id == tally.offline_input_id), None
        )
        if existing:
            existing.votes += tally.votes
            db.session.delete(tally)
        else:
            tally.topic = target
    db.session.flush()
    target.online_votes = db.session.scalar(
        sa.select(sa.func.count()).select_from(Vote).where(Vote.topic_id == target.id)
    )
    target.offline_votes = sum(t.votes for t in target.tallies)
    topic.online_votes = topic.offline_votes = 0
    topic.merged_into = target
    _moderated(topic, TopicState.MERGED, user, now, merged_into=target)


# ----- offline input ------------------------------------------------------------


def add_offline_topic(
    offline_input: OfflineInput,
    *,
    title: dict,
    description: dict,
    category: TopicCategory | None,
    votes: int,
    now: datetime | None = None,
) -> Topic:
    """A topic raised through an offline channel: recorded by the facilitator, so
    published at once."""
    now = now or utcnow()
    consultation = offline_input.consultation
    check_moderation_open(consultation)
    topic = Topic(
        consultation=consultation,
        title=title,
        description=description,
        category=category,
        channel=offline_input.channel,
        offline_input=offline_input,
        state=TopicState.PUBLISHED,
        created_at=now,
        moderated_at=now,
    )
    db.session.add(topic)
    db.session.flush()
    if votes:
        set_tally(offline_input, topic, votes)
    return topic


def set_tally(offline_input: OfflineInput, topic: Topic, votes: int) -> None:
    """Record how many votes a topic got through this input (replacing an earlier
    figure for the same input and topic)."""
    check_moderation_open(offline_input.consultation)
    if topic.consultation is not offline_input.consultation or topic.state != TopicState.PUBLISHED:
        raise ConsultationError(_l("Choose a published topic of this consultation."))
    if votes < 0:
        raise ConsultationError(_l("Enter a number from 0."))
    tally = next((t for t in offline_input.tallies if t.topic_id == topic.id), None)
    previous = tally.votes if tally else 0
    if tally is None:
        tally = OfflineTally(topic=topic, votes=votes)
        offline_input.tallies.append(tally)
    tally.votes = votes
    db.session.flush()
    db.session.execute(
        sa.update(Topic)
        .where(Topic.id == topic.id)
        .values(offline_votes=Topic.offline_votes + (votes - previous))
    )
    db.session.refresh(topic)


def remove_tally(tally: OfflineTally) -> None:
    check_moderation_open(tally.offline_input.consultation)
    topic = tally.topic
    db.session.execute(
        sa.update(Topic)
        .where(Topic.id == topic.id)
        .values(offline_votes=Topic.offline_votes - tally.votes)
    )
    db.session.delete(tally)
    db.session.flush()
    db.session.refresh(topic)


# ----- prioritisation -----------------------------------------------------------


def prioritise(
    consultation: Consultation,
    chosen: list[Topic],
    user,
    *,
    reason: dict,
    now: datetime | None = None,
) -> None:
    """The STL picks the topics that go to working tables. Each published topic gets
    its decision in the feedback log: adopted when chosen, rejected with the STL's
    reason otherwise."""
    now = now or utcnow()
    check_moderation_open(consultation)
    if consultation.status(now) != ConsultationStatus.CLOSED:
        raise ConsultationError(_l("Topics are prioritised once the consultation has closed."))
    if pending_count(consultation):
        raise ConsultationError(_l("Moderate every topic awaiting moderation first."))
    if not chosen:
        raise ConsultationError(_l("Choose at least one topic."))
    published = published_topics(consultation)
    if any(topic not in published for topic in chosen):
        raise ConsultationError(_l("Choose among the published topics."))
    for topic in published:
        topic.prioritised = topic in chosen
        record_decision(
            consultation.exercise,
            stage=Stage.CONSULTATION,
            decision=Decision.ADOPTED if topic.prioritised else Decision.REJECTED,
            user=user,
            acting_as=PRIORITISERS,
            reason=PRIORITISED_REASON if topic.prioritised else reason,
            topic=topic,
            now=now,
        )
    consultation.prioritised_at = now


PRIORITISED_REASON = {
    "es": "Priorizado por el STL: pasa a una mesa de trabajo.",
    "en": "Prioritised by the STL: it goes to a working table.",
}


def pending_count(consultation: Consultation) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Topic)
        .where(Topic.consultation_id == consultation.id, Topic.state == TopicState.PENDING)
    )


def published_topics(consultation: Consultation, limit: int | None = None) -> list[Topic]:
    """Published topics, most voted first (the `limit` most voted, if given)."""
    return list(
        db.session.scalars(
            sa.select(Topic)
            .where(Topic.consultation_id == consultation.id, Topic.state == TopicState.PUBLISHED)
            .order_by((Topic.online_votes + Topic.offline_votes).desc(), Topic.id)
            .limit(limit)
            .options(selectinload(Topic.category))
        )
    )


def published_totals(consultation: Consultation) -> tuple[int, int, int]:
    """How many topics are published, and their online and offline votes (kept counters)."""
    count, online, offline = db.session.execute(
        sa.select(
            sa.func.count(Topic.id),
            sa.func.coalesce(sa.func.sum(Topic.online_votes), 0),
            sa.func.coalesce(sa.func.sum(Topic.offline_votes), 0),
        ).where(Topic.consultation_id == consultation.id, Topic.state == TopicState.PUBLISHED)
    ).one()
    return int(count), int(online), int(offline)


# ----- participation profile ----------------------------------------------------

PROFILE_DIMENSIONS = ("age_band", "gender", "region", "indigenous", "disability")


@dataclass(frozen=True)
class Profile:
    age_band: AgeBand
    gender: Gender
    region: str
    indigenous: Answer
    disability: Answer


def give_profile(participant: Participant, profile: Profile, now: datetime | None = None) -> None:
    """Once per consultation; erasing it is always possible."""
    if participant.profile_given_at is not None:
        raise ConsultationError(_l("You have already answered these questions. Thank you."))
    for dimension in PROFILE_DIMENSIONS:
        value = getattr(profile, dimension)
        setattr(participant, dimension, value)
        _count_answer(participant.consultation_id, dimension, str(value), +1)
    participant.profile_given_at = now or utcnow()


def erase_profile(participant: Participant) -> None:
    if participant.profile_given_at is None:
        return
    for dimension in PROFILE_DIMENSIONS:
        _count_answer(
            participant.consultation_id, dimension, str(getattr(participant, dimension)), -1
        )
        setattr(participant, dimension, None)
    participant.profile_given_at = None


def _count_answer(consultation_id: int, dimension: str, value: str, change: int) -> None:
    insert_ignoring_duplicates(
        ProfileTally, consultation_id=consultation_id, dimension=dimension, value=value, people=0
    )
    db.session.execute(
        sa.update(ProfileTally)
        .where(
            ProfileTally.consultation_id == consultation_id,
            ProfileTally.dimension == dimension,
            ProfileTally.value == value,
        )
        .values(people=ProfileTally.people + change)
    )


def offline_participants_by_channel(consultation: Consultation) -> dict[Channel, int]:
    rows = db.session.execute(
        sa.select(OfflineInput.channel, sa.func.sum(OfflineInput.participants))
        .where(OfflineInput.consultation_id == consultation.id)
        .group_by(OfflineInput.channel)
    )
    return {Channel(channel): int(people or 0) for channel, people in rows}


def profile_tallies(consultation: Consultation) -> dict[str, dict[str, int]]:
    tallies: dict[str, dict[str, int]] = {d: {} for d in PROFILE_DIMENSIONS}
    for row in db.session.scalars(
        sa.select(ProfileTally).where(ProfileTally.consultation_id == consultation.id)
    ):
        if row.people:
            tallies[row.dimension][row.value] = row.people
    return tallies


def offline_votes_by_channel(
    consultation: Consultation, topic_ids: list[int] | None = None
) -> dict[int, dict[Channel, int]]:
    """{topic id: {channel: votes}} for the offline tallies (of those topics, if given)."""
    query = (
        sa.select(OfflineTally.topic_id, OfflineInput.channel, sa.func.sum(OfflineTally.votes))
        .join(OfflineInput, OfflineInput.id == OfflineTally.offline_input_id)
        .where(OfflineInput.consultation_id == consultation.id)
        .group_by(OfflineTally.topic_id, OfflineInput.channel)
    )
    if topic_ids is not None:
        query = query.where(OfflineTally.topic_id.in_(topic_ids))
    rows = db.session.execute(query)
    by_topic: dict[int, dict[Channel, int]] = {}
    for topic_id, channel, votes in rows:
        by_topic.setdefault(topic_id, {})[Channel(channel)] = int(votes or 0)
    return by_topic


def offline_votes_per_channel(consultation: Consultation) -> dict[Channel, int]:
    """{channel: votes} the offline tallies gave the published topics."""
    rows = db.session.execute(
        sa.select(OfflineInput.channel, sa.func.sum(OfflineTally.votes))
        .join(OfflineInput, OfflineInput.id == OfflineTally.offline_input_id)
        .join(Topic, Topic.id == OfflineTally.topic_id)
        .where(
            OfflineInput.consultation_id == consultation.id,
            Topic.state == TopicState.PUBLISHED,
        )
        .group_by(OfflineInput.channel)
    )
    return {Channel(channel): int(votes or 0) for channel, votes in rows}
