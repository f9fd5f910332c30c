"""Fixtures: one app and schema per session (built by the migrations), every table
emptied after each test; DATABASE_URL selects PostgreSQL, otherwise a SQLite file."""

import os
import warnings
from datetime import date

import pytest
import sqlalchemy as sa

from coplat import create_app, resource_dir
from coplat.accounts.models import Role
from coplat.accounts.services import create_user
from coplat.exercises.enums import ExerciseKind, Seat, Sector
from coplat.exercises.services import assign_role, create_exercise
from coplat.extensions import db, limiter

PASSWORD = "correct horse battery"


def drop_everything(engine) -> None:
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    with warnings.catch_warnings():
        # commitment and commitment_revision refer to each other; SQLite drops them
        # anyway, unsorted, and says so.
        warnings.filterwarnings("ignore", "Can't sort tables", sa.exc.SAWarning)
        metadata.drop_all(bind=engine)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'test.db'}"
    os.environ["COPLAT_INSTANCE"] = str(instance)
    engine_options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # The suite commits thousands of times; a test database need not wait for
        # each commit to reach the disk.
        engine_options["connect_args"] = {"options": "-c synchronous_commit=off"}
    app = create_app(
        {
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
            "WTF_CSRF_ENABLED": False,
            "LOGIN_RATE_LIMIT": "1000 per minute",
            # Scrypt is slow on purpose; the suite hashes hundreds of passwords.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "SERVER_NAME": "coplat.test",
            # Tests read their own writes at once; tests/test_page_cache.py covers the cache.
            "PAGE_CACHE_SECONDS": 0,
        }
    )
    with app.app_context():
        drop_everything(db.engine)
        from flask_migrate import upgrade

        upgrade(directory=str(resource_dir("migrations")))
    yield app
    with app.app_context():
        db.session.remove()
        drop_everything(db.engine)
        db.engine.dispose()


def empty_tables(app) -> None:
    with app.app_context():
        db.session.rollback()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.session.remove()


@pytest.fixture(autouse=True)
def clean_tables(app, request):
    yield
    # A module that only reads the demo keeps it from one test to the next.
    if "shared_demo" not in request.fixturenames:
        empty_tables(app)
    limiter.reset()


@pytest.fixture(scope="module")
def shared_demo(app):
    """The demo, loaded once for a module whose tests only read it (loading it takes a
    couple of seconds); every test of such a module must ask for it, since any other
    test empties the tables after itself."""
    from coplat.demo import load_demo

    with app.app_context():
        load_demo()
    yield
    empty_tables(app)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def htmx(app):
    """A client whose requests look like htmx's (HX-Request header)."""
    client = app.test_client()
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    return client


@pytest.fixture
def make_user(app):
    def make(email="ana@example.mx", name="Ana", is_admin=False, locale="es"):
        with app.app_context():
            user = create_user(
                name=name, email=email, password=PASSWORD, is_admin=is_admin, locale=locale
            )
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def make_exercise(app):
    def make(slug="valle", **fields):
        with app.app_context():
            exercise = create_exercise(
                slug=slug,
                jurisdictions=[("Valle Verde", "Hidalgo")],
                name={"es": "Ejercicio Valle Verde", "en": "Valle Verde exercise"},
                kind=ExerciseKind.MUNICIPAL,
                administration_ends=date(2027, 9, 4),
                **fields,
            )
            db.session.commit()
            return exercise.id

    return make


ROLE_ACCOUNTS = {
    "facilitator": (Role.FACILITATOR, None, None),
    "stl_member": (Role.STL_MEMBER, Sector.CIVIL_SOCIETY, Seat.TITULAR),
    "point_of_contact": (Role.POINT_OF_CONTACT, None, None),
    "implementer": (Role.IMPLEMENTER, None, None),
    "monitoring": (Role.MONITORING, None, None),
}
ALL_ROLES = ["anonymous", "citizen", *ROLE_ACCOUNTS, "admin"]


@pytest.fixture
def user_with_role(app, make_user):
    """A user holding `role` (one of ALL_ROLES) in the exercise; None for anonymous."""

    def make(role: str, exercise_id: int):
        if role == "anonymous":
            return None
        user_id = make_user(email=f"{role}@example.mx", name=role.title(), is_admin=role == "admin")
        if role in ROLE_ACCOUNTS:
            kind, sector, seat = ROLE_ACCOUNTS[role]
            with app.app_context():
                from coplat.accounts.models import User
                from coplat.exercises.models import Exercise

                assign_role(
                    db.session.get(Exercise, exercise_id),
                    db.session.get(User, user_id),
                    kind,
                    sector=sector,
                    seat=seat,
                )
                db.session.commit()
        return user_id

    return make


def english(client):
    """Switch the client's interface to English; tests then read English text."""
    assert client.get("/language", query_string={"lang": "en"}).status_code == 303
    return client


@pytest.fixture
def exercise_id(make_exercise):
    return make_exercise()


@pytest.fixture
def as_role(app, exercise_id, user_with_role, login):
    """as_role(role): a new English client logged in with that role in the exercise."""

    def make(role, client=None):
        client = client or app.test_client()
        login(client, user_with_role(role, exercise_id))
        return english(client)

    return make


@pytest.fixture
def admin(as_role):
    return as_role("admin")


def log_in(client, email, password=PASSWORD):
    response = client.post("/account/login", data={"email": email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response


@pytest.fixture
def login(app):
    """login(client, user_id): log the client in as that user."""

    def do(client, user_id):
        if user_id is None:
            return client
        with app.app_context():
            from coplat.accounts.models import User

            email = db.session.get(User, user_id).email
        log_in(client, email)
        return client

    return do
