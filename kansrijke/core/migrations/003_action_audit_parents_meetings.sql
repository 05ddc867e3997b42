-- Schema version 3: the coalition at work.
--   action_audit    every change to an action: who, when, what (fields before and after, as JSON)
--   parent_signals  short signals from parents (a quote, a spiegelgesprek, a signal; no personal data),
--                   linked to an ambition or a goal
--   meetings        a coalition meeting held in meeting mode, with what was shown and decided
--   self_assessments gets the coalition's reflection on the five lessons and the phase it set

CREATE TABLE action_audit (
    id          BIGINT PRIMARY KEY,      -- assigned by Writer.next_id under the write lock
    action_id   BIGINT NOT NULL,
    changed_at  TIMESTAMP NOT NULL,
    changed_by  VARCHAR,
    change      VARCHAR NOT NULL CHECK (change IN ('aangemaakt', 'gewijzigd', 'afgesloten', 'verwijderd', 'hersteld')),
    version     INTEGER NOT NULL,        -- the action's version after this change
    before      VARCHAR,                 -- JSON: the changed fields as they were (NULL when created)
    after       VARCHAR                  -- JSON: the changed fields as they became (NULL when deleted)
);
CREATE INDEX idx_audit_action ON action_audit (action_id, changed_at);

CREATE TABLE parent_signals (
    id           BIGINT PRIMARY KEY,
    coalition_id VARCHAR NOT NULL,
    ambition_id  VARCHAR,
    goal_id      VARCHAR,
    signal_date  DATE NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('citaat', 'spiegelgesprek', 'signaal')),
    text         VARCHAR NOT NULL CHECK (length(trim(text)) > 0),
    recorded_by  VARCHAR,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE meetings (
    id           BIGINT PRIMARY KEY,
    coalition_id VARCHAR NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    ended_at     TIMESTAMP,
    shown        VARCHAR,                -- JSON list of the slides shown
    notes        VARCHAR
);

CREATE TABLE meeting_items (
    meeting_id  BIGINT NOT NULL,
    position    INTEGER NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('besluit', 'actie')),
    text        VARCHAR NOT NULL CHECK (length(trim(text)) > 0),
    action_id   BIGINT,                  -- the action recorded for it (kind 'actie')
    PRIMARY KEY (meeting_id, position)
);

ALTER TABLE self_assessments ADD COLUMN phase SMALLINT;
ALTER TABLE self_assessments ADD COLUMN reflection VARCHAR;  -- JSON: lesson -> text
