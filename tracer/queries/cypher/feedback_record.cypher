// Record one implementer feedback: an append-only Feedback node (MERGE on the caller-made
// feedback_id, so a retried write creates nothing new) linked
// (Department)-[:FEEDBACK]->(fb)-[:ON]->(Finding). No row when the department or finding is gone.
// Parameters: $feedback (map with the Feedback properties of docs/GRAPH_MODEL.md; null values are
// left out; recorded_at a DateTime).
MATCH (d:Department {code: $feedback.department})
MATCH (f:Finding {finding_id: $feedback.finding_id})
MERGE (fb:Feedback {feedback_id: $feedback.feedback_id})
ON CREATE SET fb = $feedback
MERGE (d)-[:FEEDBACK]->(fb)
MERGE (fb)-[:ON]->(f)
RETURN fb {.*} AS feedback
