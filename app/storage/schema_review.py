"""Schema step 6: the annual review — the season of each year, one row per member reviewed, the tasks behind
the grades, and the dated thresholds of who is reviewed and of the quota.

Scores are decimal text to the hundredth ('85.5'); grades and task statuses are the command line's codes.
A review row is current state (the secretary corrects it until the Đảng ủy decides); every write goes to
the change history. Thresholds are dated rows, cancelled and never deleted, like the fee rule figures.
"""

SQL = """
CREATE TABLE review_year (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 1930 AND 2200),
    review_date DATE NOT NULL,
    meeting_id INTEGER REFERENCES meeting (id) ON DELETE RESTRICT,
    criteria TEXT NOT NULL DEFAULT '',
    present INTEGER CHECK (present IS NULL OR present >= 0),
    cell_general TEXT,
    cell_tasks TEXT,
    cell_exceeded INTEGER,
    cell_self_grade TEXT,
    cell_final_grade TEXT,
    cell_final_reason TEXT NOT NULL DEFAULT '',
    cell_votes TEXT NOT NULL DEFAULT '',
    cell_strengths TEXT NOT NULL DEFAULT '',
    cell_shortcomings TEXT NOT NULL DEFAULT '',
    cell_remedies TEXT NOT NULL DEFAULT '',
    cell_plan TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE TABLE review_entry (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES review_year (year) ON DELETE RESTRICT,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    form TEXT NOT NULL DEFAULT '2C' CHECK (form IN ('2A', '2B', '2C')),
    general_score TEXT,
    task_score TEXT,
    exceeded INTEGER,
    shortcomings_remedied INTEGER NOT NULL DEFAULT 1,
    decline INTEGER NOT NULL DEFAULT 0,
    disciplined INTEGER NOT NULL DEFAULT 0,
    prohibitions INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    sick_months INTEGER NOT NULL DEFAULT 0 CHECK (sick_months BETWEEN 0 AND 12),
    maternity INTEGER NOT NULL DEFAULT 0,
    temporary_elsewhere INTEGER NOT NULL DEFAULT 0,
    temporary_comment TEXT NOT NULL DEFAULT '',
    works_elsewhere INTEGER NOT NULL DEFAULT 0,
    residence_comment TEXT NOT NULL DEFAULT '',
    strengths TEXT NOT NULL DEFAULT '',
    shortcomings TEXT NOT NULL DEFAULT '',
    remedies TEXT NOT NULL DEFAULT '',
    plan TEXT NOT NULL DEFAULT '',
    self_grade TEXT,
    self_reason TEXT NOT NULL DEFAULT '',
    committee_view TEXT NOT NULL DEFAULT '',
    committee_grade TEXT,
    cell_comments TEXT NOT NULL DEFAULT '',
    votes TEXT NOT NULL DEFAULT '',
    voters INTEGER CHECK (voters IS NULL OR voters >= 0),
    proposed_grade TEXT,
    proposed_reason TEXT NOT NULL DEFAULT '',
    final_grade TEXT,
    final_reason TEXT NOT NULL DEFAULT '',
    final_decision TEXT NOT NULL DEFAULT '',
    share_on_time TEXT,
    share_late TEXT,
    share_exceeded TEXT,
    share_reason TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL,
    UNIQUE (year, member_id)
);
CREATE TABLE review_task (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due_month TEXT NOT NULL CHECK (due_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    meeting_id INTEGER REFERENCES meeting (id) ON DELETE RESTRICT,
    status TEXT CHECK (status IS NULL OR status IN ('dung-han', 'vuot', 'cham', 'chua-xong')),
    checked_meeting_id INTEGER REFERENCES meeting (id) ON DELETE RESTRICT,
    note TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    cancelled_at DATETIME,
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_task_member ON review_task (member_id, due_month);
CREATE INDEX review_task_meeting ON review_task (meeting_id);
CREATE TABLE review_rule (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL CHECK (key IN ('min_months_since_admission', 'sick_months', 'quota_percent')),
    valid_from DATE NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    note TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    removed_at DATETIME
);
CREATE TRIGGER review_rule_no_delete BEFORE DELETE ON review_rule
BEGIN SELECT RAISE(ABORT, 'review rules are only ever removed'); END;
CREATE TRIGGER review_rule_only_cancel BEFORE UPDATE ON review_rule
WHEN NOT (OLD.removed_at IS NULL AND NEW.removed_at IS NOT NULL AND NEW.id IS OLD.id AND NEW.key IS OLD.key
          AND NEW.valid_from IS OLD.valid_from AND NEW.value IS OLD.value AND NEW.note IS OLD.note
          AND NEW.recorded_at IS OLD.recorded_at)
BEGIN SELECT RAISE(ABORT, 'review_rule rows are only ever cancelled'); END;
"""
