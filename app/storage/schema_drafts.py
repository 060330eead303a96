"""Schema step 4: drafts — what the secretary is typing, kept between keystrokes until it is saved."""

# Plain SQL, run once by the migration ladder; later changes come as new steps, never edits here.
# A draft is not a record: it is written without a history entry and removed once its text is saved.
SQL = """
CREATE TABLE draft (
    key TEXT PRIMARY KEY,
    content TEXT NOT NULL,
    saved_at DATETIME NOT NULL
);
"""
