// Departments (all, or those with the given codes) and the measure catalogue, so that the caller
// can decide which measures each department owns (its kind in the measure's department_kinds).
// Parameters: $codes (list of department codes, or null for all), $limit (max departments).
OPTIONAL MATCH (m:Measure)
WITH collect(m {.code, .department_kinds, .hits}) AS measures
OPTIONAL MATCH (d:Department)
WHERE $codes IS NULL OR d.code IN $codes
WITH measures, d
ORDER BY d.code
LIMIT $limit
RETURN measures, collect(d {.code, .name, .kind, .region_code}) AS departments
