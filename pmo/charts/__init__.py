"""Altair chart builders: DataFrame in, alt.Chart out; no Streamlit, no SQL. One house theme.

`theme` holds the style every chart shares (palette, RAG colours, the registered Altair theme,
axes, money labels), `labels` the label helpers, and one module per page its builders; every
public name is re-exported here, so `from pmo import charts; charts.rag_mix(...)` works.
"""

from pmo.charts.alignment import (
    IN_PORTFOLIO_COLOURS,
    SCORE_COLOURS,
    SCORE_LABEL_EXPR,
    alignment_heatmap,
    alignment_ranking,
    investment_vs_target,
)
from pmo.charts.benefits import (
    benefits_bars,
)
from pmo.charts.forecast import (  # issue 16: earned schedule and the probabilistic forecast
    cost_histogram,
    fan_chart,
    fan_frame,
    spi_t_distribution,
    spi_vs_spi_t,
)
from pmo.charts.labels import (
    place_labels,
    project_labels,
    wrap,
)
from pmo.charts.overview import (
    LABEL_MAX_POINTS,
    NOT_STARTED,
    evm_scatter,
    portfolio_bubble,
    rag_mix,
)
from pmo.charts.performance import (
    cpi_spi_trend,
    cumulative_evm,
    milestone_slip,
    rag_trend,
)
from pmo.charts.prioritisation import (
    CRITERIA_COLOURS,
    FRONTIER_HEIGHT,
    SET_COLOURS,
    priority_contributions,
    value_cost_frontier,
)
from pmo.charts.resources import (
    UTILISATION_DOMAIN,
    UTILISATION_RANGE,
    capacity_demand,
    planned_vs_actual,
    utilisation_heatmap,
)
from pmo.charts.review import (
    RAG_MOVES,
    rag_movement,
)
from pmo.charts.roadmap import (  # issue 17
    gantt,
    risk_exposure_trend,
    risk_heatmap,
)
from pmo.charts.selection import (  # issue 15
    EXACT_HEIGHT,
    POINT_COLOURS,
    exact_frontier,
    role_hours,
)
from pmo.charts.strategy import (  # issue 18: the strategy scorecard
    STATUS_COLOURS,
    STATUS_ORDER,
    kr_trajectories,
    scorecard_progress,
    status_scale,
)
from pmo.charts.theme import (
    DATE_AXIS,
    FONT,
    INK,
    MONTH_AXIS,
    MONTH_BAND_AXIS,
    MUTED,
    PALETTE,
    RAG_COLOURS,
    RAG_ORDER,
    empty_note,
    fmt_money,
    money_axis,
    money_expr,
    pmo_theme,
    rag_scale,
)

__all__ = [
    "CRITERIA_COLOURS",
    "DATE_AXIS",
    "FONT",
    "EXACT_HEIGHT",
    "FRONTIER_HEIGHT",
    "INK",
    "IN_PORTFOLIO_COLOURS",
    "LABEL_MAX_POINTS",
    "MONTH_AXIS",
    "MONTH_BAND_AXIS",
    "MUTED",
    "NOT_STARTED",
    "PALETTE",
    "POINT_COLOURS",
    "RAG_COLOURS",
    "RAG_MOVES",
    "RAG_ORDER",
    "SCORE_COLOURS",
    "SCORE_LABEL_EXPR",
    "SET_COLOURS",
    "STATUS_COLOURS",
    "STATUS_ORDER",
    "UTILISATION_DOMAIN",
    "UTILISATION_RANGE",
    "alignment_heatmap",
    "alignment_ranking",
    "benefits_bars",
    "capacity_demand",
    "cost_histogram",
    "cpi_spi_trend",
    "cumulative_evm",
    "empty_note",
    "exact_frontier",
    "evm_scatter",
    "fan_chart",
    "fan_frame",
    "fmt_money",
    "gantt",
    "investment_vs_target",
    "kr_trajectories",
    "milestone_slip",
    "money_axis",
    "money_expr",
    "place_labels",
    "planned_vs_actual",
    "pmo_theme",
    "portfolio_bubble",
    "priority_contributions",
    "project_labels",
    "rag_mix",
    "rag_movement",
    "rag_scale",
    "rag_trend",
    "risk_exposure_trend",
    "risk_heatmap",
    "role_hours",
    "scorecard_progress",
    "spi_t_distribution",
    "spi_vs_spi_t",
    "status_scale",
    "utilisation_heatmap",
    "value_cost_frontier",
    "wrap",
]
