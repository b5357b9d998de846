-- 工作评议 (docs/appraisals.md; 003 人大代表评议站所办工作制度): an NPC body
-- appraises units in the fourth quarter, step by step (收集意见, 评议会议,
-- 民意测评, 评议意见, 整改, 督办), and follows each unit's rectification
-- items until they are accepted.

CREATE TABLE appraisals (
	id              INTEGER PRIMARY KEY,
	org_id          INTEGER NOT NULL REFERENCES orgs (id), -- the appraising NPC body
	region_code     TEXT NOT NULL,                         -- the body's: scope
	year            INTEGER NOT NULL,
	title           TEXT NOT NULL,
	scheduled_on    TEXT NOT NULL,            -- Beijing day, 2006-01-02
	schedule_reason TEXT NOT NULL DEFAULT '', -- why outside the fourth quarter
	status          TEXT NOT NULL,
	activity_id     INTEGER REFERENCES activities (id), -- the appraisal meeting
	created_by      INTEGER REFERENCES users (id),
	version         INTEGER NOT NULL DEFAULT 1,
	created_at      TIMESTAMP NOT NULL,
	updated_at      TIMESTAMP NOT NULL
);
-- The list by year within a region subtree.
CREATE INDEX appraisals_year_region ON appraisals (year, region_code);

-- The appraised units: the report each gave the meeting, the tally of its
-- 民意测评 (paper counts, or its ballot), the appraisal opinions it was sent.
CREATE TABLE appraisal_units (
	appraisal_id INTEGER NOT NULL REFERENCES appraisals (id),
	unit_id      INTEGER NOT NULL REFERENCES orgs (id),
	position     INTEGER NOT NULL,
	report       TEXT NOT NULL DEFAULT '',
	findings     TEXT NOT NULL DEFAULT '',
	satisfied    INTEGER NOT NULL DEFAULT 0,
	basic        INTEGER NOT NULL DEFAULT 0,
	unsatisfied  INTEGER NOT NULL DEFAULT 0,
	ballot_id    INTEGER,
	PRIMARY KEY (appraisal_id, unit_id)
);
-- A unit's handlers find the appraisals of their unit.
CREATE INDEX appraisal_units_unit ON appraisal_units (unit_id);

-- The steps as recorded, each once.
CREATE TABLE appraisal_steps (
	appraisal_id INTEGER NOT NULL REFERENCES appraisals (id),
	step         TEXT NOT NULL,
	done_on      TEXT NOT NULL, -- the day it happened
	note         TEXT NOT NULL DEFAULT '',
	recorded_by  INTEGER REFERENCES users (id),
	recorded_at  TIMESTAMP NOT NULL,
	PRIMARY KEY (appraisal_id, step)
);

-- Opinions collected about the units (收集意见): existing cases.
CREATE TABLE appraisal_cases (
	appraisal_id INTEGER NOT NULL REFERENCES appraisals (id),
	case_id      INTEGER NOT NULL REFERENCES cases (id),
	PRIMARY KEY (appraisal_id, case_id)
);

-- Rectification items (整改事项). chased_at is set when the overdue notice
-- went out, so the sweep chases an item once.
CREATE TABLE rectifications (
	id            INTEGER PRIMARY KEY,
	appraisal_id  INTEGER NOT NULL REFERENCES appraisals (id),
	unit_id       INTEGER NOT NULL REFERENCES orgs (id),
	text          TEXT NOT NULL,
	due_on        TEXT NOT NULL, -- Beijing day
	status        TEXT NOT NULL,
	report        TEXT NOT NULL DEFAULT '',
	return_reason TEXT NOT NULL DEFAULT '',
	chased_at     TIMESTAMP,
	created_by    INTEGER REFERENCES users (id),
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TIMESTAMP NOT NULL,
	updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX rectifications_appraisal ON rectifications (appraisal_id, unit_id);
-- The chase sweep: items still at work, by due day, not yet chased.
CREATE INDEX rectifications_due ON rectifications (due_on) WHERE chased_at IS NULL AND status IN ('open', 'returned');
