// Findings whose period, as now known, ended before $today and whose status can still expire.
// Parameters: $today (Date), $statuses (list), $limit.
MATCH (f:Finding)
WHERE f.status IN $statuses AND last(f.term_until) < $today
RETURN f.finding_id AS finding_id
ORDER BY finding_id
LIMIT $limit
