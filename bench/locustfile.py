"""Citizens voting at once, each logged in with its own account.

Every simulated citizen takes the next account of the plan that `bench/run.py` writes
(`BENCH_VOTE_PLAN`, JSON: slug, password, voters' emails, published topic ids), logs
in through the login form and opens the topic list, which carries the CSRF token that
htmx sends as `X-CSRFToken`. Once every citizen is logged in, Locust's figures start
afresh (the logins' own are kept in the output) and all of them vote for topics one
after another, as htmx does (`HX-Request: true`), each in its own random order, for
`BENCH_VOTE_SECONDS` (30); then the run stops. Every 10th request votes again for a
topic the citizen has already voted for: coplat must refuse it with 409.

When the run stops, every vote the server accepted (200), every one it refused and
every one whose answer never came are written to `BENCH_VOTE_OUT`, with the CPU time the
server's workers (`BENCH_WORKER_PIDS`) used during the vote; `bench/run.py` checks the
database against them: no vote lost, none counted twice. `BENCH_CEILING=1` runs the same
flow against `bench/ceiling.py`, which accepts everything.

    locust -f bench/locustfile.py --headless -u 200 -r 50 -t 10m --host http://127.0.0.1:8000

(`-t` is only a safety limit: the voting lasts BENCH_VOTE_SECONDS after the logins.)
"""

import itertools
import json
import os
import random

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, events, task
from tokens import FORM_TOKEN, HTMX_TOKEN  # beside this file, which Locust puts on the path

with open(os.environ["BENCH_VOTE_PLAN"]) as file:
    PLAN = json.load(file)
CEILING = os.environ.get("BENCH_CEILING") == "1"
VOTE_SECONDS = float(os.environ.get("BENCH_VOTE_SECONDS", "30"))
AGAIN_EVERY = 10


_accounts = itertools.count()
_arrived = itertools.count(1)
everyone_in = Event()
logins: dict = {}  # Locust's figures for the logins, before they are reset
accepted: dict[str, list[int]] = {}  # email -> topics whose vote the server accepted
failed: dict[str, list[int]] = {}  # answered otherwise than 200: stored or not?
in_flight: dict = {}  # user -> (email, topic) of the vote awaiting its answer
cut_short: dict[str, list[int]] = {}  # in flight when the run stopped: stored or not
refused_again = 0  # second votes for the same topic, refused as they must be


WORKERS = [int(pid) for pid in os.environ.get("BENCH_WORKER_PIDS", "").split(",") if pid]
worker_cpu: dict = {}  # the server's workers' CPU seconds when the vote opened and closed


def cpu_seconds() -> float:
    """CPU time the server's workers have used (utime + stime in /proc)."""
    total = 0
    for pid in WORKERS:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def open_the_vote(environment) -> None:
    """Every citizen is in: keep the logins' figures, start the counts afresh, and
    stop the run VOTE_SECONDS later."""
    for (name, method), entry in environment.stats.entries.items():
        logins[f"{method} {name}"] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.median_response_time,
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
    environment.stats.reset_all()
    worker_cpu["opened"] = cpu_seconds()
    everyone_in.set()
    gevent.spawn_later(VOTE_SECONDS, environment.runner.quit)


class Voter(FastHttpUser):
    # No pause between votes: the question is how many the server takes.
    wait_time = constant(0)

    def on_start(self):
        index = next(_accounts)
        if index >= len(PLAN["voters"]):
            raise RuntimeError("more simulated users than prepared accounts")
        self.email = PLAN["voters"][index]
        self.order = random.Random(index).sample(PLAN["topics"], len(PLAN["topics"]))
        self.done: list[int] = accepted.setdefault(self.email, [])
        self.sent = 0
        self.position = 0
        self.topics_url = f"/e/{PLAN['slug']}/consultation"
        try:
            self.log_in()
        finally:
            if next(_arrived) == self.environment.parsed_options.num_users:
                open_the_vote(self.environment)
        everyone_in.wait()

    def log_in(self):
        form = self.client.get("/account/login", name="login form")
        token = FORM_TOKEN.search(form.text or "")
        with self.client.post(
            "/account/login",
            data={
                "csrf_token": token.group(1) if token else "",
                "email": self.email,
                "password": PLAN["password"],
            },
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"login answered {response.status_code}")
        page = self.client.get(self.topics_url, name="topic list (logged in)")
        token = HTMX_TOKEN.search(page.text or "")
        self.headers = {"HX-Request": "true", "X-CSRFToken": token.group(1) if token else ""}

    def vote_url(self, topic_id: int) -> str:
        return f"{self.topics_url}/topics/{topic_id}/vote"

    @task
    def vote(self):
        global refused_again
        self.sent += 1
        if self.done and self.sent % AGAIN_EVERY == 0:
            topic_id = random.choice(self.done)
            with self.client.post(
                self.vote_url(topic_id),
                headers=self.headers,
                name="vote again (must be refused)",
                catch_response=True,
            ) as response:
                if CEILING or response.status_code == 409:
                    refused_again += 1
                    response.success()
                else:
                    response.failure(f"a second vote answered {response.status_code}")
            return
        if self.position >= len(self.order):
            gevent.sleep(1)  # this citizen has voted for every topic
            return
        topic_id = self.order[self.position]
        self.position += 1
        # Until its answer arrives, a vote is in flight: when the run stops there, the
        # server may still store it.
        in_flight[self] = (self.email, topic_id)
        with self.client.post(
            self.vote_url(topic_id), headers=self.headers, name="vote", catch_response=True
        ) as response:
            del in_flight[self]
            if response.status_code == 200:
                self.done.append(topic_id)
            else:
                failed.setdefault(self.email, []).append(topic_id)
                response.failure(f"vote answered {response.status_code}")


@events.test_stop.add_listener
def write_accepted(environment, **_kwargs):
    if "opened" in worker_cpu:
        worker_cpu["closed"] = cpu_seconds()
        answered = sum(e.num_requests for e in environment.stats.entries.values())
        worker_cpu["ms_per_request"] = (
            (worker_cpu["closed"] - worker_cpu["opened"]) * 1000 / answered if answered else None
        )
    for email, topic_id in in_flight.values():
        cut_short.setdefault(email, []).append(topic_id)
    in_flight.clear()
    out = os.environ.get("BENCH_VOTE_OUT")
    if out:
        with open(out, "w") as file:
            json.dump(
                {
                    "accepted": accepted,
                    "failed": failed,
                    "cut_short": cut_short,
                    "refused_again": refused_again,
                    "logins": logins,
                    "worker_cpu": worker_cpu,
                },
                file,
            )
