-- All municipalities with their characteristics, ordered by name.
SELECT code, name, province_code, province, ggd_region, population, urbanity, size_class, gids
FROM municipalities
ORDER BY name
