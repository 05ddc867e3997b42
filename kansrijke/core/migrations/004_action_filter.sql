-- Schema version 4: the Actielog filter, written once.
--   matching_actions(...)  a table macro: the actions of one coalition that match the Actielog filters.
--                          Used by actions_search.sql (the table) and actions_by_month.sql (the timeline
--                          when too many match), so the two can never filter differently.
-- Arguments: coalition id; statuses, owners, goals (VARCHAR lists; a goal '' means "no goal"), principles
-- (SMALLINT list: any of them); date_from, date_to (DATE, inclusive); text (searched in title, description,
-- owner and partners, case-insensitive). An empty list, NULL or '' switches that filter off.

CREATE OR REPLACE MACRO matching_actions(f_coalition, f_statuses, f_owners, f_goals, f_principles,
                                         f_date_from, f_date_to, f_text) AS TABLE
    SELECT a.*
    FROM actions a
    WHERE a.coalition_id = f_coalition
      AND (len(CAST(f_statuses AS VARCHAR[])) = 0 OR list_contains(CAST(f_statuses AS VARCHAR[]), a.status))
      AND (len(CAST(f_owners AS VARCHAR[])) = 0 OR list_contains(CAST(f_owners AS VARCHAR[]), a.owner))
      AND (len(CAST(f_goals AS VARCHAR[])) = 0
           OR list_contains(CAST(f_goals AS VARCHAR[]), coalesce(a.goal_id, '')))
      AND (len(CAST(f_principles AS SMALLINT[])) = 0
           OR list_has_any(a.principles, CAST(f_principles AS SMALLINT[])))
      AND (CAST(f_date_from AS DATE) IS NULL OR a.action_date >= CAST(f_date_from AS DATE))
      AND (CAST(f_date_to AS DATE) IS NULL OR a.action_date <= CAST(f_date_to AS DATE))
      AND (coalesce(CAST(f_text AS VARCHAR), '') = '' OR contains(
              lower(concat_ws(' ', a.title, a.description, a.owner, array_to_string(a.partners, ' '))),
              lower(CAST(f_text AS VARCHAR))));
