"""The benchmark harness: serve coplat as in production, load it, write the figures.

For each database given (`--sqlite INSTANCE_DIR`, `--postgresql URL`, both seeded
beforehand with `coplat bench-seed`) it serves coplat with gunicorn (4 sync workers by
default) and, in the same run and under the same settings, the minimal Flask app
`bench/ceiling.py`, then:

- pages: `wrk -t2 -c32 -d10s --latency` on every public page of the issue, in rounds
  (the ceiling first, then each page, `--runs` times), so that the ceiling and the
  pages share the machine's noise; medians are quoted;
- voting: Locust (`bench/locustfile.py`), 200 citizens each logged in with its own
  account, against the ceiling and then against coplat; the database is then checked
  against every vote the server accepted (none lost, none twice, every counter moved by
  exactly the votes cast), and put back as it was;
- exports: the DOCX and JSON of the plan, each fetched in turn (median of several) and
  written by `coplat export`;
- memory: the peak resident memory (VmHWM) of every worker, read at the end.

The figures go to `bench/results/<database>.json`; `bench/report.py` writes them into
`bench/RESULTS.md`. Run from the checkout, with the bench extra installed:

    .venv/bin/python bench/run.py --sqlite instance-bench \\
        --postgresql postgresql+psycopg://postgres@127.0.0.1:5432/coplat_bench
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
VOTER_DOMAIN = "bench.coplat.invalid"
VOTER_PASSWORD = "bench-voter-password"
LOGIN_LIMIT_S = 600  # the simulated voters must be logged in by then
PAGE_CACHE_SECONDS = 5  # the default of coplat/config.py


# ----- the databases -----------------------------------------------------------------


@dataclass
class Database:
    name: str  # "sqlite" or "postgresql"
    url: str  # SQLAlchemy URL
    instance: Path  # COPLAT_INSTANCE: the SQLite file (for sqlite), uploads

    def env(self, secret: str) -> dict:
        env = dict(os.environ)
        env.update(
            COPLAT_INSTANCE=str(self.instance),
            DATABASE_URL=self.url,
            SECRET_KEY=secret,
            # Every simulated voter logs in from 127.0.0.1.
            LOGIN_RATE_LIMIT="1000000 per minute",
            COPLAT_PAGE_CACHE_SECONDS=str(PAGE_CACHE_SECONDS),
        )
        env.pop("COPLAT_ENV", None)
        return env


def sqlite_database(instance: str) -> Database:
    path = Path(instance).resolve()
    return Database("sqlite", f"sqlite:///{path / 'coplat.db'}", path)


def postgresql_database(url: str) -> Database:
    return Database("postgresql", url, Path(tempfile.mkdtemp(prefix="coplat-bench-")))


@contextlib.contextmanager
def app_for(database: Database, secret: str):
    """coplat's app on this database, for the harness's own reads and writes; its
    connections are closed on the way out so that they never sit beside the load."""
    os.environ.update(database.env(secret))
    from coplat import create_app
    from coplat.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database.url})
    # As a POST, so that on SQLite its transactions begin IMMEDIATE and wait for the
    # write lock instead of failing when a worker writes (`coplat/core/database.py`).
    with app.test_request_context(method="POST"):
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


# ----- servers -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving one WSGI app; started in the background, stopped by its PID."""

    def __init__(self, label: str, app: str, probe: str, workers: int, env: dict, log: Path):
        self.label, self.app, self.workers, self.env, self.log = label, app, workers, env, log
        self.probe = probe  # a cheap page that says the server is up
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [
            "gunicorn",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            self.app,
        ]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [gunicorn, *self.command[1:]], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} did not start: see {self.log}")
            if len(self.worker_pids()) == self.workers:
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(self.base + self.probe, timeout=5).close()
                    return self
            time.sleep(0.3)
        raise RuntimeError(f"{self.label} did not answer in 60 s: see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def worker_pids(self) -> list[int]:
        if not self.process:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def cpu_ticks(self) -> int:
        total = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total

    def drain(self, limit_s: float = 300) -> float:
        """Wait until the workers have answered every request a load tool left queued
        when it stopped (a slow page's backlog would otherwise slow the next
        measurement): the workers use no CPU for half a second. Returns the wait."""
        started = time.monotonic()
        with contextlib.suppress(OSError):
            fetch(self.base + self.probe, timeout=limit_s)  # queued behind the backlog
        last = self.cpu_ticks()
        while time.monotonic() - started < limit_s:
            time.sleep(0.5)
            now = self.cpu_ticks()
            if now == last:
                break
            last = now
        return time.monotonic() - started

    def memory(self) -> dict:
        """Peak (VmHWM) and current (VmRSS) resident memory of each worker, in MB."""
        workers = []
        for pid in self.worker_pids():
            values = {}
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    key, _, rest = line.partition(":")
                    if key in ("VmHWM", "VmRSS"):
                        values[key] = int(rest.split()[0]) / 1024
            if values:
                workers.append({"pid": pid, "peak_mb": values["VmHWM"], "rss_mb": values["VmRSS"]})
        return {"workers": workers, "peak_mb": max((w["peak_mb"] for w in workers), default=0)}


# ----- wrk ---------------------------------------------------------------------------


@dataclass
class Page:
    key: str
    label: str
    path: str
    headers: dict = field(default_factory=dict)
    size: int = 0
    reference: bool = False  # measured for comparison, not a page the targets judge
    extra: bool = False  # measured only when --pages names it


def wrk(url: str, args, headers: dict | None = None) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(BENCH / "wrk_report.lua"),
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=args.duration + 60
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict:
    """The figures of one wrk run, from the line `bench/wrk_report.lua` prints."""
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line[len("WRK_JSON ") :])
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors"))
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "requests": raw["requests"],
        "errors": errors,
        "timeouts": raw["timeouts"],
    }


