"""Vergelijken: the Pharos adviser's page. One indicator over a set of municipalities, fairly: a funnel plot
by default, ranked dots with intervals, a trend band, a heat map, a map and the coalitions of the set.
Every choice is in the URL; small numbers are suppressed everywhere on this page."""

import streamlit as st

from kansrijke import compare, selfscan, web
from kansrijke.compare import charts as compare_charts
from kansrijke.core import fmt, reference
from kansrijke.core.i18n import t
from kansrijke.plan import overview
from kansrijke.web import guard

config, store, sel = web.page_context()
today = overview.reference_day(store)  # the same 'today' as Overzicht and Doelen (demo: its snapshot date)

st.title(t("compare.title"))
st.caption(t("compare.intro"))

indicators = compare.comparable_indicators(config)
if not indicators:
    st.info(t("compare.no_indicators"))
    st.stop()
munis = web.cached(store, compare.municipalities)
names = munis.set_index("code")["name"]

# -- choices (each bound to the URL; ids and codes in a hand-made link work too) --------------------------
by_label = {i.naam: i for i in indicators}
raw_indicator = st.query_params.get("indicator")
if raw_indicator and raw_indicator not in by_label:
    match = [i for i in indicators if i.id == raw_indicator.strip().lower()]
    if match:
        st.session_state["indicator"] = match[0].naam
    else:
        guard.url_unknown("indicator", raw_indicator, indicators[0].naam)
raw_list = st.query_params.get_all("lijst")
if raw_list and any(v.upper() in names.index for v in raw_list):
    st.session_state["lijst"] = [
        names.get(v.upper(), v) for v in raw_list if v.upper() in names.index or v in set(names)
    ]

kinds = {t(f"compare.set_kind.{k}"): k for k in compare.SET_KINDS}
against_kinds = {t(f"compare.against_kind.{k}"): k for k in compare.AGAINST}
views = {t(f"compare.views.{k}"): k for k in ("trechter", "rangorde", "trend", "heatmap", "kaart", "coalities")}

c_ind, c_set, c_against = st.columns([4, 3, 3], vertical_alignment="bottom")
indicator = by_label[
    c_ind.selectbox(
        t("compare.indicator"), list(by_label), key="indicator", bind="query-params", help=t("compare.indicator_help")
    )
]
kind = kinds[
    c_set.selectbox(t("compare.set"), list(kinds), key="selectie", bind="query-params", help=t("compare.set_help"))
]
against = against_kinds[
    c_against.selectbox(
        t("compare.against"), list(against_kinds), key="tegen", bind="query-params", help=t("compare.against_help")
    )
]
# on its own line: beside the lists its label had no room at 200% zoom
pooled = st.toggle(t("compare.pooled"), key="drie_jaar", bind="query-params", help=t("compare.pooled_help"))

set_value, codes = None, ()
if kind == "provincie":
    set_value = st.selectbox(
        t("compare.province"), sorted(munis["province"].unique()), key="provincie", bind="query-params"
    )
elif kind == "grootteklasse":
    set_value = st.selectbox(
        t("compare.size_class"), compare.size_classes(munis), key="grootteklasse", bind="query-params"
    )
elif kind == "stedelijkheid":
    urbanity = {t(f"compare.urbanity.{u}"): str(u) for u in range(1, 6)}
    set_value = urbanity[
        st.selectbox(t("compare.urbanity_class"), list(urbanity), key="stedelijkheid", bind="query-params")
    ]
elif kind == "lijst":
    picked = st.multiselect(
        t("compare.list"), list(munis["name"]), key="lijst", bind="query-params", help=t("compare.list_help")
    )
    by_name = dict(zip(munis["name"], munis["code"], strict=True))
    codes = tuple(by_name[n] for n in picked)
    if not codes:
        st.info(t("compare.list_empty"), icon=":material/checklist:")
        st.stop()
view = views[st.radio(t("compare.view"), list(views), key="weergave", horizontal=True, bind="query-params")]

