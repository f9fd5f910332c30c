"""The public log as people read it: every published topic and every proposal with
its fate, filtered in the database (stage, decision or pending, category, table,
channel, words of the title), paged, and counted by category and decision."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import Topic, TopicCategory
from coplat.core.i18n import LANGUAGES
from coplat.core.models import utcnow
from coplat.core.text import fold
from coplat.extensions import db
from coplat.feedback import log, services
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.log import PENDING, Filters
from coplat.tables.enums import ProposalChannel
from tests.feedback.conftest import (
    CLEARER,
    DECIDERS,
    TYPO,
    add_proposal,
    add_topic,
    decide,
    topics_of,
)


class Log:
    """The desk's exercise with a log of every kind, its inputs by short name."""

    def __init__(self, desk):
        self.desk = desk
        self.exercise = desk.exercise
        consultation = self.exercise.consultation
        self.categories = {
            c.name["es"]: c
            for c in db.session.scalars(
                sa.select(TopicCategory).where(TopicCategory.consultation_id == consultation.id)
            )
        }
        topics = topics_of(desk)  # fugas (Agua), alumbrado (Seguridad), baches (none)
        self.items = {
            "fugas": topics["fugas"],
            "alumbrado": topics["alumbrado"],
            "baches": topics["baches"],
            "iluminacion": add_topic(
                consultation,
                {"es": "Falta de iluminación en el parque", "en": "No lighting in the park"},
                category=self.categories["Seguridad"],
                channel=Channel.ASSEMBLY,
            ),
            "hoyos": add_topic(consultation, {"es": "Hoyos en la avenida"}),
            "gas": add_topic(consultation, {"es": "El precio del gas"}),
            "sensores": add_proposal(desk.table, {"es": "Sensores en la red"}),
            "cuadrillas": add_proposal(desk.table, {"es": "Cuadrillas de noche"}),
            "lamparas": add_proposal(
                desk.other_table,
                {"es": "Lámparas solares 50% más baratas"},
                channel=ProposalChannel.ONLINE,
            ),
        }
        # Awaiting moderation: not public, so not in the log.
        add_topic(consultation, {"es": "Iluminación por moderar"}, state=TopicState.PENDING)
        user = desk.facilitator
        i = self.items
        i["hoyos"].state = TopicState.MERGED
        decide(i["hoyos"], Decision.MERGED, user, merged_into=i["baches"])
        i["gas"].state = TopicState.REJECTED
        decide(i["gas"], Decision.REJECTED, user)
        decide(i["fugas"], Decision.ADOPTED, user)
        decide(i["alumbrado"], Decision.ADOPTED, user)
        decide(i["baches"], Decision.REJECTED, user)
        decide(i["sensores"], Decision.ADOPTED, user)
        first = decide(i["cuadrillas"], Decision.REJECTED, user)
        self.correction = services.correct(
            first, user, acting_as=DECIDERS, correction_reason=TYPO, reason=CLEARER
        )
        db.session.commit()

    def names(self, **filters) -> set[str]:
        page = log.page_of(self.exercise, Filters(**filters))
        return {self.name_of(item) for item in page.items}

    def name_of(self, item: log.Item) -> str:
        for name, record in self.items.items():
            if (isinstance(record, Topic), record.id) == (item.kind == "topic", item.id):
                return name
        raise AssertionError(item)


@pytest.fixture
def book(desk):
    return Log(desk)


TOPICS = {"fugas", "alumbrado", "baches", "iluminacion", "hoyos", "gas"}
PROPOSALS = {"sensores", "cuadrillas", "lamparas"}


def test_every_public_input_is_listed_once(book):
    page = log.page_of(book.exercise, Filters())
    assert (page.total, page.number, page.pages) == (9, 1, 1)
    assert book.names() == TOPICS | PROPOSALS


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"stage": Stage.CONSULTATION.value}, TOPICS),
        ({"stage": Stage.WORKING_TABLE.value}, PROPOSALS),
        ({"decision": "adopted"}, {"fugas", "alumbrado", "sensores"}),
        # The corrected proposal counts by its latest decision.
        ({"decision": "rejected"}, {"baches", "gas", "cuadrillas"}),
        ({"decision": "merged"}, {"hoyos"}),
        ({"decision": "modified"}, set()),
        ({"decision": PENDING}, {"iluminacion", "lamparas"}),
        ({"table": "leaks"}, {"sensores", "cuadrillas"}),
        ({"channel": "assembly"}, {"iluminacion"}),
        ({"channel": "online"}, {"lamparas"}),
        ({"channel": "session"}, {"sensores", "cuadrillas"}),
        ({"channel": "web"}, {"fugas", "alumbrado", "baches", "hoyos", "gas"}),
        ({"decision": "rejected", "stage": "working_table"}, {"cuadrillas"}),
        ({"decision": PENDING, "channel": "online"}, {"lamparas"}),
    ],
)
def test_each_filter(book, filters, expected):
    if filters.get("table") == "leaks":
        filters = filters | {"table": book.desk.table.id}
    assert book.names(**filters) == expected


