"""Schema step 2: cell meetings, attendance and document numbers (filled in by the meetings work)."""

SQL = ""
