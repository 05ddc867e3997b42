"""Streamlit glue for the meeting mode (vergadermodus); besides ``ui`` the only package module importing streamlit.

- ``projector_style()``: large, high-contrast type and no sidebar, on this page only (a style block without
  any user text). A goal's slide fills the screen and no more: the chart takes the height the rest leaves
  (a flex column from the page down to the chart), so every slide fits 1920x1080 and 1280x720 unscrolled;
- ``page_heading(...)``: the page's one ``h1``, the seconds per slide and the way out;
- ``reduced_motion()``: whether the browser asks for less motion (``prefers-reduced-motion: reduce``), told by
  a small script (a ``components.v2`` component without markup); until it has told, a CSS rule already hides
  the play switch;
- ``slide_show(...)``: the slides in an ``st.fragment``. Paused by default: it advances itself every N
  seconds (``run_every``) only when "Automatisch doorgaan" is switched on, never when the browser asks for less
  motion. Vorige, Volgende and the switch sit in one row, in that tab order; "Dia N van M" is a live region
  (``role="status"``, one element that keeps its place, so a screen reader announces every new slide);
- ``record_panel(...)``: in a fold-out under the slide (the slide stays whole on the screen): who attended,
  the short form for a decision or action (the kind has no default), the list of what this meeting recorded
  (with undo) and the button that closes the meeting and offers its minutes as Markdown and PDF.

Session state (per browser tab): ``ks_slide`` (index of the slide shown), ``ks_meeting`` (the meeting in
progress: coalition, start, ``meetings`` id once something is recorded, titles of the slides shown),
``ks_full_run``/``ks_clicked`` (tell a timer run of the fragment from a full run or a button click),
``ks_minutes`` (the id of the meeting whose minutes are offered), ``ks_attendees`` (who attended),
``ks_reduce`` (the browser asked for less motion).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kansrijke import meeting, web
from kansrijke.core import figures, fmt, palette
from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.plan import charts, overview, progress
from kansrijke.web import guard, widgets

DEFAULT_INTERVAL = 30
MIN_INTERVAL, MAX_INTERVAL = 5, 600
LIST_LIMIT = 4  # actions on a slide (more would not fit a 1280x720 screen)
GOAL_ACTION_LIMIT = 3  # the latest actions under the results of a goal without an indicator
SIGNAL_LIMIT = 1  # parents' signals beside a goal's curve (more would not fit a 1280x720 screen)

# Only for this page; no user text in it. Sizes follow the viewport width so the same slide reads from four
# metres on a 1280x720 and on a 1920x1080 projector (body 2.1vw: 27 px at 1280, 40 px at 1920).
PROJECTOR_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], header.stAppHeader, .st-key-ks-begin-own,
div[data-testid="stLayoutWrapper"]:has(> .st-key-ks-begin-own) { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1rem 2.5vw 2rem 2.5vw; }
.st-key-ks-slide { --ks-body: clamp(24px, 2.1vw, 44px); --ks-small: clamp(19px, 1.5vw, 30px); color: #000000; }
.st-key-ks-slide [data-testid="stMarkdownContainer"] p, .st-key-ks-slide [data-testid="stMarkdownContainer"] li {
  font-size: var(--ks-body); line-height: 1.3; color: #000000; }
.st-key-ks-slide h2 { font-size: clamp(30px, 2.6vw, 56px); line-height: 1.12; font-weight: 700; color: #000000;
  padding: 0 0 0.2em 0; }
.st-key-ks-slide h3 { font-size: clamp(26px, 2.3vw, 48px); line-height: 1.15; color: #000000; padding: 0.2em 0; }
.st-key-ks-slide [data-testid="stCaptionContainer"] { opacity: 1; }
.st-key-ks-aside [data-testid="stMarkdownContainer"] p, .st-key-ks-results [data-testid="stMarkdownContainer"] p,
.st-key-ks-results [data-testid="stMarkdownContainer"] li, .st-key-ks-results [data-testid="stProgress"] p {
  font-size: var(--ks-small); line-height: 1.3; }
.st-key-ks-results h3 { font-size: clamp(22px, 1.8vw, 38px); }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.6rem; }
.st-key-ks-aside h3 { font-size: clamp(22px, 1.8vw, 38px); }
.st-key-ks-slide [data-testid="stCaptionContainer"] p { font-size: var(--ks-small); line-height: 1.3;
  color: #262626; }
.st-key-ks-slide .stMarkdownBadge { font-size: 0.78em !important; padding: 0.08em 0.4em; vertical-align: 0.12em; }
.st-key-ks-head h1 { font-size: clamp(18px, 1.4vw, 28px); line-height: 1.3; font-weight: 600; padding: 0;
  margin: 0; color: #000000; }
.st-key-ks-nav p, .st-key-ks-nav button, .st-key-ks-nav .ks-live {
  font-size: clamp(18px, 1.4vw, 28px); }
.st-key-ks-nav .ks-live { margin: 0; white-space: nowrap; color: #000000; }
.st-key-ks-nav button { min-height: 2.2em; padding: 0.15em 1em; }
.st-key-ks-slide [data-testid="stExpander"] summary p { font-size: var(--ks-small); }
.st-key-ks_goto, .st-key-ks_goto input { font-size: 14px; }
.st-key-ks-motion { display: none !important; }
@media (prefers-reduced-motion: reduce) { .st-key-auto { display: none !important; } }
[data-testid="stMainBlockContainer"]:has(.st-key-ks-chart) { height: 100vh; box-sizing: border-box;
  display: flex; flex-direction: column; }
[data-testid="stMainBlockContainer"] :has(.st-key-ks-chart):not([data-testid="stHorizontalBlock"]):not(
  [data-testid="stColumn"]) { flex: 1 1 0 !important; min-height: 0; display: flex; flex-direction: column; }
[data-testid="stHorizontalBlock"]:has(.st-key-ks-chart) { flex: 1 1 0 !important; min-height: 0;
  align-items: stretch; }
[data-testid="stColumn"]:has(.st-key-ks-chart) { display: flex; flex-direction: column; }
.st-key-ks-chart { flex: 1 1 0 !important; min-height: 200px; }
</style>"""

