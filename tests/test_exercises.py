"""The exercise pages in three modes: the full page, the htmx fragment (HX-Request) and
the plain form without JavaScript (303 after success, 422 with the input kept)."""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coplat.accounts.models import Role, RoleAssignment, User
from coplat.core.models import utcnow
from coplat.exercises.enums import ExerciseKind, Seat, Sector
from coplat.exercises.models import (
    Actor,
    AgendaItem,
    AttendanceCount,
    AwarenessEvent,
    Declaration,
    Exercise,
    Jurisdiction,
    Signatory,
)
from coplat.exercises.services import ExerciseError, add_signatory, create_exercise
from coplat.extensions import db
from tests.conftest import english

NEW_EXERCISE = {
    "name-es": "Ejercicio Sierra Alta",
    "name-en": "Sierra Alta exercise",
    "description-es": "Primer ejercicio de la sierra.",
    "slug": "sierra-alta",
    "kind": "municipal",
    "administration_ends": "2027-09-04",
    "jurisdictions-0-name": "Sierra Alta",
    "jurisdictions-0-state": "Hidalgo",
    "content_languages": ["es", "en"],
}
AGENDA = {"agenda-title-es": "Consulta pública de temas", "agenda-starts_on": "2026-07-01"}
EVENT = {
    "events-title-es": "Foro de gobierno abierto",
    "events-held_on": "2026-04-20",
    "events-place": "Casa de Cultura",
}
FROZEN = "Its step is closed, so this record can no longer change."


def text_of(response) -> str:
    return response.get_data(as_text=True)


def is_fragment(response, section: str) -> bool:
    body = text_of(response).strip()
    return body.startswith(f'<section id="{section}"') and "<html" not in body


def count(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .where(*[getattr(model, k) == v for k, v in where.items()])
        )


@pytest.fixture
def admin_id(exercise_id, user_with_role):
    return user_with_role("admin", exercise_id)


@pytest.fixture
def admin(app, admin_id, login):
    return english(login(app.test_client(), admin_id))


@pytest.fixture
def hx_admin(admin_id, login, htmx):
    """The administrator, in a browser with htmx."""
    return english(login(htmx, admin_id))


def add(app, *records):
    """Store records directly; returns their ids."""
    with app.app_context():
        db.session.add_all(records)
        db.session.commit()
        return [r.id for r in records]


def actor(exercise_id, name="Colectivo Ciudadano", sector=Sector.CIVIL_SOCIETY, **fields):
    return Actor(exercise_id=exercise_id, name=name, sector=sector, **fields)


def close(app, exercise_id, *numbers):
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        for number in numbers:
            exercise.step(number).closed_at = utcnow()
        db.session.commit()


@pytest.fixture
def other_exercise(app, make_exercise):
    """A second exercise with one record of every kind, for cross-exercise ids."""
    other = make_exercise(slug="otro")
    with app.app_context():
        signer = actor(other, "Otro colectivo")
        declaration = Declaration(exercise_id=other)
        declaration.signatories.append(Signatory(actor=signer, representative="R"))
        event = AwarenessEvent(exercise_id=other, title={"es": "Otro foro"}, held_on=date.today())
        item = AgendaItem(exercise_id=other, title={"es": "Otra"}, starts_on=date.today())
        user = User(name="Otra", email="otra@example.mx", password_hash="x")
        role = RoleAssignment(exercise_id=other, user=user, role=Role.FACILITATOR)
        db.session.add_all([signer, declaration, event, item, role])
        db.session.commit()
        return {
            "actors": signer.id,
            "events": event.id,
            "stl/agenda": item.id,
            "declaration/signatories": declaration.signatories[0].id,
            "roles": role.id,
        }


# ----- creating and editing an exercise -----------------------------------------


def test_the_new_exercise_form(admin):
    response = admin.get("/exercises/new")
    assert response.status_code == 200
    assert "New exercise" in text_of(response)
    assert text_of(response).count('name="jurisdictions-') == 8  # four name/state pairs


def test_an_administrator_creates_an_exercise(app, admin):
    response = admin.post("/exercises/new", data=NEW_EXERCISE)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/sierra-alta/roles")
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "sierra-alta"))
        assert exercise.name == {"es": "Ejercicio Sierra Alta", "en": "Sierra Alta exercise"}
        assert exercise.description == {"es": "Primer ejercicio de la sierra."}
        assert exercise.kind == ExerciseKind.MUNICIPAL
        assert exercise.administration_ends == date(2027, 9, 4)
        assert [(j.name, j.state) for j in exercise.jurisdictions] == [("Sierra Alta", "Hidalgo")]
        assert [s.number for s in exercise.steps] == [1, 2, 3, 4, 5, 6]
        assert not any(s.is_closed for s in exercise.steps)
    assert "The exercise was created. Now assign its roles." in text_of(
        admin.get("/e/sierra-alta/roles")
    )
    text = text_of(admin.get("/e/sierra-alta"))
    assert "<h1>Sierra Alta exercise</h1>" in text
    assert "Jurisdiction" in text and "Joint plan of" not in text
    assert "Sierra Alta, Hidalgo" in text


