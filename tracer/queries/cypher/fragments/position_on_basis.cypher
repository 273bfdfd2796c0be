// fragment position_on_basis: the position with properties `hp` was held on the day `basis`.
(hp.start_date IS NULL OR hp.start_date <= basis)
  AND (hp.end_date IS NULL OR hp.end_date >= basis)