# "Dia N van M": one live region that keeps its place while its text changes (a new element would not be
# announced). Our own markup only: the text is set with textContent.
_LIVE = st.components.v2.component(
    "ks_live_counter",
    html='<p class="ks-live" role="status" aria-live="polite" aria-atomic="true"></p>',
    js="""export default function ({ data, parentElement }) {
  const live = parentElement.querySelector(".ks-live");
  if (live && live.textContent !== data.text) live.textContent = data.text;
}""",
    isolate_styles=False,
)
# Tells the page once whether the browser asks for less motion (and again when that setting changes).
_MOTION = st.components.v2.component(
    "ks_reduced_motion",
    js="""export default function ({ data, setStateValue }) {
  const query = window.matchMedia("(prefers-reduced-motion: reduce)");
  const tell = () => { if (query.matches !== Boolean(data.known)) setStateValue("reduce", query.matches); };
  tell();
  query.onchange = tell;
}""",
)


def projector_style() -> None:
    st.html(PROJECTOR_CSS)


@dataclass
class Deck:
    """What the slides show, read once per full run of the page."""

    coalition: overview.Coalition
    state: progress.CoalitionProgress
    slides: list[meeting.Slide]
    today: dt.date
    since: dt.date
    done: pd.DataFrame
    due: pd.DataFrame
    national: dict
    peers: dict
    goal_actions: pd.DataFrame
    area_name: str
    latest: pd.DataFrame  # the latest actions up to today (shown when nothing was done since the last meeting)


# -- the meeting in progress ----------------------------------------------------------------------------------
def current_meeting(coalition_id: str, today: dt.date) -> dict:
    """The meeting of this browser tab (a new one when the coalition changed or the last one was closed)."""
    state = st.session_state.get("ks_meeting")
    if state is None or state["coalition_id"] != coalition_id:
        now = dt.datetime.now()
        state = {
            "coalition_id": coalition_id,
            "started_at": dt.datetime.combine(today, now.time()),
            "meeting_id": None,
            "shown": [],
        }
        st.session_state["ks_meeting"] = state
        st.session_state["ks_slide"] = 0
    return state