@pytest.mark.parametrize("how_many", [2, 3, 4])
def test_a_joint_plan_has_two_to_four_jurisdictions(app, admin, how_many):
    data = dict(NEW_EXERCISE)
    for i in range(how_many):
        data[f"jurisdictions-{i}-name"] = f"Municipio {i + 1}"
    assert admin.post("/exercises/new", data=data).status_code == 303
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "sierra-alta"))
        assert len(exercise.jurisdictions) == how_many
        assert exercise.is_joint
    text = text_of(admin.get("/e/sierra-alta"))
    assert "Joint plan of" in text
    assert "Municipio 1, Hidalgo; Municipio 2" in text


def test_an_exercise_without_jurisdiction_is_refused(app, admin):
    data = {**NEW_EXERCISE, "jurisdictions-0-name": "  "}
    response = admin.post("/exercises/new", data=data)
    assert response.status_code == 422
    text = text_of(response)
    assert "Name at least one jurisdiction." in text
    assert 'value="Ejercicio Sierra Alta"' in text  # nothing typed is lost
    assert count(app, Exercise) == 1


def test_an_identifier_already_in_use_is_refused(app, admin):
    response = admin.post("/exercises/new", data={**NEW_EXERCISE, "slug": "valle"})
    assert response.status_code == 422
    assert "Another exercise already uses this identifier." in text_of(response)
    assert count(app, Exercise) == 1
    assert count(app, Jurisdiction) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Sierra Alta"}, "Use lower-case letters, digits and hyphens."),
        ({"name-es": ""}, "Write this in Spanish."),
        ({"content_languages": ["en"]}, "Spanish is always a content language."),
        ({"administration_ends": "mañana"}, "Enter a valid date."),
    ],
)
def test_an_invalid_exercise_is_refused(app, admin, changes, message):
    response = admin.post("/exercises/new", data={**NEW_EXERCISE, **changes})
    assert response.status_code == 422
    assert message in text_of(response)
    assert count(app, Exercise) == 1


@pytest.mark.parametrize("how_many", [0, 5])
def test_the_service_refuses_zero_or_more_than_four_jurisdictions(app, how_many):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(ExerciseError, match="one jurisdiction, or two to four"):
            create_exercise(
                slug="x",
                jurisdictions=[(f"M{i}", "") for i in range(how_many)],
                name={"es": "X"},
                kind=ExerciseKind.STATE,
                administration_ends=date(2027, 1, 1),
            )
        db.session.rollback()


def test_the_edit_form_shows_the_current_values(admin):
    text = text_of(admin.get("/e/valle/edit"))
    assert "Edit the exercise" in text
    assert 'value="Ejercicio Valle Verde"' in text
    assert 'value="Valle Verde exercise"' in text
    assert 'value="Valle Verde"' in text and 'value="Hidalgo"' in text
    assert re.search(r'<input[^>]*id="slug"[^>]*readonly', text)


