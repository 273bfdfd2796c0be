// The HOLDS, OWNS, REGISTERED_AT, NAMES, AGAINST and SUPERVISED_BY relationships between the
// given nodes (with $nodes.as_of set, only those held on that date).
// Parameters: $nodes ({ids: element ids, as_of: date or null}: a map, one plan for every size
// and both kinds of date, as in network_expand), $limit (max relationships).
UNWIND $nodes.ids AS id
MATCH (x) WHERE elementId(x) = id
MATCH (x)-[r:HOLDS|OWNS|REGISTERED_AT|NAMES|AGAINST|SUPERVISED_BY]->(y)
WHERE elementId(y) IN $nodes.ids
  AND ($nodes.as_of IS NULL
       OR ((r.start_date IS NULL OR r.start_date <= $nodes.as_of)
           AND (r.end_date IS NULL OR r.end_date >= $nodes.as_of)))
WITH r, x, y
ORDER BY elementId(r)
LIMIT $limit
RETURN elementId(r) AS element_id, type(r) AS type, elementId(x) AS source,
       elementId(y) AS target, properties(r) AS props
