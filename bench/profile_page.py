"""Time pages of coplat in this process, count their SQL, and profile them.

Against the database the environment names (DATABASE_URL, COPLAT_INSTANCE), with
Flask's test client, one request at a time: for each PATH, the median time of a few
requests after one untimed, the number of SQL statements and the time spent in them,
and with --profile a pyinstrument call tree of the slowest part.

    .venv/bin/python bench/profile_page.py /e/estado/consultation/results /e/estado
    .venv/bin/python bench/profile_page.py --profile /e/estado/tracking
"""

import argparse
import statistics
import time

import sqlalchemy as sa


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile")
    parser.add_argument("--slowest", type=int, default=3, help="SQL statements to show")
    parser.add_argument("--htmx", action="store_true", help="send HX-Request: true")
    args = parser.parse_args()

    from coplat import create_app
    from coplat.extensions import db

    app = create_app()
    statements: list[tuple[float, str]] = []

    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def started(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("started", []).append(time.perf_counter())

    @sa.event.listens_for(engine, "after_cursor_execute")
    def finished(conn, cursor, statement, parameters, context, executemany):
        statements.append((time.perf_counter() - conn.info["started"].pop(), statement))

    client = app.test_client()
    headers = {"HX-Request": "true"} if args.htmx else {}
    for path in args.paths:
        response = client.get(path, headers=headers)
        times = []
        for _ in range(args.runs):
            statements.clear()
            started_at = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append(time.perf_counter() - started_at)
        sql_s = sum(t for t, _ in statements)
        print(
            f"{path}: {response.status_code}, {len(response.data):,} bytes, "
            f"median {statistics.median(times) * 1000:.1f} ms, "
            f"{len(statements)} SQL statements taking {sql_s * 1000:.1f} ms"
        )
        for seconds, statement in sorted(statements, reverse=True)[: args.slowest]:
            print(f"    {seconds * 1000:7.1f} ms  {' '.join(statement.split())[:300]}")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001)
            profiler.start()
            for _ in range(args.runs):
                client.get(path, headers=headers)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main()