def load_deck(
    store: Store,
    config: Config,
    sel: web.Selection,
    coalition: overview.Coalition,
    today: dt.date,
    meeting_id: int | None,
) -> Deck:
    state = web.cached(store, progress.coalition_progress, config, coalition.id, sel.period, today)
    since = meeting.since_day(store, coalition.id, today, meeting_id)
    indicator_ids = sorted({g.indicator.id for a in state.ambitions for g in a.goals if g.indicator is not None})
    peer_codes = web.cached(store, figures.peers, config, sel.code, sel.period)
    national, peers = web.cached(store, overview.comparison_series, config, indicator_ids, peer_codes)
    return Deck(
        coalition=coalition,
        state=state,
        slides=meeting.slides(state),
        today=today,
        since=since,
        done=web.cached(store, meeting.actions_since, coalition.id, since, today),
        due=web.cached(store, meeting.actions_due, coalition.id, today),
        national=national,
        peers=peers,
        goal_actions=web.cached(store, overview.goal_actions, coalition.id),
        area_name=coalition.name if coalition.regional else sel.name,
        latest=web.cached(store, overview.latest_actions, coalition.id, today, 3),
    )


# -- controls ---------------------------------------------------------------------------------------------------
def reduced_motion() -> bool:
    """Whether the browser asks for less motion (``prefers-reduced-motion: reduce``); ``False`` until told."""
    known = st.session_state.get("ks_reduce")
    found = _MOTION(data={"known": known}, key="ks-motion", default={"reduce": None}, on_reduce_change=lambda: None)
    reduce = bool(found.reduce) if found.reduce is not None else bool(known)
    st.session_state["ks_reduce"] = reduce
    return reduce


def page_heading(coalition: overview.Coalition) -> int:
    """The page's ``h1``, the seconds per slide (in the URL: ``?interval=20``) and the way out; returns the
    seconds per slide."""
    st.session_state["ks_full_run"] = True
    bind = "query-params" if guard.url_number_ok("interval", MIN_INTERVAL, MAX_INTERVAL, DEFAULT_INTERVAL) else None
    with st.container(key="ks-head", horizontal=True, vertical_alignment="center", gap="medium"):
        st.title(t("meeting.heading", name=web.escape(coalition.name)), anchor=False, width="stretch")
        settings = st.popover(t("meeting.settings"), icon=":material/settings:")
        interval = settings.number_input(
            t("meeting.interval"),
            min_value=MIN_INTERVAL,
            max_value=MAX_INTERVAL,
            value=DEFAULT_INTERVAL,
            step=5,
            key="interval",
            bind=bind,  # a value out of range in the URL: the default, with a notice (``guard.url_number_ok``)
            help=t("meeting.interval_help"),
        )
        st.page_link("pages/overzicht.py", label=t("meeting.leave"), icon=":material/logout:")
    return int(interval or DEFAULT_INTERVAL)


def wanted_playing(reduce: bool) -> bool:
    """Whether the slides advance by themselves: only when switched on (``?auto=true``), never when the browser
    asks for less motion. Read before the switch is drawn (it sits in the slides' fragment)."""
    if reduce:
        return False
    if "auto" in st.session_state:
        return bool(st.session_state["auto"])
    return str(st.query_params.get("auto", "")).strip().lower() == "true"


def _play_switch(playing: bool, reduce: bool, full: bool) -> None:
    """The pause/play switch, next to Volgende; switched in a run of the fragment, the whole page runs again
    so the fragment's timer follows it."""
    if reduce:
        st.caption(t("meeting.motion_off"))
        return
    auto = st.toggle(t("meeting.auto"), value=False, key="auto", bind="query-params", help=t("meeting.auto_help"))
    if bool(auto) != playing and not full:
        st.rerun()


def _goto_label(deck: Deck, index: int) -> str:
    """The picker's label, e.g. "2. Minder vroeggeboorten": a goal's slide by the goal's title (the picker is
    short of room)."""
    slide = deck.slides[index]
    return f"{index + 1}. {slide.goal.title if slide.goal is not None else slide.title}"


def _go(by: int, count: int) -> None:
    st.session_state["ks_slide"] = meeting.step(st.session_state.get("ks_slide", 0), count, by)
    st.session_state["ks_clicked"] = True


