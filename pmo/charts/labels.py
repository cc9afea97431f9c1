"""Label helpers shared by the builders: unique project names, wrapped axis labels and
greedy placement of text beside bubbles so that no two labels overlap."""

from __future__ import annotations

import pandas as pd


def project_labels(names: pd.Series, ids: pd.Series) -> pd.Series:
    """Project names as axis labels, made unique with the id where two projects share a name."""
    names = names.fillna(ids).astype(str)
    dup = names.duplicated(keep=False)
    return names.where(~dup, names + " (" + ids.astype(str) + ")")


def wrap(text: str, width: int = 18) -> str:
    """Break a label into lines of about ``width`` characters, joined by '|' for labelExpr."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "|".join(lines)


def place_labels(
    points: pd.DataFrame,
    x: str,
    y: str,
    x_max: float,
    y_max: float,
    radius: pd.Series,
    width: float = 600,
    height: float = 360,
    char_px: float = 6.2,
) -> pd.DataFrame:
    """Greedy label placement: try each point's label right, then left, of its bubble (level,
    then above, then below), and keep the first spot that overlaps no label already placed
    nor leaves the plot. Returns the placed rows with label_x, label_y (data units) and side.
    """
    placed: list[tuple[float, float, float, float]] = []
    rows = []
    for idx, row in points.iterrows():
        px = row[x] / x_max * width
        py = height - row[y] / y_max * height
        w, h, gap = len(str(row["label"])) * char_px, 14, float(radius.loc[idx]) + 4
        for side, dy in (
            ("right", 0),
            ("left", 0),
            ("right", -gap),
            ("left", -gap),
            ("right", gap),
            ("left", gap),
        ):
            left = px + gap if side == "right" else px - gap - w
            box = (left, py + dy - h / 2, left + w, py + dy + h / 2)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            clear = all(
                box[2] < o[0] or box[0] > o[2] or box[3] < o[1] or box[1] > o[3] for o in placed
            )
            if inside and clear:
                placed.append(box)
                rows.append(
                    {
                        **row.to_dict(),
                        "side": side,
                        "label_x": (left if side == "right" else left + w) / width * x_max,
                        "label_y": (height - (py + dy)) / height * y_max,
                    }
                )
                break
    return pd.DataFrame(rows, columns=[*points.columns, "side", "label_x", "label_y"])