def test_the_summary_gives_each_filtered_pages_total(book):
    """A page without words takes its total from the summary: the same as counting."""
    summary = log.summary(book.exercise)
    water = book.categories["Agua"].id
    table = book.desk.table.id
    for filters in [
        {},
        {"stage": "consultation"},
        {"stage": "working_table", "decision": PENDING},
        {"decision": "rejected", "category": water},
        {"category": water, "table": table},
        {"table": table, "decision": "adopted"},
        {"channel": "web", "decision": "rejected"},
        {"channel": "online", "category": book.categories["Seguridad"].id},
        {"channel": "assembly", "stage": "working_table"},
    ]:
        counted = log.page_of(book.exercise, Filters(**filters))
        summed = log.page_of(book.exercise, Filters(**filters), summary)
        assert summed.total == counted.total, filters
        assert summed.items == counted.items, filters
        assert len(counted.items) == counted.total, filters


def test_category_filter_counts_a_proposal_in_its_tables_topic_category(book):
    water, safety = book.categories["Agua"].id, book.categories["Seguridad"].id
    assert book.names(category=water) == {"fugas", "sensores", "cuadrillas"}
    assert book.names(category=safety) == {"alumbrado", "iluminacion", "lamparas"}
    assert book.names(category=safety, stage="consultation", decision=PENDING) == {"iluminacion"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Stored as JSON, whose text escapes the ó: found as typed all the same.
        ("iluminación", {"iluminacion"}),
        ("  Iluminación ", {"iluminacion"}),
        ("lámparas", {"lamparas"}),
        # Every language of the title is searched.
        ("lighting", {"iluminacion", "alumbrado"}),
        ("CUADRILLAS", {"cuadrillas"}),
        # LIKE's wildcards are plain characters.
        ("50%", {"lamparas"}),
        ("%", {"lamparas"}),
        ("_", set()),
        # Accents and case do not matter, on either side (core.text).
        ("iluminacion", {"iluminacion"}),
        ("ILUMINACION EN EL", {"iluminacion"}),
        ("lamparas solares", {"lamparas"}),
        ("Lámparas solares 50%", {"lamparas"}),
        # The words typed are one phrase, in their order.
        ("solares lamparas", set()),
        ("", TOPICS | PROPOSALS),
    ],
)
def test_text_search(book, text, expected):
    assert book.names(text=text) == expected


ODD_TITLES = [
    {"es": "Ñandú en la Plaza 50", "en": "A rhea in the square"},
    {"es": "PARTICIPACIÓN Ciudadana"},
    {"es": "Reforestación del río", "en": "Trees by the river"},
    {"es": "Cañón / señal de tránsito"},
    {"es": "Über-pasos en la Línea 3", "en": "Line 3 crossings"},
]


@pytest.mark.parametrize(
    "query",
    [
        "nandu",
        "ÑANDÚ EN",
        "u en la p",
        "ion ciu",
        "rio",
        "río",
        "canon / senal",
        "uber-pasos",
        "a 3",
        "3 cro",
        "a 50",
        "sq",
        "ñ",
    ],
)
def test_the_words_are_found_exactly_as_folded_text_holds_them(book, query):
    """The database's answer (a cheap test on the stored text first, then the folded
    text per language) is the folded titles' answer, whatever letters the words hold."""
    for title in ODD_TITLES:
        add_topic(book.exercise.consultation, title)
    phrase = " ".join(fold(query).split())
    everything = log.page_of(book.exercise, Filters()).items
    expected = {
        (item.kind, item.id)
        for item in everything
        if any(phrase in fold(item.title.get(language, "")) for language in LANGUAGES)
    }
    found = log.page_of(book.exercise, Filters(text=query)).items
    assert {(item.kind, item.id) for item in found} == expected
    assert expected  # each query finds something


