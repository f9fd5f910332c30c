"""The plan's rules at the service level: one plan per exercise, the approved
commitments it holds (OGP Local §3.2 limits), the strategic vision (Annex 1) and its
period, the values the record proposes, and the endorsements of non-governmental
actors (§3.3.1), which any later change to the plan's content sends back for renewal."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.commitments.enums import CommitmentStatus
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.plan import services
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan, Endorsement, PlanRevision
from coplat.plan.readiness import submit
from coplat.plan.services import PlanError
from coplat.tables import services as tables
from tests.plan.conftest import ADMINISTRATION_ENDS, PLAN_ENDS, PLAN_STARTS, vision_values

SUBMITTED = "The plan was submitted to OGP; it no longer changes here."
NOT_APPROVED = "Only commitments the three sectors of the STL approved join the plan."
ONLY_REPRESENTATIVES = (
    "Only a representative of a non-governmental actor can endorse, from their own account."
)


def titles(plan) -> list[str]:
    return [c.title["en"] for c in plan.commitments]


# ----- one plan per exercise -------------------------------------------------------------


def test_each_exercise_has_one_plan_created_the_first_time_it_is_asked_for(build_plan):
    desk = build_plan(commitments=0, vision=False, session=False)
    other = build_plan(slug="monte", commitments=0, vision=False, session=False)

    assert services.plan_of(desk.exercise) is desk.plan
    db.session.commit()
    assert services.plan_of(desk.exercise).id == desk.plan.id
    assert services.plan_of(other.exercise).id != desk.plan.id
    assert db.session.query(ActionPlan).count() == 2
    assert desk.plan.status == PlanStatus.DRAFT
    assert desk.plan.commitments == []


# ----- commitments -----------------------------------------------------------------------


def test_approved_commitments_join_in_the_order_they_are_added(build_plan):
    desk = build_plan(commitments=0, vision=False)
    first = desk.approved(title={"es": "Agua", "en": "Water"})
    second = desk.approved(title={"es": "Luz", "en": "Light"})
    assert services.candidates(desk.plan) == [first, second]

    desk.add(second, first)

    assert titles(desk.plan) == ["Light", "Water"]
    assert services.candidates(desk.plan) == []


def test_a_commitment_is_held_once(build_plan):
    desk = build_plan(commitments=1, vision=False)
    with pytest.raises(PlanError, match="The plan already holds this commitment."):
        services.add_commitment(desk.plan, desk.commitments[0])
    assert len(desk.plan.entries) == 1


@pytest.mark.parametrize("state", ["draft", "in review", "rejected", "withdrawn", "never approved"])
def test_only_approved_commitments_join(build_plan, state):
    desk = build_plan(commitments=0, vision=False)
    match state:
        case "draft":
            commitment = desk.draft()
        case "in review":
            commitment = desk.in_review()
        case "rejected":
            from coplat.commitments import services as commitments
            from coplat.commitments.enums import Verdict

            commitment = desk.in_review()
            commitments.decide(
                commitment, desk.members[Sector.CIVIL_SOCIETY], Verdict.REJECT, "Falta presupuesto."
            )
            for sector in (Sector.GOVERNMENT, Sector.GUARANTOR):
                commitments.decide(commitment, desk.members[sector], Verdict.APPROVE, "")
            db.session.commit()
        case "withdrawn":
            commitment = desk.withdraw(desk.approved())
            assert commitment.status == CommitmentStatus.WITHDRAWN
        case "never approved":
            commitment = desk.withdraw(desk.draft(), approve=False)
            assert commitment.status == CommitmentStatus.WITHDRAWN

    assert commitment not in services.candidates(desk.plan)
    with pytest.raises(PlanError) as refused:
        services.add_commitment(desk.plan, commitment)
    assert str(refused.value.message) == NOT_APPROVED
    assert desk.plan.entries == []


def test_a_commitment_whose_change_waits_for_the_stl_stays_approved(build_plan):
    """The approved revision stays in the plan while a change is reviewed."""
    desk = build_plan(commitments=0, vision=False)
    commitment = desk.change(desk.approved(), approve=False, ends_on="2028-01-31")
    assert commitment.status == CommitmentStatus.IN_REVIEW

    desk.add(commitment)
    assert desk.plan.commitments == [commitment]


def test_a_commitment_of_another_exercise_is_refused(build_plan):
    other = build_plan(slug="monte", commitments=1, vision=False, session=False)
    desk = build_plan(commitments=0, vision=False, session=False)
    with pytest.raises(PlanError, match="Only commitments the three sectors"):
        services.add_commitment(desk.plan, other.commitments[0])
    assert desk.plan.entries == []


@pytest.mark.parametrize(
    ("jurisdictions", "limit", "rule"),
    [
        (1, 5, "A plan for one jurisdiction holds at most 5 commitments (OGP Local §3.2)."),
        (2, 10, "A joint plan of 2 jurisdictions holds at most 10 commitments (OGP Local §3.2)."),
        (3, 12, "A joint plan of 3 jurisdictions holds at most 12 commitments (OGP Local §3.2)."),
    ],
)
def test_the_plan_holds_at_most_the_commitments_ogp_allows(build_plan, jurisdictions, limit, rule):
    desk = build_plan(jurisdictions=jurisdictions, commitments=limit, vision=False)
    assert len(desk.plan.entries) == limit
    one_more = desk.approved()

    with pytest.raises(PlanError) as refused:
        services.add_commitment(desk.plan, one_more)

    assert str(refused.value.message) == f"{rule} Remove one from the plan before adding another."
    assert len(desk.plan.entries) == limit
    if jurisdictions == 3:
        # Four jurisdictions allow twelve too.
        desk.set_jurisdictions(4)
        with pytest.raises(PlanError, match="A joint plan of 4 jurisdictions holds at most 12"):
            services.add_commitment(desk.plan, one_more)
    # Removing one makes room.
    desk.remove(desk.commitments[0])
    desk.add(one_more)
    assert len(desk.plan.entries) == limit
    assert desk.commitments[-1] == one_more


def test_a_removed_commitment_leaves_and_can_come_back(build_plan):
    desk = build_plan(commitments=2, vision=False)
    first, second = desk.commitments

    desk.remove(first)
    assert desk.plan.commitments == [second]
    assert services.candidates(desk.plan) == [first]
    with pytest.raises(PlanError, match="The plan does not hold this commitment."):
        services.remove_commitment(desk.plan, first)

    desk.add(first)
    assert desk.plan.commitments == [second, first]


def test_nothing_changes_once_the_plan_is_submitted(build_plan):
    desk = build_plan(commitments=1)
    held = desk.commitments[0]
    waiting = desk.approved()
    desk.plan.status = PlanStatus.SUBMITTED
    db.session.commit()

    attempts = [
        lambda: services.add_commitment(desk.plan, waiting),
        lambda: services.remove_commitment(desk.plan, held),
        lambda: services.save_vision(
            desk.plan, vision_values(goals={"es": "Otra"}), desk.facilitator
        ),
        lambda: services.endorse(desk.plan, desk.representative),
        lambda: services.record_endorsement(
            desk.plan, desk.actors[Sector.ACADEMIA], "Inés", "", desk.document(), desk.facilitator
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PlanError) as refused:
            attempt()
        assert str(refused.value.message).startswith(SUBMITTED)

    assert desk.plan.commitments == [held]
    assert desk.plan.goals["es"] == "Duplicar la participación."
    assert desk.plan.endorsements == []


# ----- the strategic vision ----------------------------------------------------------------


def test_saving_the_vision_writes_annex_1_and_the_period(build_plan):
    desk = build_plan(commitments=0, vision=False, session=False)
    values = vision_values(
        monitoring_contact="  monitoreo@uv.edu.mx  ", consultation_link=" https://x.example/c "
    )
    assert services.save_vision(desk.plan, values, desk.point_of_contact) is True
    db.session.commit()
    db.session.expire_all()

    plan, exercise = desk.plan, desk.exercise
    assert plan.vision == {
        "es": "Un gobierno que rinde cuentas.",
        "en": "An accountable government.",
    }
    assert plan.results_sharing["en"] == "A public board."
    assert (plan.group_count, plan.meeting_count) == (3, 1)
    assert plan.monitoring_contact == "monitoreo@uv.edu.mx"
    assert plan.consultation_link == "https://x.example/c"
    assert (exercise.administration_ends, exercise.plan_starts_on, exercise.plan_ends_on) == (
        ADMINISTRATION_ENDS,
        PLAN_STARTS,
        PLAN_ENDS,
    )
    [revision] = plan.revisions
    assert revision.number == 1
    assert revision.author == desk.point_of_contact
    assert revision.content["vision"]["en"] == "An accountable government."


def test_a_save_that_changes_nothing_makes_no_revision(build_plan):
    desk = build_plan(commitments=1)
    assert [r.number for r in desk.plan.revisions] == [1]

    assert desk.save_vision() is False
    assert [r.number for r in desk.plan.revisions] == [1]

    assert desk.save_vision(goals={"es": "Duplicar la participación.", "en": "Double it."}) is True
    assert [r.number for r in desk.plan.revisions] == [1, 2]
    assert desk.plan.latest_revision.content["goals"]["en"] == "Double it."

    # The period is part of the content too.
    assert desk.save_vision(
        goals={"es": "Duplicar la participación.", "en": "Double it."},
        plan_starts_on=date(2026, 10, 1),
    )
    assert [r.number for r in desk.plan.revisions] == [1, 2, 3]


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        (
            {"plan_ends_on": date(2028, 9, 1)},
            "plan_ends_on",
            "The action plan must end at least two months before the administration does:"
            " on August 31, 2028 at the latest.",
        ),
        (
            {"administration_ends": date(2028, 8, 29)},
            "plan_ends_on",
            "The action plan must end at least two months before the administration does:"
            " on June 29, 2028 at the latest.",
        ),
        (
            {"plan_ends_on": date(2027, 8, 30)},
            "plan_ends_on",
            "An action plan lasts at least one year: end it on August 31, 2027 or later.",
        ),
        (
            {"plan_ends_on": date(2026, 8, 1)},
            "plan_ends_on",
            "The action plan must end after it starts.",
        ),
        (
            {"plan_ends_on": None},
            "plan_ends_on",
            "Give both dates of the action plan, or leave both blank.",
        ),
        (
            {"plan_starts_on": None},
            "plan_starts_on",
            "Give both dates of the action plan, or leave both blank.",
        ),
    ],
)
def test_the_plan_period_is_checked(build_plan, period, field, message):
    desk = build_plan(commitments=0, vision=False, session=False)
    with pytest.raises(PlanError) as refused:
        services.save_vision(
            desk.plan, vision_values(**period, goals={"es": "Nueva"}), desk.point_of_contact
        )
    assert refused.value.field == field
    assert str(refused.value.message) == message
    db.session.rollback()
    assert desk.plan.goals == {}
    assert desk.plan.revisions == []


@pytest.mark.parametrize(
    "period",
    [
        {"plan_ends_on": date(2028, 8, 31)},  # exactly two months before
        {"plan_ends_on": date(2027, 8, 31)},  # exactly one year
        {"plan_starts_on": None, "plan_ends_on": None},  # not decided yet
    ],
)
def test_a_period_within_the_rules_is_saved(build_plan, period):
    desk = build_plan(commitments=0, vision=False, session=False)
    assert desk.save_vision(**period) is True
    assert desk.exercise.plan_ends_on == period["plan_ends_on"]


# ----- what the record proposes ----------------------------------------------------------


def test_the_record_proposes_participants_groups_meetings_link_and_end(build_plan):
    desk = build_plan(commitments=0, vision=False)  # a session held with government and CS
    academia, guarantor = desk.actors[Sector.ACADEMIA], desk.actors[Sector.GUARANTOR]
    desk.session([academia, desk.actors[Sector.CIVIL_SOCIETY]], utcnow() - timedelta(hours=2))
    desk.session([guarantor, desk.actor("Vecinos del Centro", Sector.CITIZEN)])
    desk.session([], utcnow() + timedelta(days=3))

    found = services.proposals(desk.plan)

    assert found["participants"].value == {
        "es": "Gobierno: Ayuntamiento de Valle Verde; Sociedad civil: Colectivo Agua Limpia;"
        " Órgano garante: Instituto de Transparencia; Academia: Universidad del Valle;"
        " Ciudadanía: Vecinos del Centro",
        "en": "Government: Ayuntamiento de Valle Verde; Civil society: Colectivo Agua Limpia;"
        " Guarantor body: Instituto de Transparencia; Academia: Universidad del Valle;"
        " Citizens: Vecinos del Centro",
    }
    assert found["group_count"].value == 5
    assert found["meeting_count"].value == 3  # the upcoming session does not count
    assert found["consultation_link"].value == "http://coplat.test/e/valle/consultation"
    assert found["plan_ends_on"].value == date(2028, 8, 31)
    assert str(found["meeting_count"].evidence) == "Sessions held at the working tables"

    # Once the fourth session is held, it counts.
    later = services.proposals(desk.plan, now=utcnow() + timedelta(days=4))
    assert later["meeting_count"].value == 4


def test_an_actor_attending_for_two_sectors_is_one_group(build_plan):
    desk = build_plan(commitments=0, vision=False)  # government and civil society attended
    session = desk.session([])
    tables.record_attendance(session, desk.actors[Sector.CIVIL_SOCIETY], Sector.CITIZEN)
    db.session.commit()

    assert services.proposals(desk.plan)["group_count"].value == 2


def test_an_empty_record_proposes_nothing(build_plan):
    desk = build_plan(commitments=0, vision=False, consultation=False)

    found = services.proposals(desk.plan)

    assert found["participants"].value == {}
    assert found["group_count"].value is None
    assert found["meeting_count"].value is None
    assert found["consultation_link"].value == ""
    assert found["plan_ends_on"].value == date(2028, 8, 31)


def test_participants_are_described_in_each_language_of_the_exercise(build_plan):
    desk = build_plan(commitments=0, vision=False, languages="es")
    assert services.proposals(desk.plan)["participants"].value == {
        "es": "Gobierno: Ayuntamiento de Valle Verde; Sociedad civil: Colectivo Agua Limpia"
    }


# ----- endorsements ------------------------------------------------------------------------


def test_a_representative_endorses_the_current_revision(build_plan):
    desk = build_plan(commitments=1)
    now = utcnow()
    endorsement = services.endorse(desk.plan, desk.representative, "  Coordinadora ", now=now)
    db.session.commit()

    assert endorsement.actor == desk.actors[Sector.CIVIL_SOCIETY]
    assert endorsement.representative == "Sofía Salas"
    assert endorsement.position == "Coordinadora"
    assert endorsement.user == desk.representative
    assert endorsement.document is None
    assert endorsement.endorsed_at == now
    assert endorsement.revision == desk.plan.latest_revision
    assert endorsement.revision.fingerprint == services.current_fingerprint(desk.plan)
    [state] = services.endorsements_of(desk.plan)
    assert state.endorsement == endorsement
    assert state.needs_renewal is False


def test_endorsing_names_a_new_revision_when_the_plan_changed_since_the_last(build_plan):
    desk = build_plan(commitments=1)  # revision 1: the vision saved with the commitment
    desk.held(1)
    endorsement = desk.endorse()
    assert endorsement.revision.number == 2
    assert endorsement.revision.content["commitments"][1]["id"] == desk.commitments[1].id
    assert endorsement.revision.author == desk.representative


@pytest.mark.parametrize("sector", [Sector.ACADEMIA, Sector.PRIVATE_SECTOR, Sector.CITIZEN])
def test_other_non_governmental_actors_endorse_too(build_plan, sector):
    desk = build_plan(commitments=1, session=False)
    actor = desk.actor(f"Actor {sector.value}", sector)
    user = desk.person(f"{sector.value}@example.mx", Role.IMPLEMENTER, actor=actor)

    endorsement = desk.endorse(user)

    assert endorsement.actor == actor
    assert desk.needs_renewal() == {f"Actor {sector.value}": False}


@pytest.mark.parametrize(
    "who", ["government", "guarantor", "facilitator", "no actor", "anonymous", "monitoring body"]
)
def test_only_representatives_of_non_governmental_actors_endorse(build_plan, who):
    desk = build_plan(commitments=1, session=False)
    user = {
        "government": lambda: desk.members.get(Sector.GOVERNMENT),
        "guarantor": lambda: desk.members.get(Sector.GUARANTOR),
        "facilitator": lambda: desk.facilitator,
        "no actor": lambda: desk.person("solo@example.mx", Role.IMPLEMENTER),
        "anonymous": lambda: None,
        # The university that will assess the plan does not endorse it.
        "monitoring body": lambda: desk.person(
            "observatorio@example.mx", Role.MONITORING, actor=desk.actors[Sector.ACADEMIA]
        ),
    }[who]()

    with pytest.raises(PlanError) as refused:
        services.endorse(desk.plan, user)

    assert str(refused.value.message) == ONLY_REPRESENTATIVES
    assert desk.plan.endorsements == []


def test_representing_an_actor_in_another_exercise_does_not_count(build_plan):
    other = build_plan(slug="monte", commitments=0, vision=False, session=False)
    desk = build_plan(commitments=1, session=False)
    with pytest.raises(PlanError, match=ONLY_REPRESENTATIVES):
        services.endorse(desk.plan, other.representative)
    assert desk.plan.endorsements == []


def test_there_is_nothing_to_endorse_without_commitments(build_plan):
    desk = build_plan(commitments=0)
    with pytest.raises(PlanError, match="The plan holds no commitment yet"):
        services.endorse(desk.plan, desk.representative)
    with pytest.raises(PlanError, match="The plan holds no commitment yet"):
        desk.record()
    assert desk.plan.endorsements == []


def test_the_facilitator_records_a_signed_endorsement_with_its_document(build_plan):
    desk = build_plan(commitments=1)
    document = desk.document("firma.pdf")
    endorsement = services.record_endorsement(
        desk.plan,
        desk.actors[Sector.ACADEMIA],
        "  Dra. Inés Ramos ",
        " Rectora ",
        document,
        desk.facilitator,
    )
    db.session.commit()

    assert (endorsement.representative, endorsement.position) == ("Dra. Inés Ramos", "Rectora")
    assert endorsement.document == document
    assert endorsement.user is None
    assert endorsement.recorded_by == desk.facilitator
    assert endorsement.revision == desk.plan.latest_revision
    assert desk.needs_renewal() == {"Universidad del Valle": False}


@pytest.mark.parametrize("sector", [Sector.GOVERNMENT, Sector.GUARANTOR])
def test_a_signed_endorsement_is_refused_for_governmental_actors(build_plan, sector):
    desk = build_plan(commitments=1, session=False)
    with pytest.raises(PlanError) as refused:
        desk.record(desk.actors[sector])
    assert refused.value.field == "actor_id"
    message = str(refused.value.message)
    assert message == "Only non-governmental actors endorse the plan (OGP Local §3.3.1)."
    db.session.rollback()
    assert db.session.query(Endorsement).count() == 0


def test_a_signed_endorsement_is_refused_for_another_exercises_actor(build_plan):
    other = build_plan(slug="monte", commitments=0, vision=False, session=False)
    desk = build_plan(commitments=1, session=False)
    with pytest.raises(PlanError, match="Only non-governmental actors") as refused:
        desk.record(other.actors[Sector.ACADEMIA])
    assert refused.value.field == "actor_id"


def _change_vision(desk):
    desk.save_vision(vision={"es": "Otra visión.", "en": "Another vision."})


def _change_period(desk):
    desk.save_vision(plan_ends_on=date(2028, 5, 31))


def _add_commitment(desk):
    desk.held(1)


def _remove_commitment(desk):
    desk.remove(desk.commitments[0])


def _approve_a_change(desk):
    desk.change(desk.commitments[0], ends_on="2028-01-31")


def _approve_a_withdrawal(desk):
    desk.withdraw(desk.commitments[0])


@pytest.mark.parametrize(
    "change",
    [
        _change_vision,
        _change_period,
        _add_commitment,
        _remove_commitment,
        _approve_a_change,
        _approve_a_withdrawal,
    ],
)
def test_a_later_change_to_the_plan_sends_endorsements_back_for_renewal(build_plan, change):
    desk = build_plan(commitments=2)
    desk.endorse()
    desk.record()
    assert desk.needs_renewal() == {"Colectivo Agua Limpia": False, "Universidad del Valle": False}

    change(desk)

    assert desk.needs_renewal() == {"Colectivo Agua Limpia": True, "Universidad del Valle": True}


@pytest.mark.parametrize(
    "no_change",
    [
        lambda desk: desk.save_vision(),  # the same values again
        lambda desk: desk.change(desk.commitments[0], approve=False, ends_on="2028-01-31"),
        lambda desk: desk.approved(),  # approved, not added
        lambda desk: desk.session([desk.actors[Sector.ACADEMIA]]),
    ],
    ids=["same vision", "change in review", "commitment not added", "another session"],
)
def test_what_does_not_change_the_plan_keeps_endorsements_current(build_plan, no_change):
    desk = build_plan(commitments=2)
    desk.endorse()
    no_change(desk)
    assert desk.needs_renewal() == {"Colectivo Agua Limpia": False}


def test_endorsing_again_renews_the_endorsement(build_plan):
    desk = build_plan(commitments=1)
    first = desk.endorse()
    _change_vision(desk)
    assert desk.needs_renewal() == {"Colectivo Agua Limpia": True}

    renewed = desk.endorse()

    assert renewed.revision.number > first.revision.number
    [state] = services.endorsements_of(desk.plan)
    assert state.endorsement == renewed
    assert state.needs_renewal is False
    # The earlier endorsement stays in the record.
    assert desk.plan.endorsements == [first, renewed]
    assert first.revision.number == 1


def test_endorsements_are_listed_by_actor_name(build_plan):
    desk = build_plan(commitments=1)
    desk.record(desk.actor("asociación de Vecinos", Sector.CITIZEN), "Juan")
    desk.endorse()
    desk.record()
    assert list(desk.needs_renewal()) == [
        "asociación de Vecinos",
        "Colectivo Agua Limpia",
        "Universidad del Valle",
    ]


def test_revisions_are_numbered_per_plan(build_plan):
    first = build_plan(commitments=1)
    second = build_plan(slug="monte", commitments=1)
    first.endorse()
    second.endorse()
    for desk in (first, second):
        assert [r.number for r in desk.plan.revisions] == [1]
    assert db.session.query(PlanRevision).count() == 2


def test_the_monitoring_bodys_actor_does_not_endorse_even_on_paper(build_plan):
    """The body that will assess the plan (OGP Local §3.5) stays independent of it."""
    desk = build_plan(commitments=1)
    university = desk.actors[Sector.ACADEMIA]
    desk.person("observatorio@example.mx", Role.MONITORING, actor=university)

    with pytest.raises(PlanError) as refused:
        desk.record(university)

    assert str(refused.value.message) == (
        "The monitoring body assesses the plan; it does not endorse it."
    )
    assert refused.value.field == "actor_id"
    assert desk.plan.endorsements == []


def test_once_submitted_endorsements_answer_for_the_plan_as_sent(ready_plan):
    """A commitment may change for six months after submission; the endorsement of the
    plan sent to OGP stays current, and the plan no longer takes endorsements."""
    submit(ready_plan.plan, ready_plan.point_of_contact)
    db.session.commit()
    [commitment] = ready_plan.commitments
    ready_plan.change(commitment, approve=True, title={"es": "Agua", "en": "Water"})

    assert services.current_fingerprint(ready_plan.plan) != (
        ready_plan.plan.submitted_revision.fingerprint
    )
    assert ready_plan.needs_renewal() == {"Colectivo Agua Limpia": False}


def test_reading_the_plan_stores_nothing(build_plan):
    """Pages read an empty draft until someone changes the plan."""
    desk = build_plan(slug="monte", commitments=0, vision=False, session=False)
    db.session.delete(desk.plan)
    db.session.commit()

    plan = services.find_plan(desk.exercise)

    assert plan.status == PlanStatus.DRAFT and plan.entries == [] and plan.foreword == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionPlan)) == 0
    assert services.plan_of(desk.exercise).id is not None


def test_a_new_letter_replaces_the_old_which_stops_being_public(build_plan):
    desk = build_plan(commitments=1)
    first, second = desk.document("carta.pdf"), desk.document("carta-firmada.pdf")
    services.set_letter(desk.plan, first, desk.point_of_contact)
    services.set_letter(desk.plan, second, desk.point_of_contact)
    db.session.commit()

    assert desk.plan.letter == second and second.is_public
    assert not first.is_public


def test_a_removed_attachment_stops_being_public(build_plan):
    desk = build_plan(commitments=1)
    upload = desk.document("estrategia.pdf")
    attachment = services.add_attachment(desk.plan, upload, {"es": "Estrategia"})
    db.session.commit()

    services.remove_attachment(desk.plan, attachment)
    db.session.commit()

    assert desk.plan.attachments == [] and not upload.is_public
