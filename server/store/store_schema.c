/*
 * store_schema.c - the schema, as an ordered list of migrations keyed on
 * PRAGMA user_version.  A released migration is never edited: changes are
 * appended as a new entry.  Times are unix seconds (INTEGER); dates are
 * 'YYYY-MM-DD' text; periods are 'YYYY-MM' / 'YYYY-H1' text.
 */
#include <stddef.h>

static const char pw_schema_v1[] =
    /* ---- accounts (SPEC 3.1) ---- */
    "CREATE TABLE units("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  category TEXT NOT NULL CHECK (category IN ('county','department')),"
    "  active_from TEXT,"
    "  active_to TEXT,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE users("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin','office','reporter','viewer')),"
    "  unit_id TEXT REFERENCES units(id),"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  pw_hash TEXT NOT NULL,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  CHECK (role = 'reporter' OR unit_id IS NULL));"
    "CREATE TABLE sessions("
    "  token_hash BLOB PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    /* ---- audit trail (SPEC 3.7): append-only, no API edits it ---- */
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  user_name TEXT NOT NULL,"
    "  unit_id TEXT,"
    "  method TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  summary TEXT NOT NULL);"
    "CREATE INDEX audit_at ON audit(at);"
    /* ---- plans, indicators, targets (SPEC 3.2) ---- */
    "CREATE TABLE plans("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  tz_offset_min INTEGER NOT NULL DEFAULT 480,"
    "  due_day INTEGER NOT NULL DEFAULT 5,"
    "  cadence TEXT NOT NULL DEFAULT 'monthly' CHECK (cadence IN ('monthly','quarterly')),"
    "  first_year INTEGER NOT NULL,"
    "  last_year INTEGER NOT NULL,"
    "  imported_at INTEGER NOT NULL);"
    "CREATE TABLE indicators("
    "  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
    "  id TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  level1 TEXT NOT NULL,"
    "  level2 TEXT NOT NULL,"
    "  level3 TEXT NOT NULL,"
    "  uom TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('cumulative','level','milestone')),"
    "  direction TEXT NOT NULL CHECK (direction IN ('up','down')),"
    "  PRIMARY KEY (plan_id, id)) WITHOUT ROWID;"
    "CREATE TABLE indicator_units("
    "  plan_id TEXT NOT NULL,"
    "  indicator_id TEXT NOT NULL,"
    "  unit_id TEXT NOT NULL REFERENCES units(id),"
    "  role TEXT NOT NULL CHECK (role IN ('lead','coop')),"
    "  seq INTEGER NOT NULL,"
    "  PRIMARY KEY (plan_id, indicator_id, unit_id),"
    "  FOREIGN KEY (plan_id, indicator_id) REFERENCES indicators(plan_id, id)"
    "    ON DELETE CASCADE);"
    "CREATE INDEX indicator_units_unit ON indicator_units(unit_id);"
    /* unit_id '' = the plan-wide target.  Clustered by unit: a unit's
     * targets of a year (read on every submission) sit on a few adjacent
     * pages instead of one page per indicator. */
    "CREATE TABLE targets("
    "  plan_id TEXT NOT NULL,"
    "  indicator_id TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  unit_id TEXT NOT NULL DEFAULT '',"
    "  value REAL NOT NULL,"
    "  baseline REAL,"
    "  PRIMARY KEY (plan_id, unit_id, year, indicator_id),"
    "  FOREIGN KEY (plan_id, indicator_id) REFERENCES indicators(plan_id, id)"
    "    ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE INDEX targets_indicator ON targets(plan_id, indicator_id, year);"
    /* ---- score sheets (SPEC 3.5) ---- */
    "CREATE TABLE sheets("
    "  category TEXT PRIMARY KEY CHECK (category IN ('county','department')),"
    "  imported_at INTEGER NOT NULL);"
    "CREATE TABLE sheet_items("
    "  category TEXT NOT NULL REFERENCES sheets(category) ON DELETE CASCADE,"
    "  item INTEGER NOT NULL,"
    "  grp TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  max_points REAL NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  params TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (category, item));"
    /* ---- monthly reports (SPEC 3.3) ---- */
    "CREATE TABLE reports("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL REFERENCES plans(id),"
    "  unit_id TEXT NOT NULL REFERENCES units(id),"
    "  period TEXT NOT NULL,"
    "  first_received_at INTEGER NOT NULL,"
    "  deadline INTEGER NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'submitted'"
    "    CHECK (state IN ('submitted','accepted','returned')),"
    "  review_note TEXT,"
    "  reviewed_by TEXT,"
    "  reviewed_at INTEGER,"
    "  current_version INTEGER NOT NULL,"
    "  UNIQUE (plan_id, unit_id, period));"
    "CREATE INDEX reports_period ON reports(plan_id, period);"
    "CREATE TABLE report_versions("
    "  report_id INTEGER NOT NULL REFERENCES reports(id),"
    "  version INTEGER NOT NULL,"
    "  submission_id TEXT NOT NULL UNIQUE,"
    "  user_name TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  progress TEXT NOT NULL DEFAULT '',"
    "  problems TEXT NOT NULL DEFAULT '',"
    "  next_steps TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (report_id, version));"
    "CREATE TABLE report_values("
    "  report_id INTEGER NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  indicator_id TEXT NOT NULL,"
    "  value REAL,"     /* numeric kinds */
    "  milestone TEXT," /* not_started | in_progress | done */
    "  note TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (report_id, version, indicator_id)) WITHOUT ROWID;"
    /* unit_id '' = the whole period; a row per unit overrides it */
    "CREATE TABLE period_locks("
    "  plan_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  unit_id TEXT NOT NULL DEFAULT '',"
    "  locked INTEGER NOT NULL,"
    "  by_user TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (plan_id, period, unit_id));"
    "CREATE TABLE halfyear_reports("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL REFERENCES plans(id),"
    "  unit_id TEXT NOT NULL REFERENCES units(id),"
    "  period TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  submission_id TEXT NOT NULL UNIQUE,"
    "  user_name TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  deadline INTEGER NOT NULL,"
    "  body TEXT NOT NULL,"
    "  UNIQUE (plan_id, unit_id, period, version));"
    /* ---- office: findings, supervision, publication (SPEC 3.5, 3.6) ---- */
    "CREATE TABLE findings("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL REFERENCES plans(id),"
    "  unit_id TEXT NOT NULL REFERENCES units(id),"
    "  year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('item','falsification','bonus','penalty')),"
    "  item INTEGER,"
    "  points REAL,"
    "  count INTEGER,"
    "  amount REAL,"
    "  note TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  removed_at INTEGER,"
    "  removed_by TEXT,"
    "  removed_note TEXT);"
    "CREATE INDEX findings_unit ON findings(unit_id, year);"
    "CREATE TABLE supervision_items("
    "  id INTEGER PRIMARY KEY,"
    "  unit_id TEXT NOT NULL REFERENCES units(id),"
    "  text TEXT NOT NULL,"
    "  deadline TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','answered','closed')),"
    "  opened_by TEXT NOT NULL,"
    "  opened_at INTEGER NOT NULL,"
    "  closed_by TEXT,"
    "  closed_at INTEGER,"
    "  close_note TEXT);"
    "CREATE TABLE supervision_answers("
    "  id INTEGER PRIMARY KEY,"
    "  item_id INTEGER NOT NULL REFERENCES supervision_items(id),"
    "  user_name TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  text TEXT NOT NULL);"
    "CREATE TABLE publications("
    "  kind TEXT NOT NULL CHECK (kind IN ('dispatch','scores')),"
    "  plan_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  published_by TEXT NOT NULL,"
    "  published_at INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, plan_id, period));";

