-- Schema version 2: keep the history of a coalition's phase (the self-scan sets it),
-- backfilled from the phase each coalition had in version 1.

CREATE TABLE coalition_phases (
    coalition_id VARCHAR NOT NULL,
    since        DATE NOT NULL,
    phase        SMALLINT NOT NULL CHECK (phase BETWEEN 0 AND 5),
    note         VARCHAR,
    PRIMARY KEY (coalition_id, since)
);

INSERT INTO coalition_phases (coalition_id, since, phase, note)
SELECT id, coalesce(start_date, current_date), phase, 'overgenomen uit schema 1'
FROM coalitions;
