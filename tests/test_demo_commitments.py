"""The demo's commitments: one per working table, drafted and reviewed through the
services in the days after the tables until the three sectors approve all four, so the
STL's decisions, the proposals' fates and step 4 hold together; then submitted to OGP
with the plan, and implemented (tests/test_demo_tracking.py)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
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
from coplat.demo import DEMO_SLUG
from coplat.demo_commitments import (
    CLINIC_COMMITMENT,
    LIGHTS_COMMITMENT,
    WATER_COMMITMENT,
    WORKS_COMMITMENT,
)
from coplat.demo_timeline import Timeline
from coplat.exercises import steps
from coplat.exercises.enums import STL_SECTORS, Seat, Sector
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback import services as feedback
from coplat.feedback.enums import Decision, Stage
from coplat.plan.services import plan_of
from coplat.tables import services as tables
from coplat.tables.enums import SessionKind
from coplat.tables.models import Proposal
from tests.conftest import english


@pytest.fixture
def exercise(app, shared_demo):
    with app.app_context(), force_locale("en"):
        yield db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))


def by_status(exercise) -> dict[CommitmentStatus, list]:
    found: dict[CommitmentStatus, list] = {}
    for commitment in services.commitments_of(exercise):
        found.setdefault(commitment.status, []).append(commitment)
    return found


def titled(exercise, text: dict):
    """The demo commitment with that content's Spanish title."""
    [found] = [c for c in services.commitments_of(exercise) if c.title["es"] == text["title"]["es"]]
    return found


def without_status(content: dict) -> dict:
    return content | {
        "milestones": [{k: v for k, v in m.items() if k != "status"} for m in content["milestones"]]
    }


def working_table_held(table):
    """When the table's working table (its second round of co-creation) ended."""
    [first, *_later] = [s for s in table.sessions if s.kind == SessionKind.WORKING_TABLE]
    return first.ends_at


