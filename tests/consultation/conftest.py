"""Consultation fixtures: an open consultation in the exercise "valle", with two
bilingual categories and three published topics, built through the models and
services; citizens, each with their own logged-in English client.

Records are handed around by id (the session ends with each app context)."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from coplat.accounts.models import User
from coplat.consultation import services
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic, TopicCategory
from coplat.core.models import utcnow
from coplat.extensions import db
from tests.conftest import english

URL = "/e/valle/consultation"


@dataclass
class Setup:
    """What the consultation fixture made, by id."""

    id: int
    exercise_id: int
    categories: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)

    def topic_url(self, name_or_id, action: str = "") -> str:
        topic_id = self.topics.get(name_or_id, name_or_id)
        return f"{URL}/topics/{topic_id}" + (f"/{action}" if action else "")


CATEGORIES = {
    "water": {"es": "Agua", "en": "Water"},
    "safety": {"es": "Seguridad", "en": "Safety"},
}
TOPICS = {
    "leaks": ({"es": "Fugas de agua", "en": "Water leaks"}, "water"),
    "lighting": ({"es": "Alumbrado público", "en": "Street lighting"}, "safety"),
    "potholes": ({"es": "Baches", "en": "Potholes"}, None),
}


@pytest.fixture
def make_consultation(app, exercise_id):
    """make_consultation(**settings): a consultation open since yesterday for a week,
    with the categories and published topics above (in "valle" unless told)."""

    default_exercise = exercise_id

    def make(
        *,
        exercise_id=default_exercise,
        opens_in=timedelta(days=-1),
        closes_in=timedelta(days=7),
        accepts_topics=True,
        vote_budget=None,
        regions="",
    ) -> Setup:
        now = utcnow()
        with app.app_context():
            consultation = Consultation(
                exercise_id=exercise_id,
                question={
                    "es": "¿Qué problemas públicos debemos resolver juntos?",
                    "en": "Which public problems should we solve together?",
                },
                explanation={"es": "Propón temas y vota."},
                opens_at=now + opens_in,
                closes_at=now + closes_in,
                accepts_topics=accepts_topics,
                vote_budget=vote_budget,
                regions=regions,
            )
            db.session.add(consultation)
            db.session.flush()
            categories = {
                key: services.add_category(consultation, name) for key, name in CATEGORIES.items()
            }
            topics = {}
            for key, (title, category) in TOPICS.items():
                topics[key] = Topic(
                    consultation=consultation,
                    title=title,
                    category=categories.get(category),
                    state=TopicState.PUBLISHED,
                    moderated_at=now,
                )
                db.session.add(topics[key])
            db.session.commit()
            return Setup(
                id=consultation.id,
                exercise_id=exercise_id,
                categories={k: c.id for k, c in categories.items()},
                topics={k: t.id for k, t in topics.items()},
            )

    return make


@pytest.fixture
def consultation(make_consultation) -> Setup:
    """An open consultation, one vote per topic, citizens may propose."""
    return make_consultation()


@pytest.fixture
def citizen(app, make_user, login):
    """citizen(name): (user id, a new English client logged in as that citizen)."""

    def make(name="Lucia", *, htmx=False):
        user_id = make_user(email=f"{name.lower()}@example.mx", name=name)
        client = english(login(app.test_client(), user_id))
        if htmx:
            client.environ_base["HTTP_HX_REQUEST"] = "true"
        return user_id, client

    return make


# ----- helpers ---------------------------------------------------------------------


def text_of(response) -> str:
    return response.get_data(as_text=True)


def count(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .where(*[getattr(model, k) == v for k, v in where.items()])
        )


def set_period(app, setup: Setup, *, opens_in: timedelta, closes_in: timedelta) -> None:
    """Move the consultation's window relative to now."""
    now = utcnow()
    with app.app_context():
        consultation = db.session.get(Consultation, setup.id)
        consultation.opens_at, consultation.closes_at = now + opens_in, now + closes_in
        db.session.commit()


def close(app, setup: Setup) -> None:
    """The consultation closed a minute ago, after a week."""
    set_period(app, setup, opens_in=timedelta(days=-8), closes_in=timedelta(minutes=-1))


def add_topic(
    app,
    setup: Setup,
    title_es: str,
    *,
    title_en: str | None = None,
    state=TopicState.PUBLISHED,
    author_id: int | None = None,
    category: str | int | None = None,
) -> int:
    """A topic stored directly; `category` is a key of setup.categories or an id."""
    with app.app_context():
        title = {"es": title_es, **({"en": title_en} if title_en else {})}
        topic = Topic(
            consultation_id=setup.id,
            title=title,
            author_id=author_id,
            category_id=setup.categories.get(category, category),
            state=state,
        )
        db.session.add(topic)
        db.session.commit()
        return topic.id


def cast(app, topic_id: int, *user_ids: int, now: datetime | None = None) -> None:
    """Each user votes for the topic, through the service."""
    with app.test_request_context():
        topic = db.session.get(Topic, topic_id)
        for user_id in user_ids:
            services.cast_vote(topic, db.session.get(User, user_id), now=now)
        db.session.commit()


def topic_row(app, topic_id: int) -> Topic:
    """The topic as stored now (detached; read its columns only)."""
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        db.session.expunge(topic)
        return topic


def consultation_row(app, setup: Setup) -> Consultation:
    with app.app_context():
        consultation = db.session.get(Consultation, setup.id)
        db.session.expunge(consultation)
        return consultation


def category_names(app, setup: Setup) -> list[dict]:
    with app.app_context():
        return [
            dict(c.name)
            for c in db.session.scalars(
                sa.select(TopicCategory)
                .where(TopicCategory.consultation_id == setup.id)
                .order_by(TopicCategory.position, TopicCategory.id)
            )
        ]


def vote_fragment(response, topic_id: int) -> str:
    """The htmx answer to a vote: only the topic's vote block, not a page."""
    body = text_of(response).strip()
    assert body.startswith(f'<div class="vote" id="vote-{topic_id}">'), body[:200]
    assert "<html" not in body
    return body


def vote_count_shown(html: str, topic_id: int) -> int:
    """The count shown in a topic's vote block."""
    block = html[html.index(f'id="vote-{topic_id}"') :]
    return int(
        re.search(r'class="vote-count"><strong>([\d,]+)</strong>', block)[1].replace(",", "")
    )


def table_rows(html: str, caption_id: str) -> dict[str, str]:
    """{row label: its figure} of the breakdown table with that caption id."""
    start = html.index(f'<caption id="{caption_id}">')
    table = html[start : html.index("</table>", start)]
    return dict(
        re.findall(r'<tr><th scope="row">(.*?)</th><td class="number">(.*?)</td></tr>', table)
    )