/* v2 (issue 17): copies of the database, for the operator and /metrics.
 * kind: 'backup' (planwatchd backup), 'pre-migration' (taken by the server
 * before it migrates an older database), 'before-restore' (the database a
 * restore replaced). */
static const char pw_schema_v2[] = "CREATE TABLE backup_log("
                                   "  id INTEGER PRIMARY KEY,"
                                   "  at INTEGER NOT NULL,"
                                   "  kind TEXT NOT NULL,"
                                   "  path TEXT NOT NULL,"
                                   "  bytes INTEGER NOT NULL);";

/* v3 (issue 10 item 3): stored bytes per report and per unit, so that the
 * caps on them cost one row read per submission.  A version's bytes are its
 * texts, submission id and user plus, per value, indicator id, milestone,
 * note and 8 (the number); a half-year version's its body, submission id and
 * user; a supervision answer's its text and user (server/svc/report.c and
 * supervise.c compute the same).  Existing rows are counted. */
static const char pw_schema_v3[] =
    "ALTER TABLE reports ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE unit_usage("
    "  unit_id TEXT PRIMARY KEY,"
    "  bytes INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "UPDATE reports SET bytes ="
    " COALESCE((SELECT SUM(length(CAST(progress AS BLOB)) + length(CAST(problems AS BLOB))"
    "   + length(CAST(next_steps AS BLOB)) + length(CAST(submission_id AS BLOB))"
    "   + length(CAST(user_name AS BLOB))) FROM report_versions v WHERE v.report_id = reports.id),"
    "   0)"
    " + COALESCE((SELECT SUM(length(CAST(indicator_id AS BLOB))"
    "   + length(CAST(COALESCE(milestone, '') AS BLOB)) + length(CAST(note AS BLOB)) + 8)"
    "   FROM report_values x WHERE x.report_id = reports.id), 0);"
    "INSERT INTO unit_usage(unit_id, bytes) SELECT unit_id, SUM(b) FROM ("
    " SELECT unit_id, bytes AS b FROM reports UNION ALL"
    " SELECT unit_id, length(CAST(body AS BLOB)) + length(CAST(submission_id AS BLOB))"
    "   + length(CAST(user_name AS BLOB)) FROM halfyear_reports UNION ALL"
    " SELECT i.unit_id, length(CAST(a.text AS BLOB)) + length(CAST(a.user_name AS BLOB))"
    "   FROM supervision_answers a JOIN supervision_items i ON i.id = a.item_id)"
    " GROUP BY unit_id;";

