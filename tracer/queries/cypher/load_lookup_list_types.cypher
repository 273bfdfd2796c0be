// The list types known to the graph, with the category of their latest version (null when each
// finding gives one). No parameters. Bounded: list types are a small reference table.
MATCH (l:ListType)
WITH l ORDER BY l.valid_from
WITH l.code AS code, last(collect(l.category)) AS category
RETURN code, category
ORDER BY code
LIMIT 10000
