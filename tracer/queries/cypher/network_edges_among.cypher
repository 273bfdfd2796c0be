// The HOLDS, OWNS, REGISTERED_AT, NAMES, AGAINST and SUPERVISED_BY relationships between the
// given nodes (with $as_of set, only those held on that date).
// Parameters: $ids (element ids), $as_of (date or null), $limit (max relationships).
UNWIND $ids AS id
MATCH (x) WHERE elementId(x) = id
MATCH (x)-[r:HOLDS|OWNS|REGISTERED_AT|NAMES|AGAINST|SUPERVISED_BY]->(y)
WHERE elementId(y) IN $ids
  AND ($as_of IS NULL
       OR ((r.start_date IS NULL OR r.start_date <= $as_of)
           AND (r.end_date IS NULL OR r.end_date >= $as_of)))
WITH r, x, y
ORDER BY elementId(r)
LIMIT $limit
RETURN elementId(r) AS element_id, type(r) AS type, elementId(x) AS source,
       elementId(y) AS target, properties(r) AS props
