"""Meeting mode (vergadermodus): the slides of a coalition meeting, what is decided in it, and its minutes.

No Streamlit here; the page and ``ui_meeting`` render what these functions return.

- ``slides(progress)``: one topic per slide, in order: the ambitions and their status, every goal (its
  curve), the actions since the last meeting, the actions due next.
- ``since_day(store, coalition_id, today)``: "since the last meeting" = the day of the coalition's previous
  ``meetings`` row, or four weeks ago when there is none.
- A meeting is a ``meetings`` row, made when the first decision or action is recorded or when the meeting
  is closed (just showing the slides on a TV writes nothing). Decisions and actions are ``meeting_items``;
  an action is written to the action log through ``actions.create_action`` (audited there) and can be
  undone with ``undo_item`` (``actions.delete_action``; the audit trail keeps it).
- ``minutes(store, meeting_id)`` -> ``Minutes``; ``minutes_markdown`` and ``minutes_pdf`` write the short
  *verslag*: who attended (typed when the meeting is closed), what was shown, what was decided, the new
  actions. The Markdown is a file people read as text: user text stays as typed and is only made inert where
  Markdown would give it a meaning (``markdown.minutes_text``), so "Ommen e.o." has no backslashes.
  Minutes of a meeting in the demo say they are fictitious: the label line (``demo_label.line``) right
  under the title of the Markdown, and in the PDF the label at the top of every page, a light "FICTIEF"
  across it and "FICTIEF" before the document title.
- Every recording command (``start_meeting``, ``record_decision``, ``record_action``, ``undo_item``,
  ``end_meeting``) takes the ``access.Person`` who does it as its last argument and refuses
  (``access.NotAllowed``) before writing anything unless they have the permission "meeting" for the meeting's
  coalition; an action is audited with ``person.identity``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd
from fpdf import FPDF

from kansrijke import access, actions, signals
from kansrijke.core import fmt
from kansrijke.core.errors import UserError
from kansrijke.core.exports import stamp_pdf
from kansrijke.core.i18n import t
from kansrijke.core.pdf import FAMILY, GREY, INK, to_cp1252, unicode_font_files
from kansrijke.core.store import Store
from kansrijke.plan import overview
from kansrijke.plan.progress import CoalitionProgress, GoalProgress

from .markdown import minutes_text

WEEKS_WITHOUT_MEETING = 4
MAX_ITEM_TEXT = 300
MAX_ATTENDEES = 500  # characters of the attendees line
ITEM_KINDS = ("besluit", "actie")
RECORDED_VERSION = 1  # the version of an action as the meeting recorded it


class MeetingError(UserError):
    """Something to record is not acceptable; ``messages`` lists every problem in Dutch."""


# -- the slides ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Slide:
    key: str  # "ambities", "doel:<goal id>", "gedaan", "komt"
    kind: str  # "ambitions", "goal", "done", "next"
    title: str
    goal: GoalProgress | None = field(default=None, compare=False, hash=False)
    ambition_title: str | None = None


def slides(state: CoalitionProgress) -> list[Slide]:
    """The meeting's slides, in the order they are shown."""
    out = [Slide("ambities", "ambitions", t("meeting.slide_ambitions"))]
    for amb in state.ambitions:
        for goal in amb.goals:
            out.append(Slide(f"doel:{goal.id}", "goal", t("meeting.slide_goal", title=goal.title), goal, amb.title))
    out.append(Slide("gedaan", "done", t("meeting.slide_done")))
    out.append(Slide("komt", "next", t("meeting.slide_next")))
    return out


def step(index: int, count: int, by: int = 1) -> int:
    """The slide after (``by=1``) or before (``by=-1``) ``index``, wrapping round (a kiosk loops)."""
    return (index + by) % count if count else 0


