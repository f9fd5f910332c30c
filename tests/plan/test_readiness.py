"""The readiness check: OGP's four minimum co-creation requirements (OGP Local §3.3.1),
always listed with their evidence, and every other gap, listed only when there is one;
submission, which waits until nothing is missing and starts the commitments' six-month
window for changes; and step 5 of the exercise, which the submitted plan meets."""

from datetime import UTC, date, datetime, timedelta

import pytest

from coplat.accounts.models import Role
from coplat.commitments import services as commitments
from coplat.commitments.enums import CommitmentStatus
from coplat.commitments.services import CommitmentError
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Topic
from coplat.core.models import utcnow
from coplat.exercises import steps
from coplat.exercises.enums import Seat, Sector
from coplat.exercises.models import StlCharter
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.plan import services
from coplat.plan.enums import PlanStatus
from coplat.plan.readiness import submit
from coplat.plan.services import PlanError
from coplat.tables.models import WorkingTable
from tests.plan.conftest import REASON

FORUM, REGULARITY, MULTI_STAKEHOLDER, ENDORSEMENT = range(4)
TITLE = "A water network without leaks"
NOT_YET = "The plan cannot be submitted yet: the readiness check lists what is missing."


def gaps(result) -> dict[str, list[str]]:
    """The groups listed besides the minimum requirements: title -> item texts."""
    return {str(g.title): [str(item.text) for item in g.items] for g in result.groups}


def requirement(result, index: int):
    return result.requirements.items[index]


def numbers(texts: list[str]) -> list[str]:
    """The Annex 1 numbers that open each item ("4.2." of "4.2. What open ...")."""
    return [text.split(" ", 1)[0] for text in texts]


# ----- a complete plan ------------------------------------------------------------------


def test_a_complete_plan_is_ready(ready_plan):
    result = ready_plan.readiness()

    assert result.ready is True
    assert result.missing == []
    assert result.groups == []
    assert [(str(r.text), r.met, str(r.evidence)) for r in result.requirements.items] == [
        (
            "Forum: a space for co-creation exists (the STL or an equivalent)",
            True,
            "The STL: Government, Civil society, Guarantor body",
        ),
        (
            "Regularity: at least one meeting with civil society during co-creation",
            True,
            "1 session attended by non-governmental actors",
        ),
        (
            "Multi-stakeholder: government and non-governmental members in the space",
            True,
            "Government, Civil society, Guarantor body",
        ),
        (
            "Endorsement: non-governmental actors endorse the final plan",
            True,
            "Colectivo Agua Limpia",
        ),
    ]


def test_an_empty_plan_lists_every_gap(build_plan):
    desk = build_plan(commitments=0, vision=False, session=False, stl=False)
    desk.exercise.plan_starts_on = desk.exercise.plan_ends_on = None
    db.session.commit()

    result = desk.readiness()

    assert result.ready is False
    assert [r.met for r in result.requirements.items] == [False] * 4
    assert str(requirement(result, FORUM).evidence) == "No STL member yet"
    assert str(requirement(result, REGULARITY).evidence) == (
        "0 sessions attended by non-governmental actors"
    )
    assert str(requirement(result, ENDORSEMENT).evidence) == "No current endorsement"
    found = gaps(result)
    assert list(found) == [
        "Dates",
        "Commitments",
        "Strategic vision (Annex 1): empty fields",
    ]
    assert found["Dates"] == ["Set the start and the end (1.2) of the plan's period."]
    assert found["Commitments"] == ["The plan holds no commitment yet."]
    # Every field of the template but the optional 3 (letter) and 8 (attachments), the
    # period (its own group) and 7 (the endorsements, a minimum requirement).
    vision = found["Strategic vision (Annex 1): empty fields"]
    assert numbers(vision) == [
        "2.",
        *[f"4.{n}." for n in range(1, 7)],
        *[f"5.{n}." for n in range(1, 9)],
        *[f"6.{n}." for n in range(1, 6)],
        "9.",
    ]
    assert vision[2] == (
        "4.2. What open government achievements have there been to date (for example,"
        " recent open government reforms)?"
    )
    assert len(result.missing) == 4 + 1 + 1 + 21


