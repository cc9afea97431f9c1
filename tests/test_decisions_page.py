"""The decisions log in the app (issue 21): editors record and edit, viewers read; the Overview's
open actions, the project drill-down and the presented summary show the same rows."""

from __future__ import annotations

import datetime as dt

from pmo import queries, store, summary
from tests.test_access import EDITOR, EDITOR_EMAIL, VIEWER, on_page
from tests.test_pages_ops import app as open_page


def stored(db):
    with store.connect(db) as con:
        return con.execute(
            "select decision_id, title, project_ids, owner, due_date, status, "
            "recorded_by, comparison from decisions where decision_id > 'D-0007' "
            "order by decision_id"
        ).fetchall()


def log_table(at):
    return next(d.value for d in at.dataframe if "decision_id" in d.value.columns)


def fill_form(at, title="Stop the Chatbot Assistant", projects=("PRJ-107",)):
    at.text_input(key="review_decision_title").input(title)
    at.multiselect(key="review_decision_projects").set_value(list(projects))
    at.text_input(key="review_decision_owner").input("CFO")
    at.date_input(key="review_decision_date").set_value(dt.date(2026, 11, 2))
    at.date_input(key="review_decision_due").set_value(dt.date(2026, 11, 30))


def test_an_editor_records_a_decision_and_closes_it_later(monkeypatch, demo_db):
    at = on_page(monkeypatch, demo_db, EDITOR, "pages/review.py")
    assert not at.exception, at.exception
    fill_form(at)
    at.button(key="review_record").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Recorded as D-0008."]
    # The demo holds D-0001..D-0007; the comparison in view is the default one (one import:
    # two as-of dates, 30 Sep → 31 Oct 2026) with the view in words.
    assert stored(demo_db) == [
        (
            "D-0008",
            "Stop the Chatbot Assistant",
            "PRJ-107",
            "CFO",
            dt.date(2026, 11, 30),
            "Open",
            EDITOR_EMAIL,
            "30 Sep 2026 → 31 Oct 2026 · All projects · As of 31 Oct 2026",
        )
    ]
    # The log on the page shows it at once, and the form is empty again.
    row = log_table(at).set_index("decision_id").loc["D-0008"]
    assert (row["project_names"], row["state"]) == ("Chatbot Assistant", "Open")
    assert at.text_input(key="review_decision_title").value == ""

    at.selectbox(key="review_status_pick").set_value("D-0008")
    at.segmented_control(key="review_status_new").set_value("Done")
    at.button(key="review_status_btn").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["D-0008 is now Done."]
    assert stored(demo_db)[0][5] == "Done"


def test_a_bad_entry_is_refused_with_the_field_to_fix_and_kept_in_the_form(monkeypatch, demo_db):
    at = on_page(monkeypatch, demo_db, EDITOR, "pages/review.py")
    fill_form(at, title="   ")
    at.button(key="review_record").click().run()
    assert [e.value for e in at.error] == ["Not recorded: Give the title."]
    assert stored(demo_db) == []
    assert at.text_input(key="review_decision_owner").value == "CFO"  # nothing typed is lost


def test_a_viewer_reads_the_log_without_the_form(monkeypatch, demo_db):
    at = on_page(monkeypatch, demo_db, VIEWER, "pages/review.py")
    assert not at.exception, at.exception
    assert len(log_table(at)) == 7
    keys = {w.key for w in [*at.text_input, *at.button, *at.selectbox]}
    assert not keys & {
        "review_decision_title",
        "review_record",
        "review_status_btn",
        "review_status_pick",
    }


def test_a_viewer_cannot_record_even_through_the_callback(monkeypatch, demo_db):
    # The same session turns viewer while the Record and Update buttons are on its screen (the
    # nearest a test gets to a forged click): the server refuses both, nothing is written.
    at = on_page(monkeypatch, demo_db, EDITOR, "pages/review.py")
    fill_form(at)
    record = at.button(key="review_record")
    at.user = dict(VIEWER)
    record.click().run()
    assert not at.exception, at.exception
    assert any("Only editors may record decisions" in e.value for e in at.error)
    assert stored(demo_db) == []

    at = on_page(monkeypatch, demo_db, EDITOR, "pages/review.py")
    at.selectbox(key="review_status_pick").set_value("D-0004")
    update = at.button(key="review_status_btn")
    at.user = dict(VIEWER)
    update.click().run()
    assert any("Only editors may change decisions" in e.value for e in at.error)
    with store.connect(demo_db) as con:
        assert con.execute(
            "select status from decisions where decision_id = 'D-0004'"
        ).fetchall() == [("Open",)]


def test_the_overview_lists_open_actions_and_the_drill_down_a_projects_decisions(
    monkeypatch, demo_db
):
    with store.connect(demo_db) as con:
        facts = queries.run(
            con, "summary_overdue_actions", **{**queries.defaults("summary_overdue_actions")}
        ).iloc[0]
    at = open_page(monkeypatch, demo_db, "pages/overview.py")
    # The demo's open actions: D-0003, D-0004, D-0007 (judged today: both D-0003, due 20 Oct,
    # and D-0007, due 30 Oct, are overdue from 31 Oct on).
    assert int(facts.open_actions) == 3
    line = f"**Open actions: 3, overdue: {int(facts.overdue_actions)}**"
    assert any(m.value == line for m in at.markdown)
    actions = next(d.value for d in at.dataframe if "state" in d.value.columns)
    assert actions["decision_id"].tolist() == ["D-0003", "D-0007", "D-0004"]

    at = open_page(monkeypatch, demo_db, "pages/performance.py")
    # D-0003 is the recovery plan for the demo's largest Red project.
    project = log_row(demo_db, "D-0003")["project_ids"]
    at.selectbox(key="performance_project").set_value(project).run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "decision_id" in d.value.columns)
    assert table["decision_id"].tolist() == ["D-0003"]
    assert table["state"].iloc[0].startswith("Overdue (")


def log_row(db, decision_id):
    with store.connect(db) as con:
        frame = queries.run(con, "decisions", **queries.defaults("decisions"))
    return frame.set_index("decision_id").loc[decision_id].to_dict() | {"decision_id": decision_id}


def test_presentation_mode_opens_with_the_executive_summary(monkeypatch, demo_db):
    from streamlit.testing.v1 import AppTest

    from tests.test_pages_ops import ROOT

    monkeypatch.setenv("PMO_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params = {"present": "1"}
    at.run()
    assert not at.exception, at.exception
    with store.connect(demo_db) as con:
        expected = [s.text for s in summary.sentences(con, None, {})]
    # The demo: changes, RAG moves, budget risk, objective, actions.
    assert len(expected) == 5
    shown = next(m.value for m in at.markdown if m.value.startswith("- "))
    # Each sentence as plain text (Markdown escaped), one bullet each.
    assert shown.count("\n- ") == len(expected) - 1
    import ui

    assert shown == "\n".join(f"- {ui.plain(text)}" for text in expected)
    assert "Since the last review \\(30 Sep 2026\\)" in shown
