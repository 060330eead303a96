"""Schema step 3: party fees — fee profiles, payments, rule settings (filled in by the fees work)."""

SQL = ""
