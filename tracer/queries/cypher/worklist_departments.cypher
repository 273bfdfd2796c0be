// Departments (all, or those with the given codes), by code.
// Parameters: $codes (list of department codes, or null for all), $limit (max departments).
MATCH (d:Department)
WHERE $codes IS NULL OR d.code IN $codes
RETURN d {.code, .name, .kind, .region_code} AS department
ORDER BY d.code
LIMIT $limit