def since_day(store: Store, coalition_id: str, today: dt.date, exclude_meeting: int | None = None) -> dt.date:
    """The day of the coalition's latest meeting up to ``today`` (other than ``exclude_meeting``), or four
    weeks before ``today`` when it has none."""
    last = store.scalar(
        "meeting_previous",
        {
            "coalition_id": coalition_id,
            "exclude": exclude_meeting or -1,
            "until": dt.datetime.combine(today, dt.time.max),
        },
    )
    if last is None or pd.isna(last):
        return today - dt.timedelta(weeks=WEEKS_WITHOUT_MEETING)
    return pd.Timestamp(last).date()


def actions_since(store: Store, coalition_id: str, since: dt.date, today: dt.date) -> pd.DataFrame:
    """Actions dated after ``since`` up to ``today`` (not cancelled), newest first; with the goal's title."""
    return store.query("meeting_actions_since", {"coalition_id": coalition_id, "since": since, "until": today})


def actions_due(store: Store, coalition_id: str, today: dt.date, limit: int = 20) -> pd.DataFrame:
    """Planned or running actions dated after ``today``, soonest first (``overview.next_actions``)."""
    return overview.next_actions(store, coalition_id, today, limit)


def goal_signals(store: Store, goal_id: str) -> pd.DataFrame:
    """Parents' signals linked to a goal (``signals.for_goal``): signal_date, kind, text."""
    return signals.for_goal(store, goal_id)


# -- recording -------------------------------------------------------------------------------------------------
def _require(store: Store, person: access.Person | None, meeting_id: int) -> None:
    """The person may record meetings of this meeting's coalition (of some coalition when there is no such
    meeting: the command then says so)."""
    head = store.query("meeting_get", {"id": int(meeting_id)})
    if head.empty:
        access.require_somewhere(person, "meeting")
    else:
        access.require(person, "meeting", str(head.iloc[0]["coalition_id"]))


def start_meeting(store: Store, coalition_id: str, started_at: dt.datetime, person: access.Person) -> int:
    """Write the ``meetings`` row of a meeting that started at ``started_at``; return its id."""
    access.require(person, "meeting", coalition_id)
    with store.write() as w:
        meeting_id = w.next_id("meetings")
        w.run("meeting_insert", {"id": meeting_id, "coalition_id": coalition_id, "started_at": started_at})
    return meeting_id


def _check_text(text: str | None) -> str:
    clean = (text or "").strip()
    if not clean:
        raise MeetingError([t("meeting.error_empty")])
    if len(clean) > MAX_ITEM_TEXT:
        raise MeetingError([t("meeting.error_long", limit=MAX_ITEM_TEXT)])
    return clean


def _add_item(store: Store, meeting_id: int, kind: str, text: str, action_id: int | None) -> int:
    with store.write() as w:
        w.run("meeting_item_insert", {"meeting_id": meeting_id, "kind": kind, "text": text, "action_id": action_id})
    return int(store.scalar("meeting_item_last", {"meeting_id": meeting_id}))


def record_decision(store: Store, meeting_id: int, text: str, person: access.Person) -> int:
    """Record a decision of the meeting; return its position in the meeting."""
    _require(store, person, meeting_id)
    return _add_item(store, meeting_id, "besluit", _check_text(text), None)


def record_action(
    store: Store, coalition_id: str, meeting_id: int, fields: dict, person: access.Person
) -> tuple[int, int]:
    """Write an action to the action log (``actions.create_action``, which audits it) and list it with the
    meeting. Returns (action id, position). Raises ``MeetingError`` with the action log's messages when the
    action is refused (``actions.ActionError``)."""
    access.require(person, "meeting", coalition_id)
    _require(store, person, meeting_id)
    fields = dict(fields)
    fields["title"] = _check_text(fields.get("title"))
    try:
        action_id = int(actions.create_action(store, coalition_id, fields, person))
    except actions.ActionError as exc:
        raise MeetingError(exc.messages, places=exc.places) from None
    return action_id, _add_item(store, meeting_id, "actie", fields["title"], action_id)


