// One breadth-first step of a neighbourhood: the nodes next to the frontier through HOLDS, OWNS,
// REGISTERED_AT, NAMES, AGAINST and SUPERVISED_BY (any direction) that are not yet seen.
// With $as_of set, only relationships held on that date are followed. Objections (AGAINST a
// finding) are records of a proceeding, not part of a network.
// Parameters: $ids (frontier element ids), $seen (element ids already in the network),
// $as_of (date or null), $limit (max nodes returned).
UNWIND $ids AS id
MATCH (x) WHERE elementId(x) = id
MATCH (x)-[r:HOLDS|OWNS|REGISTERED_AT|NAMES|AGAINST|SUPERVISED_BY]-(y)
WHERE NOT elementId(y) IN $seen AND NOT y:Objection
  AND ($as_of IS NULL
       OR ((r.start_date IS NULL OR r.start_date <= $as_of)
           AND (r.end_date IS NULL OR r.end_date >= $as_of)))
WITH DISTINCT y
ORDER BY elementId(y)
LIMIT $limit
RETURN elementId(y) AS element_id, labels(y) AS labels, properties(y) AS props
