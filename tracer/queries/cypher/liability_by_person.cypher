// Every (finding, rule) reaching each of many persons on $as_of as known at $known_at, in one
// round trip: by a role at the listed enterprise (fragment role_hits), by being named in the
// finding (named_hits) or by being the listed person (subject_hits). The flags on each hit let
// the caller tell a liability from an exposure; measures come from the reference tables.
// Positions and findings are reached from each person (unique index): the cost of a check does
// not grow with the size of the graph.
// Parameters: $people (list of {id_type, id_number}), $as_of (Date), $known_at (DateTime),
// $limit (max hits per person and route).
OPTIONAL MATCH (state:ReferenceState)
WITH state.stamp AS stamp
UNWIND range(0, size($people) - 1) AS i
WITH stamp, i, $people[i] AS q
OPTIONAL MATCH (p:Person {id_type: q.id_type, id_number: q.id_number})
OPTIONAL CALL (p) {
  WITH p WHERE p IS NOT NULL
  MATCH (p)-[h:HOLDS|OWNS|REGISTERED_AT]->(s:Enterprise)<-[:AGAINST]-(f:Finding)
  {{ role_hits }}
  LIMIT $limit
  UNION ALL
  WITH p WHERE p IS NOT NULL
  MATCH (p)<-[n:NAMES]-(f:Finding)-[:AGAINST]->(s:Enterprise)
  {{ named_hits }}
  LIMIT $limit
  UNION ALL
  WITH p WHERE p IS NOT NULL
  MATCH (p)<-[a:AGAINST]-(f:Finding)
  WITH p, a, p AS s, f
  {{ subject_hits }}
  LIMIT $limit
}
WITH stamp, i, q, p,
     {{ collected_hits }} AS hits
RETURN stamp, i, q.id_type AS id_type, q.id_number AS id_number, p IS NOT NULL AS known,
       p.name AS name, hits
ORDER BY i
