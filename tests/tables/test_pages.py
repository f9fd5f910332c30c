"""The working-table pages as people use them: the facilitator builds the tree with
htmx or plain forms, records attendance and minutes; the public reads the tree, its
SVG, the minutes and the proposals; citizens propose while the call is open."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa

from coplat.accounts.models import User
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.tables import services
from coplat.tables.enums import NodeKind
from coplat.tables.models import Proposal, TableSession, TreeNode, WorkingTable
from tests.conftest import english
from tests.tables.conftest import add_session, count

URL = "/e/valle/tables"


@pytest.fixture
def ids(app, table_id, facilitator_id):
    """The table's problem and a strategic cause, by id."""
    with app.app_context():
        table = db.session.get(WorkingTable, table_id)
        problem = services.problem_of(table)
        cause = services.add_node(table, problem, NodeKind.CAUSE, {"es": "Tubos viejos"}, None)
        services.set_strategic(cause, True, None)
        db.session.commit()
        return {"table": table_id, "problem": problem.id, "cause": cause.id}


@pytest.fixture
def facilitator(client, login, facilitator_id):
    return english(login(client, facilitator_id))


@pytest.fixture
def facilitator_htmx(htmx, login, facilitator_id):
    return english(login(htmx, facilitator_id))


def tree_url(ids, suffix=""):
    return f"{URL}/{ids['table']}/tree{suffix}"


def texts(app, table_id, kind=NodeKind.CAUSE) -> list[str]:
    with app.app_context():
        table = db.session.get(WorkingTable, table_id)
        return [n.text.get("es") for n in services.tree_nodes(table) if n.kind == kind]


# ----- building the tree ---------------------------------------------------------------