/* v4: the office's record (issue 12, SPEC 3.3, 3.5, 3.8). */
static const char pw_schema_v4[] =
    /* flag settings of a category's sheet (SPEC 3.5) */
    "ALTER TABLE sheets ADD COLUMN commend_top INTEGER NOT NULL DEFAULT 3;"
    "ALTER TABLE sheets ADD COLUMN criticise_bottom INTEGER NOT NULL DEFAULT 2;"
    /* the office's last word on a unit's flag for a scores period */
    "CREATE TABLE score_flags("
    "  plan_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  unit_id TEXT NOT NULL REFERENCES units(id),"
    "  flag TEXT NOT NULL CHECK (flag IN ('commend','criticise','none')),"
    "  reason TEXT NOT NULL,"
    "  by_user TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY (plan_id, period, unit_id));"
    /* deadline extensions (SPEC 3.3); unit_id '' = every unit, a unit's row
     * wins over it; until = unix seconds of the last second of the day */
    "CREATE TABLE deadline_extensions("
    "  plan_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  unit_id TEXT NOT NULL DEFAULT '',"
    "  until INTEGER NOT NULL,"
    "  until_date TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  by_user TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY (plan_id, period, unit_id));"
    /* frozen publications (SPEC 3.8): the packed reply as published, one row
     * per version; never updated or deleted */
    "CREATE TABLE publication_versions("
    "  kind TEXT NOT NULL CHECK (kind IN ('dispatch','scores')),"
    "  plan_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  published_by TEXT NOT NULL,"
    "  published_at INTEGER NOT NULL,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  body BLOB NOT NULL,"
    "  PRIMARY KEY (kind, plan_id, period, version));"
    /* what release 0.1.0 published kept no content: it becomes version 1
     * with an empty body, which readers compute as that release did
     * (server/svc/publish.c) until the office publishes a correction */
    "INSERT INTO publication_versions(kind, plan_id, period, version, published_by,"
    "  published_at, reason, body)"
    "  SELECT kind, plan_id, period, 1, published_by, published_at, '', x'' FROM publications;"
    "CREATE TRIGGER publication_versions_no_update BEFORE UPDATE ON publication_versions"
    "  BEGIN SELECT RAISE(ABORT, 'the published record cannot be changed'); END;"
    "CREATE TRIGGER publication_versions_no_delete BEFORE DELETE ON publication_versions"
    "  BEGIN SELECT RAISE(ABORT, 'the published record cannot be changed'); END;";

/* v5 - the plan model of real plans (issue 13, SPEC 3.2): revisions of a
 * plan (every indicator, unit link and target belongs to a revision `rev`;
 * revision 0 is the import, later ones come from `plan revise` and apply
 * from their effective month on), kinds threshold and task, direction band,
 * responsible units (role 'resp'), the aggregate of several leads, the
 * tolerance of a band and the due month of milestones and tasks.  The three
 * tables are rebuilt (their CHECKs and keys change); the children go first
 * so that no cascade fires. */