choice = compare.Choice(
    indicator=indicator.id,
    period=sel.period,
    set_kind=kind,
    set_value=set_value,
    codes=codes,
    against=against,
    pooled=pooled,
    highlight=sel.code,
)
cmp = web.cached(store, compare.comparison, config, choice)
periods = compare.period_label(cmp.periods)
set_codes = list(cmp.rows["code"])

# -- what the numbers are and what is left out ------------------------------------------------------------
if pooled and view != "coalities":
    st.info(t("compare.pooled_label", periods=periods), icon=":material/date_range:")
if kind == "gids" and store.meta("demo") == "1":
    st.caption(t("compare.gids_fictitious"))
suspended = compare.suspended_text(indicator)
if suspended:
    st.warning(web.escape(suspended), icon=":material/pause_circle:")
thin = compare.thin_text(cmp, config)
if thin and view != "coalities":
    st.warning(web.escape(thin), icon=":material/event_busy:")
if view != "coalities":
    if cmp.shown.empty and not cmp.suppressed:
        st.info(t("compare.no_period", indicator=indicator.naam, periods=periods), icon=":material/event_busy:")
    if cmp.suppressed:
        small = int((cmp.rows["suppression"] == "klein").sum())
        extra = cmp.suppressed - small
        hint = "" if pooled else " " + t("compare.suppressed_hint")
        st.warning(
            t(
                "compare.suppressed_notice",
                count=int(cmp.suppressed),
                total=len(cmp.rows),
                small=small,
                extra=t("compare.suppressed_extra", count=extra, min=cmp.min_count) if extra else "",
                min=cmp.min_count,
                periods=periods,
            )
            + hint,
            icon=":material/visibility_off:",
        )
    else:
        st.caption(t("compare.suppressed_none", min=cmp.min_count))
    m_set, m_ref, m_pos = st.columns(3)
    m_set.metric(
        t("compare.metric_set", set=web.escape(cmp.group.label)),
        fmt.value(cmp.group.value, indicator.eenheid),
        help=compare.group_note(cmp.group, cmp.min_count),
    )
    m_ref.metric(
        t("compare.metric_reference", reference=web.escape(cmp.reference.label)),
        fmt.value(cmp.reference.value, indicator.eenheid),
        help=compare.group_note(cmp.reference, cmp.min_count),
    )
    m_pos.metric(t("compare.metric_positions"), compare_charts.positions_line(cmp))
    st.caption(web.escape(compare.provenance_text(cmp)))


