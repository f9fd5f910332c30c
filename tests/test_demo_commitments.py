"""The demo's commitments: one per working table, drafted and reviewed through the
services in the days after the tables, so the STL's decisions, the proposals' fates
and step 4 hold together."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coplat.accounts.models import Role
from coplat.commitments import services
from coplat.commitments.enums import (
    CommitmentStatus,
    ImplementerKind,
    ReviewOutcome,
    Verdict,
)
from coplat.core.models import utcnow
from coplat.demo import DEMO_SLUG, load_demo
from coplat.exercises import steps
from coplat.exercises.enums import STL_SECTORS, Seat, Sector
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback import services as feedback
from coplat.feedback.enums import Decision, Stage
from coplat.tables import services as tables
from coplat.tables.models import Proposal
from tests.conftest import english


@pytest.fixture
def exercise(app):
    with app.app_context(), force_locale("en"):
        load_demo()
        yield db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))


def by_status(exercise) -> dict[CommitmentStatus, list]:
    found: dict[CommitmentStatus, list] = {}
    for commitment in services.commitments_of(exercise):
        found.setdefault(commitment.status, []).append(commitment)
    return found


def last_held_session(table):
    return max(s.ends_at for s in table.sessions if s.starts_at < utcnow())


def test_one_commitment_per_table_in_each_state(exercise):
    commitments = services.commitments_of(exercise)
    tables_by_topic = {t.topic_id: t for t in tables.tables_of(exercise)}
    assert sorted(c.topic_id for c in commitments) == sorted(tables_by_topic)
    assert {status: len(found) for status, found in by_status(exercise).items()} == {
        CommitmentStatus.APPROVED: 1,
        CommitmentStatus.IN_REVIEW: 1,
        CommitmentStatus.DRAFT: 2,
    }
    facilitator = tables.facilitators_of(exercise)[0]
    strategic = services.strategic_causes_by_topic(exercise)
    for commitment in commitments:
        assert commitment.created_by_id == facilitator.id
        assert commitment.title["es"] and commitment.title["en"]
        # It attacks strategic causes of its own table, and at least two of them.
        assert len(commitment.causes) >= 2
        assert set(commitment.causes) <= set(strategic[commitment.topic_id])
        # Drafted after its table's working table, before the demo was loaded.
        table = tables_by_topic[commitment.topic_id]
        assert last_held_session(table) < commitment.created_at < utcnow()
        assert commitment.revisions[0].created_at == commitment.created_at


def test_the_approved_commitment_has_the_three_sectors_on_one_revision(exercise):
    [commitment] = by_status(exercise)[CommitmentStatus.APPROVED]
    first, second = commitment.revisions
    assert commitment.approved_revision == second
    [review] = commitment.reviews
    assert review.outcome == ReviewOutcome.APPROVED and review.revision == second
    verdicts = services.sector_verdicts(review)
    assert set(verdicts) == set(STL_SECTORS)
    assert all(d.verdict == Verdict.APPROVE for d in verdicts.values())
    assert all(d.review.revision == second for d in review.decisions)
    assert commitment.approved_at == max(d.decided_at for d in review.decisions)
    # The government's suplente decided for her sector; her titular did not act.
    assert verdicts[Sector.GOVERNMENT].seat == Seat.SUPLENTE
    assert [d.sector for d in review.decisions if d.seat == Seat.TITULAR] == [
        Sector.CIVIL_SOCIETY,
        Sector.GUARANTOR,
    ]
    # The STL commented on the first revision; the second answers the comments.
    assert len(first.comments) == 2
    assert all(c.author.assignment(exercise.id, Role.STL_MEMBER) for c in first.comments)
    assert all(first.created_at < c.created_at < second.created_at for c in first.comments)
    changed = {change.field.key for change in services.compare(first.content, second.content)}
    assert {"milestones", "gender_perspective", "government"} <= changed
    assert first.created_at < review.opened_at < review.closed_at < utcnow()


def test_the_approved_commitment_fills_every_field_of_the_template(exercise):
    [commitment] = by_status(exercise)[CommitmentStatus.APPROVED]
    content = services.content_of(commitment)
    assert all(c.met for c in services.quality(content, exercise))
    assert services.untranslated(content, exercise) == []
    for field in services.fields():
        if field.key != "withdrawn":
            assert services.value_of(content, field.key), field.key
    for name in services.TEXT_FIELDS:
        assert content[name]["es"] and content[name]["en"], name
    for kind in ImplementerKind:
        rows = commitment.implementers_of(kind)
        assert rows, kind
        for row in rows:
            assert row.institution and row.contact_name
            assert row.email.partition("@")[2].endswith("example.mx")
            assert row.contact_title["en"] and row.role["en"]
            assert (row.branch is not None) == (kind == ImplementerKind.GOVERNMENT)
    assert len(commitment.milestones) >= 3
    for milestone in commitment.milestones:
        assert milestone.indicator["es"] and milestone.indicator["en"]
        assert commitment.starts_on <= milestone.starts_on < milestone.ends_on
        assert milestone.ends_on <= commitment.ends_on
    assert len(commitment.policy_areas) == 2 and len(commitment.policy_sectors) == 2
    assert commitment.budget_currency == "MXN" and commitment.budget_amount > 0
    assert commitment.staff and commitment.months and commitment.resources_available
    assert commitment.ambition and commitment.sdgs and commitment.ogp_values


def test_the_commitment_in_review_has_a_rejection_with_its_reasons(exercise):
    [commitment] = by_status(exercise)[CommitmentStatus.IN_REVIEW]
    review = commitment.open_review
    assert review is not None and review.revision == commitment.latest_revision
    assert len(commitment.revisions) == 2 and commitment.approved_revision is None
    verdicts = services.sector_verdicts(review)
    assert verdicts[Sector.CIVIL_SOCIETY].verdict == Verdict.APPROVE
    rejection = verdicts[Sector.GUARANTOR]
    assert rejection.verdict == Verdict.REJECT and "datos personales" in rejection.comment
    assert verdicts[Sector.GOVERNMENT] is None  # still to decide
    # The government's titular and the facilitator answered on the revision.
    comments = review.revision.comments
    assert len(comments) == 2
    assert all(rejection.decided_at < c.created_at < utcnow() for c in comments)
    assert all(review.opened_at < d.decided_at for d in review.decisions)


def test_the_drafts_show_what_is_missing(exercise):
    drafts = by_status(exercise)[CommitmentStatus.DRAFT]
    assert all(not c.reviews and len(c.revisions) == 1 for c in drafts)
    gaps = {
        c.id: (
            [m for q in services.quality(services.content_of(c), exercise) for m in q.missing],
            services.untranslated(services.content_of(c), exercise),
        )
        for c in drafts
    }
    # One still lacks part of its English, the other the dates of a milestone.
    assert sorted(bool(english) for _quality, english in gaps.values()) == [False, True]
    untranslated = next(english for _quality, english in gaps.values() if english)
    assert "6. Problem" in untranslated and "17. Milestone 1" in untranslated
    assert any(
        "Milestone 2: give its start and end dates." in quality for quality, _ in gaps.values()
    )


def test_every_proposal_made_before_the_commitments_were_drafted_has_a_decision(exercise):
    facilitator = tables.facilitators_of(exercise)[0]
    drafted = {c.topic_id: c.created_at for c in services.commitments_of(exercise)}
    decisions = set()
    late = []
    for table in tables.tables_of(exercise):
        proposals = db.session.scalars(sa.select(Proposal).where(Proposal.table_id == table.id))
        for proposal in proposals:
            if proposal.created_at > drafted[table.topic_id]:
                late.append(proposal)
                continue
            assert proposal.decision is not None, proposal.title["es"]
            decisions.add(proposal.decision)
            # The latest entry is its fate; an earlier one it corrects stays before it.
            *earlier, entry = feedback.history(proposal=proposal)
            assert [e.id for e in earlier] == ([entry.supersedes_id] if earlier else [])
            assert entry.stage == Stage.WORKING_TABLE and entry.decision == proposal.decision
            assert entry.decided_by_id == facilitator.id
            assert entry.decided_role == Role.FACILITATOR
            assert proposal.created_at < entry.decided_at < utcnow()
            if proposal.decision == Decision.ADOPTED:
                assert entry.reason == {}
            else:
                # A change or a reason, in both languages.
                assert entry.reason["es"] and entry.reason["en"]
            if proposal.decision == Decision.REJECTED:
                assert proposal.commitment is None and entry.commitment is None
            else:
                assert proposal.commitment is not None
                assert entry.commitment == proposal.commitment
                assert proposal.commitment.topic_id == table.topic_id
                assert entry.decided_at >= proposal.commitment.created_at
    assert decisions == {Decision.ADOPTED, Decision.MODIFIED, Decision.REJECTED}
    # One online proposal reached an open call after its table's commitment was drafted.
    [proposal] = late
    assert proposal.decision is None and feedback.history(proposal=proposal) == []


def test_the_plan_period_fits_the_administration(exercise):
    start, end = exercise.plan_starts_on, exercise.plan_ends_on
    assert end >= services.add_months(start, 12) - timedelta(days=1)
    assert end <= services.add_months(exercise.administration_ends, -2)
    for commitment in services.commitments_of(exercise):
        assert start <= commitment.starts_on < commitment.ends_on <= end


def test_step_4_waits_for_the_late_proposal_and_the_commitments_in_draft_or_review(exercise):
    # One commitment is approved; three are in draft or in review, and a proposal that
    # arrived after the drafting waits for its decision, as the demo tells it, so step 4
    # cannot close yet.
    found = steps.requirements(exercise, 4)
    assert [r.met for r in found] == [True, True, True, False, True, False]
    assert str(found[3].evidence) == "1 input waiting"
    assert [str(r.evidence) for r in found[-2:]] == [
        "1 commitment approved",
        "3 commitments in draft or in review",
    ]
    assert [s.number for s in exercise.steps if s.is_closed] == [1, 2, 3]


def test_the_pages_show_the_demo_commitments(app, client):
    with app.app_context():
        load_demo()
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))
        ids = [c.id for c in services.commitments_of(exercise)]
    english(client)
    text = client.get("/e/demo").get_data(as_text=True)
    assert "Feb 1, 2027 to Jan 31, 2028" in text
    assert '<a href="/e/demo/commitments">3 commitments in draft or in review</a>' in text
    index = client.get("/e/demo/commitments")
    assert index.status_code == 200
    assert "Water with notice" in index.get_data(as_text=True)
    for commitment_id in ids:
        assert client.get(f"/e/demo/commitments/{commitment_id}").status_code == 200