def test_editing_an_exercise_saves_it_but_keeps_its_identifier(app, admin, exercise_id):
    data = {
        **NEW_EXERCISE,
        "slug": "otro-nombre",
        "jurisdictions-0-name": "Valle Verde",
        "jurisdictions-1-name": "Valle Alto",
        "jurisdictions-1-state": "Puebla",
    }
    response = admin.post("/e/valle/edit", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle")
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        assert exercise.slug == "valle"
        assert exercise.name["en"] == "Sierra Alta exercise"
        assert [(j.name, j.state) for j in exercise.jurisdictions] == [
            ("Valle Verde", "Hidalgo"),
            ("Valle Alto", "Puebla"),
        ]
    assert count(app, Jurisdiction) == 2  # the old rows are gone, not orphaned
    text = text_of(admin.get("/e/valle"))
    assert "The exercise was saved." in text
    assert "Joint plan of" in text


def test_an_invalid_edit_keeps_the_input_and_changes_nothing(app, admin, exercise_id):
    data = {**NEW_EXERCISE, "slug": "valle", "jurisdictions-0-name": ""}
    response = admin.post("/e/valle/edit", data=data)
    assert response.status_code == 422
    assert "Name at least one jurisdiction." in text_of(response)
    assert 'value="Ejercicio Sierra Alta"' in text_of(response)
    with app.app_context():
        assert db.session.get(Exercise, exercise_id).name["es"] == "Ejercicio Valle Verde"
        assert len(db.session.get(Exercise, exercise_id).jurisdictions) == 1


# ----- the action plan's period -----------------------------------------------

# The administration ends on 2027-09-04, so the plan ends on 2027-07-04 at the latest.
PLAN = {"plan_starts_on": "2026-07-01", "plan_ends_on": "2027-06-30"}


def plan_of(app, exercise_id) -> tuple:
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        return exercise.plan_starts_on, exercise.plan_ends_on


def test_the_plan_period_is_optional_when_creating(app, admin):
    assert admin.post("/exercises/new", data=NEW_EXERCISE).status_code == 303
    text = text_of(admin.get("/e/sierra-alta"))
    assert "Action plan period" in text and "Not set yet" in text


def test_the_plan_period_is_saved_and_shown(app, admin, exercise_id):
    text = text_of(admin.get("/e/valle/edit"))
    assert "Action plan starts on" in text and "Action plan ends on" in text
    response = admin.post("/e/valle/edit", data={**NEW_EXERCISE, "slug": "valle", **PLAN})
    assert response.status_code == 303
    assert plan_of(app, exercise_id) == (date(2026, 7, 1), date(2027, 6, 30))
    assert "Jul 1, 2026 to Jun 30, 2027" in text_of(admin.get("/e/valle"))
    # The edit form shows the stored period, and blanking both clears it.
    text = text_of(admin.get("/e/valle/edit"))
    assert 'value="2026-07-01"' in text and 'value="2027-06-30"' in text
    cleared = {**NEW_EXERCISE, "slug": "valle", "plan_starts_on": "", "plan_ends_on": ""}
    assert admin.post("/e/valle/edit", data=cleared).status_code == 303
    assert plan_of(app, exercise_id) == (None, None)


def test_a_plan_ending_two_months_before_the_administration_is_accepted(app, admin, exercise_id):
    # Exactly one year, ending on the last day allowed.
    data = {**NEW_EXERCISE, "slug": "valle"}
    data |= {"plan_starts_on": "2026-07-05", "plan_ends_on": "2027-07-04"}
    assert admin.post("/e/valle/edit", data=data).status_code == 303
    assert plan_of(app, exercise_id) == (date(2026, 7, 5), date(2027, 7, 4))


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            {"plan_starts_on": "2026-07-01", "plan_ends_on": ""},
            "Give both dates of the action plan, or leave both blank.",
        ),
        (
            {"plan_starts_on": "", "plan_ends_on": "2027-06-30"},
            "Give both dates of the action plan, or leave both blank.",
        ),
        (
            {"plan_starts_on": "2027-06-30", "plan_ends_on": "2026-07-01"},
            "The action plan must end after it starts.",
        ),
        (
            {"plan_starts_on": "2026-07-01", "plan_ends_on": "2026-07-01"},
            "The action plan must end after it starts.",
        ),
        (
            {"plan_starts_on": "2026-08-01", "plan_ends_on": "2027-07-30"},
            "An action plan lasts at least one year: end it on July 31, 2027 or later.",
        ),
        (
            {"plan_starts_on": "2026-07-01", "plan_ends_on": "2027-07-05"},
            "The action plan must end at least two months before the administration does:"
            " on July 4, 2027 at the latest.",
        ),
        (
            {"plan_starts_on": "1 de julio", "plan_ends_on": "2027-06-30"},
            "Enter a valid date.",
        ),
    ],
)
def test_an_invalid_plan_period_is_refused_and_the_input_kept(
    app, admin, exercise_id, period, message
):
    response = admin.post("/e/valle/edit", data={**NEW_EXERCISE, "slug": "valle", **period})
    assert response.status_code == 422
    text = text_of(response)
    assert message in text
    assert "Please correct the fields marked below. Nothing you typed was lost." in text
    for typed in period.values():
        if typed:
            assert f'value="{typed}"' in text
    assert 'value="Ejercicio Sierra Alta"' in text
    assert plan_of(app, exercise_id) == (None, None)
    with app.app_context():
        assert db.session.get(Exercise, exercise_id).name["es"] == "Ejercicio Valle Verde"


def test_the_plan_must_end_two_months_before_a_new_administration_end(app, admin):
    data = {**NEW_EXERCISE, **PLAN, "administration_ends": "2027-08-29"}
    response = admin.post("/exercises/new", data=data)
    assert response.status_code == 422
    assert "on June 29, 2027 at the latest." in text_of(response)
    assert count(app, Exercise) == 1


def test_the_plan_period_messages_give_dates_in_the_readers_language(app, admin):
    data = {**NEW_EXERCISE, "plan_starts_on": "2026-07-01", "plan_ends_on": "2027-07-05"}
    admin.get("/language", query_string={"lang": "es"})
    text = text_of(admin.post("/exercises/new", data=data))
    assert "4 de julio de 2027" in text


# ----- roles -------------------------------------------------------------------


def role_data(email, role="stl_member", sector="civil_society", seat="titular", actor_id=""):
    return {
        "role-email": email,
        "role-role": role,
        "role-sector": sector,
        "role-seat": seat,
        "role-actor_id": actor_id,
    }


def assignments(app, exercise_id):
    with app.app_context():
        return [
            (a.user.email, a.role, a.sector, a.seat, a.actor.name if a.actor else None)
            for a in db.session.scalars(
                sa.select(RoleAssignment)
                .where(RoleAssignment.exercise_id == exercise_id)
                .order_by(RoleAssignment.id)
            )
        ]


def test_the_roles_page_starts_empty(admin):
    response = admin.get("/e/valle/roles")
    assert response.status_code == 200
    assert "No roles assigned yet." in text_of(response)


def test_assigning_an_stl_seat(app, admin, make_user, exercise_id):
    make_user(email="rosa@example.mx", name="Rosa Hernández")
    [colectivo] = add(app, actor(exercise_id))
    response = admin.post("/e/valle/roles", data=role_data("Rosa@Example.mx", actor_id=colectivo))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/roles")
    assert assignments(app, exercise_id) == [
        (
            "rosa@example.mx",
            Role.STL_MEMBER,
            Sector.CIVIL_SOCIETY,
            Seat.TITULAR,
            "Colectivo Ciudadano",
        )
    ]
    text = text_of(admin.get("/e/valle/roles"))
    assert "Rosa Hernández is now STL member." in text
    assert "Civil society, Titular" in text
    assert "<td>Colectivo Ciudadano</td>" in text
    # Step 3 lists the seat.
    assert "Rosa Hernández" in text_of(admin.get("/e/valle/steps/3"))


