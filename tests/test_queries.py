import pytest

from pmo import filters, queries, store

QUERY_NAMES = queries.names()


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_file_binds(db, name):
    from pmo import summary

    with store.connect(db) as con:
        missing = summary.missing_tables(con, name)
        if missing:  # issue 21's summary reads tables other branches add
            pytest.skip(f"{name}.sql reads {', '.join(missing)}, not in this schema yet")
        queries.run(con, name, **filters.query_params(name))


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_has_a_header_naming_params_and_columns(name):
    sql = queries.load(name).sql
    header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
    assert "Params:" in header, f"{name}.sql: header must list its params"
    assert "Columns:" in header, f"{name}.sql: header must list its columns"
    for param in queries.load(name).params:
        assert f"${param}" in header, f"{name}.sql: header does not name ${param}"


def test_run_rejects_missing_and_unexpected_params(db):
    with store.connect(db) as con, pytest.raises(ValueError, match=r"project_evm\.sql expects"):
        queries.run(con, "project_evm", as_of=None, bogus=1)


def test_unknown_query_name_is_a_key_error():
    with pytest.raises(KeyError, match="no query named"):
        queries.load("no_such_query")


def test_param_names_ignores_comments_and_strings():
    assert queries.param_names("select '$x' -- $y\n where a = $z and b = $$lit$$") == {"z"}


def test_filter_values_are_bound_not_spliced(demo_db):
    hostile = "x' OR '1'='1"
    with store.connect(demo_db) as con:
        frame = queries.run(con, "project_evm", **filters.query_params("project_evm", portfolio=[hostile]))
    assert frame.empty
