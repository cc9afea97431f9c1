"""Rules about the code base itself, in the spirit of datasette's test_docs.py."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return names


@pytest.mark.parametrize(
    "path", sorted((ROOT / "pmo").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_only_app_data_imports_streamlit(path):
    uses_streamlit = any(m.split(".")[0] == "streamlit" for m in imported_modules(path))
    assert uses_streamlit == (path.name == "app_data.py")


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_do_not_query_the_database_directly(path):
    mods = imported_modules(path)
    assert "duckdb" not in mods
    text = path.read_text(encoding="utf-8")
    assert "execute(" not in text
    assert "unsafe_allow_html" not in text


def test_no_user_html_anywhere():
    for path in [*ROOT.glob("*.py"), *(ROOT / "pages").glob("*.py"), *(ROOT / "pmo").rglob("*.py")]:
        assert "unsafe_allow_html=True" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    "path", sorted((ROOT / "pmo").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_public_functions_have_docstrings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{path.name}:{node.name} has no docstring"


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), line


def test_database_and_screenshots_are_git_ignored():
    ignored = (ROOT / ".gitignore").read_text()
    assert "*.duckdb" in ignored and "*.png" in ignored


def test_every_page_url_is_its_file_name():
    # Until the first st.navigation call of a process, Streamlit routes a request through
    # the pages/ folder ("pages directory" mode): a URL that is not a file name there gets a
    # "Page not found" dialog, even when app.py's navigation then finds the page (a shared
    # link opened first after a restart). So each page lives at /<file name>; reached in that
    # mode, app_data.guard_page() runs app.py's frame around it (tests/test_e2e.py).
    from tests.e2e_server import app_pages

    pages = app_pages()
    files = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert {stem for stem, _ in pages} == files, "every page file is in app.py's navigation"
    for stem, path in pages:
        assert path in ("", stem), f"{stem}: its url_path must be {stem!r}, not {path!r}"


def test_sql_text_takes_only_the_schemas_names():
    # Table and column names are the only things formatted into SQL text; anything else
    # (a value, a name from a file) is refused.
    from pmo import schema

    assert (
        schema.sql("select {c} from {t}", c="budget", t="projects") == "select budget from projects"
    )
    assert (
        schema.sql("delete from {t}", t="pmo_touched_timesheets")
        == "delete from pmo_touched_timesheets"
    )
    with pytest.raises(ValueError, match="not a PMO Lens table or column: projects; drop table x"):
        schema.sql("select 1 from {t}", t="projects; drop table x")


def test_no_sql_is_built_beside_schema_sql():
    # Issue 19: identifiers reach SQL text only through schema.sql, so no module needs to tell
    # the S608 check (SQL built from strings) that its own names are safe.
    marked = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "pmo").rglob("*.py"))
        if "noqa: S608" in path.read_text(encoding="utf-8")
    ]
    assert marked == []


def test_the_streamed_importers_generated_names_are_checked_by_one_pattern():
    # c0 ... (raw text columns), pmo_stream_m0 ... (a column's map) and __bad_/__blank_/__cell_
    # followed by a template column pass; anything near them does not.
    from pmo import schema

    assert (
        schema.sql("select r.{c}, {f} from {m}", c="c12", f="__bad_hours", m="pmo_stream_m3")
        == "select r.c12, __bad_hours from pmo_stream_m3"
    )
    assert schema.sql("select 1 from {t}", t="pmo_stream_rows") == "select 1 from pmo_stream_rows"
    for name in ("c", "c1; drop table x", "cx", "pmo_stream_mx", "__bad_nope", "__bad_hours "):
        with pytest.raises(ValueError, match="not a PMO Lens table or column"):
            schema.sql("select {c}", c=name)


def test_the_ingest_package_exports_what_it_lists_and_loads_lazily():
    # pmo.ingest's names load on first use: the command line imports pmo.ingest.prefetch to
    # start calamine on a workbook before pandas is imported (bench/BENCHMARKS.md).
    import subprocess
    import sys

    import pmo.ingest as ingest

    assert sorted(ingest.__all__) == sorted(ingest._EXPORTS)
    for name in ingest.__all__:
        assert getattr(ingest, name) is not None, name
    code = "import sys, pmo.ingest.prefetch; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


# The layers (docs/architecture.md): pages -> ui / app_data -> library -> store, queries,
# schema. Nothing imports upwards.
LOWEST = {"pmo.schema", "pmo.store", "pmo.queries"}
UI_LAYER = {"ui", "pmo.app_data"}


def pmo_imports(path: Path) -> set[str]:
    """The pmo modules (and ui) a file imports, as dotted names ("from pmo import x" = pmo.x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            if node.module in ("pmo", "pmo.ingest", "pmo.charts"):
                out |= {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in out if m == "ui" or m.startswith(("ui.", "pmo."))}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


LIBRARY = sorted((ROOT / "pmo").rglob("*.py"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_library_never_imports_the_ui_layer(path):
    if module_name(path) == "pmo.app_data":
        return
    upward = {m for m in pmo_imports(path) if m in UI_LAYER or m.startswith("ui.")}
    assert not upward, f"{path.name} imports {upward}"


@pytest.mark.parametrize("name", sorted(LOWEST))
def test_store_queries_and_schema_import_only_each_other(name):
    path = ROOT / (name.replace(".", "/") + ".py")
    upward = {m for m in pmo_imports(path) if m.startswith("pmo.")} - LOWEST
    assert not upward, f"{name} imports {upward}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "pmo" / "charts").glob("*.py")), ids=lambda p: p.name
)
def test_chart_builders_are_pure(path):
    # DataFrame in, chart out: no database, no query, no Streamlit.
    mods = imported_modules(path)
    assert not {"duckdb", "pmo.store", "pmo.queries", "streamlit"} & mods
    assert not {"pmo.store", "pmo.queries", "pmo.app_data"} & pmo_imports(path)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "pmo" / "ingest").glob("*.py")), ids=lambda p: p.name
)
def test_the_importer_knows_nothing_of_pages_charts_or_outputs(path):
    bad = {m for m in pmo_imports(path) if m.split(".")[:2] in (["pmo", "charts"], ["pmo", "pack"])}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_reach_data_only_through_app_data(path):
    assert not {"pmo.store", "pmo.queries"} & pmo_imports(path), path.name


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_library_module_says_what_it_is_for(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path


# Private Streamlit APIs the app still relies on, each for a reason no public API covers yet.
# Every one is pinned here: an upgrade that moves it fails this test, not a user's page.
PRIVATE_STREAMLIT = {
    # guard_page: a page reached in "pages directory" mode runs app.py's frame around it.
    "streamlit.runtime.pages_manager": "PagesManager",
    # _once_per_run: who the user is, read once per script run (the run's context).
    "streamlit.runtime.scriptrunner": "get_script_run_ctx",
    # chart_spec: the spec st.altair_chart would send, kept for warm reruns (issue 20).
    "streamlit.elements.vega_charts": "_convert_altair_to_vega_lite_spec",
}


def test_private_streamlit_apis_are_the_pinned_ones_and_still_exist():
    import importlib

    used = set()
    for path in [*ROOT.glob("*.py"), *(ROOT / "pages").glob("*.py"), *LIBRARY]:
        for m in imported_modules(path):
            if m.startswith("streamlit.") and not m.startswith("streamlit.testing"):
                used.add(m)
    assert used == set(PRIVATE_STREAMLIT), f"pin each private Streamlit API here: {used}"
    for module, name in PRIVATE_STREAMLIT.items():
        assert hasattr(importlib.import_module(module), name), f"{module}.{name} is gone"
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")


def test_the_docs_describe_every_table_and_column():
    # docs/data-model.md is the design in our words: a table or column added to the schema
    # without a word there fails here.
    from pmo import schema

    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    for table in schema.TABLES.values():
        assert f"**{table.name}**" in text, table.name
        for column in table.columns:
            assert re.search(rf"\b{column.name}\b", text), f"{table.name}.{column.name}"


def test_every_query_file_named_in_the_docs_exists():
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for name in set(re.findall(r"`([a-z_]+)\.sql`", text)):
        assert (ROOT / "queries" / f"{name}.sql").exists(), f"docs name queries/{name}.sql"


def test_code_cites_the_docs_not_the_design_sections():
    for path in [
        *ROOT.glob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        *LIBRARY,
        *(ROOT / "queries").rglob("*.sql"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"design §\d", text), f"{path.relative_to(ROOT)} cites 'design §N'"


# A page reads as the page looks: header, filters, sections, each section drawn by a function
# of ui/<page>.py, anything computed in pmo (docs/architecture.md, where things live).
PAGE_LINES = 150


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_reads_in_150_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= PAGE_LINES, f"{path.name} has {lines} lines: move its blocks into ui/"