def test_an_unknown_email_is_refused(app, admin, exercise_id):
    response = admin.post("/e/valle/roles", data=role_data("nadie@example.mx"))
    assert response.status_code == 422
    text = text_of(response)
    assert "No account has this email. Ask the person to register first." in text
    assert 'value="nadie@example.mx"' in text
    assert assignments(app, exercise_id) == []


def test_an_stl_member_needs_a_sector_and_a_seat(app, admin, make_user, exercise_id):
    make_user(email="rosa@example.mx")
    response = admin.post("/e/valle/roles", data=role_data("rosa@example.mx", sector="", seat=""))
    assert response.status_code == 422
    assert "An STL member sits for a sector." in text_of(response)
    assert "Choose titular or alternate." in text_of(response)
    assert assignments(app, exercise_id) == []


def test_other_roles_hold_no_seat(app, admin, make_user, exercise_id):
    make_user(email="mariana@example.mx")
    data = role_data("mariana@example.mx", role="facilitator", sector="government")
    assert admin.post("/e/valle/roles", data=data).status_code == 303
    assert assignments(app, exercise_id) == [
        ("mariana@example.mx", Role.FACILITATOR, None, None, None)
    ]


def test_the_same_role_twice_is_refused_but_another_role_is_not(app, admin, make_user, exercise_id):
    make_user(email="rosa@example.mx")
    assert admin.post("/e/valle/roles", data=role_data("rosa@example.mx")).status_code == 303
    again = admin.post("/e/valle/roles", data=role_data("rosa@example.mx", seat="suplente"))
    assert again.status_code == 422
    assert "This account already has that role in the exercise." in text_of(again)
    other = role_data("rosa@example.mx", role="point_of_contact")
    assert admin.post("/e/valle/roles", data=other).status_code == 303
    assert [a[1] for a in assignments(app, exercise_id)] == [Role.STL_MEMBER, Role.POINT_OF_CONTACT]


def test_roles_with_htmx_return_the_fragment(app, hx_admin, make_user, exercise_id):
    make_user(email="rosa@example.mx", name="Rosa Hernández")
    response = hx_admin.post("/e/valle/roles", data=role_data("rosa@example.mx"))
    assert response.status_code == 200
    assert is_fragment(response, "roles")
    assert "Rosa Hernández" in text_of(response)
    assert 'value="rosa@example.mx"' not in text_of(response)  # a fresh form
    invalid = hx_admin.post("/e/valle/roles", data=role_data("nadie@example.mx"))
    assert invalid.status_code == 422
    assert is_fragment(invalid, "roles")
    assert "No account has this email." in text_of(invalid)
    assert 'value="nadie@example.mx"' in text_of(invalid)


def test_removing_a_role(app, admin, hx_admin, make_user, exercise_id):
    make_user(email="rosa@example.mx", name="Rosa Hernández")
    make_user(email="mariana@example.mx", name="Mariana Ortega")
    admin.post("/e/valle/roles", data=role_data("rosa@example.mx"))
    admin.post("/e/valle/roles", data=role_data("mariana@example.mx", role="facilitator"))
    with app.app_context():
        rosa, mariana = db.session.scalars(
            sa.select(RoleAssignment.id).order_by(RoleAssignment.id)
        ).all()
    response = admin.post(f"/e/valle/roles/{rosa}/delete")
    assert response.status_code == 303
    assert [a[0] for a in assignments(app, exercise_id)] == ["mariana@example.mx"]
    fragment = hx_admin.post(f"/e/valle/roles/{mariana}/delete")
    assert fragment.status_code == 200 and is_fragment(fragment, "roles")
    assert "No roles assigned yet." in text_of(fragment)
    assert assignments(app, exercise_id) == []
    assert count(app, User) == 3  # the accounts stay


# ----- actors: the three modes ---------------------------------------------------

ACTOR = {
    "actors-name": "Red de Mujeres del Valle",
    "actors-is_organisation": "1",
    "actors-sector": "civil_society",
    "actors-contact": "red@example.org",
    "actors-joined_on": "2026-04-20",
}


def test_the_step_page_includes_its_sections(admin):
    response = admin.get("/e/valle/steps/2")
    assert response.status_code == 200
    text = text_of(response)
    assert "<html" in text
    assert '<section id="events"' in text and '<section id="actors"' in text
    assert "HX-Request" in response.headers["Vary"]


def test_adding_an_actor_with_htmx_returns_the_fragment(app, hx_admin, exercise_id):
    response = hx_admin.post("/e/valle/actors", data=ACTOR)
    assert response.status_code == 200
    assert is_fragment(response, "actors")
    assert "Red de Mujeres del Valle" in text_of(response)
    assert "HX-Request" in response.headers["Vary"]
    with app.app_context():
        stored = db.session.scalar(sa.select(Actor))
        assert (stored.name, stored.sector, stored.contact, stored.joined_on) == (
            "Red de Mujeres del Valle",
            Sector.CIVIL_SOCIETY,
            "red@example.org",
            date(2026, 4, 20),
        )
        assert stored.exercise_id == exercise_id and stored.is_organisation


