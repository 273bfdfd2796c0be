// The list types known to the graph, with their category (null when each finding gives one).
// No parameters. Returns: code, category. Bounded: list types are a small reference table.
MATCH (l:ListType)
RETURN l.code AS code, l.category AS category
ORDER BY code
LIMIT 10000
