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


@pytest.mark.parametrize("path", sorted((ROOT / "pmo").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
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


@pytest.mark.parametrize("path", sorted((ROOT / "pmo").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
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

    assert schema.sql("select {c} from {t}", c="budget", t="projects") == "select budget from projects"
    assert schema.sql("delete from {t}", t="pmo_touched_timesheets") == "delete from pmo_touched_timesheets"
    with pytest.raises(ValueError, match="not a PMO Lens table or column: projects; drop table x"):
        schema.sql("select 1 from {t}", t="projects; drop table x")


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
