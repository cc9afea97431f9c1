"""Files the app hands out: table downloads (CSV, XLSX) and the upload template workbook."""

from __future__ import annotations

import io

import pandas as pd

from pmo import schema

# A cell starting with one of these is read as a formula by Excel and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            s = out[col].astype("string")
            risky = s.str.startswith(_FORMULA_START).fillna(False)
            if risky.any():
                out[col] = out[col].astype(object)
                out.loc[risky, col] = "'" + s[risky]
    return out


def table_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM, so Excel reads accents) with formulas neutralised."""
    # CRLF line ends: a CR inside a value is then quoted, so it cannot start a row (and a
    # formula) of its own in a spreadsheet.
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def table_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """XLSX bytes of one table; text is written as text, never as a formula."""
    buf = io.BytesIO()
    with pd.ExcelWriter(
        buf,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as xw:
        data = frame.copy()
        for col in data.columns:
            if isinstance(data[col].dtype, pd.DatetimeTZDtype):
                data[col] = data[col].dt.tz_localize(None)
        data.to_excel(xw, sheet_name=sheet[:31], index=False)
        ws = xw.sheets[sheet[:31]]
        for i, col in enumerate(data.columns):
            width = max([len(str(col))] + [len(str(v)) for v in data[col].head(200)])
            ws.set_column(i, i, min(50, width + 2))
    return buf.getvalue()


# One example row per template sheet; together they import cleanly.
TEMPLATE_EXAMPLES: dict[str, dict[str, object]] = {
    "objectives": {
        "objective_id": "O1",
        "name": "Grow digital revenue",
        "weight": 3,
        "target_share": "25%",
        "owner": "Chief Digital Officer",
        "perspective": "Financial",
    },
    "projects": {
        "project_id": "P001",
        "name": "Customer portal",
        "portfolio": "Digital",
        "business_unit": "Sales",
        "sponsor": "A. Sponsor",
        "manager": "P. Manager",
        "status": "Active",
        "start_date": "2025-01-06",
        "end_date": "2025-12-19",
        "actual_end_date": None,
        "budget": 1200000,
        "expected_benefit": 3000000,
        "risk_score": 3,
    },
    "alignment": {"project_id": "P001", "objective_id": "O1", "score": 4},
    "resources": {
        "resource_id": "R001",
        "name": "Sam Analyst",
        "role": "Business Analyst",
        "team": "Delivery",
        "capacity_hours": 40,
        "cost_rate": 95,
    },
    "allocations": {"resource_id": "R001", "project_id": "P001", "month": "2025-03", "hours": 80},
    "timesheets": {"resource_id": "R001", "project_id": "P001", "date": "2025-03-03", "hours": 7.5},
    "status_reports": {
        "project_id": "P001",
        "report_date": "2025-03-31",
        "percent_complete": "25%",
        "planned_value": 300000,
        "earned_value": 280000,
        "actual_cost": 310000,
        "rag_overall": "Amber",
        "rag_schedule": "Green",
        "rag_budget": "Amber",
        "rag_scope": "Green",
        "forecast_end_date": "2026-01-30",
        "comment": "Vendor onboarding late",
    },
    "benefits": {
        "project_id": "P001",
        "benefit": "Self-service savings",
        "planned_value": 500000,
        "realized_value": 0,
        "date": "2026-06-30",
    },
    "milestones": {
        "project_id": "P001",
        "milestone": "Go-live",
        "baseline_date": "2025-11-28",
        "forecast_date": "2025-12-12",
        "actual_date": None,
    },
    # Issue 17: a dependency needs a second project to depend on (a self-dependency is refused).
    "dependencies": {
        "project_id": "P002",
        "depends_on": "P001",
        "milestone": "Go-live",
        "type": "finish-to-start",
    },
    "risks": {
        "risk_id": "RSK-001",
        "title": "Vendor misses the integration date",
        "project_id": "P001",
        "category": "Delivery",
        "probability": 3,
        "impact": 4,
        "owner": "P. Manager",
        "status": "Open",
        "raised_date": "2025-02-14",
        "due_date": "2025-04-30",
        "closed_date": None,
        "mitigation": "Weekly vendor checkpoint; fallback to in-house build",
        "cost_impact": 150000,
    },
    # Issue 15: the project's planned spend for a month (fiscal years come from it).
    "cost_plan": {"project_id": "P001", "month": "2025-04", "planned_cost": 100000},
    # Issue 18: a key result of O1 (a falling target is fine too) and one measurement.
    "key_results": {
        "kr_id": "KR1",
        "objective_id": "O1",
        "name": "Digital sales revenue",
        "unit": "$m a year",
        "baseline": 40,
        "target": 60,
        "baseline_date": "2025-01-01",
        "target_date": "2025-12-31",
        "weight": 2,
    },
    "kr_measurements": {"kr_id": "KR1", "date": "2025-03-31", "value": 44.5},
    # Issue 21.
    "decisions": {
        "decision_id": "D-0001",
        "date": "2025-03-31",
        "title": "Move go-live to after the peak season",
        "detail": None,
        "project_ids": "P001",
        "owner": "P. Manager",
        "due_date": "2025-04-15",
        "status": "Open",
        "recorded_by": None,
        "recorded_at": None,
        "comparison": None,
    },
}
# Extra example rows of a sheet (the first is above): the project P002 depends on.
TEMPLATE_MORE_EXAMPLES: dict[str, list[dict[str, object]]] = {
    "projects": [
        {
            "project_id": "P002",
            "name": "Loyalty programme",
            "portfolio": "Digital",
            "business_unit": "Sales",
            "sponsor": "A. Sponsor",
            "manager": "P. Manager",
            "status": "Approved",
            "start_date": "2026-01-05",
            "end_date": "2026-09-30",
            "actual_end_date": None,
            "budget": 450000,
            "expected_benefit": 900000,
            "risk_score": 2,
        }
    ],
}


def example_rows(table: str) -> list[dict[str, object]]:
    """The template's example rows of a sheet (they import cleanly together)."""
    first = TEMPLATE_EXAMPLES.get(table)
    return ([first] if first else []) + TEMPLATE_MORE_EXAMPLES.get(table, [])


