"""The STL prioritises the topics once the consultation has closed and every topic is
moderated. Every published topic gets its decision in the feedback log — adopted, or
rejected with the STL's reason — and the consultation is final from then on."""

from datetime import date

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.consultation import services
from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import Consultation, OfflineInput, OfflineTally, Topic
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.feedback.models import FeedbackEntry
from tests.conftest import english
from tests.consultation.conftest import (
    URL,
    add_topic,
    cast,
    close,
    consultation_row,
    count,
    text_of,
    topic_row,
)

FINAL = "The STL has already prioritised the topics; the consultation is final."
STL_REASON = {
    "reason-es": "Recibió menos votos; se considerará en el próximo plan.",
    "reason-en": "It received fewer votes; it will be considered in the next plan.",
}


@pytest.fixture
def facilitator(as_role):
    return as_role("facilitator")


@pytest.fixture
def stl(as_role):
    return as_role("stl_member")


@pytest.fixture
def decided(app, consultation, facilitator, make_user):
    """Votes for two of the three topics, one topic rejected and one merged by the
    facilitator, one offline record with a tally; still open."""
    leaks, potholes = consultation.topics["leaks"], consultation.topics["potholes"]
    voters = [make_user(email=f"v{i}@example.mx") for i in range(3)]
    cast(app, leaks, *voters)
    cast(app, potholes, *voters[:2])
    rejected = add_topic(app, consultation, "Carretera estatal", state=TopicState.PENDING)
    reason = {f"reject-{rejected}-reason-es": "Es competencia estatal."}
    assert (
        facilitator.post(consultation.topic_url(rejected, "reject"), data=reason).status_code == 303
    )
    merged = add_topic(app, consultation, "Fugas en la colonia", state=TopicState.PENDING)
    merge = {f"merge-{merged}-target": leaks}
    assert facilitator.post(consultation.topic_url(merged, "merge"), data=merge).status_code == 303
    with app.app_context():
        box = OfflineInput(
            consultation_id=consultation.id,
            channel=Channel.SUGGESTION_BOX,
            place="Presidencia",
            held_on=date(2026, 3, 1),
        )
        db.session.add(box)
        db.session.flush()
        services.set_tally(box, db.session.get(Topic, potholes), 4)
        db.session.commit()
        box = box.id
    return {"rejected": rejected, "merged": merged, "box": box}


def prioritise(client, *topic_ids, **reason):
    return client.post(
        f"{URL}/prioritise", data={"topics": list(topic_ids), **(reason or STL_REASON)}
    )


def entries(app, topic_id: int) -> list[FeedbackEntry]:
    with app.app_context():
        found = list(
            db.session.scalars(
                sa.select(FeedbackEntry)
                .where(FeedbackEntry.topic_id == topic_id)
                .order_by(FeedbackEntry.id)
            )
        )
        db.session.expunge_all()
        return found


def test_prioritising_is_refused_while_the_consultation_is_open(app, consultation, decided, stl):
    assert "Topics are prioritised once the consultation has closed" in text_of(
        stl.get(f"{URL}/prioritise")
    )
    response = prioritise(stl, consultation.topics["leaks"])
    assert response.status_code == 409
    assert "Topics are prioritised once the consultation has closed." in text_of(response)
    assert consultation_row(app, consultation).prioritised_at is None
    assert count(app, FeedbackEntry) == 2  # the rejection and the merge, nothing more
    assert topic_row(app, consultation.topics["leaks"]).prioritised is False


def test_prioritising_is_refused_while_topics_await_moderation(app, consultation, decided, stl):
    add_topic(app, consultation, "Sin moderar", state=TopicState.PENDING)
    close(app, consultation)
    assert "1 topic awaits moderation; moderate it first." in text_of(stl.get(f"{URL}/prioritise"))
    response = prioritise(stl, consultation.topics["leaks"])
    assert response.status_code == 409
    assert "Moderate every topic awaiting moderation first." in text_of(response)
    assert consultation_row(app, consultation).prioritised_at is None


def test_prioritising_needs_at_least_one_topic(app, consultation, decided, stl):
    close(app, consultation)
    response = prioritise(stl)
    assert response.status_code == 422
    assert "Choose at least one topic." in text_of(response)
    assert consultation_row(app, consultation).prioritised_at is None


