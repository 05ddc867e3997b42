-- Take an item back out of a meeting.
DELETE FROM meeting_items WHERE meeting_id = $meeting_id AND position = $position