def downloads(frame, stem: str) -> None:
    """CSV and XLSX of the table behind the chart (same rows, same suppression, formulas neutralised)."""
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        t("compare.download_csv"),
        data=lambda: compare.export_csv(frame, demo=store.is_demo()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"csv-{stem}",
    )
    right.download_button(
        t("compare.download_xlsx"),
        data=lambda: compare.export_xlsx(frame, demo=store.is_demo()),
        file_name=f"{stem}.xlsx",
        on_click="ignore",
        icon=":material/download:",
        key=f"xlsx-{stem}",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.caption(t("compare.download_caption"))


stem = f"vergelijken-{view}-{indicator.id}-{periods.replace('–', '-')}"
if view == "trechter":
    web.figure(web.shared(store, compare.comparison, config, choice, then=compare_charts.funnel), key="cmp-funnel")
    st.caption(compare.method_text(cmp))
    if cmp.reference.proportion is not None and not cmp.shown.empty:
        st.markdown(f"**{t('compare.explain_heading')}**\n\n" + compare_charts.explanation(cmp))
    downloads(compare.export_frame(cmp, config), stem)
elif view == "rangorde":
    web.figure(web.shared(store, compare.comparison, config, choice, then=compare_charts.dots), key="cmp-dots")
    downloads(compare.export_frame(cmp, config), stem)
elif view == "trend":
    chart = web.shared(store, compare_charts.trend_view, config, choice)
    web.figure(chart, key="cmp-trend")
    downloads(chart.table, stem)
elif view == "heatmap":
    chart = web.shared(store, compare_charts.heat_view, config, choice)
    st.caption(t("compare.heat_caption"))
    web.figure(chart, key="cmp-heat")
    downloads(chart.table, f"vergelijken-heatmap-{periods.replace('–', '-')}")
elif view == "kaart":
    path = compare.boundaries_path(config)
    if path is None:
        configured = config.reference.boundaries or t("compare.map_not_configured")
        st.info(t("compare.map_missing", path=web.escape(configured)), icon=":material/map:")
    else:
        st.caption(t("compare.map_caption"))
        chart = web.shared(store, compare_charts.map_view, config, choice, path, reference.map_attribution(path))
        web.figure(chart, key="cmp-map")
        downloads(compare.export_frame(cmp, config), stem)
else:
    bind = "query-params" if guard.url_number_ok("maanden", 1, 60, config.actions.quiet_months) else None
    months = st.columns([1, 3])[0].number_input(
        t("compare.months"),
        min_value=1,
        max_value=60,
        value=config.actions.quiet_months,
        step=1,
        key="maanden",
        bind=bind,  # a value out of range in the URL: the default, with a notice
        help=t("compare.months_help"),
    )
    statuses = web.cached(store, compare.goal_statuses, config, sel.period, today)
    overview_frame = web.cached(
        store, compare.coalition_overview, config, set_codes, sel.period, today, int(months), statuses
    )
    without = web.cached(store, compare.without_coalition, set_codes)
    st.header(t("compare.coalitions_heading"))
    if overview_frame.empty:
        st.info(t("compare.no_coalitions"))
    else:
        st.caption(t("compare.coalitions_caption", period=sel.period))
        chart = web.shared(
            store,
            compare.coalition_overview,
            config,
            set_codes,
            sel.period,
            today,
            int(months),
            statuses,
            then=compare_charts.coalitions,
            then_args=(int(months), cmp.group.label, today, len(without)),
        )
        web.figure(chart, key="cmp-coalitions")
        downloads(chart.table, f"vergelijken-coalities-{today.isoformat()}")
        st.header(t("compare.quiet_heading", months=int(months)))
        quiet = chart.table[overview_frame["quiet"].to_numpy(dtype=bool)]  # the table has the frame's rows, in order
        if quiet.empty:
            st.success(t("compare.quiet_none", months=int(months)), icon=":material/check_circle:")
        else:
            st.caption(t("compare.quiet_caption"))
            web.table(quiet)
    if without:
        st.caption(
            t(
                "compare.without_coalition",
                count=len(without),
                names=web.escape(", ".join(names.get(c, c) for c in without)),
            )
        )
    st.header(t("compare.selfscan_heading"))
    st.caption(t("compare.selfscan_caption"))
    web.table(web.cached(store, selfscan.average_table))

# -- method and the peers -----------------------------------------------------------------------------------
peer_names = [names.get(c, c) for c in cmp.peers]
weights = config.peer_groups.vergelijkbare_gemeenten.weights
weight_text = ", ".join(f"{t(f'compare.peer_characteristic.{k}')} {fmt.number(w, 1)}" for k, w in weights.items())
with st.expander(
    t("compare.peers_heading", name=web.escape(sel.name), count=len(peer_names)),
    expanded="vergelijkbaar" in (kind, against),
):
    st.caption(t("compare.peers_weights", weights=weight_text))
    if peer_names:
        st.text(", ".join(peer_names))
    else:
        st.caption(t("compare.peers_none"))
with st.expander(t("compare.method_heading")):
    st.markdown(
        t(
            "compare.method",
            min=cmp.min_count,
            size=config.peer_groups.vergelijkbare_gemeenten.size,
            coverage=fmt.number(config.periods.min_coverage * 100, 0),
        )
    )
    st.caption(t("compare.peers_weights", weights=weight_text))