def undo_item(store: Store, meeting_id: int, position: int, person: access.Person) -> None:
    """Take back a decision or action recorded in this meeting. An action is deleted from the action log
    with ``actions.delete_action`` (its audit trail keeps the record of it), but only as it was recorded:
    when someone changed it in the action log since, the undo is refused (``MeetingError`` says who)."""
    _require(store, person, meeting_id)
    items = meeting_items(store, meeting_id)
    row = items[items["position"] == position]
    if row.empty:
        return
    action_id = row.iloc[0]["action_id"]
    if action_id is not None and not pd.isna(action_id):
        try:
            actions.delete_action(store, int(action_id), RECORDED_VERSION, person)
        except actions.StaleEdit as exc:
            if exc.current_version is not None:  # changed meanwhile: their work stays
                raise MeetingError(exc.messages) from None
    with store.write() as w:
        w.run("meeting_item_delete", {"meeting_id": meeting_id, "position": int(position)})


def meeting_items(store: Store, meeting_id: int) -> pd.DataFrame:
    """The decisions and actions of a meeting in order: position, kind, text, action_id and the action's
    date, owner, status and goal title (when it still exists)."""
    return store.query("meeting_items", {"meeting_id": meeting_id})


def check_attendees(attendees: str | None) -> str | None:
    """Who attended, as typed (one line); ``None`` when empty. Too long: ``MeetingError``."""
    clean = " ".join((attendees or "").split())
    if len(clean) > MAX_ATTENDEES:
        raise MeetingError([t("meeting.error_attendees_long", limit=MAX_ATTENDEES)])
    return clean or None


def end_meeting(
    store: Store,
    meeting_id: int,
    ended_at: dt.datetime,
    shown: list[str],
    person: access.Person,
    attendees: str | None = None,
) -> None:
    """Close the meeting: when it ended, the titles of the slides that were shown and who attended."""
    _require(store, person, meeting_id)
    present = check_attendees(attendees)
    with store.write() as w:
        w.run(
            "meeting_end",
            {
                "id": meeting_id,
                "ended_at": ended_at,
                "shown": json.dumps(list(shown), ensure_ascii=False),
                "attendees": present,
            },
        )


# -- the minutes (verslag) -------------------------------------------------------------------------------------
@dataclass
class Minutes:
    meeting_id: int
    coalition_id: str
    coalition_name: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    shown: list[str]
    decisions: list[str]
    actions: pd.DataFrame  # action_date, text (title), owner, status, goal_title
    demo: bool = False
    attendees: str | None = None  # as typed when the meeting was closed


def minutes(store: Store, meeting_id: int) -> Minutes:
    head = store.query("meeting_get", {"id": meeting_id})
    if head.empty:
        raise MeetingError([t("meeting.error_unknown", id=meeting_id)])
    row = head.iloc[0]
    items = meeting_items(store, meeting_id)
    try:
        shown = [str(s) for s in json.loads(row["shown"])] if isinstance(row["shown"], str) else []
    except ValueError:
        shown = []
    ended = row["ended_at"]
    return Minutes(
        meeting_id=int(row["id"]),
        coalition_id=row["coalition_id"],
        coalition_name=row["coalition_name"],
        started_at=pd.Timestamp(row["started_at"]).to_pydatetime(),
        ended_at=None if pd.isna(ended) else pd.Timestamp(ended).to_pydatetime(),
        shown=shown,
        decisions=list(items.loc[items["kind"] == "besluit", "text"]),
        actions=items[items["kind"] == "actie"].reset_index(drop=True),
        demo=store.is_demo(),
        attendees=row["attendees"] if isinstance(row["attendees"], str) and row["attendees"].strip() else None,
    )


def _when(m: Minutes) -> str:
    end = f"–{m.ended_at:%H:%M}" if m.ended_at else ""
    return t("meeting.minutes_when", date=fmt.date(m.started_at.date()), start=f"{m.started_at:%H:%M}", end=end)


