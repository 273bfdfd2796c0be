// Recorded reference-data changes (who, when, which row, before and after as JSON), newest first.
// Parameters: $limit.
MATCH (c:ReferenceChange)
RETURN c.change_id AS change_id, c.stem AS stem, c.version_id AS version_id, c.actor AS actor,
       c.at AS at, c.before AS before, c.after AS after
ORDER BY c.at DESC, c.change_id
LIMIT $limit