def _jump() -> None:
    st.session_state["ks_slide"] = int(st.session_state["ks_goto"])
    st.session_state["ks_clicked"] = True


def slide_show(store: Store, deck: Deck, interval: int, playing: bool, reduce: bool) -> None:
    """The slides; a fragment that reruns itself every ``interval`` seconds while playing."""
    count = len(deck.slides)

    @st.fragment(run_every=interval if playing else None)
    @guard.guarded  # the fragment's own reruns do not pass through app.py's guard
    def show() -> None:
        full = st.session_state.pop("ks_full_run", False)
        clicked = st.session_state.pop("ks_clicked", False)
        if playing and not full and not clicked:  # a run of the fragment's own timer: next slide
            st.session_state["ks_slide"] = meeting.step(st.session_state.get("ks_slide", 0), count)
        index = st.session_state.get("ks_slide", 0) % count
        st.session_state["ks_slide"] = index
        slide = deck.slides[index]
        shown = st.session_state["ks_meeting"]["shown"]
        if slide.title not in shown:
            shown.append(slide.title)
        with st.container(key="ks-nav", horizontal=True, vertical_alignment="center", gap="small"):
            st.button(
                t("meeting.previous"), icon=":material/arrow_back:", key="ks-previous", on_click=_go, args=(-1, count)
            )
            st.button(
                t("meeting.next"),
                icon=":material/arrow_forward:",
                key="ks-next",
                type="primary",
                on_click=_go,
                args=(1, count),
            )
            _play_switch(playing, reduce, full)
            _LIVE(data={"text": t("meeting.counter", index=index + 1, count=count)}, key="ks-live", width="content")
            st.session_state["ks_goto"] = index
            # wide enough for the longest title (a field cannot wrap); on a narrow screen on a row of its own
            longest = max(len(_goto_label(deck, i)) for i in range(count))
            st.html(f"<style>.st-key-ks_goto {{ min-width: min(100%, calc({longest} * 0.46em + 3rem)); }}</style>")
            st.selectbox(
                t("meeting.goto"),
                list(range(count)),
                key="ks_goto",
                on_change=_jump,
                format_func=lambda i: _goto_label(deck, i),
                label_visibility="collapsed",
                width="stretch",
            )
        with st.container(key="ks-slide"):
            render_slide(store, deck, slide)

    show()


# -- the slides -----------------------------------------------------------------------------------------------------
def _badge(status: str) -> str:
    return f":{widgets.BADGE_COLOURS[status]}-badge[{widgets.STATUS_ICONS[status]} {status}]"


def render_slide(store: Store, deck: Deck, slide: meeting.Slide) -> None:
    if slide.kind == "ambitions":
        _ambitions(deck)
    elif slide.kind == "goal":
        _goal(store, deck, slide)
    elif slide.kind == "done":
        _actions(
            deck.done,
            t("meeting.slide_done"),
            t("meeting.done_caption", date=fmt.date(deck.since), count=len(deck.done)),
            t("meeting.none_done"),
            deck.latest,
        )
    else:
        _actions(
            deck.due,
            t("meeting.slide_next"),
            t("meeting.next_caption", date=fmt.date(deck.today)),
            t("meeting.none_next"),
        )


def _kicker(text: str) -> None:
    st.caption(web.escape(text))


def _ambitions(deck: Deck) -> None:
    st.markdown(f"## {t('meeting.slide_ambitions')}")
    if not deck.state.ambitions:
        st.markdown(t("overview.no_ambitions"))
    for amb in deck.state.ambitions:
        st.markdown(f"{_badge(amb.status)} **{web.escape(amb.title)}**")
        st.caption(web.escape(amb.reason))


def _goal(store: Store, deck: Deck, slide: meeting.Slide) -> None:
    goal = slide.goal
    _kicker(t("meeting.goal_kicker", ambition=slide.ambition_title))
    st.markdown(f"## {web.escape(goal.title)}")
    left, right = st.columns([3, 2], gap="large")
    with right, st.container(key="ks-aside"):
        st.markdown(f"{_badge(goal.status)} {web.escape(goal.reason)}")
        _signals(store, goal)
    with left:
        if goal.indicator is not None and goal.series is not None:
            own = deck.goal_actions[deck.goal_actions["goal_id"] == goal.id]
            chart = charts.goal_chart(
                goal,
                deck.national.get(goal.indicator.id),
                deck.peers.get(goal.indicator.id),
                own,
                deck.today,
                deck.area_name,
            )
            _projector_chart(chart, f"ks-goal-{goal.id}")
        else:
            with st.container(key="ks-results"):
                _results(deck, goal)
                _goal_actions(deck, goal)