_ALLOWED = {
    "text": "text",
    "number": "a number; $1,200,000 and 1.200.000,50 € are read too",
    "integer": "a whole number",
    "date": "a date: 2025-03-15, 03/15/2025, 15.03.2025, July 25, 2022 or an Excel date",
    "month": "a month: 2025-03, Mar 2025 or any date in the month",
    "share": "0–1 or a percent: 0.25 or 25%",
    "percent": "0–100 or a percent: 45 or 45%",
    "status": ", ".join(schema.STATUSES) + " (In Progress → Active, Done → Completed, …)",
    "rag": "Green, Amber, Red (also G/A/R; Yellow → Amber)",
    "rating": "a rating as reported: Green, Amber/Green, Amber, Amber/Red, Red (also A/R, AG, "
    "Amber-Red); its RAG comes from the database's rating scale",
}


def template_workbook() -> bytes:
    """The upload template: one sheet per table (headers and an example row) and a README."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        notes = []
        bold = xw.book.add_format({"bold": True, "bg_color": "#DDE6F0"})
        for table in schema.TABLES.values():
            examples = example_rows(table.name) or [{}]
            frame = pd.DataFrame(
                [{c.name: ex.get(c.name) for c in table.importable} for ex in examples]
            )
            frame.to_excel(xw, sheet_name=table.name, index=False)
            ws = xw.sheets[table.name]
            for i, col in enumerate(table.importable):
                ws.write(0, i, col.name, bold)
                ws.set_column(i, i, max(14, len(col.name) + 4))
                notes.append(
                    {
                        "sheet": table.name,
                        "column": col.name,
                        "required": "yes" if col.required else "",
                        "allowed values": _ALLOWED[col.kind],
                        "also accepted as": ", ".join(col.synonyms),
                        "sheet holds": table.description,
                    }
                )
        pd.DataFrame(notes).to_excel(xw, sheet_name="README", index=False)
        xw.sheets["README"].set_column(0, 5, 28)
    return buf.getvalue()


def _static_spec(chart) -> dict:
    """The chart's Vega-Lite spec with container widths fixed, for rendering off-screen."""
    spec = chart.to_dict()

    def fix(node):
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if k == "width" and v == "container":
                    node[k] = 860
                else:
                    fix(v)
        elif isinstance(node, list):
            for item in node:
                fix(item)

    fix(spec)
    return spec


def chart_png(chart, scale: float = 2.0) -> bytes:
    """PNG bytes of an Altair chart at ``scale`` (2 = sharp on slides), no browser needed."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_static_spec(chart), scale=scale)


def chart_svg(chart) -> bytes:
    """SVG bytes of an Altair chart."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_static_spec(chart)).encode("utf-8")
