// One red-list honour by id with its holder.
// Parameters: $honour_id. Returns: honour (properties), enterprise, person.
MATCH (h:Honour {honour_id: $honour_id})-[:GRANTED_TO]->(s)
RETURN h {.*} AS honour,
       CASE WHEN s:Enterprise THEN s {.uscc, .name} END AS enterprise,
       CASE WHEN s:Person THEN s {.id_type, .id_number, .name} END AS person