def test_a_half_finished_plan_lists_exactly_what_is_missing(build_plan):
    desk = build_plan(commitments=1)
    services.endorse(desk.plan, desk.representative, now=datetime(2026, 11, 2, 18, tzinfo=UTC))
    desk.draft(title={"es": "Borrador"})
    desk.in_review(title={"es": "Revisión", "en": "Review"})
    desk.held(
        1,
        problem={},
        action={"es": "Publicar el mapa."},
        budget_amount=None,
        staff=None,
        months=None,
        other_resources={},
        milestones=[{"output": {"es": "Mapa"}, "starts_on": "2027-01-01"}],
        gender_perspective={},  # optional: not missing
        additional_information={},  # optional: not missing
    )
    desk.save_vision(
        achievements={"es": " ", "en": ""},
        group_count=None,
        monitoring_contact="",
        vision={"es": "Sólo en español."},
    )
    desk.pending_input()

    result = desk.readiness()

    assert [r.met for r in result.requirements.items] == [True, True, True, False]
    assert gaps(result) == {
        "Commitments": [
            "“Borrador” is not approved: finish its review or withdraw it.",
            "“Review” is not approved: finish its review or withdraw it.",
        ],
        "Strategic vision (Annex 1): empty fields": [
            "4.2. What open government achievements have there been to date (for example,"
            " recent open government reforms)?",
            "5.6. How many groups took part in these spaces?",
            "6.2. Contact details of the independent monitoring body",
        ],
        "Commitments (Annex 2): empty fields": [
            f"“{TITLE}”: 6. Problem; 14. Resources needed; 17. Milestone 1",
        ],
        "Missing English translations": [
            "Strategic vision, 4.1. What is the long-term vision for open government in your"
            " context and jurisdiction?",
            f"“{TITLE}”: 8. Action",
            f"“{TITLE}”: 17. Milestone 1",
        ],
        "Feedback log": ["1 citizen input waits for its decision in the feedback log"],
        "Endorsements to renew": [
            "Colectivo Agua Limpia endorsed revision 1 on Nov 2, 2026; the plan changed"
            " since, so the endorsement needs renewing."
        ],
    }
    assert str(requirement(result, ENDORSEMENT).evidence) == "No current endorsement"
    assert result.ready is False


def test_each_gap_links_to_the_page_that_fills_it(build_plan):
    desk = build_plan(commitments=0, vision=False)
    draft = desk.draft()
    held = desk.held(1, problem={})[0]
    desk.pending_input()

    result = desk.readiness()

    links = {str(g.title): [(item.endpoint, item.args) for item in g.items] for g in result.groups}
    assert links["Commitments"] == [("commitments.show", {"commitment_id": draft.id})]
    assert links["Strategic vision (Annex 1): empty fields"][0] == (
        "plan.vision",
        {"_anchor": "field-foreword"},
    )
    assert links["Commitments (Annex 2): empty fields"] == [
        ("commitments.edit", {"commitment_id": held.id})
    ]
    assert links["Feedback log"] == [("feedback.index", {"decision": "pending"})]


# ----- the period ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "problem"),
    [
        (
            {"plan_starts_on": None, "plan_ends_on": None},
            "Set the start and the end (1.2) of the plan's period.",
        ),
        (
            {"plan_ends_on": None},
            "Set the start and the end (1.2) of the plan's period.",
        ),
        (
            # The administration's end moved earlier after the vision was saved.
            {"administration_ends": date(2028, 7, 31)},
            "The action plan must end at least two months before the administration does:"
            " on May 31, 2028 at the latest.",
        ),
        (
            {"plan_ends_on": date(2027, 6, 30)},
            "An action plan lasts at least one year: end it on August 31, 2027 or later.",
        ),
    ],
)
def test_period_errors_are_listed(ready_plan, dates, problem):
    for name, value in dates.items():
        setattr(ready_plan.exercise, name, value)
    db.session.commit()

    result = ready_plan.readiness()

    assert gaps(result)["Dates"] == [problem]
    [item] = result.groups[0].items
    assert (item.endpoint, item.args) == ("plan.vision", {"_anchor": "field-plan_ends_on"})


# ----- commitments -----------------------------------------------------------------------


def test_too_many_commitments_once_the_exercise_has_fewer_jurisdictions(build_plan):
    desk = build_plan(jurisdictions=2, commitments=6, endorsed=True)
    assert desk.readiness().ready is True

    desk.set_jurisdictions(1)

    assert gaps(desk.readiness()) == {
        "Commitments": [
            "Too many commitments: A plan for one jurisdiction holds at most 5 commitments"
            " (OGP Local §3.2)."
        ]
    }
    desk.remove(desk.commitments[-1])
    assert "Commitments" not in gaps(desk.readiness())


