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
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


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


def template_workbook() -> bytes:
    """The upload template: one sheet per table with its headers, and a sheet explaining them."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        notes = []
        bold = xw.book.add_format({"bold": True, "bg_color": "#DDE6F0"})
        for table in schema.TABLES.values():
            frame = pd.DataFrame(columns=table.column_names)
            frame.to_excel(xw, sheet_name=table.name, index=False)
            ws = xw.sheets[table.name]
            for i, col in enumerate(table.columns):
                ws.write(0, i, col.name, bold)
                ws.set_column(i, i, max(14, len(col.name) + 4))
                notes.append(
                    {
                        "sheet": table.name,
                        "column": col.name,
                        "required": "yes" if col.required else "",
                        "kind": col.kind,
                        "also accepted as": ", ".join(col.synonyms),
                    }
                )
        pd.DataFrame(notes).to_excel(xw, sheet_name="README", index=False)
        xw.sheets["README"].set_column(0, 4, 24)
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
