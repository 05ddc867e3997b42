"""Actielog: the coalition's actions on a timeline and in a table, with filters bound to the URL; add, edit
and close actions in a dialog (stale edits refused), each action's audit trail, where attention goes, and
the parents' voice."""

import uuid

import pandas as pd
import streamlit as st

from kansrijke import access, actions, signals, web
from kansrijke.actions import charts as action_charts
from kansrijke.actions.rules import quiet_since
from kansrijke.core import fmt
from kansrijke.core.i18n import t
from kansrijke.plan import overview
from kansrijke.web import guard

config, store, sel = web.page_context()
today = overview.reference_day(store)

coalition = web.coalition_or_stop(store, sel, t("actions_page.title"))
cid = coalition.id

ACTION_DIALOG, SIGNAL_DIALOG = "_actielog_dialog", "_signal_dialog"  # which dialog is open, with its state
NOTICE, JUST_MADE = "_actielog_notice", "_actielog_new"  # message after a save; the action that undo removes
ambitions, goals, _ = web.cached(store, overview.plan, cid)
goal_titles = dict(zip(goals["id"], goals["title"], strict=True))
person = web.current_person()
signed_in = person.identity if person.signed_in else None
may_act, may_signal = access.can(person, "actions", cid), access.can(person, "signals", cid)  # else no controls


def who_name() -> str | None:
    return signed_in or (st.session_state.get("wie") or "").strip() or None


def who() -> access.Person:
    """Who saves: the signed-in person; without sign-in the local person, named as typed on this page."""
    return access.with_typed_name(person, who_name())


def notice(text: str | None = None, error: actions.StaleEdit | None = None) -> None:
    """What to say after the rerun: a confirmation, or the problem that stopped it."""
    st.session_state[NOTICE] = {"text": text, "error": error}


def open_dialog(key: str, state: dict) -> None:
    """Only one dialog can be open: opening one closes the other."""
    st.session_state.pop(ACTION_DIALOG, None)
    st.session_state.pop(SIGNAL_DIALOG, None)
    st.session_state[key] = state


def close_dialogs() -> None:
    st.session_state.pop(ACTION_DIALOG, None)
    st.session_state.pop(SIGNAL_DIALOG, None)


st.title(f"{t('actions_page.title')}: {web.escape(coalition.name)}")
st.markdown(t("actions_page.intro"))

# -- what just happened (after a save the page reruns) ---------------------------------------------------------
done = st.session_state.pop(NOTICE, None)
if done and done["error"] is not None:
    web.show_error(done["error"], icon=":material/sync_problem:")
elif done:
    st.success(done["text"], icon=":material/check_circle:")
made = st.session_state.get(JUST_MADE)
if made and st.button(t("actions_page.undo", id=made["id"]), icon=":material/undo:", key="undo_new"):
    st.session_state.pop(JUST_MADE, None)
    try:
        actions.delete_action(store, made["id"], made["version"], who())
        notice(t("actions_page.undone", id=made["id"]))
    except actions.StaleEdit as exc:
        notice(error=exc)
    st.rerun()

# -- toolbar: new action, who is editing ----------------------------------------------------------------------
left, right, _ = st.columns([1, 2, 2], vertical_alignment="bottom")
if may_act and left.button(t("actions_page.new"), icon=":material/add:", type="primary", key="new_action"):
    open_dialog(ACTION_DIALOG, {"mode": "new", "token": uuid.uuid4().hex[:8]})
if signed_in:
    right.caption(t("actions_page.who_signed_in", who=web.escape(signed_in)))
elif may_act or may_signal:
    right.text_input(
        t("actions_page.who_label"), key="wie", help=t("actions_page.who_help"), max_chars=100, persist_state="session"
    )