def test_the_stl_prioritises_and_every_topic_gets_its_decision(
    app, consultation, decided, stl, client
):
    leaks, lighting, potholes = (consultation.topics[k] for k in ("leaks", "lighting", "potholes"))
    close(app, consultation)
    page = text_of(stl.get(f"{URL}/prioritise"))
    assert "Record the prioritisation" in page
    response = prioritise(stl, leaks, potholes)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}/results")
    assert consultation_row(app, consultation).prioritised_at is not None
    assert [topic_row(app, t).prioritised for t in (leaks, potholes, lighting)] == [
        True,
        True,
        False,
    ]

    for chosen in (leaks, potholes):
        [entry] = entries(app, chosen)
        assert entry.decision == Decision.ADOPTED
        assert entry.reason == services.PRIORITISED_REASON
        assert (entry.decided_role, entry.decided_sector) == (Role.STL_MEMBER, Sector.CIVIL_SOCIETY)
    [left_out] = entries(app, lighting)
    assert left_out.decision == Decision.REJECTED
    assert left_out.reason == {
        "es": "Recibió menos votos; se considerará en el próximo plan.",
        "en": "It received fewer votes; it will be considered in the next plan.",
    }
    assert (left_out.decided_role, left_out.decided_sector) == (
        Role.STL_MEMBER,
        Sector.CIVIL_SOCIETY,
    )
    # The rejected and the merged topic keep their one decision, by the facilitator.
    [rejected] = entries(app, decided["rejected"])
    [merged] = entries(app, decided["merged"])
    assert (rejected.decision, merged.decision) == (Decision.REJECTED, Decision.MERGED)
    assert rejected.decided_role == merged.decided_role == Role.FACILITATOR
    assert count(app, FeedbackEntry) == 5
    # Everyone can read it.
    results = text_of(stl.get(f"{URL}/results"))
    assert "The prioritisation is recorded, with every topic&#39;s decision." in results
    assert results.count("Prioritised</span>") == 2
    lighting_page = text_of(english(client).get(consultation.topic_url(lighting)))
    assert "What was decided" in lighting_page
    assert "It received fewer votes; it will be considered in the next plan." in lighting_page
    assert "<strong>Rejected</strong>" in lighting_page
    assert "STL member (Civil society)" in lighting_page


@pytest.fixture
def final(app, consultation, decided, stl):
    close(app, consultation)
    assert prioritise(stl, consultation.topics["leaks"]).status_code == 303
    return decided


def test_prioritising_again_is_refused(app, consultation, final, stl):
    response = prioritise(stl, consultation.topics["potholes"])
    assert response.status_code == 409
    assert FINAL in text_of(response)
    assert topic_row(app, consultation.topics["potholes"]).prioritised is False
    assert count(app, FeedbackEntry) == 5


def test_moderation_is_refused_once_prioritised(app, consultation, final, facilitator):
    lighting, potholes = consultation.topics["lighting"], consultation.topics["potholes"]
    page = text_of(facilitator.get(f"{URL}/moderation"))
    assert FINAL in page
    assert "Reject topic" not in page
    reject = facilitator.post(
        consultation.topic_url(lighting, "reject"), data={f"reject-{lighting}-reason-es": "No."}
    )
    assert reject.status_code == 409
    assert FINAL in text_of(reject)
    merge = facilitator.post(
        consultation.topic_url(potholes, "merge"),
        data={f"merge-{potholes}-target": consultation.topics["leaks"]},
    )
    assert merge.status_code == 409
    assert FINAL in text_of(merge)
    assert topic_row(app, lighting).state == TopicState.PUBLISHED
    assert topic_row(app, potholes).state == TopicState.PUBLISHED
    assert count(app, FeedbackEntry) == 5


def test_offline_input_is_refused_once_prioritised(app, consultation, final, facilitator):
    box, potholes = final["box"], consultation.topics["potholes"]
    page = text_of(facilitator.get(f"{URL}/offline/{box}"))
    assert "Save votes" not in page and "Add topic" not in page
    new_topic = facilitator.post(
        f"{URL}/offline/{box}/topics", data={"new-title-es": "Tardío", "new-votes": "3"}
    )
    assert new_topic.status_code == 409
    assert FINAL in text_of(new_topic)
    tally = facilitator.post(
        f"{URL}/offline/{box}/tallies", data={"tally-topic": potholes, "tally-votes": "9"}
    )
    assert tally.status_code == 409
    assert FINAL in text_of(tally)
    with app.app_context():
        tally_id = db.session.scalar(sa.select(OfflineTally.id))
    removal = facilitator.post(f"{URL}/offline/{box}/tallies/{tally_id}/delete")
    assert removal.status_code == 409
    assert FINAL in text_of(removal)
    assert topic_row(app, potholes).offline_votes == 4
    assert count(app, Topic) == 5
    assert count(app, OfflineTally) == 1
    # Nor can a new record be made.
    record = {
        "offline-channel": "assembly",
        "offline-place": "Plaza",
        "offline-held_on": "2026-03-09",
    }
    assert facilitator.post(f"{URL}/offline", data=record).status_code != 303
    assert count(app, OfflineInput) == 1


def test_a_late_offline_record_says_why_it_is_refused(app, consultation, final, facilitator):
    record = {
        "offline-channel": "assembly",
        "offline-place": "Plaza",
        "offline-held_on": "2026-03-09",
    }
    response = facilitator.post(f"{URL}/offline", data=record)
    assert response.status_code == 409
    assert FINAL in text_of(response)


def test_the_facilitator_cannot_prioritise(app, consultation, decided, facilitator):
    close(app, consultation)
    assert prioritise(facilitator, consultation.topics["leaks"]).status_code == 403
    with app.app_context():
        assert db.session.get(Consultation, consultation.id).prioritised_at is None
