-- One member municipality of a coalition started by hand.
INSERT INTO coalition_members (coalition_id, municipality_code)
VALUES ($coalition_id, $code)
