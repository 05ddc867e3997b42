-- Schema version 1: the first release.
-- The database refuses bad rows itself (NOT NULL, CHECK, PRIMARY KEY, and FOREIGN KEY to the
-- municipalities, which imports never delete). Links inside a coalition's plan (member -> coalition,
-- goal -> ambition, result/action -> goal, ...) are checked by sql/queries/integrity.sql at the end of
-- every write transaction instead: DuckDB refuses to delete a parent row in the transaction that
-- deleted its children (duckdb/duckdb#13819), which replacing or undoing a plan needs.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE municipalities (
    code          VARCHAR PRIMARY KEY CHECK (regexp_full_match(code, 'GM[0-9]{4}')),
    name          VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL,
    province      VARCHAR NOT NULL,
    ggd_region    VARCHAR,
    population    INTEGER NOT NULL CHECK (population >= 0),
    urbanity      SMALLINT NOT NULL CHECK (urbanity BETWEEN 1 AND 5),
    size_class    VARCHAR NOT NULL,
    gids          BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE coalitions (
    id         VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    phase      SMALLINT NOT NULL CHECK (phase BETWEEN 0 AND 5),
    start_date DATE,
    trekker    VARCHAR
);

CREATE TABLE coalition_members (
    coalition_id      VARCHAR NOT NULL,
    municipality_code VARCHAR NOT NULL REFERENCES municipalities (code),
    PRIMARY KEY (coalition_id, municipality_code)
);

CREATE TABLE ambitions (
    id           VARCHAR PRIMARY KEY,
    coalition_id VARCHAR NOT NULL,
    position     SMALLINT NOT NULL DEFAULT 1,
    title        VARCHAR NOT NULL,
    description  VARCHAR,
    horizon_year INTEGER
);

CREATE TABLE goals (
    id             VARCHAR PRIMARY KEY,
    ambition_id    VARCHAR NOT NULL,
    position       SMALLINT NOT NULL DEFAULT 1,
    title          VARCHAR NOT NULL,
    indicator_id   VARCHAR,
    baseline_value DOUBLE,
    baseline_year  INTEGER,
    target_value   DOUBLE,
    target_year    INTEGER,
    owner          VARCHAR,
    CHECK (target_year IS NULL OR baseline_year IS NULL OR target_year >= baseline_year)
);

CREATE TABLE results (
    id          VARCHAR PRIMARY KEY,
    ambition_id VARCHAR NOT NULL,
    goal_id     VARCHAR,
    title       VARCHAR NOT NULL,
    target      DOUBLE NOT NULL CHECK (target >= 0),
    realised    DOUBLE NOT NULL DEFAULT 0 CHECK (realised >= 0),
    unit        VARCHAR NOT NULL,
    due_date    DATE,
    updated_on  DATE
);

CREATE TABLE indicator_values (
    municipality_code VARCHAR NOT NULL REFERENCES municipalities (code),
    indicator_id      VARCHAR NOT NULL,
    period            INTEGER NOT NULL CHECK (period BETWEEN 1900 AND 2100),
    value             DOUBLE,
    numerator         BIGINT CHECK (numerator >= 0),
    denominator       BIGINT CHECK (denominator >= 0),
    source            VARCHAR NOT NULL,
    reference_date    DATE,
    data_status       VARCHAR NOT NULL DEFAULT 'definitief'
                      CHECK (data_status IN ('voorlopig', 'definitief', 'herzien', 'ingetrokken')),
    PRIMARY KEY (municipality_code, indicator_id, period),
    CHECK (numerator IS NULL OR denominator IS NULL OR numerator <= denominator OR indicator_id = 'levendgeborenen')
);

CREATE TABLE national_values (
    indicator_id   VARCHAR NOT NULL,
    period         INTEGER NOT NULL CHECK (period BETWEEN 1900 AND 2100),
    value          DOUBLE NOT NULL,
    numerator      BIGINT CHECK (numerator >= 0),
    denominator    BIGINT CHECK (denominator >= 0),
    source         VARCHAR NOT NULL,
    reference_date DATE,
    data_status    VARCHAR NOT NULL DEFAULT 'definitief'
                   CHECK (data_status IN ('voorlopig', 'definitief', 'herzien', 'ingetrokken')),
    PRIMARY KEY (indicator_id, period)
);

CREATE TABLE actions (
    id           BIGINT PRIMARY KEY,   -- assigned by Writer.next_id under the write lock
    coalition_id VARCHAR NOT NULL,
    action_date  DATE NOT NULL,
    title        VARCHAR NOT NULL CHECK (length(trim(title)) > 0),
    description  VARCHAR,
    owner        VARCHAR,
    status       VARCHAR NOT NULL CHECK (status IN ('gepland', 'lopend', 'afgerond', 'vervallen')),
    goal_id      VARCHAR,
    principles   SMALLINT[] NOT NULL DEFAULT [],
    partners     VARCHAR[] NOT NULL DEFAULT [],
    level        VARCHAR CHECK (level IN ('bestuurlijk', 'uitvoerend')),
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE self_assessments (
    id           VARCHAR PRIMARY KEY,
    coalition_id VARCHAR NOT NULL,
    assessed_on  DATE NOT NULL,
    assessed_by  VARCHAR
);

CREATE TABLE self_assessment_scores (
    assessment_id VARCHAR NOT NULL,
    dimension     VARCHAR NOT NULL,   -- basis_1..basis_5, principe_1..principe_10, les_1..les_5
    score         SMALLINT CHECK (score BETWEEN 0 AND 3),  -- niet, gestart, grotendeels, volledig
    note          VARCHAR,
    PRIMARY KEY (assessment_id, dimension)
);

CREATE TABLE import_log (
    id            BIGINT PRIMARY KEY,  -- assigned by Writer.next_id under the write lock
    file_name     VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    imported_by   VARCHAR,
    imported_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    kind          VARCHAR NOT NULL,
    rows_added    INTEGER NOT NULL DEFAULT 0,
    rows_changed  INTEGER NOT NULL DEFAULT 0,
    rows_removed  INTEGER NOT NULL DEFAULT 0,
    outcome       VARCHAR NOT NULL CHECK (outcome IN ('geimporteerd', 'ongedaan')),
    details       VARCHAR
);

-- What an import replaced, so it can be undone: per table the keys of the rows it wrote and the rows it
-- changed or removed as they were before (Parquet bytes).
CREATE TABLE import_undo (
    import_id  BIGINT NOT NULL REFERENCES import_log (id),
    table_name VARCHAR NOT NULL,
    new_keys   BLOB NOT NULL,   -- keys of the rows the import wrote (added or changed)
    old_rows   BLOB NOT NULL,   -- the rows it changed or removed, as they were
    PRIMARY KEY (import_id, table_name)
);

CREATE INDEX idx_values_indicator ON indicator_values (indicator_id, period);
CREATE INDEX idx_actions_coalition ON actions (coalition_id, action_date);
