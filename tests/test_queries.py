import pytest

from pmo import filters, queries, schema, store

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
        frame = queries.run(
            con, "project_evm", **filters.query_params("project_evm", portfolio=[hostile])
        )
    assert frame.empty


def test_every_macro_file_is_installed_in_the_stated_order():
    # A new file under queries/macros/ must be placed in store.MACRO_FILES, or no query sees it.
    on_disk = {p.stem for p in store.MACROS_DIR.glob("*.sql")}
    assert on_disk == set(store.MACRO_FILES)
    assert not any(n.startswith("macros/") for n in queries.names())


@pytest.mark.parametrize("status", [*schema.STATUSES, None])
def test_status_macros_say_what_the_schema_lists(db, status):
    # In flight = Active, On Hold; in portfolio = Approved, Active, On Hold (schema.py);
    # a null status is in neither.
    with store.connect(db) as con:
        flight, portfolio = con.execute(
            "select coalesce(is_in_flight($s), false), coalesce(is_in_portfolio($s), false)",
            {"s": status},
        ).fetchone()
    assert flight == (status in ("Active", "On Hold"))
    assert portfolio == (status in ("Approved", "Active", "On Hold"))
    assert (flight, portfolio) == (status in schema.IN_FLIGHT, status in schema.IN_PORTFOLIO)


def test_no_query_retypes_a_status_list():
    # The statuses of IN_FLIGHT / IN_PORTFOLIO reach SQL through the macros only.
    for path in queries.QUERIES_DIR.rglob("*.sql"):
        code = queries._COMMENTS_AND_STRINGS.sub(
            lambda m: m.group(0) if m.group(0).startswith("'") else "", path.read_text()
        )
        for status in {*schema.IN_FLIGHT, *schema.IN_PORTFOLIO}:
            assert f"'{status}'" not in code, f"{path.name} names the status {status!r}"


def test_status_literals_take_only_the_schemas_statuses():
    assert schema.status_literals(("Active", "On Hold")) == "'Active', 'On Hold'"
    with pytest.raises(ValueError, match="not a PMO Lens status: Active'; drop table x"):
        schema.status_literals(("Active'; drop table x",))