# -- filters (in the URL, so a filtered view can be shared) --------------------------------------------------
owners = web.cached(store, actions.owners, cid)
with st.expander(t("actions_page.filters"), expanded=True, icon=":material/filter_list:"):
    f1, f2, f3 = st.columns(3)
    statuses = f1.multiselect(
        t("actions_page.filter_status"),
        list(actions.STATUSES),
        key="status",
        format_func=lambda s: t(f"action_status.{s}"),
        bind="query-params",
        placeholder=t("actions_page.filter_placeholder"),
    )
    principles = f2.multiselect(
        t("actions_page.filter_principle"),
        list(actions.PRINCIPLES),
        key="principe",
        format_func=lambda p: t(f"principle.{p}"),
        bind="query-params",
        placeholder=t("actions_page.filter_placeholder"),
    )
    goal_choice = f3.multiselect(
        t("actions_page.filter_goal"),
        [*goals["id"], ""],
        key="doel",
        format_func=lambda g: goal_titles.get(g, g) if g else t("actions_page.no_goal"),
        bind="query-params",
        placeholder=t("actions_page.filter_placeholder"),
    )
    g1, g2, g3 = st.columns(3)
    owner_choice = g1.multiselect(
        t("actions_page.filter_owner"),
        owners,
        key="trekker",
        bind="query-params",
        placeholder=t("actions_page.filter_placeholder"),
    )
    period = g2.date_input(
        t("actions_page.filter_period"),
        value=(),
        key="datums",
        format="DD-MM-YYYY",
        bind="query-params",
        help=t("actions_page.filter_period_help"),
    )
    text = g3.text_input(
        t("actions_page.filter_text"),
        key="zoek",
        bind="query-params",
        max_chars=200,
        help=t("actions_page.filter_text_help"),
    )
period = tuple(period) if isinstance(period, (tuple, list)) else (period,) if period else ()
filt = actions.ActionFilter(
    statuses=tuple(statuses),
    owners=tuple(owner_choice),
    goals=tuple(goal_choice),
    principles=tuple(principles),
    date_from=period[0] if period else None,
    date_to=period[1] if len(period) > 1 else None,
    text=text or "",
)

total, rows, shown = web.cached(store, actions.page_rows, cid, filt)
if total == 0:
    st.info(t("actions_page.none_found") if filt.active else t("actions_page.none_yet"), icon=":material/info:")