def test_a_held_commitment_with_a_change_waiting_is_listed(ready_plan):
    [held] = ready_plan.commitments
    ready_plan.change(held, approve=False, ends_on="2028-01-31")
    waiting = (
        f"“{TITLE}” has a change waiting for the STL: submit the plan once the STL has"
        " decided on it."
    )
    assert gaps(ready_plan.readiness()) == {"Commitments": [waiting]}

    # Returned to draft, the change still waits.
    commitments.return_to_draft(held, ready_plan.facilitator, "")
    db.session.commit()
    assert held.status == CommitmentStatus.DRAFT
    assert gaps(ready_plan.readiness()) == {"Commitments": [waiting]}

    # Approved, the change is the plan's: the endorsement now needs renewing.
    commitments.submit_for_review(held, ready_plan.facilitator)
    ready_plan.approve(held)
    assert list(gaps(ready_plan.readiness())) == ["Endorsements to renew"]


def test_a_held_commitment_withdrawn_must_leave_the_plan(ready_plan):
    [held] = ready_plan.commitments
    ready_plan.withdraw(held)
    assert held.status == CommitmentStatus.WITHDRAWN

    assert gaps(ready_plan.readiness())["Commitments"] == [
        f"“{TITLE}” is no longer approved: remove it from the plan."
    ]
    ready_plan.remove(held)
    assert gaps(ready_plan.readiness())["Commitments"] == ["The plan holds no commitment yet."]


def test_commitments_of_the_exercise_left_in_draft_or_review_are_listed(ready_plan):
    draft = ready_plan.draft(title={"es": "Borrador", "en": "Draft one"})
    review = ready_plan.in_review(title={"es": "En revisión", "en": "Under review"})
    ready_plan.approved(title={"es": "Aprobado sin plan", "en": "Approved, left out"})
    ready_plan.withdraw(ready_plan.draft(title={"es": "Retirado"}), approve=False)

    result = ready_plan.readiness()

    [group] = result.groups
    assert [(str(i.text), str(i.evidence)) for i in group.items] == [
        ("“Draft one” is not approved: finish its review or withdraw it.", "Draft"),
        ("“Under review” is not approved: finish its review or withdraw it.", "In STL review"),
    ]
    assert [i.args for i in group.items] == [
        {"commitment_id": draft.id},
        {"commitment_id": review.id},
    ]


def test_annex_2_fields_are_named_with_their_number(build_plan):
    desk = build_plan(commitments=0, endorsed=False)
    desk.held(
        1,
        title={"es": "Sin datos", "en": "No data"},
        starts_on=None,
        government=[],
        status_quo={"es": "", "en": ""},
        contribution={},
        vision_objective={},
        policy_areas=[],
        policy_sectors=[],
        ogp_values=[],
        resources_available=None,
        milestones=[],
        non_governmental=[],  # optional
        other=[],  # optional
        sdgs=[],  # optional
    )
    desk.held(1, budget_amount=None, months=None, other_resources={})  # staff is enough

    assert gaps(desk.readiness())["Commitments (Annex 2): empty fields"] == [
        "“No data”: 2. Start and end date; 3. Implementing government institutions;"
        " 7. Status quo;"
        " 9. How it contributes to solving the problem; 10. Long-term objective of the"
        " strategic vision it relates to; 11. Policy areas; 12. Sectors; 13. OGP values it"
        " is relevant to;"
        " 15. Resources available; 17. Milestones"
    ]


def test_each_untranslated_field_is_listed(build_plan):
    desk = build_plan(commitments=0, vision=False)
    desk.save_vision(
        foreword={"es": "Prólogo"},
        results_sharing={"es": "Un tablero.", "en": " "},
        goals={"en": "Only English."},  # not missing in English
    )
    desk.held(1, title={"es": "Agua"}, problem={"es": "Fugas."}, contribution={"es": "Ayuda."})

    assert gaps(desk.readiness())["Missing English translations"] == [
        "Strategic vision, 2. Foreword",
        "Strategic vision, 6.5. How will the results of monitoring be shared with the public?",
        "“Agua”: 1. Title",
        "“Agua”: 6. Problem",
        "“Agua”: 9. How it contributes to solving the problem",
    ]


