// `tracer import`: what makes the database not empty for an offline import — any node but the
// audit log's checkpoints and the shipped reference tables (an override from an earlier load
// counts). Parameters: none. Returns: labels (of a kind of node found), nodes (how many).
MATCH (n)
WHERE NOT n:AuditCheckpoint
  AND NOT n:ReferenceChange
  AND NOT n:ReferenceState
  AND NOT (
    (n:Rule OR n:Measure OR n:ListType OR n:ListTypePeriod OR n:ListTypeMeasure
      OR n:BasicListEdition OR n:MeasureBasis)
    AND coalesce(n.origin, 'SHIPPED') = 'SHIPPED'
  )
RETURN labels(n) AS labels, count(*) AS nodes
ORDER BY nodes DESC
LIMIT 10