def test_words_without_accents_find_the_accented_title_on_the_page(book, client):
    """ "participacion" finds "Participación", as the site's search does."""
    book.items["participacion"] = topic = add_topic(
        book.exercise.consultation,
        {"es": "Participación ciudadana en el presupuesto"},
    )
    decide(topic, Decision.REJECTED, book.desk.facilitator)
    assert book.names(text="participacion") == {"participacion"}
    assert book.names(text="PARTICIPACION", decision="rejected") == {"participacion"}
    for query in ("participacion", "PARTICIPACIÓN CIUDADANA", "participación"):
        response = client.get(
            f"/e/{book.exercise.slug}/feedback", query_string={"q": query, "decision": "rejected"}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Participación ciudadana en el presupuesto" in page, query
        assert "El precio del gas" not in page, query  # rejected too, without the words


def test_each_item_carries_its_latest_entry_and_how_many_it_has(book):
    page = log.page_of(book.exercise, Filters())
    by_name = {book.name_of(item): item for item in page.items}
    corrected = by_name["cuadrillas"]
    assert (corrected.entry, corrected.entries) == (book.correction, 2)
    assert corrected.entry.supersedes_id is not None
    assert (by_name["hoyos"].entry.merged_into, by_name["hoyos"].entries) == (
        book.items["baches"],
        1,
    )
    for name in ("iluminacion", "lamparas"):
        assert (by_name[name].decision, by_name[name].entry, by_name[name].entries) == (
            None,
            None,
            0,
        )
    assert by_name["sensores"].table_id == book.desk.table.id
    assert by_name["lamparas"].stage == Stage.WORKING_TABLE
    assert by_name["fugas"].decision == Decision.ADOPTED


def test_another_exercises_inputs_are_not_listed(book):
    from tests.feedback.conftest import another_exercise

    other, _topics = another_exercise()
    assert log.page_of(other, Filters()).total == 2
    assert book.names() == TOPICS | PROPOSALS


def test_pages_of_fifty_newest_first_within_bounds(book):
    consultation = book.exercise.consultation
    db.session.execute(
        sa.insert(Topic),
        [
            {
                "consultation_id": consultation.id,
                "title": {"es": f"Tema {n:03}"},
                "state": TopicState.PUBLISHED,
                "created_at": utcnow() - timedelta(days=1, minutes=n),
            }
            for n in range(120)
        ],
    )
    db.session.commit()
    pages = [log.page_of(book.exercise, Filters(page=n)) for n in (1, 2, 3)]
    assert [len(p.items) for p in pages] == [50, 50, 29]
    assert all((p.total, p.pages) == (129, 3) for p in pages)
    seen = [(i.kind, i.id) for p in pages for i in p.items]
    assert len(set(seen)) == 129
    created = [i.created_at for p in pages for i in p.items]
    assert created == sorted(created, reverse=True)
    # The nine inputs of the log are newer than the 120 added a day back.
    assert {book.name_of(i) for i in pages[0].items[:9]} == TOPICS | PROPOSALS
    assert pages[2].items[-1].title == {"es": "Tema 119"}
    # Out of range: the nearest page.
    for asked, number in ((0, 1), (-3, 1), (4, 3), (10_000, 3)):
        page = log.page_of(book.exercise, Filters(page=asked))
        assert page.number == number
    filtered = log.page_of(book.exercise, Filters(text="tema 11", page=7))
    assert (filtered.total, filtered.number, filtered.pages) == (10, 1, 1)


def test_an_empty_log_has_one_empty_page(desk):
    page = log.page_of(desk.exercise, Filters(decision="modified", page=3))
    assert (page.items, page.total, page.number, page.pages) == ([], 0, 1, 1)


def test_summary_counts_by_category_and_decision(book):
    summary = log.summary(book.exercise)
    water, safety = book.categories["Agua"].id, book.categories["Seguridad"].id
    rows = {row.category_id: row.counts for row in summary.rows}
    assert rows == {
        water: {"adopted": 2, "rejected": 1},
        safety: {"adopted": 1, PENDING: 2},
        None: {"rejected": 2, "merged": 1},
    }
    assert summary.total.counts == {"adopted": 3, "rejected": 3, "merged": 1, PENDING: 2}
    assert (summary.total.total, summary.total.reached) == (9, 3)
    by_category = {row.category_id: row for row in summary.rows}
    assert (by_category[water].total, by_category[water].reached) == (3, 2)
    # A correction adds an entry, not an input: the counts stay.
    services.correct(
        book.correction,
        book.desk.facilitator,
        acting_as=DECIDERS,
        correction_reason=TYPO,
        reason=CLEARER,
    )
    db.session.commit()
    assert log.summary(book.exercise).total == summary.total