def test_an_exercise_without_english_is_asked_to_add_it(build_plan):
    """OGP receives the plan in English (§3.2): an exercise run in Spanish alone is
    told to add English, once, rather than field by field."""
    desk = build_plan(commitments=0, vision=False, languages="es")
    desk.save_vision(foreword={"es": "Prólogo"})
    desk.held(1, title={"es": "Agua"}, problem={"es": "Fugas."})
    result = desk.readiness()
    assert gaps(result)["Missing English translations"] == [
        "English is not a content language of the exercise: add it in the settings."
    ]
    item = next(g for g in result.groups if str(g.title) == "Missing English translations")
    assert item.items[0].endpoint == "exercises.edit"
    assert not result.ready


# ----- the feedback log ----------------------------------------------------------------


def test_inputs_waiting_for_their_decision_are_listed(ready_plan):
    first = ready_plan.pending_input("Baches")
    ready_plan.pending_input("Basura")
    assert gaps(ready_plan.readiness()) == {
        "Feedback log": ["2 citizen inputs wait for their decision in the feedback log"]
    }

    first.decision = Decision.REJECTED
    db.session.commit()
    assert gaps(ready_plan.readiness()) == {
        "Feedback log": ["1 citizen input waits for its decision in the feedback log"]
    }
    # A topic still awaiting moderation is not public yet: it does not count.
    db.session.add(Topic(consultation=ready_plan.exercise.consultation, title={"es": "Oculto"}))
    db.session.commit()
    assert db.session.query(Topic).filter_by(state=TopicState.PENDING).count() == 1
    assert len(gaps(ready_plan.readiness())["Feedback log"]) == 1


# ----- endorsements --------------------------------------------------------------------


def test_an_endorsement_to_renew_is_listed_until_renewed(ready_plan):
    ready_plan.save_vision(goals={"es": "Otra meta.", "en": "Another goal."})

    result = ready_plan.readiness()

    [text] = gaps(result)["Endorsements to renew"]
    assert text.startswith("Colectivo Agua Limpia endorsed revision 1 on ")
    assert text.endswith("; the plan changed since, so the endorsement needs renewing.")
    assert requirement(result, ENDORSEMENT).met is False

    ready_plan.endorse()
    result = ready_plan.readiness()
    assert result.ready is True
    assert str(requirement(result, ENDORSEMENT).evidence) == "Colectivo Agua Limpia"


def test_a_signed_endorsement_meets_the_requirement(build_plan):
    desk = build_plan(commitments=1)
    assert requirement(desk.readiness(), ENDORSEMENT).met is False
    desk.record()
    desk.endorse()
    result = desk.readiness()
    assert result.ready is True
    assert str(requirement(result, ENDORSEMENT).evidence) == (
        "Colectivo Agua Limpia, Universidad del Valle"
    )


def test_the_renewal_names_the_day_of_the_endorsement_in_the_exercises_time_zone(
    build_plan,
):
    desk = build_plan(commitments=1)
    desk.exercise.timezone = "America/Cancun"  # UTC-5 all year
    db.session.commit()
    # 00:30 on 1 March in Cancún; still 28 February in Mexico City.
    services.endorse(desk.plan, desk.representative, now=datetime(2027, 3, 1, 5, 30, tzinfo=UTC))
    db.session.commit()
    desk.save_vision(goals={"es": "Otra meta.", "en": "Another goal."})

    [text] = gaps(desk.readiness())["Endorsements to renew"]
    assert "endorsed revision 1 on Mar 1, 2027;" in text


# ----- the minimum requirements ---------------------------------------------------------


@pytest.mark.parametrize(
    ("attending", "met"),
    [
        ((Sector.GOVERNMENT,), False),
        ((Sector.GOVERNMENT, Sector.GUARANTOR), False),  # the guarantor is a public body
        ((Sector.ACADEMIA,), True),
        ((Sector.CIVIL_SOCIETY,), True),
    ],
)
def test_regularity_needs_a_session_attended_by_non_governmental_actors(build_plan, attending, met):
    desk = build_plan(session=False, endorsed=True)
    desk.session([desk.actors[sector] for sector in attending])

    item = requirement(desk.readiness(), REGULARITY)

    assert item.met is met
    assert str(item.evidence) == (
        "1 session attended by non-governmental actors"
        if met
        else "0 sessions attended by non-governmental actors"
    )