static const char pw_schema_v5[] =
    "CREATE TABLE plan_revisions("
    "  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
    "  rev INTEGER NOT NULL,"
    "  effective TEXT NOT NULL," /* 'YYYY-MM'; revision 0: '0000-00' */
    "  reason TEXT NOT NULL DEFAULT '',"
    "  by_user TEXT NOT NULL DEFAULT '',"
    "  at INTEGER NOT NULL,"
    "  indicators INTEGER NOT NULL DEFAULT 0,"
    "  targets INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (plan_id, rev));"
    "INSERT INTO plan_revisions(plan_id, rev, effective, reason, by_user, at, indicators, targets)"
    "  SELECT id, 0, '0000-00', 'import', '', imported_at,"
    "  (SELECT count(*) FROM indicators i WHERE i.plan_id = plans.id),"
    "  (SELECT count(*) FROM targets t WHERE t.plan_id = plans.id) FROM plans;"
    "CREATE TABLE indicators_v2("
    "  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
    "  rev INTEGER NOT NULL DEFAULT 0,"
    "  id TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  level1 TEXT NOT NULL,"
    "  level2 TEXT NOT NULL,"
    "  level3 TEXT NOT NULL,"
    "  uom TEXT NOT NULL,"
    "  kind TEXT NOT NULL"
    "    CHECK (kind IN ('cumulative','level','milestone','threshold','task')),"
    "  direction TEXT NOT NULL CHECK (direction IN ('up','down','band')),"
    "  aggregate TEXT NOT NULL DEFAULT ''"
    "    CHECK (aggregate IN ('','sum','mean','min','max','first')),"
    "  PRIMARY KEY (plan_id, rev, id)) WITHOUT ROWID;"
    "CREATE TABLE indicator_units_v2("
    "  plan_id TEXT NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 0,"
    "  indicator_id TEXT NOT NULL,"
    "  unit_id TEXT NOT NULL REFERENCES units(id),"
    "  role TEXT NOT NULL CHECK (role IN ('lead','coop','resp')),"
    "  seq INTEGER NOT NULL,"
    "  PRIMARY KEY (plan_id, rev, indicator_id, unit_id),"
    "  FOREIGN KEY (plan_id, rev, indicator_id) REFERENCES indicators_v2(plan_id, rev, id)"
    "    ON DELETE CASCADE);"
    "CREATE TABLE targets_v2("
    "  plan_id TEXT NOT NULL,"
    "  rev INTEGER NOT NULL DEFAULT 0,"
    "  indicator_id TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  unit_id TEXT NOT NULL DEFAULT '',"
    "  value REAL NOT NULL,"
    "  baseline REAL,"
    "  tolerance REAL,"
    "  due TEXT," /* 'YYYY-MM' (milestones and tasks) */
    "  PRIMARY KEY (plan_id, rev, unit_id, year, indicator_id),"
    "  FOREIGN KEY (plan_id, rev, indicator_id) REFERENCES indicators_v2(plan_id, rev, id)"
    "    ON DELETE CASCADE) WITHOUT ROWID;"
    "INSERT INTO indicators_v2(plan_id, rev, id, seq, level1, level2, level3, uom, kind,"
    "  direction) SELECT plan_id, 0, id, seq, level1, level2, level3, uom, kind, direction"
    "  FROM indicators;"
    "INSERT INTO indicator_units_v2(plan_id, rev, indicator_id, unit_id, role, seq)"
    "  SELECT plan_id, 0, indicator_id, unit_id, role, seq FROM indicator_units;"
    "INSERT INTO targets_v2(plan_id, rev, indicator_id, year, unit_id, value, baseline)"
    "  SELECT plan_id, 0, indicator_id, year, unit_id, value, baseline FROM targets;"
    "DROP TABLE targets;"
    "DROP TABLE indicator_units;"
    "DROP TABLE indicators;"
    "ALTER TABLE indicators_v2 RENAME TO indicators;"
    "ALTER TABLE indicator_units_v2 RENAME TO indicator_units;"
    "ALTER TABLE targets_v2 RENAME TO targets;"
    "CREATE INDEX indicator_units_unit ON indicator_units(unit_id);"
    "CREATE INDEX targets_indicator ON targets(plan_id, rev, indicator_id, year);";