def test_an_invalid_actor_with_htmx_returns_the_fragment_with_its_error(app, hx_admin):
    response = hx_admin.post("/e/valle/actors", data={**ACTOR, "actors-name": " "})
    assert response.status_code == 422
    assert is_fragment(response, "actors")
    assert "Write the name." in text_of(response)
    assert 'value="red@example.org"' in text_of(response)
    assert count(app, Actor) == 0


def test_adding_an_actor_without_javascript_redirects_to_the_step(app, admin):
    response = admin.post("/e/valle/actors", data={**ACTOR, "actors-is_organisation": "0"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/steps/2#actors")
    text = text_of(admin.get("/e/valle/steps/2"))
    assert "Red de Mujeres del Valle" in text and "(person)" in text
    assert "Civil society: 1" in text


def test_an_invalid_actor_without_javascript_returns_the_page(app, admin):
    response = admin.post("/e/valle/actors", data={**ACTOR, "actors-name": ""})
    assert response.status_code == 422
    text = text_of(response)
    assert "<html" in text and '<section id="actors"' in text
    assert "Please correct the fields marked below. Nothing you typed was lost." in text
    assert "Write the name." in text
    assert 'value="red@example.org"' in text
    assert count(app, Actor) == 0


def test_removing_an_actor(app, admin, hx_admin, exercise_id):
    first, second = add(app, actor(exercise_id, "Uno"), actor(exercise_id, "Dos"))
    response = admin.post(f"/e/valle/actors/{first}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/steps/2#actors")
    fragment = hx_admin.post(f"/e/valle/actors/{second}/delete")
    assert fragment.status_code == 200 and is_fragment(fragment, "actors")
    assert "No actors recorded yet." in text_of(fragment)
    assert count(app, Actor) == 0


def test_an_actor_who_signed_stays(app, admin, exercise_id):
    with app.app_context():
        signer = actor(exercise_id, "Colectivo firmante")
        db.session.add(
            Declaration(
                exercise_id=exercise_id, signatories=[Signatory(actor=signer, representative="R")]
            )
        )
        db.session.commit()
        signer_id = signer.id
    response = admin.post(f"/e/valle/actors/{signer_id}/delete")
    assert response.status_code == 409
    assert (
        "Colectivo firmante signed the declaration or holds a role, so it stays on the list."
        in text_of(response)
    )
    assert count(app, Actor) == 1 and count(app, Signatory) == 1


def test_an_actor_represented_in_a_role_stays(app, admin, exercise_id, make_user):
    make_user(email="rosa@example.mx")
    [colectivo] = add(app, actor(exercise_id))
    admin.post("/e/valle/roles", data=role_data("rosa@example.mx", actor_id=colectivo))
    response = admin.post(f"/e/valle/actors/{colectivo}/delete")
    assert response.status_code == 409
    assert "holds a role" in text_of(response)
    assert count(app, Actor) == 1


# ----- step 1: declaration and signatories ----------------------------------------


def test_recording_the_declaration(app, admin, exercise_id):
    data = {"declaration-signed_on": "2026-03-10", "declaration-link": "https://valle.mx/d.pdf"}
    response = admin.post("/e/valle/declaration", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/steps/1#declaration")
    with app.app_context():
        declaration = db.session.get(Exercise, exercise_id).declaration
        assert (declaration.signed_on, declaration.link) == (
            date(2026, 3, 10),
            "https://valle.mx/d.pdf",
        )
    text = text_of(admin.get("/e/valle/steps/1"))
    assert '<a href="https://valle.mx/d.pdf" rel="noopener">Link to the declaration</a>' in text
    # Saving again edits the same declaration.
    admin.post("/e/valle/declaration", data={"declaration-signed_on": "2026-03-11"})
    assert count(app, Declaration) == 1


def test_a_declaration_with_a_bad_link_is_refused(app, hx_admin):
    data = {"declaration-signed_on": "2026-03-10", "declaration-link": "valle.mx/declaratoria"}
    response = hx_admin.post("/e/valle/declaration", data=data)
    assert response.status_code == 422
    assert is_fragment(response, "declaration")
    assert "Enter a full web address, starting with https://" in text_of(response)
    assert 'value="valle.mx/declaratoria"' in text_of(response)
    assert count(app, Declaration) == 0


def three_sectors_and_academia(app, exercise_id):
    return dict(
        zip(
            ["government", "civil_society", "guarantor", "academia"],
            add(
                app,
                actor(exercise_id, "Ayuntamiento", Sector.GOVERNMENT),
                actor(exercise_id, "Colectivo", Sector.CIVIL_SOCIETY),
                actor(exercise_id, "Instituto garante", Sector.GUARANTOR),
                actor(exercise_id, "Universidad", Sector.ACADEMIA),
            ),
            strict=True,
        )
    )


def sign(client, actor_id, representative="Ing. Ramón Castillo", position="Presidente"):
    return client.post(
        "/e/valle/declaration/signatories",
        data={
            "signatories-actor_id": actor_id,
            "signatories-representative": representative,
            "signatories-position": position,
        },
    )


def test_signatories_come_from_the_three_sectors(app, admin, exercise_id):
    text = text_of(admin.get("/e/valle/steps/1"))
    assert "First add the government, civil-society and guarantor actors in step 2." in text
    ids = three_sectors_and_academia(app, exercise_id)
    text = text_of(admin.get("/e/valle/steps/1"))
    options = re.findall(r'<option[^>]*value="(\d+)"', text)
    assert sorted(map(int, options)) == sorted(
        ids[s] for s in ("government", "civil_society", "guarantor")
    )
    response = sign(admin, ids["government"])
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/steps/1#signatories")
    text = text_of(admin.get("/e/valle/steps/1"))
    assert "Ing. Ramón Castillo, Presidente" in text
    # Academia does not sign the declaration.
    refused = sign(admin, ids["academia"])
    assert refused.status_code == 422
    assert "Not a valid choice" in text_of(refused)
    with app.app_context():
        signed = db.session.scalars(sa.select(Signatory.actor_id)).all()
    assert signed == [ids["government"]]


def test_the_service_refuses_a_signatory_outside_the_three_sectors(app, exercise_id):
    [universidad] = add(app, actor(exercise_id, "Universidad", Sector.ACADEMIA))
    with app.test_request_context(), force_locale("en"):
        exercise = db.session.get(Exercise, exercise_id)
        exercise.declaration = Declaration()
        with pytest.raises(
            ExerciseError, match="Only government, civil-society or guarantor-body actors can sign"
        ):
            add_signatory(exercise, db.session.get(Actor, universidad), "R", "")
        db.session.rollback()


def test_an_actor_signs_once(app, hx_admin, exercise_id):
    ids = three_sectors_and_academia(app, exercise_id)
    assert sign(hx_admin, ids["guarantor"]).status_code == 200
    again = sign(hx_admin, ids["guarantor"], representative="Otra persona")
    assert again.status_code == 422
    assert is_fragment(again, "signatories")
    assert "This actor has already signed." in text_of(again)
    assert 'value="Otra persona"' in text_of(again)
    assert count(app, Signatory) == 1


def test_removing_a_signatory(app, admin, exercise_id):
    ids = three_sectors_and_academia(app, exercise_id)
    sign(admin, ids["government"])
    with app.app_context():
        signatory_id = db.session.scalar(sa.select(Signatory.id))
    assert admin.post(f"/e/valle/declaration/signatories/{signatory_id}/delete").status_code == 303
    assert count(app, Signatory) == 0
    assert count(app, Actor) == 4  # the actor stays; now it may be removed
    assert admin.post(f"/e/valle/actors/{ids['government']}/delete").status_code == 303


# ----- step 2: awareness events --------------------------------------------------


def test_an_event_counts_its_attendees_by_sector(app, admin, exercise_id):
    data = {
        **EVENT,
        "events-title-en": "Open government forum",
        "events-counts-citizen": "30",
        "events-counts-government": "5",
        "events-counts-academia": "0",
    }
    response = admin.post("/e/valle/events", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/steps/2#events")
    with app.app_context():
        event = db.session.scalar(sa.select(AwarenessEvent))
        assert event.title == {"es": "Foro de gobierno abierto", "en": "Open government forum"}
        assert {a.sector: a.count for a in event.attendance} == {
            Sector.CITIZEN: 30,
            Sector.GOVERNMENT: 5,
        }
    text = text_of(admin.get("/e/valle/steps/2"))
    assert "Open government forum" in text
    assert "35 attendees" in text
    assert "Government 5" in text and "Citizens 30" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"events-counts-citizen": "-3"}, "Enter a number from 0."),
        ({"events-place": ""}, "Give the place or the online link."),
        ({"events-held_on": ""}, "Enter a valid date."),
        ({"events-title-es": ""}, "Write this in Spanish."),
    ],
)
def test_an_invalid_event_is_refused(app, hx_admin, changes, message):
    response = hx_admin.post("/e/valle/events", data={**EVENT, **changes})
    assert response.status_code == 422
    assert is_fragment(response, "events")
    assert message in text_of(response)
    if "events-place" not in changes:
        assert 'value="Casa de Cultura"' in text_of(response)
    assert count(app, AwarenessEvent) == 0
    assert count(app, AttendanceCount) == 0


