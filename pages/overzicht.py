"""Overzicht: the chosen municipality's coalition at a glance."""

import datetime as dt

import pandas as pd
import streamlit as st

from kansrijke import charts, fmt, overview, ui
from kansrijke.i18n import t

config, store, sel = ui.page_context()

st.title(f"{t('overview.title')}: {sel.name}")

coalition = ui.cached(store, overview.coalition_of, sel.code)
codes = list(coalition.members["code"]) if coalition else [sel.code]
area_name = coalition.name if coalition and coalition.regional else sel.name

if coalition is None:
    st.info(t("overview.no_coalition", name=sel.name), icon=":material/info:")
else:
    st.header(coalition.name, anchor="coalitie")
    c1, c2, c3 = st.columns([2, 2, 3])
    c1.metric(t("overview.phase"), t(f"phase.{coalition.phase}"), help=t("overview.phase_caption"))
    c2.metric(t("overview.start_date"), fmt.date(coalition.start_date))
    members = ", ".join(coalition.members["name"])
    c3.markdown(f"**{t('overview.members')}**" + (f" ({t('overview.regional')})" if coalition.regional else ""))
    c3.text(members)

st.header(t("overview.key_indicators"), anchor="kerncijfers")
st.caption(t("overview.key_caption", area=area_name, period=sel.period))
figures = ui.cached(store, overview.key_figures, config, codes, config.ui.key_indicators, sel.period)
columns = st.columns(2)
for i, kf in enumerate(figures):
    ind = kf.indicator
    with columns[i % 2].container(border=True):
        current = kf.current
        if not current:
            st.metric(ind.naam, "–")
            st.caption(t("overview.card_no_data", period=sel.period))
        elif current.get("suppressed"):
            st.metric(ind.naam, t("chart.suppressed"))
            st.caption(t("overview.card_suppressed", min=config.privacy.min_count))
        else:
            st.metric(
                ind.naam,
                fmt.value(current["value"], ind.eenheid),
                delta=None if kf.change is None else f"{fmt.signed(kf.change, ind.eenheid)} {t('overview.since', year=int(kf.first['period']))}",
                delta_color="inverse" if ind.richting == "lager_beter" else ("normal" if ind.richting == "hoger_beter" else "off"),
                help=ind.definitie,
            )
            st.markdown(t("overview.card_national", value=fmt.value(kf.national_value, ind.eenheid)))
        chart = charts.trend(kf, area_name)
        ui.figure(chart, key=f"trend-{ind.id}")
        if current:
            ref = current.get("reference_date")
            st.caption(
                t(
                    "overview.card_source",
                    source=ind.bron,
                    period=int(current["period"]),
                    date=fmt.date(None if ref is None or pd.isna(ref) else pd.Timestamp(ref).date()),
                    status=t(f"data_status.{current['data_status']}"),
                )
            )

if coalition is not None:
    ambitions, goals, results = ui.cached(store, overview.plan, coalition.id)
    st.header(t("overview.ambitions"), anchor="ambities")
    if ambitions.empty:
        st.info(t("overview.no_ambitions"))
    for amb in ambitions.itertuples():
        own_goals = goals[goals["ambition_id"] == amb.id]
        own_results = results[results["ambition_id"] == amb.id]
        with st.expander(f"{amb.title} · {t('overview.ambition_goals', count=len(own_goals))}", expanded=amb.position == 1):
            rows = []
            for g in own_goals.itertuples():
                ind = config.indicator(g.indicator_id) if isinstance(g.indicator_id, str) else None
                rows.append(
                    {
                        t("overview.col_goal"): g.title,
                        t("overview.col_indicator"): ind.naam if ind else "–",
                        t("overview.col_baseline"): f"{fmt.value(g.baseline_value, ind.eenheid)} ({int(g.baseline_year)})" if ind and not pd.isna(g.baseline_value) else "–",
                        t("overview.col_target"): f"{fmt.value(g.target_value, ind.eenheid)} ({int(g.target_year)})" if ind and not pd.isna(g.target_value) else "–",
                        t("overview.col_owner"): g.owner or "–",
                    }
                )
            if rows:
                ui.table(pd.DataFrame(rows))
            if not own_results.empty:
                st.markdown(f"**{t('overview.results')}**")
                ui.table(
                    pd.DataFrame(
                        {
                            t("overview.col_result"): own_results["title"],
                            t("overview.col_realised"): [
                                f"{fmt.integer(r.realised)} / {fmt.integer(r.target)} {r.unit}" for r in own_results.itertuples()
                            ],
                            t("overview.col_due"): [fmt.date(None if pd.isna(d) else pd.Timestamp(d).date()) for d in own_results["due_date"]],
                        }
                    )
                )

    st.header(t("overview.latest_actions"), anchor="acties")
    actions = ui.cached(store, overview.latest_actions, coalition.id, dt.date.today(), config.ui.latest_actions)
    if actions.empty:
        st.info(t("overview.no_actions"))
    else:
        ui.table(
            pd.DataFrame(
                {
                    t("overview.action_date"): [fmt.date(pd.Timestamp(d).date()) for d in actions["action_date"]],
                    t("overview.action_title"): actions["title"],
                    t("overview.action_owner"): actions["owner"].fillna("–"),
                    t("overview.action_status"): [t(f"action_status.{s}") for s in actions["status"]],
                    t("overview.action_goal"): actions["goal_title"].fillna("–"),
                }
            )
        )
