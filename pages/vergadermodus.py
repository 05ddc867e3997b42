"""Vergadermodus: the coalition's meeting on a projector. One topic per screen (ambitions, each goal's curve,
actions since the last meeting, actions due next), advancing by button, or every N seconds once switched on
(``?auto=true``; paused by default and when the browser asks for less motion); record decisions and actions
live, with who attended; close with a short verslag (Markdown and PDF). ``?embed=true`` for a kiosk or TV."""

from kansrijke import access, web
from kansrijke.core.i18n import t
from kansrijke.plan import overview
from kansrijke.web import meeting as ui_meeting

config, store, sel = web.page_context()
ui_meeting.projector_style()
today = overview.reference_day(store)

coalition = web.coalition_or_stop(store, sel, t("meeting.title"))

state = ui_meeting.current_meeting(coalition.id, today)
deck = ui_meeting.load_deck(store, config, sel, coalition, today, state["meeting_id"])
interval = ui_meeting.page_heading(coalition)  # the page's h1, seconds per slide, the way out
reduce = ui_meeting.reduced_motion()  # the browser asks for less motion: never advance by itself
ui_meeting.slide_show(store, deck, interval, ui_meeting.wanted_playing(reduce), reduce)
if access.can(web.current_person(), "meeting", coalition.id):  # recording, undo and closing: else refused
    ui_meeting.record_panel(store, deck, state)