def _action_line(r, escape) -> str:
    owner = r.owner if isinstance(r.owner, str) and r.owner else "–"
    goal = r.goal_title if isinstance(r.goal_title, str) and r.goal_title else None
    line = t(
        "meeting.minutes_action",
        date=fmt.day(r.action_date),
        title=escape(r.text),
        owner=escape(owner),
        status=t(f"action_status.{r.status}") if isinstance(r.status, str) else "–",
    )
    return line + (t("meeting.minutes_action_goal", goal=escape(goal)) if goal else "")


def minutes_markdown(m: Minutes) -> str:
    """The verslag as Markdown: user text as typed, inert where Markdown would read it as markup
    (``markdown.minutes_text``)."""
    esc = minutes_text
    out = [f"# {t('meeting.minutes_title', name=esc(m.coalition_name))}", ""]
    if m.demo:
        out += [f"**{t('demo_label.line')}**", ""]  # our own text: no escaping, it reads as typed
    out += [_when(m), "", f"## {t('meeting.minutes_attendees')}", ""]
    out += [esc(m.attendees) if m.attendees else t("meeting.minutes_none_attendees")]
    out += ["", f"## {t('meeting.minutes_shown')}", ""]
    out += [f"- {esc(s)}" for s in m.shown] or [t("meeting.minutes_none_shown")]
    out += ["", f"## {t('meeting.minutes_decisions')}", ""]
    out += [f"- {esc(d)}" for d in m.decisions] or [t("meeting.minutes_none_decisions")]
    out += ["", f"## {t('meeting.minutes_actions')}", ""]
    out += [f"- {_action_line(r, esc)}" for r in m.actions.itertuples()] or [t("meeting.minutes_none_actions")]
    out += ["", f"_{t('meeting.minutes_footer')}_", ""]
    return "\n".join(out)


def minutes_pdf(m: Minutes) -> bytes:
    """The verslag as a PDF (A4; DejaVu Sans when installed, else Helvetica with cp1252, as the council PDF)."""
    fonts = unicode_font_files()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    if fonts:
        pdf.add_font(FAMILY, "", str(fonts[0]))
        pdf.add_font(FAMILY, "B", str(fonts[1]))
        family = FAMILY
    else:
        pdf.core_fonts_encoding = "cp1252"
        family = "helvetica"
    title = t("meeting.minutes_title", name=m.coalition_name)
    pdf.set_title(f"{t('demo_label.watermark')}: {title}" if m.demo else title)
    pdf.set_lang("nl")
    pdf.add_page()

    def text(value: str) -> str:
        return value if fonts else to_cp1252(value)

    def para(value: str, size: float = 11, bold: bool = False, colour=INK, gap: float = 1.0) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.3528 * 1.35, text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + gap)

    def bullets(items: list[str], empty: str) -> None:
        for item in items:
            para(f"•  {item}", gap=0.6)
        if not items:
            para(empty, colour=GREY)

    def plain(value: object) -> str:
        return "" if value is None else str(value)

    para(t("meeting.minutes_title", name=m.coalition_name), size=17, bold=True, gap=1.5)
    para(_when(m), colour=GREY, gap=2)
    if m.demo:
        para(t("meeting.minutes_demo"), size=10, bold=True, colour=(120, 60, 0), gap=2)
    para(t("meeting.minutes_attendees"), size=13, bold=True, gap=1.2)
    para(m.attendees or t("meeting.minutes_none_attendees"), colour=INK if m.attendees else GREY)
    pdf.set_y(pdf.get_y() + 2.5)
    for heading, items, empty in (
        (t("meeting.minutes_shown"), m.shown, t("meeting.minutes_none_shown")),
        (t("meeting.minutes_decisions"), m.decisions, t("meeting.minutes_none_decisions")),
        (
            t("meeting.minutes_actions"),
            [_action_line(r, plain) for r in m.actions.itertuples()],
            t("meeting.minutes_none_actions"),
        ),
    ):
        para(heading, size=13, bold=True, gap=1.2)
        bullets(items, empty)
        pdf.set_y(pdf.get_y() + 2.5)
    para(t("meeting.minutes_footer"), size=9, colour=GREY)
    if m.demo:
        stamp_pdf(pdf, family, text)
    return bytes(pdf.output())
