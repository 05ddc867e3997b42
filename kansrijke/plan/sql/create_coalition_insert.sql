-- A coalition started by hand (plan.create): phase 1 (Oriëntatie) from its start date.
INSERT INTO coalitions (id, name, phase, start_date, trekker)
VALUES ($id, $name, $phase, $start_date, NULL)