def _projector_chart(chart: charts.Chart, key: str) -> None:
    """A chart sized to the screen; its one-sentence summary (also its accessible name) and its numbers in a
    fold-out under it."""
    fig = chart.figure
    fig.update_layout(
        height=None,
        autosize=True,
        font=dict(size=20, color=palette.TEXT),
        # the legend beside the plot area, never over the curve (the margin grows to hold it); beside, not
        # under or above: height is what a 1280x720 screen lacks
        legend=dict(font=dict(size=15), orientation="v", x=1.03, xanchor="left", y=1, yanchor="top"),
        margin=dict(l=10, r=20, t=10, b=10, autoexpand=True),
    )
    fig.update_xaxes(tickfont=dict(size=18, color=palette.TEXT), tickangle=0, automargin=True)
    fig.update_yaxes(tickfont=dict(size=20, color=palette.TEXT), title_font=dict(size=20), automargin=True)
    fig.update_annotations(font_size=15, font_color=palette.TEXT)
    for note in fig.layout.annotations:  # the lag band's label on two lines, so it stays inside the chart
        note.text = note.text.replace(" (", "<br>(", 1)
    with st.container(key="ks-chart"):
        st.plotly_chart(
            fig,
            key=key,
            width="stretch",
            height="stretch",
            alt=chart.summary,
            theme=None,
            config=palette.plotly_config(displayModeBar=False),  # the Dutch locale; no mode bar on a projector
        )
    with st.expander(t("overview.chart_table")):  # the sentence is also the chart's accessible name
        st.caption(web.escape(chart.summary))
        st.dataframe(chart.table, hide_index=True, width="stretch")


def _results(deck: Deck, goal: progress.GoalProgress) -> None:
    """A goal without an indicator: the results that serve it (its latest actions under them)."""
    results = [r for a in deck.state.ambitions for r in a.results if r.goal_id == goal.id]
    for r in results:
        st.markdown(f"{_badge(r.status)} {web.escape(r.title)}")
        st.progress(
            r.share,
            text=t(
                "goals_page.result_bar",
                realised=fmt.number(r.realised or 0, 0),
                target=fmt.number(r.target, 0),
                unit=web.escape(r.unit),
                due=fmt.date(r.due_date) if r.due_date else "–",
            ),
        )
    if not results:
        st.markdown(t("meeting.goal_no_indicator"))


def _goal_actions(deck: Deck, goal: progress.GoalProgress) -> None:
    """The latest actions for a goal without an indicator."""
    own = deck.goal_actions[deck.goal_actions["goal_id"] == goal.id].sort_values("action_date", ascending=False)
    if own.empty:
        return
    st.markdown(f"### {t('meeting.goal_actions')}")
    st.markdown(
        "\n".join(
            f"- **{fmt.day(r.action_date)}** · {web.escape(r.title)} ({t(f'action_status.{r.status}')})"
            for r in own.head(GOAL_ACTION_LIMIT).itertuples()
        )
    )


def _signals(store: Store, goal: progress.GoalProgress) -> None:
    st.markdown(f"### {t('meeting.signals_heading')}")
    try:
        found = web.cached(store, meeting.goal_signals, goal.id)
    except ImportError:  # the parents' signals are not in this version of the monitor yet
        found = pd.DataFrame(columns=["signal_date", "kind", "text"])
    if found.empty:
        st.caption(t("meeting.signals_none"))
        return
    found = found.sort_values("signal_date", ascending=False)
    for row in found.head(SIGNAL_LIMIT).itertuples():
        st.markdown(f"“{web.escape(row.text)}”")
        st.caption(t("meeting.signal_meta", kind=t(f"meeting.signal_kind.{row.kind}"), date=fmt.day(row.signal_date)))
    if len(found) > SIGNAL_LIMIT:
        st.caption(t("meeting.signals_more", count=len(found) - SIGNAL_LIMIT))


