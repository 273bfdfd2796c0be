// fragment reference_basis: the day `reference` points at for finding `f` (its decision for
// DECIDED_ON, else its act date, the decision when the act date is unknown).
CASE reference WHEN 'DECIDED_ON' THEN f.decided_on
               ELSE coalesce(f.act_date, f.decided_on) END