def test_regularity_counts_sessions_held_by_the_moment_asked(build_plan):
    desk = build_plan(session=False)
    desk.session([desk.actors[Sector.CIVIL_SOCIETY]], utcnow() - timedelta(hours=1))
    desk.session([desk.actors[Sector.ACADEMIA]])

    assert str(requirement(desk.readiness(), REGULARITY).evidence) == (
        "2 sessions attended by non-governmental actors"
    )
    earlier = desk.readiness(now=utcnow() - timedelta(hours=12))
    assert str(requirement(earlier, REGULARITY).evidence) == (
        "1 session attended by non-governmental actors"
    )
    before = desk.readiness(now=utcnow() - timedelta(days=2))
    assert requirement(before, REGULARITY).met is False


def test_regularity_counts_sessions_of_two_tables_held_at_the_same_time(build_plan):
    desk = build_plan(session=False)
    other_topic = Topic(
        consultation=desk.exercise.consultation,
        title={"es": "Alumbrado", "en": "Lighting"},
        state=TopicState.PUBLISHED,
        prioritised=True,
        decision=Decision.ADOPTED,
    )
    other_table = WorkingTable(exercise=desk.exercise, topic=other_topic, name={"es": "Luz"})
    db.session.add_all([other_topic, other_table])
    db.session.commit()
    moment = utcnow().replace(microsecond=0) - timedelta(days=1)
    desk.session([desk.actors[Sector.CIVIL_SOCIETY]], moment)
    desk.table = other_table
    desk.session([desk.actors[Sector.ACADEMIA]], moment)

    assert str(requirement(desk.readiness(), REGULARITY).evidence) == (
        "2 sessions attended by non-governmental actors"
    )


@pytest.mark.parametrize(
    ("sectors", "met", "evidence"),
    [
        ((Sector.GOVERNMENT,), False, "Government"),
        ((Sector.GOVERNMENT, Sector.GUARANTOR), False, "Government, Guarantor body"),
        ((Sector.CIVIL_SOCIETY, Sector.GUARANTOR), False, "Civil society, Guarantor body"),
        ((Sector.GOVERNMENT, Sector.CIVIL_SOCIETY), True, "Government, Civil society"),
    ],
)
def test_multi_stakeholder_needs_government_and_non_governmental_members(
    build_plan, sectors, met, evidence
):
    desk = build_plan(stl=False, commitments=0, vision=False)
    for sector in sectors:
        desk.person(
            f"{sector.value}@example.mx", Role.STL_MEMBER, sector=sector, seat=Seat.SUPLENTE
        )

    result = desk.readiness()

    assert requirement(result, FORUM).met is True
    assert str(requirement(result, FORUM).evidence) == f"The STL: {evidence}"
    assert requirement(result, MULTI_STAKEHOLDER).met is met
    assert str(requirement(result, MULTI_STAKEHOLDER).evidence) == evidence


def test_the_stl_charter_alone_is_a_forum(build_plan):
    desk = build_plan(stl=False, commitments=0, vision=False)
    assert requirement(desk.readiness(), FORUM).met is False
    db.session.add(StlCharter(exercise=desk.exercise, rules={"es": "Reglas"}))
    db.session.commit()
    assert requirement(desk.readiness(), FORUM).met is True
    assert requirement(desk.readiness(), MULTI_STAKEHOLDER).met is False


# ----- submission -------------------------------------------------------------------------


def test_submission_is_refused_while_anything_is_missing(build_plan):
    desk = build_plan(commitments=1)  # no endorsement yet
    now = utcnow()

    with pytest.raises(PlanError) as refused:
        submit(desk.plan, desk.point_of_contact, now)

    assert str(refused.value.message) == NOT_YET
    db.session.rollback()
    assert desk.plan.status == PlanStatus.DRAFT
    assert desk.plan.submitted_at is None
    assert desk.plan.submitted_revision is None
    assert desk.commitments[0].submitted_at is None


