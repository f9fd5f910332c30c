"""Write the figures of `bench/results/*.json` into `bench/RESULTS.md`, between its
`<!-- figures -->` markers; the text around them (profiles, causes, before and after)
is written by hand and kept.

    .venv/bin/python bench/report.py [RESULTS_FOLDER]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
START, END = "<!-- figures: written by bench/report.py -->", "<!-- end of figures -->"

# The targets.
PAGE_P95_MS = 100
PAGE_RATIO = 0.25
VOTES_PER_S = 500
DOCX_S = 2.0
JSON_S = 0.5
WORKER_MB = 200


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def ratio(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def pages_section(result: dict, key: str = "pages") -> list[str]:
    pages = result[key]
    c = pages["ceiling"]
    lines = [
        (
            "As a visitor without cookies gets them (wrk sends none): each worker answers from "
            "its copy of the page, kept for 5 s (`coplat/core/page_cache.py`); the harness "
            "checks that each page came from the copy before measuring it."
            if pages.get("cached")
            else "Rendered on every request (`COPLAT_PAGE_CACHE_SECONDS=0`): what every "
            "request of a signed-in reader, or a visitor with a cookie, costs; the harness "
            "checks that no page came from a copy."
        ),
        "",
        f"Ceiling (`bench/ceiling.py`, `GET /`, same server, same run): "
        f"**{c['rps']:,.0f} req/s**, p50 {ms(c['p50_ms'])} ms, p95 {ms(c['p95_ms'])} ms, "
        f"p99 {ms(c['p99_ms'])} ms, {ms(c.get('cpu_ms'))} ms of worker CPU per request "
        f"(median of {len(c['runs'])} runs: "
        + ", ".join(f"{r['rps']:,.0f}" for r in c["runs"])
        + " req/s).",
        "",
        f"| page | path | req/s | × ceiling | p50 ms | p95 ms | p99 ms | CPU ms/req | errors | "
        f"target (p95 < {PAGE_P95_MS} ms, ≥ {PAGE_RATIO:.2f} × ceiling) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in pages["pages"]:
        ok = p["p95_ms"] < PAGE_P95_MS and p["ratio"] >= PAGE_RATIO and not p["errors"]
        judged = "(not a page: for comparison)" if p.get("reference") else verdict(ok)
        path = p["path"] + (" (HX-Request)" if p.get("headers") else "")
        lines.append(
            f"| {p['label']} | `{path}` | {p['rps']:,.0f} | {p['ratio']:.2f} | "
            f"{ms(p['p50_ms'])} | {ms(p['p95_ms'])} | {ms(p['p99_ms'])} | "
            f"{ms(p.get('cpu_ms'))} | {p['errors']} | {judged} |"
        )
    lines += [
        "",
        "Each run: `wrk "
        + result["settings"]["wrk"]
        + " --timeout 30s -s bench/wrk_report.lua URL` (the script adds p95); req/s, p50, "
        "p95 and p99 are the medians of the runs, × ceiling the median of each run's ratio "
        "to the ceiling run of its round. CPU ms/req: the CPU time the 4 workers used during "
        "the run (from /proc) per answered request, the figure the machine's other load "
        "disturbs least; with 2 cores, 2,000 ÷ CPU ms/req bounds the req/s.",
    ]
    return lines


def votes_section(result: dict) -> list[str]:
    v = result["votes"]
    check = v["check"]
    vote = v["stats"].get("vote", {})
    ceiling = v["ceiling_stats"].get("vote", {})
    again = v["stats"].get("vote again (must be refused)", {})
    failures = sum(s["failures"] for s in v["stats"].values())
    rate = check["votes_per_s_stored"] or 0
    target = (
        f"{verdict(rate >= VOTES_PER_S and not failures and check['exact'])} "
        f"(≥ {VOTES_PER_S} votes/s, no error, none lost or counted twice)"
        if result["database"] == "postgresql"
        else "(the issue's target is on PostgreSQL)"
    )
    login = v.get("logins", {}).get("POST login", {})
    return [
        f"{v['voters']} citizens, each with its own account, log in (login form, POST, topic "
        f"list for the CSRF token); once all are in, Locust's counts start afresh and they vote "
        f"for {v['seconds']} s in the exercise `{v.get('slug', result['slug'])}` "
        f"(`{v['command']}`, run by `bench/run.py`). Logins before the vote: "
        f"{login.get('requests', 0)}, p50 {ms(login.get('p50_ms'))} ms, p95 "
        f"{ms(login.get('p95_ms'))} ms, {login.get('failures', 0)} failed.",
        "",
        "| requests/s during the vote | req/s | × ceiling | p50 ms | p95 ms | p99 ms | failures |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| ceiling (same flow, `bench/ceiling.py`) | {ceiling.get('rps', 0):,.0f} | 1.00 | "
        f"{ms(ceiling.get('p50_ms'))} | {ms(ceiling.get('p95_ms'))} | "
        f"{ms(ceiling.get('p99_ms'))} | {ceiling.get('failures', 0)} |",
        f"| coplat: POST vote | {vote.get('rps', 0):,.0f} | "
        f"{ratio(v['ratio'])} | {ms(vote.get('p50_ms'))} | {ms(vote.get('p95_ms'))} | "
        f"{ms(vote.get('p99_ms'))} | {vote.get('failures', 0)} |",
        f"| coplat: second vote for a topic (must answer 409) | {again.get('rps', 0):,.0f} | | "
        f"{ms(again.get('p50_ms'))} | {ms(again.get('p95_ms'))} | "
        f"{ms(again.get('p99_ms'))} | {again.get('failures', 0)} |",
        "",
        f"Sustained, from the votes stored: **{check['votes_stored']:,} votes in "
        f"{check['first_to_last_vote_s']:.1f} s = {rate:,.0f} votes/s** {target}. "
        f"The workers used {ms(v.get('cpu_ms'))} ms of CPU per request during the vote "
        f"(the ceiling's: {ms(v.get('ceiling_cpu_ms'))} ms). "
        f"Checked in the database: {check['votes_accepted']:,} votes accepted, "
        f"{check['votes_stored']:,} stored, {check['lost']} lost, {check['duplicates']} "
        f"twice, {check['unexplained']} unexplained; {check.get('failed', '?')} votes "
        f"refused or failed ({check.get('failed_but_stored', '?')} of them stored), "
        f"{check.get('cut_short', '?')} in flight when the run stopped "
        f"({check.get('cut_short_stored', '?')} of them stored); "
        f"{check['topics_miscounted']} topic counters and {check['voters_miscounted']} "
        f"voters' counts off; participants +{check['participant_count_delta']} for "
        f"{check['voters_who_voted']} voters; {check['refused_again']} second votes refused. "
        f"Exact: **{'yes' if check['exact'] else 'NO'}**. The harness then takes the votes "
        "back out and restores the consultation.",
    ]


def exports_section(result: dict) -> list[str]:
    e = result["exports"]
    limits = {"docx": DOCX_S, "json": JSON_S}
    lines = [
        "| export | path | size | median s | max s | `coplat export` s (with start-up) | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for fmt, f in e["formats"].items():
        lines.append(
            f"| {fmt.upper()} | `{f['path']}` | {f['bytes'] / 1024:,.0f} KB | "
            f"{f['median_s']:.3f} | {f['max_s']:.3f} | {f['command_s']:.2f} | "
            f"{verdict(f['median_s'] < limits[fmt])} (< {limits[fmt]} s) |"
        )
    lines += [
        "",
        f"One request at a time, {len(next(iter(e['formats'].values()))['runs'])} times each "
        f"after one untimed; the ceiling's page answers the same way in "
        f"{e['ceiling_ms']:.1f} ms.",
    ]
    return lines


def memory_section(result: dict) -> list[str]:
    m = result["memory"]
    peak = m["coplat"]["peak_mb"]
    rendered = result.get("memory_rendered")
    return [
        "Peak resident memory (VmHWM) of each coplat worker at the end of the run: "
        + ", ".join(f"{w['peak_mb']:.0f}" for w in m["coplat"]["workers"])
        + f" MB; highest **{peak:.0f} MB** {verdict(peak < WORKER_MB)} (< {WORKER_MB} MB). "
        f"The ceiling's workers: {m['ceiling']['peak_mb']:.0f} MB "
        f"(× ceiling {peak / m['ceiling']['peak_mb']:.1f}). Highest peak after each phase "
        "(VmHWM only grows): "
        + ", ".join(f"{phase} {mb:.0f} MB" for phase, mb in m.get("peak_after", {}).items())
        + "."
        + (
            " The workers that rendered every page (page cache off): "
            + ", ".join(f"{w['peak_mb']:.0f}" for w in rendered["workers"])
            + f" MB, {verdict(rendered['peak_mb'] < WORKER_MB)}."
            if rendered
            else ""
        ),
    ]


def database_section(result: dict) -> list[str]:
    name = NAMES[result["database"]]
    sizes = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in result["sizes"].items())
    lines = [
        f"### {name}",
        "",
        f"{result['date']}, code {result.get('code', '?')}, `{result['command']}` ({result['elapsed_s']} s: "
        + ", ".join(f"{k} {v} s" for k, v in result.get("phase_seconds", {}).items())
        + "). Server: "
        f"`{result['server']}`. Data (exercise `{result['slug']}`): {sizes}. Load average "
        f"at the start: {', '.join(map(str, result['machine']['load_average_at_start']))} "
        f"on {result['machine']['cpus']} cores.",
        "",
    ]
    for title, section, key in (
        ("Pages", pages_section, "pages"),
        (
            "Pages rendered on every request",
            lambda r: pages_section(r, "pages_rendered"),
            "pages_rendered",
        ),
        ("Voting", votes_section, "votes"),
        ("Exports", exports_section, "exports"),
        ("Memory", memory_section, "memory"),
    ):
        if key in result:
            lines += [f"#### {title}", "", *section(result), ""]
            if "run" in result[key]:
                run = result[key]["run"]
                lines += [
                    f"Measured in a later run of this part only: {run['date']}, code "
                    f"{run['code']}, `{run['command']}` (load average at the start: "
                    f"{', '.join(map(str, run['machine']['load_average_at_start']))}).",
                    "",
                ]
    return lines


NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def page_targets(result: dict, key: str = "pages") -> tuple[str, str]:
    pages = [p for p in result.get(key, {}).get("pages", []) if not p.get("reference")]
    if not pages:
        return "not measured", "not measured"
    fast = [p for p in pages if p["p95_ms"] < PAGE_P95_MS and not p["errors"]]
    near = [p for p in pages if p["ratio"] >= PAGE_RATIO and not p["errors"]]
    worst = max(pages, key=lambda p: p["p95_ms"])
    lowest = min(pages, key=lambda p: p["ratio"])
    return (
        f"{verdict(len(fast) == len(pages))}: {len(fast)} of {len(pages)} pages; "
        f"slowest {worst['label']}, p95 {ms(worst['p95_ms'])} ms",
        f"{verdict(len(near) == len(pages))}: {len(near)} of {len(pages)} pages; "
        f"lowest {lowest['label']}, {lowest['ratio']:.3f}",
    )


def vote_target(result: dict) -> str:
    if "votes" not in result:
        return "not measured"
    check = result["votes"]["check"]
    failures = sum(s["failures"] for s in result["votes"]["stats"].values())
    rate = check["votes_per_s_stored"] or 0
    ok = rate >= VOTES_PER_S and not failures and check["exact"]
    return (
        f"{verdict(ok) if result['database'] == 'postgresql' else '(PostgreSQL only)'}: "
        f"{rate:,.0f} votes/s, {failures} failed requests, "
        f"{'exact' if check['exact'] else 'NOT exact'}"
    )


def export_target(result: dict, fmt: str, limit: float) -> str:
    f = result.get("exports", {}).get("formats", {}).get(fmt)
    if not f:
        return "not measured"
    return f"{verdict(f['median_s'] < limit)}: {f['median_s']:.2f} s"


def memory_target(result: dict) -> str:
    peak = max(
        result["memory"]["coplat"]["peak_mb"],
        result.get("memory_rendered", {}).get("peak_mb", 0),
    )
    return f"{verdict(peak < WORKER_MB)}: {peak:.0f} MB"


def targets_section(results: list[dict]) -> list[str]:
    rows = {
        f"Public pages: p95 under {PAGE_P95_MS} ms at 32 connections": lambda r: page_targets(r)[0],
        f"Public pages: at least {PAGE_RATIO} × the ceiling's throughput": lambda r: page_targets(
            r
        )[1],
        "The same pages rendered on every request (page cache off): p95": lambda r: page_targets(
            r, "pages_rendered"
        )[0],
        "The same pages rendered on every request: × ceiling": lambda r: page_targets(
            r, "pages_rendered"
        )[1],
        f"Voting: ≥ {VOTES_PER_S} votes/s on PostgreSQL, no error, none lost or twice": vote_target,
        f"DOCX export of the plan under {DOCX_S:g} s": lambda r: export_target(r, "docx", DOCX_S),
        f"JSON export of the plan under {JSON_S:g} s": lambda r: export_target(r, "json", JSON_S),
        f"A worker under {WORKER_MB} MB resident": memory_target,
    }
    lines = [
        "### The targets at a glance",
        "",
        "| target | " + " | ".join(NAMES[r["database"]] for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for label, judge in rows.items():
        lines.append(f"| {label} | " + " | ".join(judge(r) for r in results) + " |")
    lines.append(
        "| Every public page runs a fixed number of SQL statements | "
        + " | ".join("`tests/queries/test_query_counts.py`, in the suite" for _ in results)
        + " |"
    )
    return [*lines, ""]


def figures(folder: Path) -> list[str]:
    results = [
        json.loads(path.read_text()) for name in NAMES if (path := folder / f"{name}.json").exists()
    ]
    lines = [START, ""]
    if results:
        lines += targets_section(results)
    for result in results:
        lines += database_section(result)
    return [*lines, END]


def write(folder: Path = BENCH / "results", target: Path = BENCH / "RESULTS.md") -> None:
    text = target.read_text() if target.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    target.write_text(before + "\n".join(figures(folder)) + after)
    print(f"wrote {target}")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else BENCH / "results")
