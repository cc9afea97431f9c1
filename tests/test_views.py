"""pmo.views: what the operational pages choose to show of a query's rows."""

import datetime as dt

import pandas as pd

from pmo import views

D = dt.date


def test_month_options_run_from_first_to_last_month_inclusive():
    assert views.month_options(D(2025, 11, 17), pd.Timestamp("2026-02-01")) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    assert views.month_options(None, D(2026, 1, 1)) == []


def test_default_window_looks_a_quarter_ahead_and_slides_back_at_the_data_edge():
    months = views.month_options(D(2025, 1, 1), D(2026, 12, 1))  # 24 months
    # As of Jun 2026: 8 months before, 3 after = Oct 2025 – Sep 2026 (12 months).
    assert views.default_window(months, D(2026, 6, 30)) == (D(2025, 10, 1), D(2026, 9, 1))
    # As of Oct 2026 the data ends in Dec (2 ahead): the window slides to Jan – Dec 2026.
    assert views.default_window(months, D(2026, 10, 31)) == (D(2026, 1, 1), D(2026, 12, 1))
    # Fewer months than a window: all of them.
    assert views.default_window(months[:5], D(2025, 3, 1)) == (D(2025, 1, 1), D(2025, 5, 1))
    assert views.default_window([], D(2025, 3, 1)) is None


def test_actuals_stop_at_the_as_of_month():
    assert views.actuals_window(D(2026, 1, 1), D(2026, 12, 1), D(2026, 10, 1)) == (
        D(2026, 1, 1),
        D(2026, 10, 1),
    )
    assert views.actuals_window(D(2026, 11, 1), D(2026, 12, 1), D(2026, 10, 1)) is None


def util(people):
    rows = []
    for key, name, team, peak in people:
        for month, u in (("2026-01-01", peak / 2), ("2026-02-01", peak)):
            rows.append(
                {
                    "group_key": key,
                    "group_label": name,
                    "team": team,
                    "month": pd.Timestamp(month),
                    "utilisation": u,
                }
            )
    return pd.DataFrame(rows)


def test_heatmap_keeps_the_people_with_the_highest_peaks_beyond_the_limit():
    frame = util([("E1", "Ann", "Ops", 0.9), ("E2", "Bob", "Ops", 1.4), ("E3", "Cy", "Dev", 1.1)])
    rows, shown, total = views.heatmap_rows(frame, limit=2)
    assert (shown, total) == (2, 3)
    assert sorted(rows["group_label"].unique()) == ["Bob", "Cy"]  # peaks 140% and 110%
    rows, shown, total = views.heatmap_rows(frame, team="Ops", limit=2)
    assert (shown, total) == (2, 2) and sorted(rows["group_label"].unique()) == ["Ann", "Bob"]


def test_heatmap_tells_apart_people_who_share_a_name():
    frame = util([("E1", "Ann Lee", "Ops", 0.9), ("E2", "Ann Lee", "Dev", 0.5)])
    rows, _, _ = views.heatmap_rows(frame)
    assert sorted(rows["group_label"].unique()) == ["Ann Lee (E1)", "Ann Lee (E2)"]


def test_as_percent_turns_fractions_into_points_without_touching_the_original():
    frame = pd.DataFrame({"u": [0.5, 1.25]})
    assert views.as_percent(frame, ["u"])["u"].tolist() == [50.0, 125.0]
    assert frame["u"].tolist() == [0.5, 1.25]
