"""The six INAI steps (coplat.exercises.steps): what each requires, shown on its page
as data is added; closing them only in order, only when complete, only by the STL (or
an administrator); steps 4–6 cannot close until their areas exist."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coplat.accounts.models import Role, User
from coplat.accounts.services import create_user
from coplat.demo import DEMO_PASSWORD, load_demo
from coplat.exercises import steps
from coplat.exercises.enums import STL_SECTORS, Seat, Sector
from coplat.exercises.models import (
    Actor,
    AgendaItem,
    AttendanceCount,
    AwarenessEvent,
    Declaration,
    Exercise,
    Signatory,
    StlCharter,
)
from coplat.exercises.services import assign_role
from coplat.extensions import db
from tests.conftest import english, log_in

STEP_1 = [
    "Signed by a representative of Government",
    "Signed by a representative of Civil society",
    "Signed by a representative of Guarantor body",
    "Date of signature",
    "The signed document (PDF) or a link to it",
]
STEP_2 = [
    "At least one awareness event with its attendees counted by sector",
    "The actors (organisations or people) who joined the exercise, with their sector",
]
STEP_3 = [
    "A titular for Government",
    "A titular for Civil society",
    "A titular for Guarantor body",
    "The STL's minimum rules of operation",
    "The elected facilitator",
    "The STL's annual work agenda",
]
IN_ORDER = "Close the earlier steps first: steps close in order."
INCOMPLETE = "This step cannot close yet: some requirements are missing."


def requirements_on(page: str) -> dict[str, bool]:
    """The requirement list of a step page: text -> met."""
    found = re.findall(r'<li class="(met|unmet)">(.*?)<span class="visually-hidden">', page)
    return {html.unescape(text): state == "met" for state, text in found}


def page(client, number, slug="valle") -> str:
    response = client.get(f"/e/{slug}/steps/{number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def met(client, number) -> set[str]:
    return {text for text, ok in requirements_on(page(client, number)).items() if ok}


def actor_id(app, name):
    with app.app_context():
        return db.session.scalar(sa.select(Actor.id).where(Actor.name == name))


def add_actor(client, name, sector):
    response = client.post("/e/valle/actors", data={"actors-name": name, "actors-sector": sector})
    assert response.status_code == 303


def complete(app, exercise_id, *numbers):
    """Record (directly) everything the given steps require."""
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        if 1 in numbers:
            signers = [
                Actor(exercise=exercise, name=f"Firma {s.value}", sector=s) for s in STL_SECTORS
            ]
            exercise.declaration = Declaration(
                signed_on=date(2026, 3, 10),
                link="https://valle.example.mx/declaratoria.pdf",
                signatories=[Signatory(actor=a, representative="Representante") for a in signers],
            )
        if 2 in numbers:
            exercise.actors.append(Actor(name="Universidad", sector=Sector.ACADEMIA))
            exercise.awareness_events.append(
                AwarenessEvent(
                    title={"es": "Foro"},
                    held_on=date(2026, 4, 20),
                    place="Casa de Cultura",
                    attendance=[AttendanceCount(sector=Sector.CITIZEN, count=12)],
                )
            )
        if 3 in numbers:
            for sector in STL_SECTORS:
                user = create_user(
                    name=f"Titular {sector.value}",
                    email=f"{sector.value}@stl.mx",
                    password="x" * 12,
                )
                assign_role(exercise, user, Role.STL_MEMBER, sector=sector, seat=Seat.TITULAR)
            facilitator = create_user(name="Facilitadora", email="fac@stl.mx", password="x" * 12)
            assign_role(exercise, facilitator, Role.FACILITATOR)
            exercise.stl_charter = StlCharter(rules={"es": "Sesiones mensuales."})
            exercise.agenda_items.append(
                AgendaItem(title={"es": "Consulta"}, starts_on=date(2026, 7, 1))
            )
        db.session.commit()


def closed(app, exercise_id) -> dict[int, bool]:
    with app.app_context():
        return {s.number: s.is_closed for s in db.session.get(Exercise, exercise_id).steps}


# ----- requirements as data is added -----------------------------------------


def test_step_1_requirements_follow_the_declaration(app, admin):
    assert requirements_on(page(admin, 1)) == dict.fromkeys(STEP_1, False)
    for name, sector in [
        ("Ayuntamiento", "government"),
        ("Colectivo", "civil_society"),
        ("Instituto garante", "guarantor"),
        ("Universidad", "academia"),
    ]:
        add_actor(admin, name, sector)

    def sign(name):
        response = admin.post(
            "/e/valle/declaration/signatories",
            data={"signatories-actor_id": actor_id(app, name), "signatories-representative": "R"},
        )
        assert response.status_code == 303

    sign("Ayuntamiento")
    assert met(admin, 1) == {STEP_1[0]}
    sign("Colectivo")
    sign("Instituto garante")
    assert met(admin, 1) == set(STEP_1[:3])

    admin.post("/e/valle/declaration", data={"declaration-signed_on": "2026-03-10"})
    assert met(admin, 1) == set(STEP_1[:4])
    assert "Close step 1" not in page(admin, 1)

    admin.post(
        "/e/valle/declaration",
        data={"declaration-signed_on": "2026-03-10", "declaration-link": "https://valle.mx/d.pdf"},
    )
    text = page(admin, 1)
    assert all(requirements_on(text).values())
    assert "Close step 1" in text


def test_step_2_requirements_need_attendees_and_actors(admin):
    assert requirements_on(page(admin, 2)) == dict.fromkeys(STEP_2, False)
    event = {
        "events-title-es": "Foro",
        "events-held_on": "2026-04-20",
        "events-place": "Casa de Cultura",
    }
    # An event nobody attended does not count.
    assert admin.post("/e/valle/events", data=event).status_code == 303
    assert met(admin, 2) == set()
    counted = {**event, "events-counts-citizen": "30", "events-counts-government": "5"}
    assert admin.post("/e/valle/events", data=counted).status_code == 303
    assert met(admin, 2) == {STEP_2[0]}
    add_actor(admin, "Colectivo", "civil_society")
    assert met(admin, 2) == set(STEP_2)


def test_step_3_requirements_need_titulars_rules_facilitator_and_agenda(app, admin, make_user):
    assert requirements_on(page(admin, 3)) == dict.fromkeys(STEP_3, False)
    for who in ["gob", "osc", "osc2", "garante", "fac"]:
        make_user(email=f"{who}@example.mx", name=who)

    def assign(who, role, sector="", seat=""):
        data = {
            "role-email": f"{who}@example.mx",
            "role-role": role,
            "role-sector": sector,
            "role-seat": seat,
        }
        assert admin.post("/e/valle/roles", data=data).status_code == 303

    assign("gob", "stl_member", "government", "titular")
    assign("osc", "stl_member", "civil_society", "suplente")
    assert met(admin, 3) == {"A titular for Government"}  # an alternate is not a titular
    assign("osc2", "stl_member", "civil_society", "titular")
    assign("garante", "stl_member", "guarantor", "titular")
    assert met(admin, 3) == set(STEP_3[:3])
    assign("fac", "facilitator")
    admin.post("/e/valle/stl/charter", data={"charter-rules-es": "Sesiones mensuales."})
    assert met(admin, 3) == set(STEP_3[:5])
    admin.post(
        "/e/valle/stl/agenda",
        data={"agenda-title-es": "Consulta", "agenda-starts_on": "2026-07-01"},
    )
    text = page(admin, 3)
    assert all(requirements_on(text).values()) and len(requirements_on(text)) == 6
    # Steps 1 and 2 are open: the page says why the STL cannot close it yet.
    assert "Close step 3" not in text
    assert "Steps close in order: close the earlier steps first." in text


def test_rules_written_only_in_english_do_not_count(app, exercise_id):
    def rules_met(exercise):
        by_text = {str(r.text): r.met for r in steps.requirements(exercise, 3)}
        return by_text["The STL's minimum rules of operation"]

    with app.test_request_context(), force_locale("en"):
        exercise = db.session.get(Exercise, exercise_id)
        exercise.stl_charter = StlCharter(rules={"en": "Monthly meetings."})
        assert rules_met(exercise) is False
        exercise.stl_charter.rules["es"] = "Sesiones mensuales."
        assert rules_met(exercise) is True
        db.session.rollback()


# ----- closing ---------------------------------------------------------------


def test_an_stl_member_closes_a_complete_step_and_it_is_recorded(app, exercise_id, as_role):
    complete(app, exercise_id, 1)
    member = as_role("stl_member")
    before = datetime.now(UTC)
    response = member.post("/e/valle/steps/1/close")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/steps/1")
    with app.app_context():
        step = db.session.get(Exercise, exercise_id).step(1)
        user = db.session.scalar(sa.select(User).where(User.email == "stl_member@example.mx"))
        assert step.closed_by_id == user.id
        assert before - timedelta(seconds=1) <= step.closed_at <= datetime.now(UTC)
    text = page(member, 1)
    assert "Step 1 is closed." in text
    assert "Closed on" in text and "by Stl_Member" in text
    assert "Close step 1" not in text
    assert closed(app, exercise_id) == {1: True, 2: False, 3: False, 4: False, 5: False, 6: False}


def test_steps_close_only_in_order(app, exercise_id, as_role):
    complete(app, exercise_id, 2)
    member = as_role("stl_member")
    assert "Steps close in order: close the earlier steps first." in page(member, 2)
    response = member.post("/e/valle/steps/2/close")
    assert response.status_code == 409
    assert IN_ORDER in response.get_data(as_text=True)
    assert not any(closed(app, exercise_id).values())


def test_a_step_with_missing_requirements_does_not_close(app, exercise_id, as_role):
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        exercise.declaration = Declaration(signed_on=date(2026, 3, 10))
        db.session.commit()
    member = as_role("stl_member")
    text = page(member, 1)
    assert "Close step 1" not in text
    assert "The step can be closed when every requirement above is met." in text
    response = member.post("/e/valle/steps/1/close")
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert INCOMPLETE in text
    shown = requirements_on(text)
    assert [r for r, ok in shown.items() if not ok] == [*STEP_1[:3], STEP_1[4]]
    assert shown["Date of signature"] is True
    assert not closed(app, exercise_id)[1]


@pytest.mark.parametrize("role", ["facilitator", "citizen", "point_of_contact", "monitoring"])
def test_only_the_stl_or_an_administrator_closes(app, exercise_id, as_role, role):
    complete(app, exercise_id, 1)
    client = as_role(role)
    assert "Close step 1" not in page(client, 1)
    response = client.post("/e/valle/steps/1/close")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)
    assert not closed(app, exercise_id)[1]


def test_an_administrator_may_close_for_the_stl(app, exercise_id, admin):
    complete(app, exercise_id, 1)
    assert "Close step 1" in page(admin, 1)
    assert admin.post("/e/valle/steps/1/close").status_code == 303
    assert closed(app, exercise_id)[1]


def test_steps_one_to_three_close_in_turn_and_not_twice(app, exercise_id, as_role):
    complete(app, exercise_id, 1, 2, 3)
    member = as_role("stl_member")
    for number in (1, 2, 3):
        assert f"Close step {number}" in page(member, number)
        assert member.post(f"/e/valle/steps/{number}/close").status_code == 303
    again = member.post("/e/valle/steps/2/close")
    assert again.status_code == 409
    assert "This step is already closed." in again.get_data(as_text=True)
    assert closed(app, exercise_id) == {1: True, 2: True, 3: True, 4: False, 5: False, 6: False}
    # Step 4 is now the current one, but nothing can satisfy it yet.
    response = member.post("/e/valle/steps/4/close")
    assert response.status_code == 409
    assert INCOMPLETE in response.get_data(as_text=True)


def test_unknown_step_numbers_are_not_found(admin):
    assert admin.get("/e/valle/steps/7").status_code == 404
    assert admin.get("/e/valle/steps/0").status_code == 404
    assert admin.post("/e/valle/steps/7/close").status_code == 404


def test_the_overview_shows_each_steps_state(app, exercise_id, as_role):
    complete(app, exercise_id, 1)
    member = as_role("stl_member")
    member.post("/e/valle/steps/1/close")
    text = member.get("/e/valle").get_data(as_text=True)
    badges = re.findall(r'<span class="badge (\w+)">([^<]*)</span>', text)
    assert badges == [
        ("closed", "Closed"),
        ("current", "In progress"),
        *[("pending", "Not started")] * 4,
    ]


# ----- the demo ----------------------------------------------------------------


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo()


def test_the_demo_has_steps_one_to_five_closed(app, demo, client):
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "demo"))
        assert [s.is_closed for s in exercise.steps] == [True] * 5 + [False]
        assert {s.closed_by.email for s in exercise.steps[:5]} == {"stl.garante@demo.coplat.mx"}
        for number in (1, 2, 3, 4, 5):
            assert all(r.met for r in steps.requirements(exercise, number))
        # Step 6, implementation: under way, not complete (tests/test_demo_tracking.py).
        assert not all(r.met for r in steps.requirements(exercise, 6))
    english(client)
    text = client.get("/e/demo").get_data(as_text=True)
    assert text.count('<span class="badge closed">Closed</span>') == 5
    assert "Santa Lucía del Valle Open Government" in text
    # The evidence behind each closed step, on the home page itself.
    assert "Joint declaration signed by H. Ayuntamiento de Santa Lucía del Valle;" in text
    assert "2 awareness events" in text and "128 attendees" in text
    assert "4 STL members" in text and "Rosa Hernández Cruz (Civil society, Titular)" in text


def test_the_demo_step_six_cannot_close_yet(app, demo, client):
    log_in(client, "admin@demo.coplat.mx", DEMO_PASSWORD)
    english(client)
    response = client.post("/e/demo/steps/6/close")
    assert response.status_code == 409
    assert INCOMPLETE in response.get_data(as_text=True)
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "demo"))
        assert [s.is_closed for s in exercise.steps] == [True] * 5 + [False]