def test_removing_an_event(app, admin, exercise_id):
    [event] = add(
        app,
        AwarenessEvent(
            exercise_id=exercise_id,
            title={"es": "Foro"},
            held_on=date(2026, 4, 20),
            attendance=[AttendanceCount(sector=Sector.CITIZEN, count=3)],
        ),
    )
    assert admin.post(f"/e/valle/events/{event}/delete").status_code == 303
    assert count(app, AwarenessEvent) == 0 and count(app, AttendanceCount) == 0


# ----- step 3: the agenda, the brief's example of the three modes -----------------


def test_adding_an_agenda_item_with_htmx_returns_only_the_section(app, hx_admin):
    response = hx_admin.post("/e/valle/stl/agenda", data=AGENDA)
    assert response.status_code == 200
    assert is_fragment(response, "agenda")
    assert "Consulta pública de temas" in text_of(response)
    assert count(app, AgendaItem) == 1


def test_an_invalid_agenda_item_with_htmx_keeps_the_input(app, hx_admin):
    data = {**AGENDA, "agenda-ends_on": "2026-06-01"}
    response = hx_admin.post("/e/valle/stl/agenda", data=data)
    assert response.status_code == 422
    assert is_fragment(response, "agenda")
    assert "The end cannot come before the start." in text_of(response)
    assert 'value="Consulta pública de temas"' in text_of(response)
    assert 'value="2026-06-01"' in text_of(response)
    assert count(app, AgendaItem) == 0


