// fragment person_released: true when person `p` is released from finding `f` on $as_of as
// known at $known_at — a WRONGFUL release voids the past, any other is prospective from its
// effective date, a suspension (an objection to one's own role) lasts until it is decided.
EXISTS {
  MATCH (f)-[x:RELEASES]->(p)
  WHERE x.recorded_at <= $known_at
    AND (x.wrongful
         OR (x.effective_on <= $as_of
             AND (x.until IS NULL OR x.until_recorded_at > $known_at OR $as_of < x.until)))
}
