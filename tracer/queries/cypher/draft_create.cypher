// Record a draft finding: a FindingDraft node with no relationship, so no check, work list,
// network, statistic or export ever meets it. No row when the id is taken meanwhile.
// Parameters: $draft (map of FindingDraft properties; named persons as parallel lists).
OPTIONAL MATCH (old:FindingDraft {finding_id: $draft.finding_id})
OPTIONAL MATCH (known:Finding {finding_id: $draft.finding_id})
WITH old, known WHERE old IS NULL AND known IS NULL
CREATE (d:FindingDraft)
SET d = $draft
RETURN d.finding_id AS finding_id
