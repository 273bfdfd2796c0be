"""Every Cypher statement (``cypher/*.cypher``) and the typed functions that run them."""
