"""The command line: `python -m pmo COMMAND` (the README's command line). Exit 0 done, 1 rejected input, 2 usage."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from pmo import filters, kpi, queries, selection_cli, store

# pmo.ingest (pandas, pyarrow, calamine) is imported by the commands that write, so that
# `kpis` starts in a fraction of a second (issue 9).

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: exit status 2."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _pairs(items: list[str] | None, flag: str) -> dict[str, object]:
    """KEY=VALUE items -> dict; a key given twice collects a list."""
    out: dict[str, object] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"{flag} expects KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        key = key.strip()
        if key in out:
            prev = out[key]
            out[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[key] = value
    return out


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database file (default: $PMO_DB or data/pmo.duckdb)")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=_date, help="as-of date (default: the latest report date)")
    for f in queries.FILTER_PARAMS:
        p.add_argument(
            f"--{f.replace('_', '-')}",
            action="append",
            metavar="VALUE",
            help=f"only projects with this {f.replace('_', ' ')} (repeat for several)",
        )


def _filters(args) -> dict[str, list[str] | None]:
    """The view's filters given by --portfolio, --business-unit, ... (None: all)."""
    return {f: getattr(args, f) for f in queries.FILTER_PARAMS}


def _add_import(sub) -> None:
    """The import command and its options (docs/data-model.md)."""
    p = sub.add_parser("import", help="validate and import Excel/CSV files")
    p.description = (
        "Validate files and import them as one transaction; nothing is written on error."
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=".xlsx/.xlsm workbook or .csv files; FILE:TABLE names the table a file holds",
    )
    _add_db(p)
    p.add_argument("--as-of", type=_date, help="the as-of date this upload reports")
    p.add_argument("--dry-run", action="store_true", help="validate and preview, write nothing")
    p.add_argument(
        "--lenient", action="store_true", help="load unreadable optional values as blank"
    )
    p.add_argument("--table", help="the table of the files whose names do not say theirs")
    p.add_argument(
        "--map",
        action="append",
        metavar="SOURCE=COLUMN",
        help="fill template COLUMN (or TABLE.COLUMN) from the file's SOURCE header; "
        "'A|B=COLUMN' takes the first non-blank of A and B; repeatable",
    )
    p.add_argument(
        "--value",
        action="append",
        metavar="COLUMN:SOURCE=TARGET",
        help="read the word SOURCE in COLUMN as TARGET (e.g. status:Live=Active); repeatable",
    )
    p.add_argument(
        "--ignore",
        action="append",
        metavar="SOURCE",
        default=[],
        help="leave out the file's SOURCE column (even when its header matches); repeatable",
    )
    p.add_argument(
        "--money-unit",
        choices=["k", "m", "bn"],
        help="money cells are in thousands (k), millions (m) or billions (bn)",
    )
    p.add_argument(
        "--currency",
        metavar="CODE",
        help="the files' currency (ISO code, e.g. GBP); sets a new database's currency",
    )
    p.add_argument(
        "--default",
        action="append",
        metavar="COLUMN=VALUE",
        help="a constant for COLUMN (or TABLE.COLUMN): fills the column, or its blanks; repeatable",
    )
    p.add_argument("--mapping", metavar="NAME", help="apply the mapping saved as NAME")
    p.add_argument(
        "--save-mapping", metavar="NAME", help="save the mapping used under NAME (with the import)"
    )
    p.add_argument(
        "--complete",
        action="append",
        metavar="TABLE",
        default=[],
        help="the upload is the complete list for TABLE: stored projects and resources "
        "it lacks are marked as left (as of --as-of); other tables' are removed",
    )


