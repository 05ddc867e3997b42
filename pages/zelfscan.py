"""Zelfscan: the coalition scores itself on the five basic principles (VWS checklist) and the ten leading
principles (niet / gestart / grotendeels / volledig, with a note each), reflects on the five lessons, and sets
its phase. Every scan is kept with its date; the chart sets the latest scan against the previous one and the
average of all coalitions."""

import streamlit as st

from kansrijke import access, selfscan, web
from kansrijke.core import fmt
from kansrijke.core.i18n import t
from kansrijke.plan import overview
from kansrijke.selfscan import charts as selfscan_charts

config, store, sel = web.page_context()
today = overview.reference_day(store)

coalition = web.coalition_or_stop(store, sel, t("selfscan.title_plain"))

st.title(t("selfscan.title", name=web.escape(coalition.name)))
st.markdown(t("selfscan.intro"))
notice = st.session_state.pop("ss_notice", None)
if notice:
    st.success(notice, icon=":material/check:")

scans = web.cached(store, selfscan.scans, coalition.id)
latest = scans[0] if scans else None

# -- the latest scan against the previous one and all coalitions ------------------------------------------------
st.header(t("selfscan.result_heading"))
if latest is None:
    st.info(t("selfscan.no_scans"), icon=":material/info:")
else:
    st.caption(t("selfscan.chart_caption"))
    chart = web.shared(store, selfscan_charts.latest_chart, coalition.id, coalition.name)  # shared, not rebuilt
    web.figure(chart, key="selfscan-chart")
    st.subheader(t("selfscan.lessons_heading", date=fmt.date(latest.assessed_on)))
    if latest.lessons:
        for dim in selfscan.LESSONS:
            if dim in latest.lessons:
                st.markdown(f"**{selfscan.label(dim)}**: {web.escape(latest.lessons[dim])}")
    else:
        st.caption(t("selfscan.no_lessons"))

# -- phase ----------------------------------------------------------------------------------------------------------
st.header(t("selfscan.phase_heading"))
st.markdown(t("selfscan.phase_now", phase=selfscan.phase_label(coalition.phase)))
st.caption(t("selfscan.phase_model"))
web.table(selfscan.phase_table(web.cached(store, selfscan.phase_history, coalition.id)))


def phase_choice(column, key: str, **options):
    """The coalition's phase as a choice in ``column``, the current phase chosen (phase form and new scan)."""
    return column.selectbox(
        t("selfscan.phase"),
        list(selfscan.PHASES),
        index=coalition.phase,
        key=key,
        format_func=selfscan.phase_label,
        **options,
    )


if access.can(web.current_person(), "phase", coalition.id):  # else no form: the package refuses it
    with st.form("ss-phase", clear_on_submit=True):
        c1, c2, c3 = st.columns([2, 1, 3])
        phase = phase_choice(c1, "ss_phase")
        since = c2.date_input(t("selfscan.phase_since"), value=today, key="ss_phase_since", format="DD-MM-YYYY")
        note = c3.text_input(t("selfscan.col_note"), key="ss_phase_note", max_chars=selfscan.MAX_NOTE)
        if st.form_submit_button(t("selfscan.phase_save"), icon=":material/save:"):
            try:
                selfscan.set_phase(store, coalition.id, phase, since, note, today=today, person=web.current_person())
            except selfscan.SelfScanError as exc:
                web.show_error(exc)
            else:
                st.session_state["ss_notice"] = t(
                    "selfscan.phase_saved", phase=selfscan.phase_label(phase), date=fmt.date(since)
                )
                st.rerun()

# -- history ----------------------------------------------------------------------------------------------------
st.header(t("selfscan.history_heading"))
if scans:
    web.table(selfscan.history_table(scans))
    by_id = {s.id: s for s in scans}
    chosen = by_id[
        st.selectbox(
            t("selfscan.show_scan"), list(by_id), key="ss_show", format_func=lambda i: fmt.date(by_id[i].assessed_on)
        )
    ]
    with st.expander(t("selfscan.detail_open", date=fmt.date(chosen.assessed_on))):
        web.table(selfscan.scan_detail(chosen))
else:
    st.caption(t("selfscan.no_scans"))

if not access.can(web.current_person(), "selfscan", coalition.id):
    st.stop()  # the rest of the page is the form for a new scan, which the package would refuse

# -- a new scan ---------------------------------------------------------------------------------------------------
st.header(t("selfscan.new_heading"))
if latest is not None:
    st.caption(t("selfscan.prefilled", date=fmt.date(latest.assessed_on)))
with st.expander(t("selfscan.new_open"), icon=":material/edit_note:"):  # folded: the page stays short
    with st.form("ss-scan"):
        c1, c2, c3 = st.columns([1, 2, 2])
        assessed_on = c1.date_input(t("selfscan.date"), value=today, key="ss_date", format="DD-MM-YYYY")
        assessed_by = c2.text_input(
            t("selfscan.by"), key="ss_by", max_chars=200, placeholder=t("selfscan.by_placeholder")
        )
        scan_phase = phase_choice(c3, "ss_scan_phase", help=t("selfscan.phase_help"))
        scores, notes = {}, {}
        for heading, dims in (
            (t("selfscan.basis_heading"), selfscan.BASIS),
            (t("selfscan.principles_heading"), selfscan.PRINCIPLES),
        ):
            st.subheader(heading)
            for dim in dims:
                before = latest.scores.get(dim) if latest else None
                left, right = st.columns([3, 2], vertical_alignment="bottom")
                scores[dim] = left.radio(
                    selfscan.label(dim),
                    list(selfscan.SCALE),
                    index=before,
                    horizontal=True,
                    key=f"ss_{dim}",
                    format_func=selfscan.score_word,
                    help=selfscan.description(dim),
                )
                notes[dim] = right.text_input(
                    t("selfscan.note_for", dimension=selfscan.label(dim)),
                    key=f"ss_note_{dim}",
                    max_chars=selfscan.MAX_NOTE,
                    placeholder=t("selfscan.note_placeholder"),
                )
        st.subheader(t("selfscan.lessons_form_heading"))
        st.caption(t("selfscan.lessons_caption"))
        lessons = {
            dim: st.text_area(
                selfscan.label(dim),
                key=f"ss_{dim}",
                help=selfscan.description(dim),
                height=80,
                max_chars=selfscan.MAX_REFLECTION,
            )
            for dim in selfscan.LESSONS
        }
        submitted = st.form_submit_button(t("selfscan.save"), icon=":material/save:", type="primary")
if submitted:
    try:
        selfscan.save_scan(
            store,
            coalition.id,
            assessed_on,
            assessed_by,
            scores,
            notes,
            lessons,
            phase=scan_phase,
            today=today,
            person=web.current_person(),
        )
    except selfscan.SelfScanError as exc:
        web.show_error(exc)
    else:
        st.session_state["ss_notice"] = t("selfscan.saved", date=fmt.date(assessed_on))
        st.rerun()