def fetch(url: str, headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes, float]:
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, body, time.perf_counter() - started


def median(values):
    return statistics.median(values) if values else None


def summarise(runs: list[dict], ceiling_runs: list[dict]) -> dict:
    ratios = [r["rps"] / c["rps"] for r, c in zip(runs, ceiling_runs, strict=True) if c["rps"]]
    return {
        "rps": median([r["rps"] for r in runs]),
        "p50_ms": median([r["p50_ms"] for r in runs]),
        "p95_ms": median([r["p95_ms"] for r in runs]),
        "p99_ms": median([r["p99_ms"] for r in runs]),
        "cpu_ms": median([r["cpu_ms"] for r in runs if r.get("cpu_ms") is not None]),
        "ratio": median(ratios),
        "errors": sum(r["errors"] + r["timeouts"] for r in runs),
        "runs": runs,
    }


# ----- what to measure ---------------------------------------------------------------


def discover(slug: str) -> tuple[list[Page], dict]:
    """The pages of the issue, on the exercise SLUG: the most voted topic, the table
    with the largest problem tree, the most used category of the feedback log."""
    import sqlalchemy as sa

    from coplat.consultation.enums import TopicState
    from coplat.consultation.models import Consultation, Topic, Vote
    from coplat.exercises.models import Exercise
    from coplat.extensions import db
    from coplat.feedback.models import FeedbackEntry
    from coplat.tables.models import TreeNode, WorkingTable

    exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == slug))
    if exercise is None:
        raise SystemExit(f"no exercise {slug!r} in this database: run `coplat bench-seed`")
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.exercise_id == exercise.id)
    )
    topic_id, topic_votes = db.session.execute(
        sa.select(Topic.id, Topic.online_votes + Topic.offline_votes)
        .where(Topic.consultation_id == consultation.id, Topic.state == TopicState.PUBLISHED)
        .order_by((Topic.online_votes + Topic.offline_votes).desc(), Topic.id)
        .limit(1)
    ).one()
    table_id, nodes = db.session.execute(
        sa.select(WorkingTable.id, sa.func.count(TreeNode.id))
        .join(TreeNode, TreeNode.table_id == WorkingTable.id)
        .where(WorkingTable.exercise_id == exercise.id)
        .group_by(WorkingTable.id)
        .order_by(sa.func.count(TreeNode.id).desc(), WorkingTable.id)
        .limit(1)
    ).one()
    category_id = db.session.scalar(
        sa.select(Topic.category_id)
        .where(Topic.consultation_id == consultation.id, Topic.category_id.is_not(None))
        .group_by(Topic.category_id)
        .order_by(sa.func.count().desc(), Topic.category_id)
        .limit(1)
    )
    sizes = {
        "topics": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Topic)
            .where(Topic.consultation_id == consultation.id)
        ),
        "online_votes": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Vote)
            .join(Topic, Topic.id == Vote.topic_id)
            .where(Topic.consultation_id == consultation.id)
        ),
        "participants": consultation.participant_count,
        "feedback_entries": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FeedbackEntry)
            .where(FeedbackEntry.exercise_id == exercise.id)
        ),
        "tree_nodes_of_measured_table": nodes,
        "votes_of_measured_topic": topic_votes,
    }
    e = f"/e/{slug}"
    filtered = f"{e}/feedback?decision=rejected" + (
        f"&category={category_id}" if category_id else ""
    )
    pages = [
        Page("home", "micro-site home", e),
        Page("results", "consultation results", f"{e}/consultation/results"),
        Page("topics", "topic list (by votes, first page)", f"{e}/consultation"),
        Page("topic", "a topic page (the most voted)", f"{e}/consultation/topics/{topic_id}"),
        Page("tree", "problem-tree page", f"{e}/tables/{table_id}/tree"),
        Page("tree_svg", "problem-tree SVG", f"{e}/tables/{table_id}/tree.svg"),
        Page("feedback", "feedback log: first page with the category summary", f"{e}/feedback"),
        Page("feedback_filtered", "feedback log: filtered (decision, category)", filtered),
        Page(
            "feedback_fragment",
            "feedback log: first page's results alone (htmx, no summary)",
            f"{e}/feedback",
            {"HX-Request": "true"},
            extra=True,
        ),
        Page("board", "tracking board", f"{e}/tracking"),
        Page(
            "healthz",
            "reference: coplat's lightest route (one `SELECT 1`, no template)",
            "/healthz",
            reference=True,
        ),
    ]
    return pages, sizes


