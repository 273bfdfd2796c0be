"""Credit reports (信用报告, DOMAIN §13): the content of a report on a subject and a date, its
canonical JSON sealed with a SHA-256 and an HMAC under a server key, the PDF that embeds that
JSON, and the verification of either file. Used by the CLI and the API (which may not import
each other's layers), on top of the queries."""