def test_agenda_without_javascript(app, admin):
    response = admin.post("/e/valle/stl/agenda", data=AGENDA)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/valle/steps/3#agenda")
    invalid = admin.post("/e/valle/stl/agenda", data={**AGENDA, "agenda-starts_on": "pronto"})
    assert invalid.status_code == 422
    text = text_of(invalid)
    assert "<html" in text and "Enter a valid date." in text
    assert 'value="pronto"' in text
    assert count(app, AgendaItem) == 1
    with app.app_context():
        item_id = db.session.scalar(sa.select(AgendaItem.id))
    assert admin.post(f"/e/valle/stl/agenda/{item_id}/delete").status_code == 303
    assert count(app, AgendaItem) == 0


def test_saving_the_charter(app, admin, exercise_id):
    data = {"charter-rules-es": "Sesiones mensuales.", "charter-installed_on": "2026-06-15"}
    assert admin.post("/e/valle/stl/charter", data=data).status_code == 303
    admin.post("/e/valle/stl/charter", data={**data, "charter-rules-en": "Monthly meetings."})
    with app.app_context():
        charter = db.session.get(Exercise, exercise_id).stl_charter
        assert charter.rules == {"es": "Sesiones mensuales.", "en": "Monthly meetings."}
        assert charter.installed_on == date(2026, 6, 15)
    assert "Monthly meetings." in text_of(admin.get("/e/valle/steps/3"))


# ----- closed steps freeze their records --------------------------------------------


def test_a_closed_step_freezes_the_declaration(app, admin, exercise_id):
    ids = three_sectors_and_academia(app, exercise_id)
    sign(admin, ids["government"])
    close(app, exercise_id, 1)
    with app.app_context():
        signatory_id = db.session.scalar(sa.select(Signatory.id))
    for path, data in [
        ("/e/valle/declaration", {"declaration-signed_on": "2026-03-10"}),
        ("/e/valle/declaration/signatories", {"signatories-actor_id": ids["civil_society"]}),
        (f"/e/valle/declaration/signatories/{signatory_id}/delete", {}),
    ]:
        response = admin.post(path, data=data)
        assert response.status_code == 409, path
        assert "This record is closed" in text_of(response)
        assert FROZEN in text_of(response)
    assert count(app, Signatory) == 1
    with app.app_context():
        assert db.session.get(Exercise, exercise_id).declaration.signed_on is None
    text = text_of(admin.get("/e/valle/steps/1"))
    assert "Record the declaration" not in text and "Add a signatory" not in text


def test_a_closed_step_two_freezes_events_but_not_actors(app, admin, exercise_id):
    [event] = add(
        app,
        AwarenessEvent(exercise_id=exercise_id, title={"es": "Foro"}, held_on=date(2026, 4, 20)),
    )
    close(app, exercise_id, 1, 2)
    assert admin.post("/e/valle/events", data=EVENT).status_code == 409
    assert admin.post(f"/e/valle/events/{event}/delete").status_code == 409
    assert count(app, AwarenessEvent) == 1
    assert admin.post("/e/valle/actors", data=ACTOR).status_code == 303
    assert count(app, Actor) == 1
    text = text_of(admin.get("/e/valle/steps/2"))
    assert "Record an awareness event" not in text and "Remove event" not in text
    assert "Add an actor" in text


def test_a_closed_step_three_freezes_the_charter_but_not_the_agenda(app, admin, exercise_id):
    admin.post("/e/valle/stl/charter", data={"charter-rules-es": "Sesiones mensuales."})
    close(app, exercise_id, 1, 2, 3)
    response = admin.post("/e/valle/stl/charter", data={"charter-rules-es": "Otras reglas."})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Exercise, exercise_id).stl_charter.rules == {
            "es": "Sesiones mensuales."
        }
    assert admin.post("/e/valle/stl/agenda", data=AGENDA).status_code == 303
    assert count(app, AgendaItem) == 1
    text = text_of(admin.get("/e/valle/steps/3"))
    assert "Record the rules of operation" not in text and "Add an agenda item" in text


def test_with_htmx_a_frozen_section_says_why_in_place(app, hx_admin, exercise_id):
    close(app, exercise_id, 1, 2)
    response = hx_admin.post("/e/valle/events", data=EVENT)
    assert response.status_code == 409
    assert is_fragment(response, "events")
    assert FROZEN in text_of(response)


def test_an_actor_in_use_stays_with_its_reason_shown_in_place(app, hx_admin, exercise_id):
    ids = three_sectors_and_academia(app, exercise_id)
    sign(hx_admin, ids["government"])
    response = hx_admin.post(f"/e/valle/actors/{ids['government']}/delete")
    assert response.status_code == 409
    assert is_fragment(response, "actors")
    assert "signed the declaration or holds a role" in text_of(response)