/* v6 - the materialised current state of the reported values (issue 18,
 * state.c): one row per (plan, unit, year) with every indicator's value of
 * every month (the current version of each month's report), and which
 * version of each report it holds.  The rows are filled from the existing
 * reports by pw_store_state_sync when the server opens the database (it
 * finds every report of an upgraded database missing from report_state). */
static const char pw_schema_v6[] =
    "CREATE TABLE value_state("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL,"
    "  unit_id TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  series BLOB NOT NULL,"
    "  UNIQUE (plan_id, unit_id, year));"
    "CREATE INDEX value_state_year ON value_state(plan_id, year, unit_id);"
    "CREATE TABLE report_state("
    "  report_id INTEGER PRIMARY KEY,"
    "  version INTEGER NOT NULL);";

/* v7 - the stored assignments (issue 18, assign.c): per (plan, revision,
 * year, unit) the unit's indicators with their targets, and which
 * (plan, revision)s are built.  Any change to the plan's tables, by the
 * server or anyone else, drops the mark (the triggers): readers then use
 * the plan's tables and the server rebuilds the copy when it opens the
 * database (pw_store_assign_sync), which also fills it after this upgrade. */
static const char pw_schema_v7[] =
    "CREATE TABLE assign_state("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL,"
    "  rev INTEGER NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  unit_id TEXT NOT NULL,"
    "  rows BLOB NOT NULL,"
    "  UNIQUE (plan_id, rev, year, unit_id));"
    "CREATE TABLE assign_built("
    "  plan_id TEXT NOT NULL,"
    "  rev INTEGER NOT NULL,"
    "  PRIMARY KEY (plan_id, rev)) WITHOUT ROWID;"
    "CREATE TRIGGER targets_insert_assign AFTER INSERT ON targets BEGIN"
    " DELETE FROM assign_built WHERE plan_id = NEW.plan_id AND rev = NEW.rev; END;"
    "CREATE TRIGGER targets_update_assign AFTER UPDATE ON targets BEGIN"
    " DELETE FROM assign_built WHERE plan_id = OLD.plan_id AND rev = OLD.rev; DELETE FROM "
    "assign_built WHERE plan_id = NEW.plan_id AND rev = NEW.rev; END;"
    "CREATE TRIGGER targets_delete_assign AFTER DELETE ON targets BEGIN"
    " DELETE FROM assign_built WHERE plan_id = OLD.plan_id AND rev = OLD.rev; END;"
    "CREATE TRIGGER indicators_insert_assign AFTER INSERT ON indicators BEGIN"
    " DELETE FROM assign_built WHERE plan_id = NEW.plan_id AND rev = NEW.rev; END;"
    "CREATE TRIGGER indicators_update_assign AFTER UPDATE ON indicators BEGIN"
    " DELETE FROM assign_built WHERE plan_id = OLD.plan_id AND rev = OLD.rev; DELETE FROM "
    "assign_built WHERE plan_id = NEW.plan_id AND rev = NEW.rev; END;"
    "CREATE TRIGGER indicators_delete_assign AFTER DELETE ON indicators BEGIN"
    " DELETE FROM assign_built WHERE plan_id = OLD.plan_id AND rev = OLD.rev; END;"
    "CREATE TRIGGER indicator_units_insert_assign AFTER INSERT ON indicator_units BEGIN"
    " DELETE FROM assign_built WHERE plan_id = NEW.plan_id AND rev = NEW.rev; END;"
    "CREATE TRIGGER indicator_units_update_assign AFTER UPDATE ON indicator_units BEGIN"
    " DELETE FROM assign_built WHERE plan_id = OLD.plan_id AND rev = OLD.rev; DELETE FROM "
    "assign_built WHERE plan_id = NEW.plan_id AND rev = NEW.rev; END;"
    "CREATE TRIGGER indicator_units_delete_assign AFTER DELETE ON indicator_units BEGIN"
    " DELETE FROM assign_built WHERE plan_id = OLD.plan_id AND rev = OLD.rev; END;";

const char *const pw_schema_migrations[] = {pw_schema_v1, pw_schema_v2, pw_schema_v3, pw_schema_v4,
                                            pw_schema_v5, pw_schema_v6, pw_schema_v7};
const int pw_schema_migration_count = 7;