def _actions(frame: pd.DataFrame, title: str, caption: str, empty: str, fallback: pd.DataFrame | None = None) -> None:
    _kicker(caption)
    st.markdown(f"## {title}")
    if frame.empty:
        st.markdown(empty)
        if fallback is not None and not fallback.empty:
            st.markdown(f"### {t('meeting.latest_before')}")
            _action_list(fallback)
        return
    _action_list(frame.head(LIST_LIMIT))
    if len(frame) > LIST_LIMIT:
        st.caption(t("meeting.more_actions", count=len(frame) - LIST_LIMIT))


def _action_list(frame: pd.DataFrame) -> None:
    lines = []
    for r in frame.itertuples():
        owner = f" · {web.escape(r.owner)}" if isinstance(r.owner, str) and r.owner else ""
        lines.append(
            f"- **{fmt.day(r.action_date)}** · {web.escape(r.title)}{owner} ({t(f'action_status.{r.status}')})"
        )
    st.markdown("\n".join(lines))


# -- recording ------------------------------------------------------------------------------------------------------
def _ensure_meeting(store: Store, state: dict) -> int:
    if state["meeting_id"] is None:
        state["meeting_id"] = meeting.start_meeting(
            store, state["coalition_id"], state["started_at"], web.current_person()
        )
    return state["meeting_id"]


def record_panel(store: Store, deck: Deck, state: dict) -> None:
    """In a fold-out under the slide: who attended, the form for a decision or action, what this meeting
    recorded (undo), and closing with the minutes."""
    if st.session_state.pop("ks_reset_attendees", False):  # the last meeting was closed: a new one starts
        st.session_state.pop("ks_attendees", None)
    with st.expander(t("meeting.record_heading"), icon=":material/edit_note:", key="ks-record-panel"):
        st.text_input(
            t("meeting.attendees"),
            key="ks_attendees",
            max_chars=meeting.MAX_ATTENDEES,
            placeholder=t("meeting.attendees_placeholder"),
            help=t("meeting.attendees_help"),
        )
        _record_form(store, deck, state)
        _recorded(store, state)
        _close(store, state)


def _record_form(store: Store, deck: Deck, state: dict) -> None:
    goals = {g.id: g.title for a in deck.state.ambitions for g in a.goals}
    with st.form("ks-record", clear_on_submit=True, border=True):
        kind = st.radio(
            t("meeting.kind"),
            list(meeting.ITEM_KINDS),
            index=None,  # no default: a decision typed in a hurry is never saved as an action
            horizontal=True,
            key="ks_kind",
            format_func=lambda k: t(f"meeting.kind_{k}"),
        )
        text = st.text_input(
            t("meeting.text"), max_chars=meeting.MAX_ITEM_TEXT, key="ks_text", placeholder=t("meeting.text_placeholder")
        )
        c1, c2, c3, c4 = st.columns([2, 1, 1, 3])
        owner = c1.text_input(t("meeting.owner"), key="ks_owner", max_chars=120)
        day = c2.date_input(t("meeting.date"), value=deck.today, key="ks_date", format="DD-MM-YYYY")
        status = c3.selectbox(
            t("meeting.status"),
            ["gepland", "lopend", "afgerond"],
            key="ks_status",
            format_func=lambda s: t(f"action_status.{s}"),
        )
        goal_id = (
            c4.selectbox(
                t("meeting.goal"), ["", *goals], key="ks_goal", format_func=lambda g: goals.get(g, t("meeting.no_goal"))
            )
            or None
        )
        st.caption(t("meeting.record_caption"))
        submitted = st.form_submit_button(t("meeting.record"), icon=":material/add:", type="primary")
    if submitted:
        _record(store, deck, state, kind, text, owner, day, status, goal_id)
    notice = st.session_state.pop("ks_notice", None)
    if notice:
        st.success(notice, icon=":material/check:")
    problem = st.session_state.pop("ks_problem", None)
    if problem:
        web.show_error(problem)


