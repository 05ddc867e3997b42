-- Schema version 6: who attended a meeting held in meeting mode.
--   meetings.attendees  as the meeting typed it ("Gemeente, GGD, verloskundigen, ouderpanel"); shown in the
--                       minutes. NULL for meetings before this version and when nobody was noted.

ALTER TABLE meetings ADD COLUMN attendees VARCHAR;