def test_a_ready_plan_is_submitted(ready_plan):
    desk = ready_plan
    left_out = desk.approved()
    [held] = desk.commitments
    endorsement = desk.plan.endorsements[0]
    now = utcnow()

    submit(desk.plan, desk.point_of_contact, now)
    db.session.commit()
    db.session.expire_all()

    assert desk.plan.status == PlanStatus.SUBMITTED
    assert desk.plan.submitted_at == now
    assert desk.plan.submitted_by == desk.point_of_contact
    # The endorsed revision is the one sent.
    assert desk.plan.submitted_revision == endorsement.revision
    assert services.endorsements_of(desk.plan)[0].needs_renewal is False
    assert held.submitted_at == now
    assert left_out.submitted_at is None

    with pytest.raises(PlanError, match="The plan was submitted to OGP"):
        submit(desk.plan, desk.point_of_contact, now)
    with pytest.raises(PlanError, match="The plan was submitted to OGP"):
        services.remove_commitment(desk.plan, held)


def test_submission_starts_the_commitments_six_month_window(ready_plan):
    [held] = ready_plan.commitments
    sent = datetime(2027, 1, 15, 18, tzinfo=UTC)
    submit(ready_plan.plan, ready_plan.point_of_contact, sent)
    db.session.commit()

    content = {**commitments.content_of(held), "ends_on": "2028-01-31"}
    with pytest.raises(CommitmentError, match="submitted on 2027-01-15"):
        commitments.save(
            held,
            content,
            ready_plan.facilitator,
            reason=REASON,
            now=datetime(2027, 7, 16, 18, tzinfo=UTC),
        )
    db.session.rollback()
    revision = commitments.save(
        held,
        content,
        ready_plan.facilitator,
        reason=REASON,
        now=datetime(2027, 7, 15, 18, tzinfo=UTC),
    )
    assert revision.number == 2


def test_a_commitment_already_submitted_keeps_its_date(ready_plan):
    [held] = ready_plan.commitments
    earlier = datetime(2026, 10, 1, tzinfo=UTC)
    held.submitted_at = earlier
    db.session.commit()
    submit(ready_plan.plan, ready_plan.point_of_contact, utcnow())
    db.session.commit()
    assert held.submitted_at == earlier


def test_step_5_requires_the_submitted_plan(ready_plan):
    def first():
        return steps.requirements(ready_plan.exercise, 5)[0]

    assert str(first().text) == "The action plan, complete and submitted to OGP"
    assert (first().met, str(first().evidence)) == (False, "Draft")

    submit(ready_plan.plan, ready_plan.point_of_contact, utcnow())
    db.session.commit()

    assert (first().met, str(first().evidence)) == (True, "Submitted to OGP")


def test_step_5_is_unmet_before_the_plan_exists(build_plan):
    desk = build_plan(commitments=0, vision=False, session=False)
    db.session.delete(desk.plan)
    db.session.commit()
    requirement_ = steps.requirements(desk.exercise, 5)[0]
    assert (requirement_.met, str(requirement_.evidence)) == (False, "Draft")


def test_the_topic_a_commitment_names_is_translated_too_and_its_changes_renew(build_plan):
    """The plan prints each commitment's topic: its English title is asked for, and a
    change to it is a change to the plan its endorsers must renew."""
    desk = build_plan(commitments=0, endorsed=False)
    desk.held(1, topic=desk.table.topic_id)
    desk.endorse()
    assert desk.readiness().ready

    topic = db.session.get(Topic, desk.table.topic_id)
    topic.title = {"es": "Fugas de agua potable"}
    db.session.commit()

    result = desk.readiness()
    assert gaps(result)["Missing English translations"] == [
        "The title of the topic “Fugas de agua potable”"
    ]
    assert desk.needs_renewal() == {"Colectivo Agua Limpia": True}
    item = result.groups[0].items[0]
    assert (item.endpoint, item.args) == ("consultation.edit_topic", {"topic_id": topic.id})


def test_a_period_moved_under_an_approved_commitment_is_listed(ready_plan):
    """The STL approved the commitment inside the old period; the new one starts later."""
    ready_plan.save_vision(plan_starts_on=date(2027, 6, 1))

    result = ready_plan.readiness()

    [item] = next(g for g in result.groups if str(g.title) == "Dates").items
    assert str(item.text) == (
        f"“{TITLE}”: The dates fall outside the action plan's period (2027-06-01 to 2028-06-30)."
    )
    assert item.args == {"commitment_id": ready_plan.commitments[0].id}
    assert not result.ready
