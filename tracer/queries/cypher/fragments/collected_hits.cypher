// fragment collected_hits: after a CALL of role_hits, named_hits and subject_hits — the hits as
// maps, one per (finding, rule, route), for the engine in Python (none when nothing was hit).
collect(CASE WHEN finding IS NOT NULL THEN
  {finding: finding, enterprise: enterprise, person: person, rule: rule, category: category,
   reference: reference, basis: basis, route: route, role: role, capacity: capacity,
   edge_type: edge_type, edge: edge, on_basis: on_basis, named: named, released: released,
   applies: applies, listed: listed} END)
