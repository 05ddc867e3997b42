-- Everyone who is beheerder through the table (the config seed access.beheerders comes on top).
SELECT DISTINCT identity FROM role_assignments WHERE role = 'beheerder' ORDER BY identity
