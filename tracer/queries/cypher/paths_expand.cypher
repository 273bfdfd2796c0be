// One bounded breadth-first step of a path search: for each frontier node, at most $fanout of
// its HOLDS, OWNS, REGISTERED_AT, NAMES, AGAINST and SUPERVISED_BY relationships (any
// direction), read before any filter, so a hub (a department with thousands of enterprises)
// costs $fanout relationships, not its degree. `follow` tells whether the caller may follow
// one: held on $frontier.as_of when set, and not to an objection.
// Rows: source (frontier element id), rel (relationship element id), node (the neighbour),
// follow (boolean).
// Parameters: $frontier ({ids: frontier element ids bounded by the caller, as_of: date or
// null}: a map, so that one plan serves every frontier size and both kinds of date — Neo4j
// plans a list parameter anew per size bucket, and a null anew), $fanout (int).
UNWIND $frontier.ids AS id
MATCH (x) WHERE elementId(x) = id
CALL (x) {
  MATCH (x)-[r:HOLDS|OWNS|REGISTERED_AT|NAMES|AGAINST|SUPERVISED_BY]-(y)
  RETURN r, y
  LIMIT $fanout
}
RETURN id AS source, elementId(r) AS rel, elementId(y) AS node,
       NOT y:Objection
       AND ($frontier.as_of IS NULL
            OR ((r.start_date IS NULL OR r.start_date <= $frontier.as_of)
                AND (r.end_date IS NULL OR r.end_date >= $frontier.as_of))) AS follow
