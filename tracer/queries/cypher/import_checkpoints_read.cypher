// `tracer import`: the audit log's checkpoints, read before the offline import replaces the
// store, so they are written back after it. Parameters: none. Returns: checkpoint (its
// properties).
MATCH (c:AuditCheckpoint)
RETURN properties(c) AS checkpoint
