"""Schema step 3: party fees — fee profiles, exemptions/reductions, payments, excuses, remittances, rule figures.

Months are 'YYYY-MM' text (they sort as they read); money is whole đồng in INTEGER. Arrears are never
stored: they are derived from dues and payments. Profiles are append-only (a change is a new row from
a month on); payments, reliefs, excuses, remittances and rule rows are cancelled, never deleted.
"""

SQL = """
CREATE TABLE fee_profile (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    effective_from TEXT NOT NULL CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    category TEXT NOT NULL CHECK (category IN ('bhxh', 'benefit', 'pension', 'student', 'other')),
    basis INTEGER CHECK (basis IS NULL OR basis >= 0),
    region INTEGER CHECK (region IS NULL OR region BETWEEN 1 AND 4),
    note TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL
);
CREATE INDEX fee_profile_member ON fee_profile (member_id, effective_from);
CREATE TRIGGER fee_profile_no_update BEFORE UPDATE ON fee_profile
BEGIN SELECT RAISE(ABORT, 'fee profiles are append-only'); END;
CREATE TABLE fee_relief (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (kind IN ('hardship', 'social_pension', 'reduction')),
    percent INTEGER NOT NULL CHECK (percent IN (30, 50, 70, 100)),
    from_month TEXT NOT NULL,
    to_month TEXT,
    reason TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    cancelled_at DATETIME,
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fee_relief_member ON fee_relief (member_id, from_month);
CREATE TABLE fee_payment (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    amount INTEGER NOT NULL CHECK (amount > 0),
    paid_on DATE NOT NULL,
    month_from TEXT NOT NULL,
    month_to TEXT NOT NULL CHECK (month_to >= month_from),
    channel TEXT NOT NULL DEFAULT 'cash' CHECK (channel IN ('cash', 'portal')),
    reference TEXT NOT NULL DEFAULT '',
    received_by TEXT NOT NULL DEFAULT '',
    receipt_no INTEGER,
    note TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    cancelled_at DATETIME,
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fee_payment_member ON fee_payment (member_id, month_from);
CREATE INDEX fee_payment_paid_on ON fee_payment (paid_on);
CREATE TABLE fee_excuse (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE RESTRICT,
    month TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at DATETIME NOT NULL,
    cancelled_at DATETIME
);
CREATE INDEX fee_excuse_member ON fee_excuse (member_id, month);
CREATE TABLE fee_remittance (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    paid_on DATE NOT NULL,
    channel TEXT NOT NULL DEFAULT 'cash' CHECK (channel IN ('cash', 'portal')),
    reference TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    cancelled_at DATETIME,
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fee_remittance_month ON fee_remittance (month);
CREATE TABLE fee_rule_value (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_at DATETIME NOT NULL,
    removed_at DATETIME
);
CREATE INDEX fee_rule_value_key ON fee_rule_value (key, effective_from);
"""