def test_one_commitment_per_table_all_approved(exercise):
    commitments = services.commitments_of(exercise)
    tables_by_topic = {t.topic_id: t for t in tables.tables_of(exercise)}
    assert sorted(c.topic_id for c in commitments) == sorted(tables_by_topic)
    assert {status: len(found) for status, found in by_status(exercise).items()} == {
        CommitmentStatus.APPROVED: 4
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
        assert working_table_held(table) < commitment.created_at < utcnow()
        assert commitment.revisions[0].created_at == commitment.created_at
        # Approved on its latest revision, by the three sectors, before now.
        assert commitment.approved_revision == commitment.latest_revision
        [review] = [r for r in commitment.reviews if r.outcome == ReviewOutcome.APPROVED]
        assert review.revision == commitment.approved_revision
        assert all(d.verdict == Verdict.APPROVE for d in review.decisions)
        assert set(services.sector_verdicts(review)) == set(STL_SECTORS)
        assert commitment.approved_at == max(d.decided_at for d in review.decisions) < utcnow()
        assert commitment.open_review is None
        # Submitted with the plan, after the approval.
        assert commitment.approved_at < commitment.submitted_at == plan_of(exercise).submitted_at


def test_water_has_the_three_sectors_on_one_revision(exercise):
    commitment = titled(exercise, WATER_COMMITMENT)
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


def test_street_lighting_takes_two_rounds(exercise):
    commitment = titled(exercise, LIGHTS_COMMITMENT)
    first, sent, revised = commitment.revisions
    round_1, round_2 = commitment.reviews
    # Round 1: civil society approves, the guarantor body rejects it with its reasons
    # and the government waits; the facilitator returns it to draft.
    assert round_1.revision == sent and round_1.outcome == ReviewOutcome.RETURNED
    assert "órgano garante" in round_1.note
    verdicts = services.sector_verdicts(round_1)
    assert verdicts[Sector.CIVIL_SOCIETY].verdict == Verdict.APPROVE
    rejection = verdicts[Sector.GUARANTOR]
    assert rejection.verdict == Verdict.REJECT and "datos personales" in rejection.comment
    assert verdicts[Sector.GOVERNMENT] is None
    # The government's titular and the facilitator answered on the rejected revision.
    comments = sent.comments
    assert len(comments) == 2
    assert all(rejection.decided_at < c.created_at < round_1.closed_at for c in comments)
    # Round 2: the revision that answers the objections, approved by the three sectors.
    assert round_1.closed_at < revised.created_at <= round_2.opened_at
    assert round_2.revision == revised == commitment.approved_revision
    assert round_2.outcome == ReviewOutcome.APPROVED
    verdicts = services.sector_verdicts(round_2)
    assert all(d.verdict == Verdict.APPROVE and d.seat == Seat.TITULAR for d in verdicts.values())
    assert verdicts[Sector.GUARANTOR].decided_at < verdicts[Sector.GOVERNMENT].decided_at
    assert commitment.approved_at == round_2.closed_at < utcnow()
    changed = {change.field.key for change in services.compare(sent.content, revised.content)}
    assert {"government", "action", "milestones"} <= changed
    # The personal data the guarantor body objected to stays out; the last indicator
    # counts repairs, not walks; the census goes on a map, as civil society asked.
    reports, census, _payments, walks = revised.content["milestones"]
    assert "sólo con folio, colonia, fecha y estado" in reports["output"]["es"]
    assert "aviso de privacidad" in revised.content["action"]["es"]
    assert "recorridos realizados" in sent.content["milestones"][3]["indicator"]["es"]
    assert "reparadas" in walks["indicator"]["es"]
    assert "mapa" in census["output"]["es"]
    assert first.created_at < sent.created_at < round_1.opened_at


def test_every_commitment_fills_every_field_of_the_template(exercise):
    for commitment in services.commitments_of(exercise):
        content = commitment.approved_revision.content
        # Implementation moved the milestones' status; the approved text did not change.
        working = services.content_of(commitment)
        assert without_status(content) == without_status(working)
        assert {m["status"] for m in content["milestones"]} == {"not_started"}
        assert all(c.met for c in services.quality(content, exercise)), commitment.title
        assert services.untranslated(content, exercise) == []
        for field in services.fields():
            if field.key != "withdrawn":
                assert services.value_of(content, field.key), (commitment.title, field.key)
        for name in services.TEXT_FIELDS:
            assert content[name]["es"] and content[name]["en"], (commitment.title, name)
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
            assert milestone.output["es"] and milestone.output["en"]
            assert milestone.indicator["es"] and milestone.indicator["en"]
            assert commitment.starts_on <= milestone.starts_on < milestone.ends_on
            assert milestone.ends_on <= commitment.ends_on
            assert milestone.institution and milestone.contact
        assert commitment.policy_areas and commitment.policy_sectors
        assert commitment.budget_currency == "MXN" and commitment.budget_amount > 0
        assert commitment.staff and commitment.months and commitment.resources_available
        assert commitment.ambition and commitment.sdgs and commitment.ogp_values


def test_the_first_drafts_keep_what_was_missing(exercise):
    # The health draft lacked the dates of a milestone, the public-works one part of its
    # English; the revisions that followed completed them.
    clinic = titled(exercise, CLINIC_COMMITMENT)
    first = clinic.revisions[0].content
    missing = [m for q in services.quality(first, exercise) for m in q.missing]
    assert "Milestone 2: give its start and end dates." in missing
    assert not first["contribution"] and first["budget_amount"] is None
    works = titled(exercise, WORKS_COMMITMENT)
    untranslated = services.untranslated(works.revisions[0].content, exercise)
    assert "6. Problem" in untranslated and "17. Milestone 1" in untranslated
    assert [len(r.content["milestones"]) for r in works.revisions] == [3, 3, 4]
    assert services.untranslated(works.revisions[1].content, exercise) == []
    for commitment in (clinic, works):
        assert all(not r.comments for r in commitment.revisions)
        [review] = commitment.reviews
        assert review.revision == commitment.latest_revision
        assert commitment.revisions[-2].created_at < review.opened_at


def test_every_proposal_has_its_decision(exercise):
    facilitator = tables.facilitators_of(exercise)[0]
    drafted = {c.topic_id: c.created_at for c in services.commitments_of(exercise)}
    decisions = set()
    late = []
    for table in tables.tables_of(exercise):
        proposals = db.session.scalars(sa.select(Proposal).where(Proposal.table_id == table.id))
        for proposal in proposals:
            assert proposal.decision is not None, proposal.title["es"]
            if proposal.created_at > drafted[table.topic_id]:
                late.append(proposal)
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
                # Taken before the three sectors approved the commitment.
                assert entry.decided_at < proposal.commitment.approved_at
    assert decisions == {Decision.ADOPTED, Decision.MODIFIED, Decision.REJECTED}
    # One online proposal reached the public-works table after its commitment was
    # drafted: the revision after it adds its photographs, adapted, and the STL
    # approved that revision.
    [proposal] = late
    commitment = titled(exercise, WORKS_COMMITMENT)
    assert proposal.decision == Decision.MODIFIED and proposal.commitment == commitment
    [entry] = feedback.history(proposal=proposal)
    assert "fotografías" in entry.reason["es"] and entry.reason["en"]
    before, after = commitment.revisions[-2:]
    assert before.created_at < proposal.created_at < after.created_at <= entry.decided_at
    assert after == commitment.approved_revision
    assert "fotografías" in after.content["milestones"][3]["output"]["es"].lower()


def test_the_plan_period_fits_the_administration(exercise):
    start, end = exercise.plan_starts_on, exercise.plan_ends_on
    assert end >= services.add_months(start, 12) - timedelta(days=1)
    assert end <= services.add_months(exercise.administration_ends, -2)
    for commitment in services.commitments_of(exercise):
        assert start <= commitment.starts_on < commitment.ends_on <= end


def test_step_4_has_every_requirement_met(exercise):
    # Every input decided, every commitment approved: the STL closed step 4 the morning
    # after the last approval, before the plan was submitted.
    found = steps.requirements(exercise, 4)
    assert all(r.met for r in found)
    assert str(found[3].evidence) == "0 inputs waiting"
    assert [str(r.evidence) for r in found[-2:]] == [
        "4 commitments approved",
        "0 commitments in draft or in review",
    ]
    step = exercise.step(4)
    assert step.is_closed and step.closed_by.email == "stl.garante@demo.coplat.mx"
    last_approval = max(c.approved_at for c in services.commitments_of(exercise))
    assert last_approval < step.closed_at < plan_of(exercise).submitted_at


def test_the_dates_follow_the_plans_period(exercise):
    # Written for a template period and moved to the real one, a whole number of
    # quarters away (tests/test_demo_timeline.py).
    timeline = Timeline.of(exercise)
    for text in (WATER_COMMITMENT, LIGHTS_COMMITMENT, CLINIC_COMMITMENT, WORKS_COMMITMENT):
        commitment = titled(exercise, text)
        assert (commitment.starts_on, commitment.ends_on) == (
            exercise.plan_starts_on,
            exercise.plan_ends_on,
        )
        assert [
            (m.starts_on.isoformat(), m.ends_on.isoformat()) for m in commitment.milestones
        ] == [
            (timeline.moved(m["starts_on"]), timeline.moved(m["ends_on"]))
            for m in text["milestones"]
        ]
    # The texts name the administration's and the plan's years.
    water = titled(exercise, WATER_COMMITMENT)
    years = f"{exercise.administration_ends.year - 3}–{exercise.administration_ends.year}"
    assert water.vision_objective["es"].startswith(f"Plan Municipal de Desarrollo {years},")
    assert f"(FAIS) {exercise.plan_starts_on.year}," in water.additional_information["es"]


def test_the_pages_show_the_demo_commitments(app, client, shared_demo):
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))
        ids = [c.id for c in services.commitments_of(exercise)]
        period = (
            format_date(exercise.plan_starts_on, "medium", locale="en"),
            format_date(exercise.plan_ends_on, "medium", locale="en"),
        )
    english(client)
    # The plan's page shows its period.
    assert "From {} to {}.".format(*period) in client.get("/e/demo/plan").get_data(as_text=True)
    index = client.get("/e/demo/commitments")
    assert index.status_code == 200
    listed = index.get_data(as_text=True)
    assert "Water with notice" in listed and "Open public works" in listed
    for commitment_id in ids:
        assert client.get(f"/e/demo/commitments/{commitment_id}").status_code == 200
