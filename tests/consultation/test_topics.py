"""Citizens propose topics; the facilitator publishes, rejects with a public reason, or
merges a duplicate into another topic (its votes move, nobody counts twice)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.consultation import services
from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import (
    OfflineInput,
    OfflineTally,
    Participant,
    Topic,
    Vote,
)
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry
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
)

PROPOSAL = {
    "topic-title": "Más áreas verdes",
    "topic-description": "El parque del centro está abandonado.",
}


@pytest.fixture
def facilitator(as_role):
    return as_role("facilitator")


def feedback(app, topic_id: int) -> list[FeedbackEntry]:
    with app.app_context():
        entries = list(
            db.session.scalars(
                sa.select(FeedbackEntry)
                .where(FeedbackEntry.topic_id == topic_id)
                .order_by(FeedbackEntry.id)
            )
        )
        db.session.expunge_all()
        return entries


def newest_topic_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Topic.id)))


# ----- proposing -------------------------------------------------------------------


def test_a_citizen_proposes_a_topic_that_awaits_moderation(app, consultation, citizen):
    author, client = citizen("Lucia")
    water = consultation.categories["water"]
    response = client.post(f"{URL}/topics", data={**PROPOSAL, "topic-category": water})
    assert response.status_code == 303
    topic_id = newest_topic_id(app)
    assert response.headers["Location"].endswith(consultation.topic_url(topic_id))
    topic = topic_row(app, topic_id)
    assert topic.state == TopicState.PENDING
    assert topic.author_id == author
    assert topic.channel == Channel.WEB
    assert topic.category_id == water
    # Stored in the language the citizen wrote in.
    assert topic.title == {"en": "Más áreas verdes"}
    assert topic.description == {"en": "El parque del centro está abandonado."}
    # Proposing is taking part.
    assert consultation_row(app, consultation).participant_count == 1
    assert count(app, Participant, user_id=author) == 1

    page = text_of(client.get(consultation.topic_url(topic_id)))
    assert "Thank you! Your topic will appear once the facilitator has reviewed it." in page
    assert "This topic awaits moderation: only you and the facilitator can see it for now." in page
    mine = text_of(client.get(URL))
    assert "Your topics" in mine
    assert "Más áreas verdes" in mine and "Awaiting moderation" in mine


def test_a_pending_topic_is_seen_only_by_its_author_and_the_moderators(
    app, consultation, citizen, client, as_role, make_user, login
):
    _, author = citizen("Lucia")
    assert author.post(f"{URL}/topics", data=PROPOSAL).status_code == 303
    url = consultation.topic_url(newest_topic_id(app))
    assert author.get(url).status_code == 200
    assert as_role("facilitator").get(url).status_code == 200
    # The administrator moderates nothing: moderation writes the feedback log.
    assert as_role("admin").get(url).status_code == 404
    _, other = citizen("Pedro")
    assert other.get(url).status_code == 404
    assert client.get(url).status_code == 404  # anonymous
    assert as_role("stl_member").get(url).status_code == 404
    # Nor is it listed for the public.
    assert "Más áreas verdes" not in text_of(client.get(URL))
    assert "Más áreas verdes" not in text_of(client.get(f"{URL}/results"))


def test_a_topic_needs_a_title(app, consultation, citizen):
    _, client = citizen()
    response = client.post(f"{URL}/topics", data={**PROPOSAL, "topic-title": "  "})
    assert response.status_code == 422
    text = text_of(response)
    assert "Name the problem in a few words." in text
    assert "El parque del centro está abandonado." in text  # the description is kept
    assert count(app, Topic) == 3
    assert consultation_row(app, consultation).participant_count == 0


REFUSALS = {
    "closed": (
        {"opens_in": timedelta(days=-8), "closes_in": timedelta(minutes=-1)},
        "Topics can be proposed only while the consultation is open.",
    ),
    "not yet open": (
        {"opens_in": timedelta(days=1), "closes_in": timedelta(days=8)},
        "Topics can be proposed only while the consultation is open.",
    ),
    "topics not accepted": (
        {"accepts_topics": False},
        "This consultation does not take new topics.",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_proposing_outside_its_time_or_when_not_accepted_is_refused(
    app, make_consultation, citizen, case
):
    settings, _message = REFUSALS[case]
    make_consultation(**settings)
    _, client = citizen()
    response = client.post(f"{URL}/topics", data=PROPOSAL)
    assert response.status_code == 422
    assert count(app, Topic) == 3
    assert count(app, Participant) == 0
    # Nobody is offered the form then.
    assert "Propose a topic" not in text_of(client.get(URL))


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_proposal_says_why_and_keeps_the_text(app, make_consultation, citizen, case):
    settings, message = REFUSALS[case]
    make_consultation(**settings)
    _, client = citizen()
    response = client.post(f"{URL}/topics", data=PROPOSAL)
    text = text_of(response)
    assert message in text
    assert 'value="Más áreas verdes"' in text
    assert "El parque del centro está abandonado." in text


def test_a_proposal_is_refused_the_moment_the_consultation_closes(app, consultation, citizen):
    """Closing time is enforced on the server, whatever the page showed."""
    _, client = citizen()
    assert "Propose a topic" in text_of(client.get(URL))
    set_period(app, consultation, opens_in=timedelta(days=-8), closes_in=timedelta(seconds=-1))
    assert client.post(f"{URL}/topics", data=PROPOSAL).status_code == 422
    assert count(app, Topic) == 3


def test_anonymous_visitors_are_sent_to_log_in_to_propose(app, consultation, client):
    response = client.post(
        f"{URL}/topics", data=PROPOSAL, headers={"Referer": f"http://coplat.test{URL}"}
    )
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    assert count(app, Topic) == 3


# ----- publishing ----------------------------------------------------------------------


def test_the_facilitator_publishes_a_topic(app, consultation, facilitator, client, citizen):
    author, _ = citizen()
    pending = add_topic(
        app, consultation, "Más áreas verdes", state=TopicState.PENDING, author_id=author
    )
    page = text_of(facilitator.get(f"{URL}/moderation"))
    assert "1 topic awaits moderation" in page
    assert "Más áreas verdes" in page
    response = facilitator.post(consultation.topic_url(pending, "publish"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}/moderation")
    topic = topic_row(app, pending)
    assert topic.state == TopicState.PUBLISHED
    assert topic.moderated_at is not None
    assert "The topic is published." in text_of(facilitator.get(f"{URL}/moderation"))
    assert "Más áreas verdes" in text_of(client.get(URL))
    public = client.get(consultation.topic_url(pending))
    assert public.status_code == 200
    # Published without its author's name.
    assert "Lucia" not in text_of(public) and "lucia@example.mx" not in text_of(public)


def test_publishing_with_htmx_returns_the_moderation_section(app, consultation, facilitator):
    pending = add_topic(app, consultation, "Más áreas verdes", state=TopicState.PENDING)
    facilitator.environ_base["HTTP_HX_REQUEST"] = "true"
    response = facilitator.post(consultation.topic_url(pending, "publish"))
    assert response.status_code == 200
    body = text_of(response).strip()
    assert body.startswith('<section id="moderation"') and "<html" not in body
    assert "0 topics await moderation" in body
    assert topic_row(app, pending).state == TopicState.PUBLISHED


def test_a_published_topic_cannot_be_published_again(app, consultation, facilitator):
    response = facilitator.post(consultation.topic_url("leaks", "publish"))
    assert response.status_code == 409
    assert "Only a topic awaiting moderation can be published." in text_of(response)


# ----- rejecting -----------------------------------------------------------------------

REASON = {
    "reject-{id}-reason-es": "Es competencia del gobierno estatal.",
    "reject-{id}-reason-en": "It is a matter for the state government.",
}


def reject_data(topic_id: int, **reason) -> dict:
    data = {k.format(id=topic_id): v for k, v in REASON.items()}
    return {**data, **{k.format(id=topic_id): v for k, v in reason.items()}}


def test_rejecting_a_topic_with_a_reason_everyone_can_read(
    app, consultation, facilitator, citizen, client
):
    author, author_client = citizen("Lucia")
    pending = add_topic(
        app,
        consultation,
        "Carretera estatal",
        title_en="State highway",
        state=TopicState.PENDING,
        author_id=author,
    )
    response = facilitator.post(
        consultation.topic_url(pending, "reject"), data=reject_data(pending)
    )
    assert response.status_code == 303
    topic = topic_row(app, pending)
    assert topic.state == TopicState.REJECTED
    assert topic.reason == {
        "es": "Es competencia del gobierno estatal.",
        "en": "It is a matter for the state government.",
    }
    reason = "It is a matter for the state government."
    # The author, on the consultation page and on the topic page.
    mine = text_of(author_client.get(URL))
    assert "Your topics" in mine and "State highway" in mine
    assert f"Reason: {reason}" in mine
    assert f"This topic was rejected. Reason: {reason}" in text_of(
        author_client.get(consultation.topic_url(pending))
    )
    # The public, among the rejected topics (and not among the published ones).
    assert "State highway" not in text_of(client.get(URL))
    rejected = text_of(english(client).get(f"{URL}?state=rejected"))
    assert "Rejected topics" in rejected
    assert "State highway" in rejected and reason in rejected
    assert client.get(consultation.topic_url(pending)).status_code == 200
    # The exercise's feedback log has the decision, as the facilitator.
    [entry] = feedback(app, pending)
    assert entry.exercise_id == consultation.exercise_id
    assert entry.stage == Stage.CONSULTATION
    assert entry.decision == Decision.REJECTED
    assert entry.decided_role == Role.FACILITATOR
    assert entry.decided_sector is None
    assert entry.reason == topic.reason


def test_a_published_topic_without_votes_can_be_rejected(app, consultation, facilitator):
    potholes = consultation.topics["potholes"]
    response = facilitator.post(
        consultation.topic_url(potholes, "reject"), data=reject_data(potholes)
    )
    assert response.status_code == 303
    assert topic_row(app, potholes).state == TopicState.REJECTED
    assert len(feedback(app, potholes)) == 1


def test_a_rejection_needs_a_reason(app, consultation, facilitator):
    pending = add_topic(app, consultation, "Carretera estatal", state=TopicState.PENDING)
    data = reject_data(pending, **{"reject-{id}-reason-es": "", "reject-{id}-reason-en": "Why"})
    response = facilitator.post(consultation.topic_url(pending, "reject"), data=data)
    assert response.status_code == 422
    assert "Write this in Spanish." in text_of(response)
    assert topic_row(app, pending).state == TopicState.PENDING
    assert feedback(app, pending) == []


def test_a_topic_with_votes_cannot_be_rejected(app, consultation, facilitator, make_user):
    leaks = consultation.topics["leaks"]
    cast(app, leaks, make_user(email="vota@example.mx"))
    response = facilitator.post(consultation.topic_url(leaks, "reject"), data=reject_data(leaks))
    assert response.status_code == 409
    assert "This topic already has votes; merge it into another topic instead." in text_of(response)
    topic = topic_row(app, leaks)
    assert topic.state == TopicState.PUBLISHED and topic.online_votes == 1
    assert feedback(app, leaks) == []


def test_a_topic_with_offline_votes_cannot_be_rejected(app, consultation, facilitator):
    leaks = consultation.topics["leaks"]
    with app.app_context():
        record = OfflineInput(
            consultation_id=consultation.id,
            channel=Channel.ASSEMBLY,
            place="Plaza",
            held_on=date(2026, 3, 1),
        )
        db.session.add(record)
        db.session.flush()
        services.set_tally(record, db.session.get(Topic, leaks), 4)
        db.session.commit()
    response = facilitator.post(consultation.topic_url(leaks, "reject"), data=reject_data(leaks))
    assert response.status_code == 409
    assert topic_row(app, leaks).state == TopicState.PUBLISHED


def test_citizens_cannot_moderate(app, consultation, citizen):
    pending = add_topic(app, consultation, "Carretera estatal", state=TopicState.PENDING)
    _, client = citizen()
    assert client.post(consultation.topic_url(pending, "publish")).status_code == 403
    assert (
        client.post(
            consultation.topic_url(pending, "reject"), data=reject_data(pending)
        ).status_code
        == 403
    )
    assert topic_row(app, pending).state == TopicState.PENDING


# ----- merging ---------------------------------------------------------------------------


@pytest.fixture
def duplicate(app, make_consultation, make_user):
    """A budget of three votes; "Agua" duplicates "Fugas de agua": Ana voted for both,
    Beto for the duplicate only, Caro for the target only; two offline records count
    votes for the duplicate, one of them for the target as well."""
    setup = make_consultation(vote_budget=3)
    duplicate = add_topic(app, setup, "Falta de agua", title_en="No water", category="water")
    target = setup.topics["leaks"]
    people = {
        name: make_user(email=f"{name}@example.mx", name=name) for name in ("ana", "beto", "caro")
    }
    cast(app, duplicate, people["ana"], people["beto"])
    cast(app, target, people["ana"], people["caro"])
    cast(app, setup.topics["potholes"], people["ana"])
    with app.app_context():
        box = OfflineInput(
            consultation_id=setup.id,
            channel=Channel.SUGGESTION_BOX,
            place="Presidencia",
            held_on=date(2026, 3, 1),
        )
        table = OfflineInput(
            consultation_id=setup.id,
            channel=Channel.REGIONAL_TABLE,
            place="Sierra",
            held_on=date(2026, 3, 2),
        )
        db.session.add_all([box, table])
        db.session.flush()
        services.set_tally(box, db.session.get(Topic, duplicate), 5)
        services.set_tally(box, db.session.get(Topic, target), 2)
        services.set_tally(table, db.session.get(Topic, duplicate), 3)
        db.session.commit()
    return setup, duplicate, target, people


def merge(client, setup, topic_id, target_id):
    return client.post(
        setup.topic_url(topic_id, "merge"), data={f"merge-{topic_id}-target": target_id}
    )


def test_merging_moves_the_votes_without_counting_anyone_twice(app, duplicate, facilitator):
    setup, source, target, people = duplicate
    response = merge(facilitator, setup, source, target)
    assert response.status_code == 303
    assert "The topic was merged; its votes moved across." in text_of(
        facilitator.get(f"{URL}/moderation")
    )
    merged, kept = topic_row(app, source), topic_row(app, target)
    assert merged.state == TopicState.MERGED
    assert merged.merged_into_id == target
    assert (merged.online_votes, merged.offline_votes) == (0, 0)
    # Ana, Beto and Caro: three people, each once.
    assert kept.online_votes == 3
    with app.app_context():
        voters = db.session.scalars(sa.select(Vote.user_id).where(Vote.topic_id == target)).all()
        assert sorted(voters) == sorted(people.values())
        assert count(app, Vote, topic_id=source) == 0
        # Ana gets back the vote she had given twice; the others keep theirs.
        spent = dict(
            db.session.execute(sa.select(Participant.user_id, Participant.votes_cast)).all()
        )
    assert spent == {people["ana"]: 2, people["beto"]: 1, people["caro"]: 1}
    # Offline tallies move too: the box's figures add up, the table's moves across.
    assert kept.offline_votes == 5 + 2 + 3
    with app.app_context():
        tallies = db.session.execute(
            sa.select(OfflineInput.channel, OfflineTally.votes)
            .join(OfflineInput)
            .where(OfflineTally.topic_id == target)
        ).all()
    assert sorted(tallies) == sorted([(Channel.SUGGESTION_BOX, 7), (Channel.REGIONAL_TABLE, 3)])
    assert count(app, OfflineTally, topic_id=source) == 0
    # The consultation's figures agree.
    assert consultation_row(app, setup).participant_count == 3


def test_a_merged_topic_points_to_its_target(app, duplicate, facilitator, client):
    setup, source, target, _ = duplicate
    assert merge(facilitator, setup, source, target).status_code == 303
    page = text_of(english(client).get(setup.topic_url(source)))
    assert "This topic was merged into another one, which carries its votes:" in page
    assert f'href="{setup.topic_url(target)}">Water leaks</a>' in page
    target_page = text_of(client.get(setup.topic_url(target)))
    assert "Topics merged into this one" in target_page
    assert f'href="{setup.topic_url(source)}">No water</a>' in target_page
    assert "<strong>13</strong>" in target_page  # 3 online + 10 offline
    # Listed with the merged topics, not with the published ones.
    assert "No water" in text_of(client.get(f"{URL}?state=merged"))
    assert "No water" not in text_of(client.get(URL))
    [entry] = feedback(app, source)
    assert entry.decision == Decision.MERGED
    assert entry.merged_into_id == target
    assert entry.decided_role == Role.FACILITATOR


def test_a_citizen_who_voted_for_both_can_spend_the_vote_returned(
    app, duplicate, facilitator, login
):
    setup, source, target, people = duplicate
    ana = english(login(app.test_client(), people["ana"]))
    assert "You have 0 votes left." in text_of(ana.get(setup.topic_url(target)))
    assert merge(facilitator, setup, source, target).status_code == 303
    assert "You have 1 vote left." in text_of(ana.get(setup.topic_url(target)))
    assert ana.post(setup.topic_url("lighting", "vote")).status_code == 303
    assert count(app, Vote, user_id=people["ana"]) == 3


def test_a_pending_duplicate_can_be_merged(app, consultation, facilitator, citizen):
    author, author_client = citizen()
    pending = add_topic(app, consultation, "Fugas", state=TopicState.PENDING, author_id=author)
    assert (
        merge(facilitator, consultation, pending, consultation.topics["leaks"]).status_code == 303
    )
    assert topic_row(app, pending).state == TopicState.MERGED
    # Its author learns where it went.
    assert "Merged" in text_of(author_client.get(URL))
    page = text_of(author_client.get(consultation.topic_url(pending)))
    assert f'href="{consultation.topic_url("leaks")}">Water leaks</a>' in page


def test_a_topic_cannot_be_merged_into_itself_or_an_unpublished_one(
    app, consultation, facilitator, make_exercise
):
    leaks = consultation.topics["leaks"]
    pending = add_topic(app, consultation, "Fugas", state=TopicState.PENDING)
    rejected = add_topic(app, consultation, "Otra", state=TopicState.REJECTED)
    for target in (leaks, pending, rejected, 999_999):
        response = merge(facilitator, consultation, leaks, target)
        assert response.status_code == 409
        assert "Choose another published topic of this consultation." in text_of(response)
    blank = facilitator.post(
        consultation.topic_url(leaks, "merge"), data={f"merge-{leaks}-target": ""}
    )
    assert blank.status_code == 422
    assert "Enter the number of a published topic." in text_of(blank)
    assert topic_row(app, leaks).state == TopicState.PUBLISHED
    assert count(app, FeedbackEntry) == 0


def test_a_topic_cannot_be_merged_into_another_consultations_topic(
    app, consultation, facilitator, make_consultation, make_exercise
):
    elsewhere = make_consultation(exercise_id=make_exercise(slug="otro"))
    leaks = consultation.topics["leaks"]
    response = merge(facilitator, consultation, leaks, elsewhere.topics["leaks"])
    assert response.status_code == 409
    assert "Choose another published topic of this consultation." in text_of(response)
    assert topic_row(app, leaks).state == TopicState.PUBLISHED


def test_a_decided_topic_cannot_be_merged_or_rejected_again(app, duplicate, facilitator):
    setup, source, target, _ = duplicate
    assert merge(facilitator, setup, source, target).status_code == 303
    again = merge(facilitator, setup, source, setup.topics["potholes"])
    assert again.status_code == 409
    assert "This topic has already been decided." in text_of(again)
    assert len(feedback(app, source)) == 1
    assert topic_row(app, source).merged_into_id == target


def test_the_facilitator_completes_a_topics_translation(app, consultation, facilitator, citizen):
    author, _ = citizen()
    pending = add_topic(
        app, consultation, "Más áreas verdes", state=TopicState.PENDING, author_id=author
    )
    data = {
        "title-es": "Más áreas verdes",
        "title-en": "More green areas",
        "description-es": "",
        "category": consultation.categories["safety"],
    }
    response = facilitator.post(consultation.topic_url(pending, "edit"), data=data)
    assert response.status_code == 303
    topic = topic_row(app, pending)
    assert topic.title == {"es": "Más áreas verdes", "en": "More green areas"}
    assert topic.category_id == consultation.categories["safety"]
    assert topic.state == TopicState.PENDING
