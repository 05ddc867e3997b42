"""Vergadermodus: the coalition's meeting on a projector. One topic per screen (ambitions, each goal's curve,
actions since the last meeting, actions due next), advancing by button or every N seconds; record decisions
and actions live; close with a short verslag (Markdown and PDF). ``?embed=true`` for a kiosk or TV."""

import streamlit as st

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
slides = st.container()  # the slide on top; its controls under it
interval, playing = ui_meeting.controls()
with slides:
    ui_meeting.slide_show(store, deck, interval, playing)
if access.can(web.current_person(), "meeting", coalition.id):  # recording, undo and closing: else refused
    ui_meeting.record_panel(store, deck, state)
