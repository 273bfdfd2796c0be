// `tracer db reset`: delete one batch of nodes with their relationships (run until it deletes 0).
// The audit log's checkpoints (AuditCheckpoint) are kept: a reset does not touch the audit log.
// Parameters: $batch (int, nodes per transaction). Returns: deleted (nodes deleted).
MATCH (n)
WHERE NOT n:AuditCheckpoint
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