def _add_settings(sub) -> None:
    """The settings command: the database's currency, fiscal year, rating scale."""
    p = sub.add_parser("settings", help="show or change the database's settings")
    p.description = (
        "The database's currency, fiscal-year start month and rating scale; "
        "given options change them, then all are printed."
    )
    _add_db(p)
    p.add_argument(
        "--currency", metavar="CODE", help="ISO currency code of every amount (e.g. GBP)"
    )
    p.add_argument("--fiscal-year-start", type=int, metavar="MONTH", help="month 1-12")
    p.add_argument(
        "--rating",
        action="append",
        metavar="RATING=RAG",
        help="how a rating counts, e.g. Amber/Green=Green; repeatable",
    )
    p.add_argument("--json", action="store_true", help="print JSON")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per command of the README's command line."""
    parser = argparse.ArgumentParser(
        prog="python -m pmo",
        description="PMO Lens: import portfolio spreadsheets and compute portfolio KPIs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("demo", help="(re)build the demo database from the demo workbooks")
    p.description = (
        "Delete the demo database (default data/demo.duckdb) and rebuild it from the demo's "
        "three monthly exports (data/demo/, data/demo_portfolio.xlsx). Never touches your own "
        "database unless --db names it."
    )
    p.add_argument("--db", help="database file (default: data/demo.duckdb)")

    _add_import(sub)
    _add_settings(sub)

    p = sub.add_parser("kpis", help="print the headline KPIs")
    p.description = "Headline KPIs at the as-of date, for the projects passing the filters."
    _add_db(p)
    _add_filters(p)
    p.add_argument("--json", action="store_true", help="print JSON (the only format)")

    p = sub.add_parser("query", help="run one query of queries/ by name")
    p.description = "Run queries/NAME.sql; parameters not given take their defaults (filters: all)."
    p.add_argument("name", metavar="NAME", help="query name: " + ", ".join(queries.names()))
    _add_db(p)
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="a parameter value")
    p.add_argument("--format", choices=["csv", "json"], default="csv", help="output format")

    p = sub.add_parser("history", help="list the imports")
    p.description = "List the imports, newest first."
    _add_db(p)

    p = sub.add_parser("undo", help="revert the last import")
    p.description = "Restore the database exactly as it was before the last import."
    _add_db(p)

    p = sub.add_parser("pack", help="build the leadership review pack (.pptx)")
    p.description = (
        "Build a PowerPoint review pack: KPI tiles, key charts with takeaways, exceptions."
    )
    p.add_argument("--out", required=True, help="the .pptx file to write")
    _add_db(p)
    _add_filters(p)

    p = sub.add_parser("send", help="email the review pack and executive summary")
    p.description = (
        "Build the review pack for the view and send one email: the executive summary and "
        "headline KPIs in the body, the .pptx attached. The SMTP password is read from "
        "$PMO_SMTP_PASSWORD (never a flag). Exit 0 sent, 1 refused by the server, 2 usage."
    )
    p.add_argument(
        "--to",
        required=True,
        nargs="+",
        action="extend",
        metavar="EMAIL",
        help="recipient(s); repeat or list several",
    )
    p.add_argument("--smtp", required=True, metavar="HOST:PORT", help="the SMTP server")
    p.add_argument("--starttls", action="store_true", help="upgrade the connection with STARTTLS")
    p.add_argument(
        "--from",
        dest="sender",
        metavar="EMAIL",
        help="the sender (default: $PMO_SMTP_FROM, else pmo-lens@this host)",
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        help="the SMTP login when $PMO_SMTP_PASSWORD is set (default: the sender)",
    )
    _add_db(p)
    _add_filters(p)

    p = sub.add_parser("forecast", help="earned schedule, EAC methods and P10-P90 forecasts")
    p.description = (
        "One row per in-flight project: earned schedule, the three EAC methods, TCPI and the "
        "seeded Monte Carlo's P10/P50/P80/P90 cost at completion and finish (docs/kpis.md)."
    )
    _add_db(p)
    _add_filters(p)
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the app's)")
    p.add_argument("--draws", type=int, default=None, help="draws per project (default 10000)")
    p.add_argument("--format", choices=["csv", "json"], required=True, help="output format")

    selection_cli.add_parsers(sub, _add_db, _add_filters)  # select, frontier (issue 15)

    p = sub.add_parser("template", help="write the upload template workbook")
    p.description = "Write an empty workbook with one sheet per table and the accepted headers."
    p.add_argument("--out", required=True, help="the .xlsx file to write")

    p = sub.add_parser("serve", help="serve the app: N replicas behind nginx (a review week)")
    p.description = (
        "Start N app processes on loopback ports with the production configuration and "
        "Debian's nginx in front of them on --port, with sticky sessions; Ctrl-C or SIGTERM "
        "stops everything it started. With --replicas 1 the one process serves --port itself."
    )
    p.add_argument(
        "--replicas",
        type=int,
        default=os.cpu_count() or 1,
        help="app processes (default: one per core)",
    )
    p.add_argument("--port", type=int, default=8501, help="the port users open (default 8501)")
    p.add_argument(
        "--app-port",
        type=int,
        metavar="PORT",
        help="the first replica's loopback port (default: --port + 1)",
    )
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help="the address users reach (default 127.0.0.1; 0.0.0.0 for every interface)",
    )
    _add_db(p)
    p.add_argument(
        "--secrets",
        type=Path,
        metavar="FILE",
        help="secrets.toml to use (default .streamlit/secrets.toml)",
    )
    p.add_argument(
        "--dev",
        action="store_true",
        help="Streamlit's development defaults (file watcher, GC after every run)",
    )
    p.add_argument(
        "--only-app",
        action="store_true",
        help="run one app process on --port, without nginx (what the systemd unit runs)",
    )
    return parser