# ----- the phases --------------------------------------------------------------------


def measured(server: Server, url: str, args, headers: dict | None = None) -> dict:
    """One wrk run, with the CPU time the server's workers spent during it per answered
    request: a figure that the machine's other load disturbs far less than req/s."""
    before = server.cpu_ticks()
    figures = wrk(url, args, headers)
    spent_ms = (server.cpu_ticks() - before) * 1000 / os.sysconf("SC_CLK_TCK")
    figures["cpu_ms"] = spent_ms / figures["requests"] if figures["requests"] else None
    return figures


def served_from_cache(url: str, headers: dict | None = None) -> bool:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.headers.get("X-Cache") == "hit"


def measure_pages(
    app_server: Server, ceiling: Server, pages: list[Page], args, rounds: int, cached: bool
) -> dict:
    """wrk on each page beside the ceiling. `cached`: the server keeps pages for visitors
    without cookies (as wrk is), and each page must then come from the cache; otherwise
    none may (the server renders every request)."""
    for page in pages:  # every worker compiles its templates before the clock runs
        for _ in range(2 * args.workers):
            status, body, _ = fetch(app_server.base + page.path, page.headers)
            if status != 200:
                raise SystemExit(f"{page.path} answered {status}: {body[:300]!r}")
        page.size = len(body)
        # With the cache on, some worker answers from its copy within a few tries (each
        # worker renders its first answer); with it off, none ever does.
        tries = 4 * args.workers
        hits = [served_from_cache(app_server.base + page.path, page.headers) for _ in range(tries)]
        if not page.reference and any(hits) != cached:
            raise SystemExit(f"{page.path}: expected {'a' if cached else 'no'} cached copy")
    for _ in range(2 * args.workers):
        fetch(ceiling.base + "/")
    ceiling_runs: list[dict] = []
    runs: dict[str, list[dict]] = {p.key: [] for p in pages}
    for round_ in range(rounds):
        ceiling_runs.append(measured(ceiling, ceiling.base + "/", args))
        ceiling.drain()
        log(f"  round {round_ + 1}: ceiling {ceiling_runs[-1]['rps']:.0f} req/s")
        for page in pages:
            runs[page.key].append(
                measured(app_server, app_server.base + page.path, args, page.headers)
            )
            waited = app_server.drain()
            runs[page.key][-1]["drained_s"] = round(waited, 1)
            log(
                f"  round {round_ + 1}: {page.key} {runs[page.key][-1]['rps']:.0f} req/s, "
                f"p95 {runs[page.key][-1]['p95_ms']:.0f} ms (backlog drained in {waited:.1f} s)"
            )
    result = {"ceiling": summarise(ceiling_runs, ceiling_runs), "cached": cached, "pages": []}
    for page in pages:
        summary = summarise(runs[page.key], ceiling_runs)
        summary.update(key=page.key, label=page.label, path=page.path, bytes=page.size)
        if page.headers:
            summary["headers"] = page.headers
        if page.reference:
            summary["reference"] = True
        result["pages"].append(summary)
    return result


