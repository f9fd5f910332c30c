"""The benchmarks' data generator (`coplat bench-seed`, `coplat.bench_seed`) at a tiny
scale: every kept counter matches a count of the rows, the feedback log's chain holds,
the plan is submitted and launched, and the exercise's public pages answer. The sizes
of scale 1.0 are only checked as numbers: building them takes a minute (bench/)."""

from collections import Counter

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from coplat import bench_seed
from coplat.cli import cli
from coplat.commitments.enums import CommitmentStatus
from coplat.consultation.enums import TopicState
from coplat.consultation.models import (
    Consultation,
    OfflineTally,
    Participant,
    ProfileTally,
    Topic,
    Vote,
)
from coplat.consultation.services import PROFILE_DIMENSIONS
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.models import FeedbackEntry
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan
from coplat.tables.models import Proposal, TreeNode, WorkingTable
from coplat.tracking.models import MilestoneUpdate, ProgressReport
from tests.conftest import log_in

SCALE = 0.001
SLUG, OPEN_SLUG = "estado", "estado-abierta"


@pytest.fixture(scope="module")
def shared_demo(app):
    """This module's shared data is the generated exercise, built once (the conftest
    keeps the tables of a module whose tests ask for `shared_demo`, and empties them
    after it)."""
    from tests.conftest import empty_tables

    with app.app_context():
        summary = bench_seed.seed(SLUG, SCALE, report=lambda line: None)
    yield summary
    empty_tables(app)


def exercise_named(slug: str) -> Exercise:
    return db.session.scalar(sa.select(Exercise).where(Exercise.slug == slug))


def test_the_sizes_are_the_issues_at_scale_one():
    sizes = bench_seed.Sizes.at(1.0)
    assert (sizes.citizens, sizes.topics, sizes.votes) == (100_000, 5_000, 1_000_000)
    assert (sizes.tables, sizes.nodes_per_table, sizes.proposals_per_table) == (50, 60, 40)
    assert (sizes.entries, sizes.commitments, sizes.milestones) == (10_000, 12, 20)
    assert sizes.report_quarters == 8  # two years of quarterly reports
    tiny = bench_seed.Sizes.at(SCALE)
    assert tiny.votes == 1_000 and tiny.tables >= 2 and tiny.commitments == 12
    with pytest.raises(ValueError):
        bench_seed.Sizes.at(0)


def test_the_generated_volumes_are_the_sizes_asked_for(app, shared_demo):
    sizes = bench_seed.Sizes.at(SCALE)
    with app.app_context():
        exercise = exercise_named(SLUG)
        consultation = exercise.consultation
        topics = db.session.scalars(
            sa.select(Topic).where(Topic.consultation_id == consultation.id)
        ).all()
        assert len(topics) == sizes.topics
        votes = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Vote)
            .join(Topic)
            .where(Topic.consultation_id == consultation.id)
        )
        assert votes == sizes.votes
        tables = db.session.scalars(
            sa.select(WorkingTable).where(WorkingTable.exercise_id == exercise.id)
        ).all()
        assert len(tables) == sizes.tables
        for table in tables:
            nodes = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(TreeNode)
                .where(TreeNode.table_id == table.id)
            )
            proposals = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Proposal)
                .where(Proposal.table_id == table.id)
            )
            assert (nodes, proposals) == (60, 40)
        profiles = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Participant)
            .where(
                Participant.consultation_id == consultation.id,
                Participant.profile_given_at.is_not(None),
            )
        )
        assert profiles == round(0.3 * sizes.citizens)
        # Every topic and proposal has its decision, some topics more than one.
        entries = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FeedbackEntry)
            .where(FeedbackEntry.exercise_id == exercise.id)
        )
        inputs = len([t for t in topics if t.state != TopicState.PENDING]) + 40 * len(tables)
        assert entries == max(inputs, sizes.entries)
    assert shared_demo.counts["votes"] == sizes.votes


def test_every_kept_counter_matches_a_recount(app, shared_demo):
    with app.app_context():
        consultation = exercise_named(SLUG).consultation
        topics = db.session.scalars(
            sa.select(Topic).where(Topic.consultation_id == consultation.id)
        ).all()
        ids = {t.id for t in topics}
        votes = [
            (v.topic_id, v.user_id)
            for v in db.session.scalars(sa.select(Vote))
            if v.topic_id in ids
        ]
        assert len(votes) == len(set(votes)), "one vote per topic and citizen"
        per_topic = Counter(topic_id for topic_id, _user in votes)
        per_voter = Counter(user_id for _topic, user_id in votes)
        tallies = Counter()
        for tally in db.session.scalars(sa.select(OfflineTally)):
            if tally.topic_id in ids:
                tallies[tally.topic_id] += tally.votes
        for topic in topics:
            assert topic.online_votes == per_topic[topic.id], topic.id
            assert topic.offline_votes == tallies[topic.id], topic.id
            if topic.state != TopicState.PUBLISHED:
                assert per_topic[topic.id] == 0
        participants = db.session.scalars(
            sa.select(Participant).where(Participant.consultation_id == consultation.id)
        ).all()
        assert consultation.participant_count == len(participants)
        assert set(per_voter) <= {p.user_id for p in participants}
        for participant in participants:
            assert participant.votes_cast == per_voter[participant.user_id]
            assert participant.votes_cast <= consultation.vote_budget
        answers = Counter(
            (dimension, str(getattr(p, dimension)))
            for p in participants
            if p.profile_given_at is not None
            for dimension in PROFILE_DIMENSIONS
        )
        kept = {
            (t.dimension, t.value): t.people
            for t in db.session.scalars(
                sa.select(ProfileTally).where(ProfileTally.consultation_id == consultation.id)
            )
        }
        assert kept == dict(answers)