def test_adding_a_cause_with_htmx_answers_the_tree_with_the_form_still_open(
    app, facilitator_htmx, ids
):
    response = facilitator_htmx.post(
        tree_url(ids, "/nodes"),
        data={"parent": ids["problem"], "kind": "cause", "node-text-es": "Fugas sin reparar"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="tree"')  # the fragment, not the page
    assert "Fugas sin reparar" in html and "<svg" in html
    # Ready for the next cause of the same node, focused.
    assert "New cause of the problem" in html
    assert re.search(
        r'<input[^>]*autofocus[^>]*name="node-text-es"|name="node-text-es"[^>]*autofocus', html
    )
    assert texts(app, ids["table"]) == ["Tubos viejos", "Fugas sin reparar"]


def test_a_node_without_spanish_is_refused_and_keeps_what_was_typed(app, facilitator_htmx, ids):
    response = facilitator_htmx.post(
        tree_url(ids, "/nodes"),
        data={"parent": ids["problem"], "kind": "effect", "node-text-en": "Families buy water"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write this in Spanish." in html
    assert 'value="Families buy water"' in html
    assert texts(app, ids["table"], NodeKind.EFFECT) == []


def test_without_javascript_the_same_forms_work(app, facilitator, ids):
    form_page = facilitator.get(tree_url(ids, f"?add={ids['cause']}&kind=cause"))
    assert "New cause of: Tubos viejos" in form_page.get_data(as_text=True)
    response = facilitator.post(
        tree_url(ids, "/nodes"),
        data={"parent": ids["cause"], "kind": "cause", "node-text-es": "Sin presupuesto"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        tree_url(ids, f"?add={ids['cause']}&kind=cause#node-{ids['cause']}")
    )
    page = facilitator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sin presupuesto" in page
    assert "<html" in page


def test_editing_a_node_can_move_it_under_another(app, facilitator, ids):
    with app.app_context():
        table = db.session.get(WorkingTable, ids["table"])
        problem = db.session.get(TreeNode, ids["problem"])
        other = services.add_node(table, problem, NodeKind.CAUSE, {"es": "Sequía"}, None)
        db.session.commit()
        other_id = other.id
    form = facilitator.get(tree_url(ids, f"?edit={other_id}")).get_data(as_text=True)
    assert 'name="node-parent"' in form and "Tubos viejos" in form
    response = facilitator.post(
        tree_url(ids, f"/nodes/{other_id}"),
        data={"node-text-es": "Sequía prolongada", "node-text-en": "Long drought",
              "node-parent": ids["cause"]},
    )  # fmt: skip
    assert response.status_code == 303
    with app.app_context():
        moved = db.session.get(TreeNode, other_id)
        assert (moved.parent_id, moved.text) == (
            ids["cause"],
            {"es": "Sequía prolongada", "en": "Long drought"},
        )


def test_a_cause_cannot_hang_from_its_own_branch(app, facilitator, ids):
    with app.app_context():
        table = db.session.get(WorkingTable, ids["table"])
        cause = db.session.get(TreeNode, ids["cause"])
        child = services.add_node(table, cause, NodeKind.CAUSE, {"es": "Hija"}, None)
        db.session.commit()
        child_id = child.id
    response = facilitator.post(
        tree_url(ids, f"/nodes/{ids['cause']}"),
        data={"node-text-es": "Tubos viejos", "node-parent": child_id},
    )
    assert response.status_code == 422
    assert "A node cannot hang from its own branch." in response.get_data(as_text=True)


def test_deleting_a_cause_with_proposals_is_refused_with_the_reason(
    app, facilitator_htmx, ids, facilitator_id
):
    with app.app_context():
        table = db.session.get(WorkingTable, ids["table"])
        services.enter_proposal(
            table,
            db.session.get(User, facilitator_id),
            cause=db.session.get(TreeNode, ids["cause"]),
            title={"es": "Sensores"},
            description={},
            proposer_name="Vecinos",
            proposer_sector=Sector.CITIZEN,
        )
        db.session.commit()
    response = facilitator_htmx.post(tree_url(ids, f"/nodes/{ids['cause']}/delete"))
    assert response.status_code == 409
    assert "Move those proposals to another cause first." in response.get_data(as_text=True)
    assert texts(app, ids["table"]) == ["Tubos viejos"]


def test_the_history_names_who_changed_what(app, facilitator, ids):
    facilitator.post(tree_url(ids, f"/nodes/{ids['cause']}/strategic"), data={"strategic": "0"})
    html = facilitator.get(tree_url(ids, "/history")).get_data(as_text=True)
    assert "No longer strategic" in html and "Facilitator" in html
    assert html.index("No longer strategic") < html.index("Marked as strategic")


# ----- reading the tree -----------------------------------------------------------------


def test_visitors_read_the_tree_without_the_editor(client, ids):
    html = english(client).get(tree_url(ids)).get_data(as_text=True)
    assert "Tubos viejos" in html and "Strategic cause" in html
    assert 'role="img"' in html
    assert "Add a cause" not in html and "/delete" not in html


def test_the_diagram_downloads_as_an_svg_file(client, ids):
    response = client.get(tree_url(ids, ".svg?download=1"))
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.get_data(as_text=True).startswith("<svg")
    inline = client.get(tree_url(ids, ".svg"))
    assert "Content-Disposition" not in inline.headers


def test_a_missing_node_or_table_is_not_found(facilitator, ids):
    assert facilitator.get(tree_url(ids, "?edit=999999")).status_code == 404
    assert facilitator.get(f"{URL}/999999/tree").status_code == 404


# ----- sessions --------------------------------------------------------------------------


def session_of(app, table_id, **fields) -> int:
    with app.app_context():
        return add_session(db.session.get(WorkingTable, table_id), **fields).id


def test_minutes_are_sanitised_and_shown(app, facilitator, ids):
    session_id = session_of(app, ids["table"])
    url = f"{URL}/{ids['table']}/sessions/{session_id}"
    response = facilitator.post(
        url + "/minutes",
        data={"minutes-es": '<h3>Acuerdos</h3><p onclick="x()">Uno<script>alert(1)</script></p>'},
    )
    assert response.status_code == 303
    html = english(app.test_client()).get(url).get_data(as_text=True)
    minutes = html[html.index('class="minutes"') :]
    assert "<h3>Acuerdos</h3>" in minutes
    assert "alert(1)" not in html and "onclick" not in html


def test_attendance_counts_by_sector_and_names_people_only_to_the_staff(
    app, facilitator_htmx, client, ids
):
    session_id = session_of(app, ids["table"])
    url = f"{URL}/{ids['table']}/sessions/{session_id}"
    for name, sector, organisation in (
        ("Universidad del Valle", "academia", "1"),
        ("María López", "citizen", "0"),
    ):
        response = facilitator_htmx.post(
            url + "/attendance",
            data={"attendee-name": name, "attendee-sector": sector,
                  "attendee-is_organisation": organisation},
        )  # fmt: skip
        assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="attendance"')
    assert "María López" in fragment  # the facilitator sees names
    public = english(client).get(url).get_data(as_text=True)
    assert "Universidad del Valle" in public and "María López" not in public
    assert "1 person" in public
    assert re.search(r"Academia</th><td>0</td><td>1</td>", public)


def test_a_new_attendee_needs_a_sector_and_keeps_the_name(app, facilitator_htmx, ids):
    session_id = session_of(app, ids["table"])
    response = facilitator_htmx.post(
        f"{URL}/{ids['table']}/sessions/{session_id}/attendance",
        data={"attendee-name": "Colectivo Nuevo", "attendee-is_organisation": "1"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the sector of a new participant." in html
    assert 'value="Colectivo Nuevo"' in html


def test_a_staff_only_attachment_is_hidden_from_the_public(app, facilitator, ids):
    session_id = session_of(app, ids["table"])
    url = f"{URL}/{ids['table']}/sessions/{session_id}"
    response = facilitator.post(
        url + "/attachments",
        data={
            "attachment-document": (BytesIO(b"%PDF-1.4\n%%EOF\n"), "lista.pdf"),
            "attachment-kind": "attendance_list",
            "attachment-caption": "Lista firmada",
            "attachment-is_public": "0",
        },
    )
    assert response.status_code == 303
    assert "Lista firmada" in facilitator.get(url).get_data(as_text=True)
    assert "Lista firmada" not in app.test_client().get(url).get_data(as_text=True)


def test_a_session_must_end_after_it_starts(facilitator, ids):
    response = facilitator.post(
        f"{URL}/{ids['table']}/sessions/new",
        data={"kind": "open_day", "title-es": "Jornada", "starts_at": "2027-01-10T17:00",
              "ends_at": "2027-01-10T16:00", "place": "Casa de cultura"},
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The session must end after it starts." in html
    assert 'value="Casa de cultura"' in html


def test_session_times_are_read_in_the_exercises_zone(app, facilitator, ids):
    response = facilitator.post(
        f"{URL}/{ids['table']}/sessions/new",
        data={"kind": "open_day", "title-es": "Jornada", "starts_at": "2027-01-10T17:00",
              "place": "Casa de cultura"},
    )  # fmt: skip
    assert response.status_code == 303
    with app.app_context():
        starts = db.session.scalar(sa.select(TableSession.starts_at))
        assert (starts.hour, starts.minute) == (23, 0)  # 17:00 in Mexico City is 23:00 UTC


# ----- proposals ----------------------------------------------------------------------------


def open_call(app, table_id, days=3):
    with app.app_context():
        table = db.session.get(WorkingTable, table_id)
        table.proposals_close_at = utcnow() + timedelta(days=days)
        db.session.commit()


def test_citizens_propose_while_the_call_is_open(app, client, login, make_user, ids):
    citizen = english(login(client, make_user(email="vecina@example.mx", name="Ana Vecina")))
    url = f"{URL}/{ids['table']}"
    assert "Propose a solution" not in citizen.get(url).get_data(as_text=True)
    refused = citizen.post(
        url + "/proposals", data={"proposal-cause": ids["cause"], "proposal-title": "Medidores"}
    )
    assert refused.status_code == 422
    assert "not taking proposals online" in refused.get_data(as_text=True)

    open_call(app, ids["table"])
    assert "Propose a solution" in citizen.get(url).get_data(as_text=True)
    response = citizen.post(
        url + "/proposals", data={"proposal-cause": ids["cause"], "proposal-title": "Medidores"}
    )
    assert response.status_code == 303
    page = citizen.get(response.headers["Location"]).get_data(as_text=True)
    assert "Medidores" in page and "Ana Vecina" in page and "Pending decision" in page


def test_a_proposal_must_answer_a_strategic_cause(app, client, login, make_user, ids):
    open_call(app, ids["table"])
    citizen = english(login(client, make_user(email="vecina@example.mx")))
    response = citizen.post(
        f"{URL}/{ids['table']}/proposals",
        data={"proposal-cause": ids["problem"], "proposal-title": "Medidores"},
    )
    assert response.status_code == 422
    assert "Choose one of the table&#39;s strategic causes." in response.get_data(as_text=True)
    assert 'value="Medidores"' in response.get_data(as_text=True)
    with app.app_context():
        assert count(Proposal) == 0


def test_rejecting_a_proposal_shows_the_reason_and_who_decided(app, facilitator, ids):
    response = facilitator.post(
        f"{URL}/{ids['table']}/proposals/new",
        data={"entry-cause": ids["cause"], "entry-title-es": "Pipas gratis",
              "entry-proposer_name": "Comité Centro", "entry-proposer_sector": "citizen",
              "entry-session": "0"},
    )  # fmt: skip
    assert response.status_code == 303
    with app.app_context():
        proposal_id = db.session.scalar(sa.select(Proposal.id))
    url = f"{URL}/{ids['table']}/proposals/{proposal_id}"
    empty = facilitator.post(url + "/reject", data={"reject-reason-es": ""})
    assert empty.status_code == 422
    facilitator.post(url + "/reject", data={"reject-reason-es": "Ya existe un programa."})
    page = english(app.test_client()).get(url).get_data(as_text=True)
    assert "Rejected" in page and "Ya existe un programa." in page
    assert "Facilitator" in page and "@example.mx" not in page
