// fragment position_role: the role position `h` gives its holder (OWNS: SHAREHOLDER,
// REGISTERED_AT: REGISTERED_PRACTITIONER, HOLDS: its own role).
CASE type(h) WHEN 'OWNS' THEN 'SHAREHOLDER'
             WHEN 'REGISTERED_AT' THEN 'REGISTERED_PRACTITIONER'
             ELSE h.role END
