"""Schema step 2: cell meetings, their attendance, and the numbers given to the documents they issue."""

# Plain SQL, run once by the migration ladder; later changes come as new steps, never edits here.
SQL = """
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'thematic', 'combined', 'extraordinary')),
    date DATE NOT NULL,
    start_time TEXT,
    end_time TEXT,
    place TEXT NOT NULL DEFAULT '',
    chair_id INTEGER REFERENCES member (id) ON DELETE RESTRICT,
    minute_taker_id INTEGER REFERENCES member (id) ON DELETE RESTRICT,
    guests TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    task_month TEXT,
    agenda TEXT NOT NULL DEFAULT '',
    assessment TEXT NOT NULL DEFAULT '',
    next_tasks TEXT NOT NULL DEFAULT '',
    assignments TEXT NOT NULL DEFAULT '',
    thematic_content TEXT NOT NULL DEFAULT '',
    discussion TEXT NOT NULL DEFAULT '',
    self_assessment TEXT NOT NULL DEFAULT '',
    conclusions TEXT NOT NULL DEFAULT '',
    votes_for INTEGER CHECK (votes_for IS NULL OR votes_for >= 0),
    votes_against INTEGER CHECK (votes_against IS NULL OR votes_against >= 0),
    votes_other INTEGER CHECK (votes_other IS NULL OR votes_other >= 0),
    posted_to_handbook INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX meeting_date ON meeting (date);
-- One row per member marked at a meeting; a member with no row is "chưa điểm danh".
CREATE TABLE attendance (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    mark TEXT NOT NULL CHECK (mark IN ('present', 'excused', 'absent')),
    reason TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    UNIQUE (meeting_id, member_id)
);
CREATE INDEX attendance_member ON attendance (member_id);
-- R14: numbers run per document type through the committee term and are never reused in it.
CREATE TABLE document_number (
    id INTEGER PRIMARY KEY,
    doc_type TEXT NOT NULL,
    term_label TEXT NOT NULL DEFAULT '',
    number INTEGER NOT NULL CHECK (number > 0),
    meeting_id INTEGER REFERENCES meeting (id) ON DELETE RESTRICT,
    issued_on DATE NOT NULL,
    created_at DATETIME NOT NULL,
    UNIQUE (doc_type, term_label, number)
);
CREATE UNIQUE INDEX document_number_meeting ON document_number (doc_type, meeting_id);
"""