def measure_exports(app_server: Server, ceiling: Server, slug: str, database: Database, args):
    result = {"ceiling_ms": None, "formats": {}}
    times = [fetch(ceiling.base + "/")[2] for _ in range(args.export_runs + 1)][1:]
    result["ceiling_ms"] = median(times) * 1000
    # With a cookie, as a signed-in reader: each export is made, never a kept copy.
    made = {"Cookie": "bench=export"}
    for fmt in ("docx", "json"):
        path = f"/e/{slug}/plan/export.{fmt}"
        status, body, _ = fetch(app_server.base + path, made)
        if status == 409:  # a text lacks its English: mark the gaps, as `--mark-missing`
            path += "?mark=1"
            status, body, _ = fetch(app_server.base + path, made)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
        times = []
        for _ in range(args.export_runs):
            status, body, seconds = fetch(app_server.base + path, made)
            times.append(seconds)
        with tempfile.TemporaryDirectory() as folder:
            command = ["coplat", "export", slug, "--format", fmt, "-o", f"{folder}/plan.{fmt}"]
            if path.endswith("mark=1"):
                command.append("--mark-missing")
            coplat = shutil.which("coplat", path=str(Path(sys.executable).parent))
            started = time.perf_counter()
            subprocess.run(
                [coplat, *command[1:]],
                env=database.env(app_server.env["SECRET_KEY"]),
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            command_s = time.perf_counter() - started
        result["formats"][fmt] = {
            "path": path,
            "bytes": len(body),
            "median_s": median(times),
            "max_s": max(times),
            "runs": times,
            "command": " ".join(command),
            "command_s": command_s,
        }
        log(f"  export {fmt}: median {median(times):.3f} s, `coplat export` {command_s:.2f} s")
    return result


def voting_slug(slug: str, asked: str | None) -> str:
    """Where to vote: `--vote-slug`, else the seed's open companion `<slug>-abierta`
    when it exists (the large exercise is closed: its plan is launched), else SLUG."""
    import sqlalchemy as sa

    from coplat.exercises.models import Exercise
    from coplat.extensions import db

    if asked:
        return asked
    companion = f"{slug}-abierta"
    found = db.session.scalar(sa.select(Exercise.id).where(Exercise.slug == companion))
    return companion if found else slug


def prepare_voters(slug: str, count: int) -> dict:
    """Accounts for the simulated voters (one password hash for all) and a
    consultation open for the run without a vote budget (changed only if it needs to
    be, and put back afterwards). Returns what `check_votes` and `remove_voters` need."""
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from coplat.accounts.models import User
    from coplat.consultation.enums import ConsultationStatus, TopicState
    from coplat.consultation.models import Consultation, Topic
    from coplat.core.models import utcnow
    from coplat.exercises.models import Exercise
    from coplat.extensions import db

    consultation = db.session.scalar(
        sa.select(Consultation).join(Exercise).where(Exercise.slug == slug)
    )
    if consultation is None:
        raise SystemExit(f"the exercise {slug!r} has no consultation to vote in")
    remove_voters(consultation.id)
    digest = generate_password_hash(VOTER_PASSWORD)
    emails = [f"voter{i:04d}@{VOTER_DOMAIN}" for i in range(count)]
    now = utcnow()
    db.session.execute(
        sa.insert(User),
        [
            {"email": email, "name": f"Bench voter {i}", "password_hash": digest, "created_at": now}
            for i, email in enumerate(emails)
        ],
    )
    saved = {}
    if consultation.status(
        now
    ) != ConsultationStatus.OPEN or consultation.closes_at < now + timedelta(hours=1):
        saved.update(opens_at=consultation.opens_at, closes_at=consultation.closes_at)
        consultation.opens_at = min(consultation.opens_at, now - timedelta(hours=1))
        consultation.closes_at = now + timedelta(hours=6)
    if consultation.vote_budget is not None:
        saved["vote_budget"] = consultation.vote_budget
        consultation.vote_budget = None
    topics = dict(
        db.session.execute(
            sa.select(Topic.id, Topic.online_votes).where(
                Topic.consultation_id == consultation.id, Topic.state == TopicState.PUBLISHED
            )
        ).all()
    )
    before = {
        "participant_count": consultation.participant_count,
        "online_votes": {str(k): v for k, v in topics.items()},
    }
    db.session.commit()
    return {
        "consultation_id": consultation.id,
        "saved": saved,
        "before": before,
        "plan": {
            "slug": slug,
            "password": VOTER_PASSWORD,
            "voters": emails,
            "topics": list(topics),
        },
    }


def settle(quiet_s: float = 2.0, limit_s: float = 60.0) -> None:
    """Wait until the workers have answered the votes still queued when Locust
    stopped: the simulated voters' count of votes holds still for QUIET_S."""
    import sqlalchemy as sa

    from coplat.accounts.models import User
    from coplat.consultation.models import Vote
    from coplat.extensions import db

    count = sa.select(sa.func.count()).select_from(Vote).join(User, User.id == Vote.user_id)
    count = count.where(User.email.like(f"%@{VOTER_DOMAIN}"))
    last, since, deadline = None, time.monotonic(), time.monotonic() + limit_s
    while time.monotonic() < deadline:
        now = db.session.scalar(count)
        db.session.rollback()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        time.sleep(0.5)


def check_votes(prepared: dict, out: dict) -> dict:
    """Compare the database with what the server accepted."""
    import sqlalchemy as sa

    from coplat.accounts.models import User
    from coplat.consultation.models import Consultation, Participant, Topic, Vote
    from coplat.extensions import db

    consultation = db.session.get(Consultation, prepared["consultation_id"])
    rows = db.session.execute(
        sa.select(User.email, Vote.topic_id, Vote.created_at)
        .join(User, User.id == Vote.user_id)
        .where(User.email.like(f"%@{VOTER_DOMAIN}"))
    ).all()
    stored = [(email, topic) for email, topic, _ in rows]
    accepted = {(email, t) for email, topics in out["accepted"].items() for t in topics}
    failed = {(email, t) for email, topics in out["failed"].items() for t in topics}
    cut_short = {(email, t) for email, topics in out["cut_short"].items() for t in topics}
    uncertain = failed | cut_short
    stored_set = set(stored)
    lost = accepted - stored_set
    unexplained = stored_set - accepted - uncertain
    duplicates = len(stored) - len(stored_set)
    # Every counter moved by exactly the votes cast.
    per_topic: dict[int, int] = {}
    for _, topic in stored:
        per_topic[topic] = per_topic.get(topic, 0) + 1
    after = dict(
        db.session.execute(
            sa.select(Topic.id, Topic.online_votes).where(
                Topic.id.in_([int(t) for t in prepared["before"]["online_votes"]])
            )
        ).all()
    )
    wrong_topics = [
        t
        for t, before in prepared["before"]["online_votes"].items()
        if after[int(t)] - before != per_topic.get(int(t), 0)
    ]
    participants = dict(
        db.session.execute(
            sa.select(User.email, Participant.votes_cast)
            .join(User, User.id == Participant.user_id)
            .where(
                Participant.consultation_id == consultation.id,
                User.email.like(f"%@{VOTER_DOMAIN}"),
            )
        ).all()
    )
    per_voter: dict[str, int] = {}
    for email, _ in stored:
        per_voter[email] = per_voter.get(email, 0) + 1
    wrong_voters = [
        e
        for e in set(participants) | set(per_voter)
        if participants.get(e, 0) != per_voter.get(e, 0)
    ]
    participant_delta = consultation.participant_count - prepared["before"]["participant_count"]
    times = sorted(created for _, _, created in rows)
    span = (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0
    return {
        "votes_stored": len(stored),
        "votes_accepted": len(accepted),
        "failed": len(failed),
        "failed_but_stored": len(failed & stored_set),
        "cut_short": len(cut_short),
        "cut_short_stored": len(cut_short & stored_set),
        "lost": len(lost),
        "unexplained": len(unexplained),
        "duplicates": duplicates,
        "topics_miscounted": len(wrong_topics),
        "voters_miscounted": len(wrong_voters),
        "participant_count_delta": participant_delta,
        "voters_who_voted": len(per_voter),
        "first_to_last_vote_s": span,
        "votes_per_s_stored": len(stored) / span if span else None,
        "refused_again": out["refused_again"],
        "exact": not (lost or unexplained or duplicates or wrong_topics or wrong_voters)
        and participant_delta == len(per_voter),
    }


def remove_voters(consultation_id: int, saved: dict | None = None) -> None:
    """Take the simulated voters' votes back out (of any consultation, should an
    earlier run have stopped half way), with the counters they moved, then their
    accounts; put back what `prepare_voters` changed in the consultation."""
    import sqlalchemy as sa

    from coplat.accounts.models import User
    from coplat.consultation.models import Consultation, Participant, Topic, Vote
    from coplat.extensions import db

    voters = sa.select(User.id).where(User.email.like(f"%@{VOTER_DOMAIN}")).scalar_subquery()
    per_topic = db.session.execute(
        sa.select(Vote.topic_id, sa.func.count())
        .where(Vote.user_id.in_(voters))
        .group_by(Vote.topic_id)
    ).all()
    for topic_id, count in per_topic:
        db.session.execute(
            sa.update(Topic)
            .where(Topic.id == topic_id)
            .values(online_votes=Topic.online_votes - count)
        )
    db.session.execute(sa.delete(Vote).where(Vote.user_id.in_(voters)))
    per_consultation = db.session.execute(
        sa.select(Participant.consultation_id, sa.func.count())
        .where(Participant.user_id.in_(voters))
        .group_by(Participant.consultation_id)
    ).all()
    for joined_id, count in per_consultation:
        db.session.execute(
            sa.update(Consultation)
            .where(Consultation.id == joined_id)
            .values(participant_count=Consultation.participant_count - count)
        )
    db.session.execute(sa.delete(Participant).where(Participant.user_id.in_(voters)))
    db.session.execute(sa.delete(User).where(User.email.like(f"%@{VOTER_DOMAIN}")))
    if saved:
        db.session.execute(
            sa.update(Consultation).where(Consultation.id == consultation_id).values(**saved)
        )
    db.session.commit()


def locust(server: Server, plan_file: Path, out_file: Path, csv_prefix: Path, args, ceiling=False):
    host = server.base
    env = dict(os.environ)
    env.update(
        BENCH_WORKER_PIDS=",".join(map(str, server.worker_pids())),
        BENCH_VOTE_PLAN=str(plan_file),
        BENCH_VOTE_OUT=str(out_file),
        BENCH_VOTE_SECONDS=str(args.vote_seconds),
    )
    if ceiling:
        env["BENCH_CEILING"] = "1"
    command = [
        "locust",
        "-f",
        "bench/locustfile.py",
        "--headless",
        "-u",
        str(args.voters),
        "-r",
        str(args.spawn_rate),
        "-t",  # a safety limit: the voting stops itself (see the locustfile)
        f"{args.vote_seconds + LOGIN_LIMIT_S}s",
        "--only-summary",
        "--csv",
        str(csv_prefix),
        "--host",
        host,
    ]
    executable = shutil.which("locust", path=str(Path(sys.executable).parent))
    completed = subprocess.run(
        [executable, *command[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=args.vote_seconds + LOGIN_LIMIT_S + 120,
    )
    (csv_prefix.parent / (csv_prefix.name + "_output.txt")).write_text(
        completed.stdout + completed.stderr
    )
    stats = {}
    with open(f"{csv_prefix}_stats.csv") as file:
        for row in csv.DictReader(file):
            if not int(row["Request Count"]):
                continue
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    shown = " ".join(command).replace(host, "http://127.0.0.1:PORT")
    shown = shown.replace(str(csv_prefix), "$WORK/" + csv_prefix.name)
    return stats, f"BENCH_VOTE_SECONDS={args.vote_seconds} {shown}"


def measure_votes(app_server: Server, ceiling: Server, database: Database, args, work: Path):
    with app_for(database, app_server.env["SECRET_KEY"]):
        slug = voting_slug(args.slug, args.vote_slug)
        prepared = prepare_voters(slug, args.voters)
    plan_file = work / "vote-plan.json"
    plan_file.write_text(json.dumps(prepared["plan"]))
    try:
        ceiling_stats, _ = locust(
            ceiling, plan_file, work / "ceiling-votes.json", work / "ceiling", args, True
        )
        ceiling_out = json.loads((work / "ceiling-votes.json").read_text())
        log(f"  ceiling: {ceiling_stats.get('vote', {}).get('rps', 0):.0f} votes/s")
        stats, command = locust(app_server, plan_file, work / "votes.json", work / "coplat", args)
        out = json.loads((work / "votes.json").read_text())
        with app_for(database, app_server.env["SECRET_KEY"]):
            settle()
            check = check_votes(prepared, out)
    finally:
        with app_for(database, app_server.env["SECRET_KEY"]):
            remove_voters(prepared["consultation_id"], prepared["saved"])
    vote = stats.get("vote", {})
    ceiling_vote = ceiling_stats.get("vote", {})
    log(f"  coplat: {vote.get('rps', 0):.0f} votes/s (Locust), check: {check}")
    ratio = vote["rps"] / ceiling_vote["rps"] if vote and ceiling_vote.get("rps") else None
    return {
        "command": command,
        "logins": out.get("logins", {}),
        "cpu_ms": out.get("worker_cpu", {}).get("ms_per_request"),
        "ceiling_cpu_ms": ceiling_out.get("worker_cpu", {}).get("ms_per_request"),
        "slug": slug,
        "changed": sorted(prepared["saved"]),
        "voters": args.voters,
        "seconds": args.vote_seconds,
        "stats": stats,
        "ceiling_stats": ceiling_stats,
        "ratio": ratio,
        "check": check,
    }


# ----- the run -----------------------------------------------------------------------


def log(message: str) -> None:
    print(message, flush=True)


def code_version() -> str:
    """The commit measured, and whether the work tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "coplat", "templates"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head} with uncommitted changes" if changed else head


def machine() -> dict:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def run_database(database: Database, args) -> dict:
    secret = secrets.token_hex(32)
    work = Path(tempfile.mkdtemp(prefix=f"coplat-bench-{database.name}-"))
    started = time.monotonic()
    result = {
        "database": database.name,
        "slug": args.slug,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": code_version(),
        "machine": machine(),
        "settings": {
            "workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s --latency",
            "runs": args.runs,
        },
    }
    log(f"{database.name}: {database.url}")
    with app_for(database, secret):
        pages, sizes = discover(args.slug)
    result["sizes"] = sizes
    log(f"  data: {sizes}")
    app_server = Server(
        "coplat",
        "coplat:create_app()",
        "/healthz",
        args.workers,
        database.env(secret),
        work / "coplat.log",
    )
    # The same app rendering every request: what a signed-in reader's page costs.
    rendered_server = Server(
        "coplat-rendered",
        "coplat:create_app()",
        "/healthz",
        args.workers,
        {**database.env(secret), "COPLAT_PAGE_CACHE_SECONDS": "0"},
        work / "coplat-rendered.log",
    )
    ceiling = Server(
        "ceiling",
        "bench.ceiling:app",
        "/",
        args.workers,
        database.env(secret),
        work / "ceiling.log",
    )
    with app_server, ceiling:
        result["server"] = " ".join(app_server.command).replace(
            f"127.0.0.1:{app_server.port}", "127.0.0.1:PORT"
        )
        # VmHWM only grows: read after each phase, it says which phase raised it.
        phases, seconds = {}, {}
        if "pages" in args.phases:
            pages = [p for p in pages if p.key in args.pages] if args.pages else pages
            pages = [p for p in pages if not p.extra or (args.pages and p.key in args.pages)]
            clock = time.monotonic()
            log("  pages as a visitor without cookies gets them (page cache on)")
            result["pages"] = measure_pages(app_server, ceiling, pages, args, args.runs, True)
            phases["pages"] = app_server.memory()["peak_mb"]
            seconds["pages"] = round(time.monotonic() - clock)
            if args.rendered_runs:
                clock = time.monotonic()
                log("  pages rendered on every request (page cache off)")
                with rendered_server:
                    result["pages_rendered"] = measure_pages(
                        rendered_server, ceiling, pages, args, args.rendered_runs, False
                    )
                    result["memory_rendered"] = rendered_server.memory()
                seconds["pages rendered"] = round(time.monotonic() - clock)
        if "exports" in args.phases:
            app_server.drain()
            clock = time.monotonic()
            result["exports"] = measure_exports(app_server, ceiling, args.slug, database, args)
            phases["exports"] = app_server.memory()["peak_mb"]
            seconds["exports"] = round(time.monotonic() - clock)
        if "votes" in args.phases:
            app_server.drain()
            clock = time.monotonic()
            result["votes"] = measure_votes(app_server, ceiling, database, args, work)
            phases["votes"] = app_server.memory()["peak_mb"]
            seconds["votes"] = round(time.monotonic() - clock)
        result["phase_seconds"] = seconds
        result["memory"] = {
            "coplat": app_server.memory(),
            "ceiling": ceiling.memory(),
            "peak_after": phases,
        }
    log(
        f"  worker peak memory: {result['memory']['coplat']['peak_mb']:.0f} MB "
        f"(after each phase: {phases})"
    )
    result["elapsed_s"] = round(time.monotonic() - started)
    result["logs"] = str(work)
    return result


PHASES = {
    "pages": ("pages", "pages_rendered", "memory_rendered"),
    "exports": ("exports",),
    "votes": ("votes",),
}


def merged(previous: dict, result: dict, phases: set[str]) -> dict:
    """A run of some phases replaces those phases' figures in the previous run's results;
    each part replaced says which run it comes from (the report prints it)."""
    run = {key: result[key] for key in ("date", "code", "command", "machine")}
    for phase in phases:
        for key in PHASES[phase]:
            if key in result:
                previous[key] = {**result[key], "run": run}
    return previous


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sqlite", metavar="INSTANCE_DIR", help="COPLAT_INSTANCE of the seeded SQLite database"
    )
    parser.add_argument(
        "--postgresql", metavar="URL", help="DATABASE_URL of the seeded PostgreSQL database"
    )
    parser.add_argument("--slug", default="estado", help="the seeded exercise [estado]")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers [4]")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs per page [3]")
    parser.add_argument(
        "--rendered-runs",
        type=int,
        default=3,
        help="wrk runs per page with the page cache off (0: skip) [3]",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run [10]")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--vote-slug", help="the exercise to vote in [SLUG-abierta if it exists, else SLUG]"
    )
    parser.add_argument("--voters", type=int, default=200, help="simulated voters [200]")
    parser.add_argument("--spawn-rate", type=int, default=50)
    parser.add_argument("--vote-seconds", type=int, default=30)
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument(
        "--phases",
        default="pages,exports,votes",
        type=lambda s: set(s.split(",")),
        help="any of pages,exports,votes [all]; a part updates the previous results",
    )
    parser.add_argument(
        "--pages",
        type=lambda s: set(s.split(",")),
        help="only these pages (keys: home,results,topics,topic,tree,tree_svg,feedback,"
        "feedback_filtered,board,healthz; and feedback_fragment, the log's results without "
        "its summary, measured only when named) [all but feedback_fragment]",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the JSON results")
    parser.add_argument("--no-report", action="store_true", help="do not rewrite RESULTS.md")
    args = parser.parse_args(argv)
    databases = []
    if args.sqlite:
        databases.append(sqlite_database(args.sqlite))
    if args.postgresql:
        databases.append(postgresql_database(args.postgresql))
    if not databases:
        parser.error("give --sqlite INSTANCE_DIR, --postgresql URL or both")
    for tool in ("wrk", "gunicorn", "locust"):
        if not (shutil.which(tool) or shutil.which(tool, path=str(Path(sys.executable).parent))):
            raise SystemExit(f"{tool} is missing: see the README's Benchmarks section")
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    for database in databases:
        result = run_database(database, args)
        result["command"] = command
        out = args.out / f"{database.name}.json"
        if args.phases != set(PHASES) and out.exists():
            result = merged(json.loads(out.read_text()), result, args.phases)
        out.write_text(json.dumps(result, indent=1, default=str))
        log(
            f"{database.name}: done in {result['elapsed_s']} s, {args.out / (database.name + '.json')}"
        )
    if not args.no_report:
        sys.path.insert(0, str(BENCH))
        import report

        report.write(args.out)


if __name__ == "__main__":
    main()