def _record(
    store: Store,
    deck: Deck,
    state: dict,
    kind: str | None,
    text: str,
    owner: str,
    day: dt.date,
    status: str,
    goal_id: str | None,
) -> None:
    try:
        problems = [] if kind in meeting.ITEM_KINDS else [t("meeting.error_kind")]
        if not (text or "").strip():
            problems.append(t("meeting.error_empty"))
        if problems:
            raise meeting.MeetingError(problems)
        meeting_id = _ensure_meeting(store, state)
        if kind == "besluit":
            meeting.record_decision(store, meeting_id, text, web.current_person())
            st.session_state["ks_notice"] = t("meeting.recorded_decision", text=web.escape(text.strip()))
        else:
            fields = {
                "action_date": day,
                "title": text,
                "description": None,
                "owner": (owner or "").strip() or None,
                "status": status,
                "goal_id": goal_id,
                "principles": [],
                "partners": [],
                "level": None,
            }
            meeting.record_action(store, deck.coalition.id, meeting_id, fields, web.current_person())
            st.session_state["ks_notice"] = t("meeting.recorded_action", text=web.escape(text.strip()))
    except meeting.MeetingError as exc:
        web.show_error(exc)
        return
    st.rerun()


def _undo(store: Store, state: dict, position: int) -> None:
    try:
        meeting.undo_item(store, state["meeting_id"], position, web.current_person())
    except meeting.MeetingError as exc:
        st.session_state["ks_problem"] = exc  # shown after the rerun
    else:
        st.session_state["ks_notice"] = t("meeting.undone")


def _recorded(store: Store, state: dict) -> None:
    if state["meeting_id"] is None:
        st.caption(t("meeting.nothing_recorded"))
        return
    items = meeting.meeting_items(store, state["meeting_id"])
    if items.empty:
        st.caption(t("meeting.nothing_recorded"))
        return
    st.markdown(f"**{t('meeting.recorded_heading')}**")
    for row in items.itertuples():
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.markdown(f"{t(f'meeting.kind_{row.kind}')}: {web.escape(row.text)}")
        right.button(
            t("meeting.undo"),
            key=f"ks-undo-{row.position}",
            icon=":material/undo:",
            on_click=_undo,
            args=(store, state, int(row.position)),
        )


def _close(store: Store, state: dict) -> None:
    if st.button(t("meeting.close"), icon=":material/task_alt:", key="ks-close"):
        try:
            attendees = meeting.check_attendees(st.session_state.get("ks_attendees"))
        except meeting.MeetingError as exc:
            web.show_error(exc)
            return
        meeting_id = _ensure_meeting(store, state)
        meeting.end_meeting(
            store,
            meeting_id,
            dt.datetime.combine(state["started_at"].date(), dt.datetime.now().time()),
            state["shown"],
            web.current_person(),
            attendees,
        )
        st.session_state["ks_minutes"] = meeting_id
        st.session_state.pop("ks_meeting", None)  # what is recorded next belongs to a new meeting
        st.session_state["ks_reset_attendees"] = True
        st.rerun()
    minutes_id = st.session_state.get("ks_minutes")
    if minutes_id is None:
        return
    found = meeting.minutes(store, minutes_id)
    text = meeting.minutes_markdown(found)
    st.header(t("meeting.minutes_heading"), anchor=False)
    stamp = f"{found.started_at:%Y%m%d-%H%M}"
    c1, c2 = st.columns(2)
    c1.download_button(
        t("meeting.download_md"),
        data=text.encode("utf-8"),
        file_name=f"verslag-{stamp}.md",
        mime="text/markdown",
        icon=":material/download:",
        on_click="ignore",
        key="ks-md",
    )
    c2.download_button(
        t("meeting.download_pdf"),
        data=lambda: meeting.minutes_pdf(found),
        file_name=f"verslag-{stamp}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key="ks-pdf",
    )
    with st.container(border=True, key="ks-minutes"):
        st.markdown(_under_h2(text))


def _under_h2(text: str) -> str:
    """The minutes shown under the page's h2 "Verslag": their headings one level down (h3 and h4), so the page
    keeps one h1 and no level is skipped. Our own heading lines only: user text never starts a line."""
    return "\n".join("##" + line if line.startswith("#") else line for line in text.split("\n"))
