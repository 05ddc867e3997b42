-- Schema version 5: who may do what.
--   role_assignments  one row per grant: a person (the sign-in's e-mail address, lower case) has a role, for one
--                     coalition when the role is per coalition (bewerker, coordinator), else for none.
-- The first beheerder(s) come from config.yaml (access.beheerders), never from this table alone, so a restored
-- backup cannot lock the beheerder out. A grant for a coalition that no longer exists grants nothing; it is not
-- an integrity error (undoing the plan import that made a coalition must stay possible).

CREATE TABLE role_assignments (
    identity     VARCHAR NOT NULL CHECK (length(identity) > 0 AND identity = lower(trim(identity))),
    role         VARCHAR NOT NULL CHECK (role IN ('kijker', 'bewerker', 'coordinator', 'pharos', 'beheerder')),
    coalition_id VARCHAR,
    granted_by   VARCHAR,
    granted_at   TIMESTAMP NOT NULL,
    CHECK ((role IN ('bewerker', 'coordinator')) = (coalition_id IS NOT NULL))
);
