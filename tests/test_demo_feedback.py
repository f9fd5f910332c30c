"""The demo's feedback log: every kind of decision on the consultation's topics and
the tables' proposals, a correction that supersedes an earlier entry, no input left
waiting (the late online proposal too has its decision), and a hash chain that
verifies, on the page and from the command line."""

import csv
import io
import json

import pytest
import sqlalchemy as sa
from markupsafe import escape

from coplat.accounts.models import Role
from coplat.cli import cli
from coplat.core.models import utcnow
from coplat.demo import DEMO_SLUG
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback import chain, log, services
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.log import PENDING, Filters
from coplat.feedback.models import FeedbackEntry
from coplat.tables.enums import ProposalChannel
from tests.conftest import english


@pytest.fixture
def exercise(app, shared_demo):
    with app.app_context():
        yield db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))


def entries(exercise) -> list[FeedbackEntry]:
    return log.entries_of(exercise)


def test_the_log_holds_every_kind_of_decision_and_no_pending_input(exercise):
    found = entries(exercise)
    assert {e.decision for e in found} == set(Decision)
    assert {e.stage for e in found} == set(Stage)
    summary = log.summary(exercise)
    assert set(summary.total.counts) == {d.value for d in Decision}
    # Every public input counted once, each with at least one entry: the consultation's
    # 14 topics and the proposals.
    inputs = log.page_of(exercise, Filters()).total
    assert summary.total.total == inputs
    assert inputs == len({(e.topic_id, e.proposal_id) for e in found})
    assert log.pending_count(exercise) == 0


def test_one_entry_corrects_an_earlier_one_and_both_stay(exercise):
    found = entries(exercise)
    [correction] = [e for e in found if e.supersedes_id is not None]
    corrected = correction.supersedes
    assert corrected in found and corrected.sequence < correction.sequence
    proposal = correction.proposal
    assert services.history(proposal=proposal) == [corrected, correction]
    assert services.current_entry(proposal=proposal) == correction
    # A clearer reason for the same decision, given after it and before now.
    assert correction.decision == corrected.decision == proposal.decision == Decision.REJECTED
    assert correction.reason != corrected.reason
    assert all(
        correction.reason[lang] and correction.correction_reason[lang] for lang in ["es", "en"]
    )
    assert "Ley General de Protección de Datos Personales" in correction.reason["es"]
    assert corrected.decided_at < correction.decided_at < utcnow()
    assert correction.decided_role == Role.FACILITATOR
    # Only the late proposal's decision came after it.
    later = [e for e in found if e.sequence > correction.sequence]
    assert [e.proposal.created_at > correction.decided_at for e in later] == [True]


def test_the_late_proposal_has_its_decision(exercise):
    assert log.page_of(exercise, Filters(decision=PENDING)).total == 0
    # The last entry of the chain answers the online proposal that reached the
    # public-works table after every other decision: its commitment takes it, adapted.
    *earlier, last = entries(exercise)
    proposal = last.proposal
    assert proposal.channel == ProposalChannel.ONLINE and proposal.author_id
    assert (last.stage, last.decision) == (Stage.WORKING_TABLE, Decision.MODIFIED)
    assert last.decided_role == Role.FACILITATOR
    assert last.reason["es"] and last.reason["en"]
    assert last.commitment == proposal.commitment is not None
    assert max(e.decided_at for e in earlier) < proposal.created_at < last.decided_at
    # Decided before the STL approved the commitment, and before now.
    assert last.decided_at < last.commitment.approved_at < utcnow()
    [item] = log.page_of(exercise, Filters(text=proposal.title["es"])).items
    assert item.entry == last and item.entries == 1


def test_the_chain_verifies(exercise):
    result = chain.verify(exercise.id)
    assert result.intact and result.checked == len(entries(exercise)) >= 30


def test_coplat_verify_log_passes(app, exercise):
    count = len(entries(exercise))
    result = app.test_cli_runner().invoke(cli, ["verify-log", "demo"])
    assert result.exit_code == 0, result.output
    assert result.output == f"demo: {count} entries, chain intact\n"


def test_the_log_pages_show_it(app, client, shared_demo):
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))
        late = entries(exercise)[-1]
        late_title, commitment = late.proposal.title["en"], late.commitment.title["en"]
        correction = next(e for e in entries(exercise) if e.supersedes_id)
        title, reason = correction.proposal.title["es"], correction.reason["en"]
        count = len(entries(exercise))
    english(client)
    pending = client.get("/e/demo/feedback?decision=pending")
    assert pending.status_code == 200
    text = pending.get_data(as_text=True)
    assert "<strong>0 inputs</strong>" in text and escape(late_title) not in text
    modified = client.get("/e/demo/feedback?decision=modified").get_data(as_text=True)
    assert escape(late_title) in modified and escape(commitment) in modified
    everything = client.get("/e/demo/feedback").get_data(as_text=True)
    for decision in Decision:
        assert f"decision-{decision.value}" in everything
    corrected = client.get("/e/demo/feedback", query_string={"q": title})
    assert escape(reason) in corrected.get_data(as_text=True)
    verified = client.get("/e/demo/feedback/verify").get_data(as_text=True)
    assert f"all {count} entries of the log match" in verified


def test_the_downloads_hold_the_whole_chain_without_emails(exercise, client):
    recorded = [(e.sequence, e.hash) for e in entries(exercise)]
    document = json.loads(client.get("/e/demo/feedback/log.json").get_data(as_text=True))
    assert (document["format"], document["version"]) == ("coplat-feedback-log", 1)
    assert [(e["sequence"], e["hash"]) for e in document["entries"]] == recorded
    correction = next(e for e in document["entries"] if e["supersedes_sequence"])
    assert correction["correction_reason"]["es"]
    assert {e["decided_by_role"] for e in document["entries"]} <= {
        "facilitator",
        "stl_member",
    }

    response = client.get("/e/demo/feedback/log.csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(int(r["sequence"]), r["hash"]) for r in rows] == recorded
    assert {"input_title_es", "input_title_en", "reason_es", "reason_en"} <= set(rows[0])
    assert "@" not in response.get_data(as_text=True)
