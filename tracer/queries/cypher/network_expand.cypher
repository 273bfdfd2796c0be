// One breadth-first step of a neighbourhood: the nodes next to the frontier through HOLDS, OWNS,
// REGISTERED_AT, NAMES, AGAINST and SUPERVISED_BY (any direction) that are not yet seen.
// With $frontier.as_of set, only relationships held on that date are followed. Objections
// (AGAINST a finding) are records of a proceeding, not part of a network.
// Parameters: $frontier ({ids: frontier element ids, seen: element ids already in the network,
// as_of: date or null}: a map, so that one plan serves every size and both kinds of date —
// Neo4j plans a list parameter anew per size bucket, and a null anew), $limit (max nodes).
UNWIND $frontier.ids AS id
MATCH (x) WHERE elementId(x) = id
MATCH (x)-[r:HOLDS|OWNS|REGISTERED_AT|NAMES|AGAINST|SUPERVISED_BY]-(y)
WHERE NOT elementId(y) IN $frontier.seen AND NOT y:Objection
  AND ($frontier.as_of IS NULL
       OR ((r.start_date IS NULL OR r.start_date <= $frontier.as_of)
           AND (r.end_date IS NULL OR r.end_date >= $frontier.as_of)))
WITH DISTINCT y
ORDER BY elementId(y)
LIMIT $limit
RETURN elementId(y) AS element_id, labels(y) AS labels, properties(y) AS props