def cmd_demo(args) -> int:
    """Rebuild the demo database from its monthly exports through the normal import."""
    from pmo import demo

    path = demo.build(args.db or demo.DEMO_DB)
    with store.connect(path) as con:
        counts = con.execute(
            "select count(*) filter (where not undone), max(as_of) from pmo_imports"
        ).fetchone()
        projects = con.execute("select count(*) from projects").fetchone()[0]
    print(
        f"demo database built at {path}: {counts[0]} monthly imports up to {counts[1]}, "
        f"{projects} projects"
    )
    return EXIT_OK


def _column_map(items: list[str] | None) -> dict[str, str]:
    """--map SOURCE=COLUMN items -> {column: source}; one source may fill several columns."""
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"--map expects SOURCE=COLUMN, got {item!r}")
        source, column = item.rsplit("=", 1)
        if not source.strip() or not column.strip():
            raise UsageError(f"--map expects SOURCE=COLUMN, got {item!r}")
        out[column.strip()] = source.strip()
    return out


def _constants(items: list[str] | None) -> dict[str, str]:
    """--default COLUMN=VALUE items -> {column: value}."""
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"--default expects COLUMN=VALUE, got {item!r}")
        column, value = item.split("=", 1)
        out[column.strip()] = value
    return out


class _ProgressLine:
    """A progress line on stderr for large files: '[ 45%] writing timesheets'."""

    def __init__(self) -> None:
        self.last = -1
        self.tty = sys.stderr.isatty()

    def __call__(self, fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        step = 1 if self.tty else 10
        if pct // step == self.last // step and pct < 100:
            return
        self.last = pct
        end = "" if self.tty and pct < 100 else "\n"
        print(f"\r[{pct:3d}%] {message:<40}", end=end, file=sys.stderr, flush=True)


def cmd_import(args) -> int:
    """Import files; on rejection print every error and exit 1."""
    from pmo.ingest import prefetch  # light: the package's other modules load on first use

    # calamine parses the workbooks while pandas is imported (unless a file is too big: the
    # import then refuses from the sizes alone, before parsing anything)
    prefetch.start(args.files, args.table)
    from pmo import ingest

    files, table = _file_tables(args.files, args.table)
    mapping = _column_map(args.map)
    defaults = _constants(args.default)
    sizes = [Path(f).stat().st_size for f in files if Path(f).is_file()]
    progress = _ProgressLine() if sum(sizes) >= ingest.LARGE_FILE_BYTES else None
    try:
        result = ingest.import_paths(
            files,
            args.db,
            dry_run=args.dry_run,
            lenient=args.lenient,
            as_of=args.as_of,
            table=table,
            mapping=mapping or None,
            defaults=defaults or None,
            values=_value_maps(args.value) or None,
            ignore=args.ignore,
            money_unit=args.money_unit,
            currency=args.currency,
            complete=args.complete,
            mapping_name=args.mapping,
            save_mapping=args.save_mapping,
            progress=progress,
        )
    except ingest.MappingError as exc:
        raise UsageError(str(exc)) from None
    summary = [f for f in result.findings if f.file == "import" and f.level == "info"]
    for f in result.findings:
        if f not in summary:
            print(f, file=sys.stderr)
    counts = ", ".join(f"{k} {v}" for k, v in result.row_counts.items())
    if result.dry_run:
        print(f"dry run: would import {counts}; nothing written")
    else:
        print(f"import {result.import_id}: {counts}")
    for f in summary:
        print(f"  {f.message}")
    if result.warnings:
        print(f"  {len(result.warnings)} warning(s), listed on stderr")
    return EXIT_OK


def _file_tables(
    items: list[str], table: str | None
) -> tuple[list[str], str | dict[str, str] | None]:
    """FILE:TABLE items -> the files and {file name: table}; --table for the other files
    whose names do not say their table (a plain --table when no FILE:TABLE is given)."""
    from pmo import schema
    from pmo.ingest.headers import table_for_name

    files, named = [], {}
    for item in items:
        path, sep, suffix = item.rpartition(":")
        if sep and suffix in schema.TABLES and not Path(item).exists():
            files.append(path)
            named[Path(path).name] = suffix
        elif sep and "/" not in suffix and Path(path).exists() and not Path(item).exists():
            # FILE:TABLE with a table that does not exist: said as such, not "no such file".
            raise UsageError(
                f"{item}: no table {suffix!r} (FILE:TABLE); tables: {', '.join(schema.TABLES)}"
            )
        else:
            files.append(item)
    if table is not None and table not in schema.TABLES:
        raise UsageError(f"--table: no table {table!r}; tables: {', '.join(schema.TABLES)}")
    for f in files:  # --table is for files whose names do not say their table: said, not silent
        says = table_for_name(Path(f).stem)
        if table and says and says != table and Path(f).name not in named:
            print(
                f"note: --table {table} does not apply to {Path(f).name}, whose name says "
                f"{says}; to import it as {table}, give {Path(f).name}:{table}",
                file=sys.stderr,
            )
    if not named:
        return files, table
    for f in files:
        name = Path(f).name
        if name not in named and table and not table_for_name(Path(f).stem):
            named[name] = table
    return files, named


def _value_maps(items: list[str] | None) -> dict[str, dict[str, str]]:
    """--value COLUMN:SOURCE=TARGET items -> {column: {source: target}}."""
    out: dict[str, dict[str, str]] = {}
    for item in items or []:
        column, sep, rest = item.partition(":")
        source, eq, target = rest.rpartition("=")
        if not sep or not eq or not column.strip() or not source.strip():
            raise UsageError(
                f"--value expects COLUMN:SOURCE=TARGET (e.g. status:Live=Active), got {item!r}"
            )
        out.setdefault(column.strip(), {})[source.strip()] = target.strip()
    return out


def cmd_settings(args) -> int:
    """Show (and change) the database's settings."""
    from pmo import settings

    scale = {}
    for item in args.rating or []:
        point, eq, rag = item.rpartition("=")
        if not eq:
            raise UsageError(f"--rating expects RATING=RAG (e.g. Amber/Green=Green), got {item!r}")
        scale[point.strip()] = rag.strip().title()
    changes = {
        "currency": args.currency,
        "fiscal_year_start": args.fiscal_year_start,
        "rating_scale": scale or None,
    }
    try:
        if any(v is not None for v in changes.values()):
            current = settings.save(args.db, **changes)
        else:
            current = settings.load(args.db)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    out = current.as_dict()
    if args.json:
        print(json.dumps(out, indent=2))
        return EXIT_OK
    print(f"currency: {out['currency']} ({out['currency_symbol']})")
    print(f"fiscal year starts: {settings.MONTHS[current.fiscal_year_start - 1]}")
    print("rating scale: " + ", ".join(f"{k} → {v}" for k, v in current.rating_scale.items()))
    return EXIT_OK


def cmd_kpis(args) -> int:
    """Headline KPIs as JSON."""
    out = kpi.for_json_cached(args.db, args.as_of, **_filters(args))
    print(json.dumps(out, indent=2))
    return EXIT_OK


def cmd_query(args) -> int:
    """Run one query with defaults for every parameter not given."""
    try:
        q = queries.load(args.name)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    given = _pairs(args.param, "--param")
    unknown = set(given) - q.params
    if unknown:
        raise UsageError(
            f"{args.name}.sql has no parameter {sorted(unknown)}; it takes {sorted(q.params)}"
        )
    params = filters.query_params(args.name, **given)
    with store.connect(args.db) as con:
        frame = queries.run(con, args.name, **params)
    if args.format == "json":
        print(frame.to_json(orient="records", date_format="iso", indent=2))
    else:
        print(frame.to_csv(index=False), end="")
    return EXIT_OK


def cmd_history(args) -> int:
    """Imports, newest first."""
    from pmo import ingest

    frame = ingest.history(args.db)
    if frame.empty:
        print("no imports yet")
        return EXIT_OK
    for row in frame.itertuples(index=False):
        files = ", ".join(f"{f['name']} (sha256 {f['sha256'][:12]})" for f in json.loads(row.files))
        counts = ", ".join(f"{k} {v}" for k, v in json.loads(row.row_counts).items())
        as_of = (
            "" if row.as_of is None or row.as_of != row.as_of else f" as of {row.as_of:%Y-%m-%d}"
        )
        undone = " [undone]" if row.undone else ""
        print(
            f"#{row.import_id} {row.imported_at:%Y-%m-%d %H:%M} by {row.imported_by}{as_of}"
            f"{undone}: {counts} from {files}"
        )
    return EXIT_OK


def cmd_undo(args) -> int:
    """Revert the last import."""
    from pmo import ingest

    undone = ingest.undo_last(args.db)
    if undone is None:
        print("nothing to undo", file=sys.stderr)
        return EXIT_REJECTED
    print(f"import {undone} undone")
    return EXIT_OK


def cmd_pack(args) -> int:
    """Write the review pack for the filters given."""
    from pmo import pack

    with store.connect(args.db) as con:
        data = pack.build(con, args.as_of, _filters(args))
    Path(args.out).write_bytes(data)
    print(f"review pack written to {args.out}")
    return EXIT_OK


def cmd_send(args) -> int:
    """Email the review pack: exit 0 sent, 1 refused (the server's reply on stderr), 2 usage."""
    from pmo import mail

    try:
        to = [mail.check_address(a, "--to") for a in args.to]
        sender = mail.check_address(args.sender or mail.default_sender(), "--from")
        host, port = mail.parse_server(args.smtp)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    password = mail.password_from_env()
    if password and not args.starttls and not mail.is_loopback(host):
        raise UsageError(
            f"${mail.PASSWORD_ENV} is set: add --starttls so the password is not sent unencrypted"
        )
    view = _filters(args)
    with store.connect(args.db) as con:
        message = mail.build(con, args.as_of, view, sender=sender, to=to)
    try:
        sent = mail.deliver(
            message, host, port, starttls=args.starttls, user=args.user, password=password
        )
    except mail.Refused as exc:
        print(f"not sent: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(
        f"sent {message.subject!r} with {message.filename} to {', '.join(sent)} via {host}:{port}"
    )
    return EXIT_OK


def cmd_forecast(args) -> int:
    """Per-project forecasts as CSV, or JSON with the portfolio figures."""
    import csv

    from pmo import forecast

    seed = forecast.SEED if args.seed is None else args.seed
    draws = forecast.DRAWS if args.draws is None else args.draws
    if draws < 1:
        raise UsageError("--draws must be at least 1")
    with store.connect(args.db) as con:
        result = forecast.run(con, args.as_of, _filters(args), seed=seed, draws=draws)
    rows = [{c: kpi._plain(r.get(c)) for c in forecast.CLI_COLUMNS} for r in result.projects]
    if args.format == "json":
        out = {
            "as_of": kpi._plain(result.as_of),
            "seed": seed,
            "draws": draws,
            "portfolio": {k: kpi._plain(v) for k, v in result.portfolio.items()},
            "projects": rows,
        }
        print(json.dumps(out, indent=2))
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=forecast.CLI_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return EXIT_OK


def cmd_template(args) -> int:
    """Write the template workbook."""
    from pmo import export

    Path(args.out).write_bytes(export.template_workbook())
    print(f"template written to {args.out}")
    return EXIT_OK


def cmd_serve(args) -> int:
    """Serve the app (pmo.serve): replicas behind nginx, or one app process."""
    from pmo import demo, serve

    # --db or $PMO_DB: the PMO's own database (created empty when missing); neither: the
    # app's choice, data/pmo.duckdb once it exists, else the demo's own database.
    db = store.db_path(args.db) if args.db else demo.serving_db()
    try:
        if args.only_app:
            os.environ["PMO_DB"] = str(db)
            serve.exec_replica(
                args.port, dev=args.dev, secrets_file=args.secrets, address=args.address
            )
        return serve.serve(
            args.replicas,
            args.port,
            db,
            app_port=args.app_port,
            dev=args.dev,
            secrets_file=args.secrets,
            address=args.address,
        )
    except serve.ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED


COMMANDS = {
    "demo": cmd_demo,
    "import": cmd_import,
    "settings": cmd_settings,
    "kpis": cmd_kpis,
    "query": cmd_query,
    "history": cmd_history,
    "undo": cmd_undo,
    "pack": cmd_pack,
    "send": cmd_send,
    "template": cmd_template,
    "forecast": cmd_forecast,
    "serve": cmd_serve,
    "select": selection_cli.cmd_select,
    "frontier": selection_cli.cmd_frontier,
}


def _database_currency(args) -> str | None:
    """The currency money printed by a command is in: its database's (pmo.settings)."""
    if (
        args.command in ("demo", "template")
        or not store.db_path(getattr(args, "db", None)).exists()
    ):
        return None
    from pmo import settings

    return settings.load(getattr(args, "db", None)).currency


def main(argv: list[str] | None = None) -> int:
    """Run a command; errors become messages and exit codes, never tracebacks."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from pmo import format

        with format.in_currency(_database_currency(args)):
            return COMMANDS[args.command](args)
    except UsageError as exc:
        parser.error(str(exc))
    except Exception as exc:  # a message and an exit status, never a traceback
        # Only a command that imported pmo.ingest can have raised ImportRejected.
        ingest = sys.modules.get("pmo.ingest")
        if ingest is not None and isinstance(exc, ingest.ImportRejected):
            errors = [f for f in exc.findings if f.level == "error"]
            print(f"rejected: {len(errors)} error(s); nothing was written", file=sys.stderr)
            for f in exc.findings:
                print(f, file=sys.stderr)
        elif isinstance(exc, OSError | ValueError):
            print(f"error: {exc}", file=sys.stderr)
        else:
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_USAGE