else:
    counted = t("actions_page.found", count=total) if filt.active else t("actions_page.found_all", count=total)
    more = " " + t("actions_page.shown_newest", shown=fmt.integer(len(rows))) if total > len(rows) else ""
    st.markdown(counted + more)

    st.header(t("actions_page.timeline_heading"), anchor="tijdlijn")
    if total <= len(rows):
        st.caption(t("actions_page.timeline_caption"))
    web.figure(web.shared(store, action_charts.timeline_chart, cid, filt, today), key="timeline")

    st.header(t("actions_page.table_heading"), anchor="acties")
    web.table(shown)
    d1, d2, _ = st.columns([1, 1, 3])
    stem = web.file_name("acties", cid)
    d1.download_button(
        t("actions_page.export_csv"),
        data=lambda: actions.export_csv(store, cid, filt),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="export_csv",
    )
    d2.download_button(
        t("actions_page.export_xlsx"),
        data=lambda: actions.export_xlsx(store, cid, filt),
        file_name=f"{stem}.xlsx",
        on_click="ignore",
        icon=":material/download:",
        key="export_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.caption(t("actions_page.export_caption", total=fmt.integer(total)))

    # -- one action: details, edit, close, audit trail ---------------------------------------------------------
    labels = dict(zip(rows["id"].astype(int), shown[t("actions_page.col.date")] + " · " + rows["title"], strict=True))
    if made and made["id"] in labels and "actie" not in st.session_state:
        st.session_state["actie"] = made["id"]
    chosen = st.selectbox(
        t("actions_page.pick"),
        list(labels),
        index=None,
        key="actie",
        format_func=lambda i: labels.get(i, str(i)),
        placeholder=t("actions_page.pick_placeholder"),
    )
    action = web.cached(store, actions.get_action, chosen) if chosen is not None else None
    if action is not None:
        with st.container(border=True):
            st.markdown(f"### {t('actions_page.detail_heading', id=action['id'])}")  # user text only in tables
            details = [
                (t(f"actions_page.field.{k}"), actions.show(k, action[k], goal_titles))
                for k in actions.FIELDS
                if k != "description"
            ]
            details += [
                (t("actions_page.detail_version"), str(action["version"])),
                (t("actions_page.detail_created"), fmt.moment(action["created_at"])),
            ]
            web.table(pd.DataFrame(details, columns=[t("actions_page.detail_field"), t("actions_page.detail_value")]))
            if action["description"]:
                st.text(action["description"])
            b1, b2, b3, _ = st.columns([1, 1, 1, 2])
            if may_act and b1.button(t("actions_page.edit"), icon=":material/edit:", key="edit_action"):
                open_dialog(
                    ACTION_DIALOG,
                    {
                        "mode": "edit",
                        "id": action["id"],
                        "version": action["version"],
                        "token": uuid.uuid4().hex[:8],
                        "values": action,
                    },
                )
            is_closed = action["status"] in actions.CLOSED
            for column, status, label, icon in (
                (b2, "afgerond", "close_done", ":material/task_alt:"),
                (b3, "vervallen", "close_drop", ":material/block:"),
            ):
                if may_act and column.button(
                    t(f"actions_page.{label}"), icon=icon, key=f"close_{status}", disabled=is_closed
                ):
                    try:
                        actions.close_action(store, action["id"], action["version"], who(), status)
                        notice(t("actions_page.closed", id=action["id"], status=t(f"action_status.{status}")))
                        st.rerun()
                    except actions.StaleEdit as exc:
                        web.show_error(exc, icon=":material/sync_problem:")
            if is_closed:
                st.caption(t("actions_page.closed_already", status=t(f"action_status.{action['status']}")))
            trail = web.cached(store, actions.audit_trail, action["id"])
            with st.expander(t("actions_page.audit_heading", n=len(trail)), icon=":material/history:"):
                web.table(trail)


# -- the action form (new or edit) -------------------------------------------------------------------------------
def action_form(state: dict) -> None:
    token, values = state["token"], state.get("values") or {}
    new = state["mode"] == "new"
    if not new:
        st.caption(t("actions_page.form_editing", version=state["version"]))
    partner_options = web.cached(store, actions.known_partners, cid)
    partner_options = partner_options + [p for p in values.get("partners") or [] if p not in partner_options]
    owner_options = owners + ([values["owner"]] if values.get("owner") and values["owner"] not in owners else [])
    goal_options = ["", *goals["id"]]
    with st.form(f"action-form-{token}", border=False, enter_to_submit=False):
        c1, c2 = st.columns(2)
        day = c1.date_input(
            t("actions_page.field.action_date"),
            value=values.get("action_date") or today,
            key=f"a_date_{token}",
            format="DD-MM-YYYY",
            min_value=pd.Timestamp("2000-01-01").date(),
            max_value=pd.Timestamp("2100-12-31").date(),
        )
        status = c2.selectbox(
            t("actions_page.field.status"),
            list(actions.STATUSES),
            index=list(actions.STATUSES).index(values.get("status") or "gepland"),
            format_func=lambda s: actions.status_text(s),
            key=f"a_status_{token}",
        )
        title = st.text_input(
            t("actions_page.field.title"),
            value=values.get("title") or "",
            key=f"a_title_{token}",
            max_chars=actions.MAX_TITLE,
        )
        description = st.text_area(
            t("actions_page.field.description"),
            value=values.get("description") or "",
            key=f"a_desc_{token}",
            max_chars=actions.MAX_DESCRIPTION,
            height=100,
        )
        c3, c4 = st.columns(2)
        owner = c3.selectbox(
            t("actions_page.field.owner"),
            owner_options,
            accept_new_options=True,
            index=owner_options.index(values["owner"]) if values.get("owner") else None,
            key=f"a_owner_{token}",
            help=t("actions_page.form_owner_help"),
            placeholder="–",
        )
        goal = c4.selectbox(
            t("actions_page.field.goal_id"),
            goal_options,
            index=goal_options.index(values.get("goal_id") or "")
            if (values.get("goal_id") or "") in goal_options
            else 0,
            format_func=lambda g: goal_titles.get(g, g) if g else t("actions_page.no_goal"),
            key=f"a_goal_{token}",
            help=t("actions_page.form_goal_help"),
        )
        principles = st.multiselect(
            t("actions_page.field.principles"),
            list(actions.PRINCIPLES),
            default=values.get("principles") or [],
            format_func=lambda p: t(f"principle.{p}"),
            key=f"a_principles_{token}",
            help=t("actions_page.form_principles_help"),
            placeholder=t("actions_page.form_principles_placeholder"),
        )
        c5, c6 = st.columns([3, 1])
        partners = c5.multiselect(
            t("actions_page.field.partners"),
            partner_options,
            default=values.get("partners") or [],
            format_func=actions.partner_label,
            accept_new_options=True,
            key=f"a_partners_{token}",
            help=t("actions_page.form_partners_help"),
            placeholder=t("actions_page.form_partners_placeholder"),
        )
        levels = [None, *actions.LEVELS]
        level = c6.selectbox(
            t("actions_page.field.level"),
            levels,
            index=levels.index(values.get("level")),
            format_func=lambda v: v or t("actions_page.level_none"),
            key=f"a_level_{token}",
            help=t("actions_page.form_level_help"),
        )
        name = who_name()
        st.caption(t("actions_page.saving_as", who=web.escape(name)) if name else t("actions_page.saving_anonymous"))
        saved = st.form_submit_button(t("actions_page.save"), type="primary", icon=":material/save:")
    fields = {
        "action_date": day,
        "title": title,
        "description": description,
        "owner": owner,
        "status": status,
        "goal_id": goal or None,
        "principles": principles,
        "partners": partners,
        "level": level,
    }
    if saved:
        try:
            if new:
                action_id = actions.create_action(store, cid, fields, who())
                st.session_state[JUST_MADE] = {"id": action_id, "version": 1, "title": fields["title"].strip()}
                st.session_state.pop("actie", None)
                notice(t("actions_page.saved_new", id=action_id))
            else:
                version = actions.update_action(store, state["id"], state["version"], fields, who())
                st.session_state.pop(JUST_MADE, None)
                notice(
                    t("actions_page.saved_edit", id=state["id"], version=version)
                    if version != state["version"]
                    else t("actions_page.saved_nothing")
                )
            close_dialogs()
            st.rerun()
        except actions.ActionError as exc:
            web.show_error(exc, title=t("actions_page.errors_heading"))
        except actions.StaleEdit as exc:
            state["stale"] = {"error": exc, "version": exc.current_version, "fields": fields}
    if state.get("stale"):
        stale_panel(state)


def stale_panel(state: dict) -> None:
    """Someone else saved first: say who and when, show where the two differ, let the user choose."""
    stale = state["stale"]
    web.show_error(stale["error"], icon=":material/sync_problem:")
    current = actions.get_action(store, state["id"])
    if current is None:
        if st.button(t("actions_page.close"), key="stale_close"):
            close_dialogs()
            st.rerun()
        return
    mine, _ = actions.normalise(stale["fields"])
    diff = [
        (
            t(f"actions_page.field.{k}"),
            actions.show(k, mine.get(k), goal_titles),
            actions.show(k, current[k], goal_titles),
        )
        for k in actions.FIELDS
        if mine.get(k) != current[k]
    ]
    if diff:
        st.markdown(t("actions_page.stale_diff_heading"))
        st.dataframe(
            pd.DataFrame(
                diff,
                columns=[
                    t("actions_page.stale_col_field"),
                    t("actions_page.stale_col_yours"),
                    t("actions_page.stale_col_stored"),
                ],
            ),
            hide_index=True,
            width="stretch",
        )
    a, b = st.columns(2)
    if a.button(t("actions_page.stale_apply"), key="stale_apply", icon=":material/merge:"):
        # the other person's changes stay; only the fields this user changed are put back on top
        state.update(
            version=current["version"],
            stale=None,
            applied=True,
            values=actions.merge_stale_edit(state["values"], stale["fields"], current),
            token=uuid.uuid4().hex[:8],
        )
        st.rerun()
    if b.button(t("actions_page.stale_reload"), key="stale_reload", icon=":material/refresh:"):
        state.update(version=current["version"], stale=None, values=current, token=uuid.uuid4().hex[:8])
        st.rerun()


@st.dialog(t("actions_page.form_new_title"), width="large", on_dismiss=close_dialogs)
@guard.guarded  # a dialog reruns without app.py: its own guard
def new_action_dialog() -> None:
    action_form(st.session_state[ACTION_DIALOG])


@st.dialog(t("actions_page.form_edit_title"), width="large", on_dismiss=close_dialogs)
@guard.guarded  # a dialog reruns without app.py: its own guard
def edit_action_dialog() -> None:
    state = st.session_state[ACTION_DIALOG]
    if state.pop("applied", False):
        st.info(t("actions_page.stale_applied", version=state["version"]), icon=":material/info:")
    action_form(state)


# -- where attention goes ----------------------------------------------------------------------------------------
st.header(t("actions_page.attention_heading"), anchor="aandacht")
st.caption(t("actions_page.attention_caption"))
attention = web.shared(store, action_charts.attention, cid, today, config.actions.quiet_months)
p_col, g_col = st.columns(2)
with p_col:
    st.subheader(t("actions_page.principles_heading"), anchor="per-principe")
    web.figure(attention.principles, key="per_principle")
with g_col:
    st.subheader(t("actions_page.goals_heading"), anchor="per-doel")
    if goals.empty:
        st.info(t("actions_page.no_goals"), icon=":material/info:")
    else:
        web.figure(attention.goals, key="per_goal")
st.subheader(t("actions_page.quiet_heading"), anchor="stille-doelen")
if not goals.empty:
    quiet_n = int(attention.quiet["quiet"].sum())
    if quiet_n:
        since = quiet_since(today, config.actions.quiet_months)
        st.warning(
            t("actions_page.quiet_some", count=quiet_n, total=len(attention.quiet), since=fmt.date(since)),
            icon=":material/visibility_off:",
        )
        web.table(attention.quiet_table)
    else:
        st.success(t("actions_page.quiet_none"), icon=":material/check_circle:")
else:
    st.caption(t("actions_page.no_goals"))

# -- the parents' voice ------------------------------------------------------------------------------------------
st.header(t("signals.heading"), anchor="stem-van-ouders")
st.markdown(t("signals.intro"))
voices = web.cached(store, signals.for_coalition, cid)
if may_signal and st.button(t("signals.add"), icon=":material/record_voice_over:", key="new_signal"):
    open_dialog(SIGNAL_DIALOG, {"token": uuid.uuid4().hex[:8]})
if voices.empty:
    st.caption(t("signals.none"))
else:
    st.caption(t("signals.count", count=len(voices)))
    web.table(signals.table(voices))
    if may_signal:
        with st.expander(t("signals.delete_heading"), icon=":material/delete:"):
            voice_labels = {int(r.id): f"{fmt.day(r.signal_date)} · {r.text[:60]}" for r in voices.itertuples()}
            gone = st.selectbox(
                t("signals.delete_label"),
                list(voice_labels),
                index=None,
                key="signal_delete",
                format_func=lambda i: voice_labels.get(i, str(i)),
            )
            if st.button(t("signals.delete"), key="signal_delete_button", disabled=gone is None):
                signals.delete_signal(store, cid, gone, who())
                notice(t("signals.deleted"))
                st.rerun()


@st.dialog(t("signals.form_title"), width="large", on_dismiss=close_dialogs)
@guard.guarded  # a dialog reruns without app.py: its own guard
def signal_dialog() -> None:
    token = st.session_state[SIGNAL_DIALOG]["token"]
    st.warning(t("signals.warning"), icon=":material/privacy_tip:")
    links = [f"a:{a}" for a in ambitions["id"]] + [f"g:{g}" for g in goals["id"]]
    if not links:
        st.info(t("signals.no_links"))
        return
    amb_titles = dict(zip(ambitions["id"], ambitions["title"], strict=True))

    def link_label(value: str) -> str:
        kind, key = value.split(":", 1)
        return (
            t("signals.link_ambition", title=amb_titles.get(key, key))
            if kind == "a"
            else t("signals.link_goal", title=goal_titles.get(key, key))
        )

    with st.form(f"signal-form-{token}", border=False, enter_to_submit=False):
        c1, c2 = st.columns(2)
        kind = c1.radio(
            t("signals.kind_label"),
            list(signals.KINDS),
            horizontal=True,
            key=f"s_kind_{token}",
            format_func=lambda k: f"{signals.KIND_SYMBOL[k]} {t(f'signals.kind.{k}')}",
        )
        day = c2.date_input(t("signals.date_label"), value=today, key=f"s_date_{token}", format="DD-MM-YYYY")
        link = st.selectbox(
            t("signals.link_label"),
            links,
            index=None,
            format_func=link_label,
            key=f"s_link_{token}",
            help=t("signals.link_help"),
            placeholder="–",
        )
        text = st.text_area(
            t("signals.text_label", max=signals.MAX_TEXT),
            key=f"s_text_{token}",
            max_chars=signals.MAX_TEXT,
            help=t("signals.text_help"),
            height=120,
        )
        name = who_name()
        st.caption(t("actions_page.saving_as", who=web.escape(name)) if name else t("actions_page.saving_anonymous"))
        saved = st.form_submit_button(t("signals.save"), type="primary", icon=":material/save:")
    if saved:
        kind_of, key = link.split(":", 1) if link else ("", None)
        fields = {
            "kind": kind,
            "text": text,
            "signal_date": day,
            "ambition_id": key if kind_of == "a" else None,
            "goal_id": key if kind_of == "g" else None,
        }
        try:
            signals.add_signal(store, cid, fields, who())
            notice(t("signals.saved"))
            close_dialogs()
            st.rerun()
        except signals.SignalError as exc:
            web.show_error(exc, title=t("signals.errors_heading"))


# -- open dialog (kept in the session so a rerun keeps it open until it is saved or dismissed) ---------------------
if ACTION_DIALOG in st.session_state:
    (new_action_dialog if st.session_state[ACTION_DIALOG]["mode"] == "new" else edit_action_dialog)()
elif SIGNAL_DIALOG in st.session_state:
    signal_dialog()
