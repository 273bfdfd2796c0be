// Finding ids whose stored status line must be (re)computed, in id order after $after: those
// without a line (a database from before lines existed); every finding with $everything (the
// default periods changed).
// Parameters: $after (string; '' to start), $everything (bool), $limit.
MATCH (f:Finding)
WHERE f.finding_id > $after
  AND ($everything OR f.line_from IS NULL)
RETURN f.finding_id AS finding_id
ORDER BY finding_id
LIMIT $limit
