"""Sessions: minutes sanitised, times checked, attendees and invitations counted once
per actor of the exercise, with the sector they came for."""

from datetime import timedelta

import pytest

from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.tables import services
from coplat.tables.models import Attendance, Invitation
from coplat.tables.services import TableError, clean_minutes
from tests.tables.conftest import count

CIVIL, GOVERNMENT, ACADEMIA = Sector.CIVIL_SOCIETY, Sector.GOVERNMENT, Sector.ACADEMIA

# ----- minutes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile, gone",
    [
        ("<p>Acuerdos<script>alert('x')</script></p>", ["<script", "alert"]),
        ('<p onclick="steal()">Acuerdos</p>', ["onclick", "steal"]),
        ('<a href="javascript:steal()">Acuerdos</a>', ["javascript", "steal"]),
        ('<img src="x" onerror="steal()"><p>Acuerdos</p>', ["<img", "onerror"]),
        (
            '<p style="color:red">Acuerdos</p><iframe src="https://x.mx"></iframe>',
            ["style", "iframe"],
        ),
    ],
)
def test_minutes_lose_what_could_run(hostile, gone):
    cleaned = clean_minutes(hostile)
    assert "Acuerdos" in cleaned
    for fragment in gone:
        assert fragment not in cleaned


def test_minutes_keep_harmless_markup():
    cleaned = clean_minutes(
        "<p>Se acordó <strong>reparar</strong>:</p><ul><li>Calle 5</li><li>Calle 7</li></ul>"
        '<p>Ver <a href="https://valle.gob.mx/fugas">el reporte</a>.</p>'
    )
    assert "<strong>reparar</strong>" in cleaned
    assert "<ul><li>Calle 5</li><li>Calle 7</li></ul>" in cleaned
    assert '<a href="https://valle.gob.mx/fugas" rel="noopener noreferrer nofollow">' in cleaned


def test_plain_text_minutes_become_paragraphs():
    text = "Acuerdos:\nreparar la red\n\n\nPresupuesto < 2 millones > 1 millón"
    assert clean_minutes(text) == (
        "<p>Acuerdos:<br>reparar la red</p><p>Presupuesto &lt; 2 millones &gt; 1 millón</p>"
    )


@pytest.mark.parametrize("blank", ["", "   \n  ", None])
def test_blank_minutes_are_empty(blank):
    assert clean_minutes(blank) == ""


def test_set_minutes_drops_blank_languages(tree):
    session = tree.session()
    assert not session.has_minutes
    services.set_minutes(session, {"es": "Acuerdos", "en": "  ", "fr": "<script>x</script>"})
    db.session.commit()
    assert session.minutes == {"es": "<p>Acuerdos</p>"}
    assert session.has_minutes
    services.set_minutes(session, {"es": " ", "en": ""})
    db.session.commit()
    assert session.minutes == {} and not session.has_minutes


def test_minutes_of_blank_text_are_no_minutes(tree):
    session = tree.session()
    session.minutes = {"es": "   ", "en": ""}
    assert not session.has_minutes
    session.minutes = {"es": "", "en": "<p>Agreements</p>"}
    assert session.has_minutes


def test_a_session_ends_after_it_starts():
    start = utcnow()
    for end in (start - timedelta(minutes=1), start):
        with pytest.raises(TableError):
            services.check_session_times(start, end)
    services.check_session_times(start, None)
    services.check_session_times(start, start + timedelta(hours=2))


# ----- actors typed in the room -------------------------------------------------------


@pytest.fixture
def other_exercise_id(make_exercise):
    return make_exercise(slug="otro")


def find_or_add(tree, name, sector=CIVIL, is_organisation=True):
    actor = services.find_or_add_actor(tree.table.exercise, name, sector, is_organisation)
    db.session.commit()
    return actor


def test_find_or_add_actor_reuses_the_exercises_actor(tree):
    known = tree.actor("Colectivo Agua Limpia", CIVIL)
    for typed in ("Colectivo Agua Limpia", "  colectivo   AGUA\tlimpia "):
        assert find_or_add(tree, typed, sector=GOVERNMENT) == known
    assert known.sector == CIVIL and count(Actor) == 1


def test_find_or_add_actor_creates_a_new_actor_in_the_exercise(other_exercise_id, tree):
    tree.actor("Colectivo Agua Limpia", exercise=db.session.get(Exercise, other_exercise_id))
    for typed in ("Colectivo Agua Limpia", " María   López "):
        actor = find_or_add(tree, typed, sector=ACADEMIA, is_organisation=False)
        assert actor.exercise_id == tree.table.exercise_id
        assert (actor.sector, actor.is_organisation) == (ACADEMIA, False)
    assert actor.name == "María López"
    assert count(Actor, exercise_id=tree.table.exercise_id) == 2


def test_find_or_add_actor_ignores_the_case_of_accented_letters(tree):
    known = tree.actor("Asociación Vecinal Ánimas")
    assert find_or_add(tree, "ASOCIACIÓN VECINAL ÁNIMAS") == known


# ----- invitations and attendance -------------------------------------------------------


RECORDERS = pytest.mark.parametrize("record", [services.record_attendance, services.invite])


def recorded(session, record):
    return session.attendances if record is services.record_attendance else session.invitations


@RECORDERS
def test_each_actor_counts_once(tree, record):
    session, actor = tree.session(), tree.actor()
    assert record(session, actor) is True
    db.session.commit()
    assert record(session, actor) is False
    db.session.commit()
    assert count(Attendance) + count(Invitation) == 1
    assert [(r.actor, r.sector) for r in recorded(session, record)] == [(actor, CIVIL)]


@RECORDERS
def test_each_actor_counts_once_within_one_transaction(tree, record):
    session, actor = tree.session(), tree.actor()
    assert record(session, actor) is True
    assert record(session, actor) is False
    db.session.commit()
    assert len(recorded(session, record)) == 1


@RECORDERS
def test_only_actors_of_the_exercise(other_exercise_id, tree, record):
    session = tree.session()
    stranger = tree.actor(exercise=db.session.get(Exercise, other_exercise_id))
    with pytest.raises(TableError, match="actor of this exercise"):
        record(session, stranger)
    db.session.commit()
    assert count(Attendance) + count(Invitation) == 0


def test_attendance_keeps_the_sector_given(tree):
    session, actor = tree.session(), tree.actor("Dra. Ruiz", CIVIL)
    services.record_attendance(session, actor, ACADEMIA)
    db.session.commit()
    actor.sector = GOVERNMENT  # later edits of the actor leave the count as it was
    db.session.commit()
    assert session.attendances[0].sector == ACADEMIA
    assert services.attendance_by_sector(session) == {ACADEMIA: (0, 1)}


def test_attendance_by_sector_gives_invited_and_attended(tree):
    session = tree.session()
    civil = [tree.actor(f"Colectivo {n}", CIVIL) for n in "ABC"]
    official = tree.actor("Dirección de Agua", GOVERNMENT)
    for actor in [*civil, official]:
        services.invite(session, actor)
    services.record_attendance(session, civil[0])
    services.record_attendance(session, tree.actor("Vecina", Sector.CITIZEN))
    services.record_attendance(session, civil[1], ACADEMIA)
    db.session.commit()
    figures = services.attendance_by_sector(session)
    assert figures == {
        GOVERNMENT: (1, 0),
        CIVIL: (3, 1),
        ACADEMIA: (0, 1),
        Sector.CITIZEN: (0, 1),
    }
    assert list(figures) == [s for s in Sector if s in figures]
    assert services.attendance_by_sector(tree.session()) == {}