def test_each_input_shows_its_latest_decision(app, shared_demo):
    with app.app_context():
        exercise = exercise_named(SLUG)
        latest = {}
        for entry in db.session.scalars(
            sa.select(FeedbackEntry)
            .where(FeedbackEntry.exercise_id == exercise.id)
            .order_by(FeedbackEntry.sequence)
        ):
            latest[
                ("topic", entry.topic_id) if entry.topic_id else ("proposal", entry.proposal_id)
            ] = entry
        topics = db.session.scalars(
            sa.select(Topic).where(Topic.consultation_id == exercise.consultation.id)
        ).all()
        for topic in topics:
            assert topic.decision == latest[("topic", topic.id)].decision
            assert topic.prioritised == (topic.decision == "adopted")
        for proposal in db.session.scalars(sa.select(Proposal)):
            entry = latest[("proposal", proposal.id)]
            assert (proposal.decision, proposal.commitment_id) == (
                entry.decision,
                entry.commitment_id,
            )


def test_the_check_finds_nothing_and_names_a_counter_that_drifts(app, shared_demo):
    with app.app_context():
        assert bench_seed.check(SLUG) == []
        assert bench_seed.check(OPEN_SLUG) == []
        topic = db.session.scalar(
            sa.select(Topic).where(Topic.online_votes > 0).order_by(Topic.id).limit(1)
        )
        topic_id, counted = topic.id, topic.online_votes
        topic.online_votes += 1
        db.session.flush()
        # check() reads the change it is handed, then rolls it back.
        assert bench_seed.check(SLUG) == [
            f"topic {topic_id}: online_votes {counted + 1}, votes {counted}"
        ]
        assert bench_seed.check(SLUG) == []
        assert bench_seed.check("nowhere") == ["no exercise 'nowhere'"]


def test_verify_log_finds_the_chain_intact(app, shared_demo):
    result = app.test_cli_runner().invoke(cli, ["verify-log", SLUG])
    assert result.exit_code == 0, result.output
    entries = shared_demo.counts["feedback_entries"]
    assert result.output.strip() == f"{SLUG}: {entries} entries, chain intact"


def test_the_plan_is_submitted_and_launched_with_every_commitment(app, shared_demo):
    with app.app_context():
        exercise = exercise_named(SLUG)
        plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.exercise_id == exercise.id))
        assert plan.status == PlanStatus.LAUNCHED
        assert plan.submitted_at < plan.launched_at
        assert len(plan.commitments) == 12
        for commitment in plan.commitments:
            assert commitment.status == CommitmentStatus.APPROVED
            assert len(commitment.milestones) == 20
            assert commitment.submitted_at == plan.submitted_at
        assert [s.is_closed for s in exercise.steps] == [True] * 5 + [False]
        reports = db.session.scalar(sa.select(sa.func.count()).select_from(ProgressReport))
        assert reports == 12 * 8
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MilestoneUpdate)) > 0


def test_the_exercises_public_pages_answer(app, shared_demo, client):
    with app.app_context():
        exercise = exercise_named(SLUG)
        topic = db.session.scalar(
            sa.select(Topic.id)
            .where(Topic.consultation_id == exercise.consultation.id)
            .order_by(Topic.online_votes.desc())
            .limit(1)
        )
        table = db.session.scalar(
            sa.select(WorkingTable.id).where(WorkingTable.exercise_id == exercise.id).limit(1)
        )
    for url in [
        f"/e/{SLUG}",
        f"/e/{SLUG}/consultation",
        f"/e/{SLUG}/consultation/results",
        f"/e/{SLUG}/consultation/topics/{topic}",
        f"/e/{SLUG}/tables/{table}/tree",
        f"/e/{SLUG}/tables/{table}/tree.svg",
        f"/e/{SLUG}/feedback",
        f"/e/{SLUG}/feedback?decision=rejected",
        f"/e/{SLUG}/tracking",
        f"/e/{SLUG}/plan/export.json",
        f"/e/{OPEN_SLUG}/consultation",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_citizen_votes_in_the_open_consultation(app, shared_demo, client):
    with app.app_context():
        consultation = exercise_named(OPEN_SLUG).consultation
        topic = db.session.scalar(
            sa.select(Topic).where(Topic.consultation_id == consultation.id).limit(1)
        )
        topic_id, before = topic.id, topic.online_votes
    log_in(client, bench_seed.citizen_email(1, SLUG), bench_seed.PASSWORD)
    response = client.post(f"/e/{OPEN_SLUG}/consultation/topics/{topic_id}/vote")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Topic, topic_id).online_votes == before + 1
        assert bench_seed.check(OPEN_SLUG) == []


def test_a_second_build_of_the_same_exercise_is_refused(app, shared_demo):
    with app.app_context(), pytest.raises(bench_seed.SeedError, match="already holds"):
        bench_seed.seed(SLUG, SCALE, report=lambda line: None)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 2


def test_the_command_builds_then_checks(tmp_path):
    env = {"COPLAT_INSTANCE": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"}
    runner = CliRunner()
    built = runner.invoke(cli, ["bench-seed", "--scale", "0.0001", "--no-open"], env=env)
    assert built.exit_code == 0, built.output
    assert "1,000 votes" not in built.output and "100 votes" in built.output
    assert "total" in built.output and "estado-abierta" not in built.output
    checked = runner.invoke(cli, ["bench-seed", "--check"], env=env)
    assert checked.exit_code == 0, checked.output
    again = runner.invoke(cli, ["bench-seed", "--scale", "0.0001"], env=env)
    assert again.exit_code != 0 and "already holds an exercise 'estado'" in again.output