def test_an_anonymous_post_leads_to_login_and_back_to_the_page_with_the_form(client, exercise_id):
    response = client.post(
        "/e/valle/stl/agenda",
        data=AGENDA,
        headers={"Referer": "http://coplat.test/e/valle/steps/3"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/login?next=/e/valle/steps/3")
    assert count(app_of(client), AgendaItem) == 0


def app_of(client):
    return client.application


# ----- private contacts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("point_of_contact", False),
        ("implementer", False),
        ("monitoring", False),
        ("facilitator", True),
        ("stl_member", True),
        ("admin", True),
    ],
)
def test_an_actors_contact_is_for_staff_only(app, as_role, exercise_id, role, sees):
    add(app, actor(exercise_id, contact="privado@colectivo.mx"))
    text = text_of(as_role(role).get("/e/valle/steps/2"))
    assert "Colectivo Ciudadano" in text
    assert ("privado@colectivo.mx" in text) is sees
    assert ("Contact (not public)" in text) is sees


# ----- not found ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/e/nada"),
        ("GET", "/e/nada/steps/1"),
        ("GET", "/e/nada/edit"),
        ("GET", "/e/nada/roles"),
        ("POST", "/e/nada/actors"),
        ("POST", "/e/nada/steps/1/close"),
        ("POST", "/e/valle/actors/999999/delete"),
    ],
)
def test_an_unknown_exercise_or_record_is_not_found(admin, method, path):
    response = admin.open(path, method=method, data=ACTOR)
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


@pytest.mark.parametrize(
    "kind", ["actors", "events", "stl/agenda", "declaration/signatories", "roles"]
)
def test_records_of_another_exercise_are_not_found_here(app, admin, other_exercise, kind):
    model = {
        "actors": Actor,
        "events": AwarenessEvent,
        "stl/agenda": AgendaItem,
        "declaration/signatories": Signatory,
        "roles": RoleAssignment,
    }[kind]
    before = count(app, model)
    response = admin.post(f"/e/valle/{kind}/{other_exercise[kind]}/delete")
    assert response.status_code == 404
    assert count(app, model) == before
    # Through its own exercise it can go (the actor first loses its signature).
    if kind == "actors":
        admin.post(
            f"/e/otro/declaration/signatories/{other_exercise['declaration/signatories']}/delete"
        )
    assert admin.post(f"/e/otro/{kind}/{other_exercise[kind]}/delete").status_code == 303
    assert count(app, model) == before - 1


# ----- CSRF --------------------------------------------------------------------------


@pytest.fixture
def csrf_on(app, monkeypatch):
    """Turn CSRF protection on (after logging in); restored after the test."""

    def on():
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    return on


def test_a_post_without_the_token_is_refused(app, admin, csrf_on):
    csrf_on()
    response = admin.post("/e/valle/stl/agenda", data=AGENDA)
    assert response.status_code == 400
    text = text_of(response)
    assert "Bad request" in text
    assert (
        "The form expired or was sent from another page. Reload the page and send it again." in text
    )
    assert count(app, AgendaItem) == 0


def test_the_token_in_the_htmx_header_or_in_the_form_is_accepted(app, admin, csrf_on):
    csrf_on()
    text = text_of(admin.get("/e/valle/steps/3"))
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', text).group(1)
    form_token = re.search(r'name="agenda-csrf_token" type="hidden" value="([^"]+)"', text).group(1)
    response = admin.post("/e/valle/stl/agenda", data=AGENDA, headers={"X-CSRFToken": header_token})
    assert response.status_code == 303
    response = admin.post("/e/valle/stl/agenda", data={**AGENDA, "agenda-csrf_token": form_token})
    assert response.status_code == 303
    assert count(app, AgendaItem) == 2
    forged = admin.post("/e/valle/stl/agenda", data=AGENDA, headers={"X-CSRFToken": "forged"})
    assert forged.status_code == 400
    assert count(app, AgendaItem) == 2


# ----- languages of the content --------------------------------------------------------


def test_the_exercise_name_follows_the_interface_language(client, exercise_id):
    assert "<h1>Ejercicio Valle Verde</h1>" in text_of(client.get("/e/valle"))
    english(client)
    text = text_of(client.get("/e/valle"))
    assert "<h1>Valle Verde exercise</h1>" in text
    assert "The six steps of the exercise" in text


def test_a_missing_english_translation_is_shown_in_spanish_and_marked(app, admin, client):
    admin.post("/e/valle/stl/agenda", data=AGENDA)  # Spanish only
    english(client)
    text = text_of(client.get("/e/valle/steps/3"))
    assert (
        '<span lang="es">Consulta pública de temas</span> '
        '<small class="untranslated">(not yet translated)</small>'
    ) in text
    spanish = text_of(app.test_client().get("/e/valle/steps/3"))
    assert "Consulta pública de temas" in spanish
    assert 'class="untranslated"' not in spanish


def test_an_exercise_named_only_in_spanish_is_marked_in_english(admin):
    data = {**NEW_EXERCISE, "name-en": ""}
    assert admin.post("/exercises/new", data=data).status_code == 303
    text = text_of(admin.get("/e/sierra-alta"))
    assert (
        '<h1><span lang="es">Ejercicio Sierra Alta</span> '
        '<small class="untranslated">(not yet translated)</small></h1>'
    ) in text
