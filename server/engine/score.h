/*
 * score.h - THE scoring engine: 100-point score sheets, totals, grades,
 * rankings and flags, with an explanation for every point (SPEC 3.5).
 *
 * Pure functions: no I/O, no SQLite, no clock, no globals.  Deterministic and
 * thread-safe.  Inputs are borrowed (the caller owns them and may free them
 * as soon as a call returns); the only thing this module allocates is the
 * pw_score_result of pw_score_evaluate, released with pw_score_result_free.
 * Out-pointers are written only on success.  Status codes are those of
 * common/status.h: PW_OK, PW_INVALID_ARGUMENT (bad input, with a message in
 * err), PW_RESOURCE_EXHAUSTED (out of memory).
 *
 * Every `err` buffer may be NULL (or errlen 0); otherwise it receives a
 * NUL-terminated English message on failure, truncated to errlen.
 *
 * Dates are the caller's business (common/period.h): it gives this module the
 * window's months, and for every month and half-year whether the deadline has
 * passed at the time of scoring and what was received.
 */
#ifndef PW_SERVER_SCORE_H
#define PW_SERVER_SCORE_H

#include <stddef.h>
#include <stdint.h>

/* ---- sheet items --------------------------------------------------------- */

/* XX(enum suffix, name in the sheet CSV, 1 = deduction kind / 0 = award kind,
 *    1 = computed by the server / 0 = fed by office findings) */
#define PW_SCORE_KIND_MAP(XX)                                                                      \
    XX(MONTHLY_TIMELINESS, "monthly_timeliness", 1, 1)                                             \
    XX(HALFYEAR_REPORTS, "halfyear_reports", 1, 1)                                                 \
    XX(WORK_PERFORMANCE, "work_performance", 1, 1)                                                 \
    XX(PER_EVENT, "per_event", 1, 0)                                                               \
    XX(MANUAL, "manual", 1, 0)                                                                     \
    XX(ALL_OR_NOTHING, "all_or_nothing", 1, 0)                                                     \
    XX(PER_AMOUNT, "per_amount", 0, 0)                                                             \
    XX(SUPERVISION, "supervision", 1, 1)

typedef enum pw_score_kind {
#define PW_SCORE_KIND_ENUM(sym, name, deduction, computed) PW_SCORE_##sym,
    PW_SCORE_KIND_MAP(PW_SCORE_KIND_ENUM)
#undef PW_SCORE_KIND_ENUM
        PW_SCORE_KIND_COUNT
} pw_score_kind;

/*
 * pw_score_kind_name - "per_event" for PW_SCORE_PER_EVENT; "?" outside the
 * enum.  pw_score_kind_from_name - the reverse; -1 when unknown or NULL.
 * pw_score_kind_is_computed - 1 for the kinds the server computes from
 * reports and indicators (no findings accepted), 0 for finding-fed kinds,
 * -1 outside the enum.
 */
const char *pw_score_kind_name(pw_score_kind kind);
int pw_score_kind_from_name(const char *name);
int pw_score_kind_is_computed(pw_score_kind kind);

/* Parameters of an item; which ones a kind reads (and their defaults):
 *   monthly_timeliness  deduct (0.5)     halfyear_reports  deduct (2)
 *   per_event           deduct (1)       per_amount        per (1000), award (0.5), cap (4)
 *   supervision         deduct (1)
 *   work_performance, manual, all_or_nothing: none.
 * Fields a kind does not read are 0. */
typedef struct pw_score_params {
    double deduct;
    double per;
    double award;
    double cap;
} pw_score_params;

/*
 * pw_score_params_parse - parse the `params` column of a sheet row:
 * "key=value" pairs separated by ';' (spaces around keys and values and
 * empty pairs such as a trailing ';' are ignored; NULL or "" = all defaults).
 *
 * Values are plain decimals (digits with an optional '.' and fraction, an
 * optional leading '+'), parsed without regard to the C locale.  Refused with
 * PW_INVALID_ARGUMENT and a message naming the key: a key the kind does not
 * take, a key given twice, a pair without '=', a value that is not a number,
 * a negative value, per == 0, an unknown kind.  On PW_OK writes *out (missing
 * keys take their defaults).
 */
int pw_score_params_parse(pw_score_kind kind, const char *text, pw_score_params *out, char *err,
                          size_t errlen);

/* One row of a score sheet.  Strings are borrowed. */
typedef struct pw_score_item {
    int number;          /* the item number printed on the sheet, > 0 */
    const char *group;   /* group heading, display only (may be NULL) */
    const char *content; /* what is assessed, display only (may be NULL) */
    double max_points;   /* > 0 */
    pw_score_kind kind;
    pw_score_params params; /* from pw_score_params_parse */
} pw_score_item;

/* Flag settings of a sheet when its fields are 0 (SPEC 3.5). */
#define PW_SCORE_COMMEND_TOP_DEFAULT 3
#define PW_SCORE_CRITICISE_BOTTOM_DEFAULT 2

/* A score sheet: the items of one unit category, in sheet order. */
typedef struct pw_score_sheet {
    const char *category; /* "county", "department", ... */
    const pw_score_item *items;
    size_t n_items;
    int commend_top;      /* commend at most this many (a tie group that does not fit
                             whole is not commended); 0 = the default (3) */
    int criticise_bottom; /* criticise when fewer than this many units are strictly
                             lower; 0 = the default (2) */
} pw_score_sheet;

/* Max points must add up to 100 within this tolerance. */
#define PW_SCORE_SHEET_TOTAL 100.0
#define PW_SCORE_SHEET_TOLERANCE 1e-9

/*
 * pw_score_sheet_check - a sheet the engine can use: a non-empty category, at
 * least one item, item numbers > 0 and unique, max_points finite and > 0,
 * a known kind, params valid for the kind (re-checked as by
 * pw_score_params_parse: finite, not negative, per > 0), commend_top and
 * criticise_bottom not negative, and max points
 * adding up to 100 within PW_SCORE_SHEET_TOLERANCE.  Returns PW_OK or
 * PW_INVALID_ARGUMENT with a message naming the item.
 */
int pw_score_sheet_check(const pw_score_sheet *sheet, char *err, size_t errlen);

/*
 * pw_score_sheet_item - the item numbered `number` in the sheet, or NULL.
 * The pointer points into sheet->items.
 */
const pw_score_item *pw_score_sheet_item(const pw_score_sheet *sheet, int number);

/* ---- findings ------------------------------------------------------------ */

typedef enum pw_score_finding_kind {
    PW_SCORE_FINDING_ITEM = 0,          /* feeds a sheet item */
    PW_SCORE_FINDING_FALSIFICATION = 1, /* 资料造假: -10 from the total, one case each */
    PW_SCORE_FINDING_BONUS = 2,         /* 加分: +value on the total */
    PW_SCORE_FINDING_PENALTY = 3,       /* 扣分: -value on the total */
} pw_score_finding_kind;

/* Points taken off the total for every falsification (SPEC 3.5). */
#define PW_SCORE_FALSIFICATION_POINTS 10.0

/* One office finding of a unit for the assessed year. */
typedef struct pw_score_finding {
    int64_t id; /* unique per unit; a later entry has a larger id ("latest") */
    pw_score_finding_kind kind;
    int item;         /* ITEM: the sheet item number; ignored otherwise */
    double value;     /* ITEM on manual / all_or_nothing: points; on per_event:
                         count of events (a whole number >= 1); on per_amount:
                         amount (>= 0, in the sheet's currency unit).
                         BONUS / PENALTY: points (>= 0).  FALSIFICATION: ignored. */
    const char *note; /* shown in explanations when not NULL or "" */
} pw_score_finding;

/*
 * pw_score_finding_check - may a finding with `value` be entered on `item`?
 * manual: points in [0, max]; all_or_nothing: points exactly 0 or max;
 * per_event: a whole count >= 1; per_amount: an amount >= 0;
 * work_performance: points in [0, max] (used only for a unit with nothing to
 * be judged on); monthly_timeliness and halfyear_reports take no findings.
 * Values must be finite.  Returns PW_OK or PW_INVALID_ARGUMENT with a message
 * naming the item.
 */
int pw_score_finding_check(const pw_score_item *item, double value, char *err, size_t errlen);

/* ---- the assessment ------------------------------------------------------ */

/* The months of an assessment: YYYY-MM -> 1..M, YYYY-Qn -> 1..3n,
 * YYYY -> 1..12 (computed by the caller).  t = last_month / 12. */
typedef struct pw_score_window {
    int year;        /* display only ("2018-03: late 2 days") */
    int first_month; /* 1..12 */
    int last_month;  /* first_month..12 */
} pw_score_window;

/* What was received for one month or half-year. */
typedef enum pw_score_receipt {
    PW_SCORE_ON_TIME = 0,      /* received by the deadline */
    PW_SCORE_LATE = 1,         /* received after it (days_late >= 1) */
    PW_SCORE_MISSING = 2,      /* not received */
    PW_SCORE_NOT_EXPECTED = 3, /* nothing due: unit not active then, or a
                                  quarterly plan's month inside a quarter */
} pw_score_receipt;

/* One month or half-year of one unit.  It counts for scoring only when the
 * deadline has passed at the time of scoring and something was expected;
 * otherwise it counts neither for nor against. */
typedef struct pw_score_submission {
    int deadline_passed;
    pw_score_receipt receipt;
    int days_late;             /* LATE only */
    const char *deadline_note; /* display only, borrowed, may be NULL: "deadline extended
                                  to 2024-05-08: 五一假期顺延" (SPEC 3.3) */
} pw_score_submission;

/* One indicator of a unit for the year, with its progress already computed
 * (pw_progress_compute as of the last counted month). */
typedef struct pw_score_indicator {
    const char *id;  /* "I21", borrowed */
    double progress; /* clamped progress in [0, 1] */
    int no_report;   /* display only: no actual as of that month */
    /* threshold, milestone and task rows are judged by their light as of the
     * window's last month (SPEC 3.5): by_light 1 and light 0 green, 1
     * yellow, 2 red (the values of pw_progress_light); progress is then
     * display only */
    int by_light;
    int light;
    const char *name; /* display only: its name, borrowed; NULL or "": the id alone */
} pw_score_indicator;

/* What became of a supervision item (SPEC 3.6) at the time of scoring. */
typedef enum pw_score_supervision_state {
    PW_SCORE_SUPERVISION_ON_TIME = 0,      /* closed by its deadline */
    PW_SCORE_SUPERVISION_CLOSED_LATE = 1,  /* closed after it (days_late >= 1) */
    PW_SCORE_SUPERVISION_OPEN_OVERDUE = 2, /* still open, deadline passed */
    PW_SCORE_SUPERVISION_OPEN = 3,         /* still open, deadline not passed */
} pw_score_supervision_state;

/* One supervision item of a unit whose deadline is in the assessed year. */
typedef struct pw_score_supervision {
    int64_t id;
    const char *deadline; /* "YYYY-MM-DD", display only, borrowed */
    int deadline_month;   /* 1..12: counts when the window has this month */
    pw_score_supervision_state state;
    int days_late; /* CLOSED_LATE: days after the deadline it was closed */
} pw_score_supervision;

/* One unit to score.  Everything borrowed. */
typedef struct pw_score_unit {
    const char *id;                   /* unique, non-empty; ties are ordered by it */
    const char *category;             /* selects the sheet and the ranking */
    pw_score_submission months[12];   /* [0] = January; only window months are read */
    pw_score_submission halfyears[2]; /* [0] = H1 (due end of June), [1] = H2 */
    const pw_score_indicator *indicators;
    size_t n_indicators;              /* 0: nothing to be judged on (see pw_score_evaluate) */
    const pw_score_finding *findings; /* this unit's findings for the year */
    size_t n_findings;
    const pw_score_supervision *supervision; /* items due in the year (supervision kind) */
    size_t n_supervision;
} pw_score_unit;

/* The office's last word on a unit's flag for the assessed period (SPEC
 * 3.5).  Strings borrowed.  An override of a unit not in the input is
 * ignored (the caller may score one category only). */
typedef struct pw_score_override {
    const char *unit_id;
    int flag;           /* a pw_score_flag; PW_SCORE_FLAG_NONE clears the flag */
    const char *reason; /* non-empty */
} pw_score_override;

/* Everything pw_score_evaluate needs. */
typedef struct pw_score_input {
    pw_score_window window;
    const pw_score_sheet *sheets; /* one per category, distinct categories */
    size_t n_sheets;
    const pw_score_unit *units;
    size_t n_units;
    const pw_score_override *overrides; /* at most one per unit */
    size_t n_overrides;
    /* NULL: every unit's explanation; else only that unit's (the others'
     * come back without lines: formatting 200 lines a unit is most of a
     * national ranking's time).  Scores are the same either way. */
    const char *explain_only;
} pw_score_input;

/* ---- the result ---------------------------------------------------------- */

typedef enum pw_score_grade {
    PW_SCORE_EXCELLENT = 0,   /* total >= 90 */
    PW_SCORE_QUALIFIED = 1,   /* total >= 70 */
    PW_SCORE_UNQUALIFIED = 2, /* total < 70 */
} pw_score_grade;

typedef enum pw_score_flag {
    PW_SCORE_FLAG_NONE = 0,
    PW_SCORE_FLAG_COMMEND = 1,   /* 通报表彰: excellent, not criticised, in the top N */
    PW_SCORE_FLAG_CRITICISE = 2, /* 通报批评: unqualified, or among the last N */
} pw_score_flag;

/* A total is rounded to two decimals, half away from zero on its decimal
 * value (SPEC 3.5): grades, ties, ranks and flags compare the rounded total,
 * what people see.  To decide the half, the value is first rounded to
 * PW_SCORE_RESOLUTION, which removes binary noise (96.495 stored as
 * 96.49499999999999 is 96.495, so 96.50). */
#define PW_SCORE_RESOLUTION 1e-9

/*
 * pw_score_round2 - x rounded to two decimals, half away from zero on the
 * decimal value: 96.495 -> 96.50, 96.4949 -> 96.49, -0.125 -> -0.13.
 * Exact for |x| < 1e6 (beyond that: round(x * 100) / 100); NaN and
 * infinities are returned unchanged.
 */
double pw_score_round2(double x);

/* Human-readable lines, owned by the result. */
typedef struct pw_score_explanation {
    char **lines;
    size_t n_lines;
    int quiet; /* 1: no lines kept (another unit than pw_score_input.explain_only) */
} pw_score_explanation;

typedef struct pw_score_item_result {
    int item; /* the sheet item number */
    pw_score_kind kind;
    double points; /* clamped to [0, max_points] */
    double max_points;
    pw_score_explanation why; /* where every point came from */
} pw_score_item_result;

typedef struct pw_score_unit_result {
    char *unit_id; /* owned copies */
    char *category;
    pw_score_item_result *items; /* n_items, in sheet order */
    size_t n_items;
    double items_total; /* sum of item points */
    int falsifications; /* number of falsification findings */
    double bonuses;     /* sum of bonus points */
    double penalties;   /* sum of penalty points */
    double raw_total;   /* items - 10 x falsifications + bonuses - penalties, floor 0 */
    double total;       /* raw_total by pw_score_round2: graded, ranked, flagged */
    pw_score_grade grade;
    int rank;                    /* 1-based within the category; equal totals share it */
    int category_size;           /* units ranked in the category */
    pw_score_flag flag;          /* the flag that applies: the office's when it decided */
    pw_score_flag computed_flag; /* the flag by the sheet's rules */
    int flag_by_office;          /* 1: flag is the office's decision */
    const char *flag_reason;     /* the office's reason (borrowed from the input) or NULL */
    pw_score_explanation why;    /* falsifications, bonuses, penalties, total, rank, flag */
} pw_score_unit_result;

typedef struct pw_score_result {
    pw_score_window window;
    double t; /* last_month / 12 */
    /* Ordered by category (order of input sheets), then rank, then unit id. */
    pw_score_unit_result *units;
    size_t n_units;
} pw_score_result;

/*
 * pw_score_evaluate - score every unit of `in` (SPEC 3.5).
 *
 * Per item (deduction kinds start at max, award kinds at 0; each item is then
 * clamped to [0, max]):
 *   monthly_timeliness: -deduct per counted window month LATE or MISSING;
 *   halfyear_reports:   -deduct per counted half-year in the window (H1 when
 *                       the window contains June, H2 when it contains
 *                       December) not ON_TIME (late counts as missing);
 *   work_performance:   max x mean over the unit's indicators of a
 *                       contribution: min(1, progress / t), or for rows
 *                       judged by_light green 1, yellow 0.5, red 0.  A unit
 *                       with no indicators (nothing to be judged on) gets the
 *                       mean points of the item over the units of its
 *                       category that have indicators, rounded to two
 *                       decimals half away from zero; when no unit of the
 *                       category has any: max; unless the office set the
 *                       item's points by a finding (the latest; used only
 *                       for a unit with nothing to be judged on).  The
 *                       explanation says which rule applied;
 *   per_event:          -deduct x sum of the counts of its findings;
 *   manual, all_or_nothing: the points of the latest finding (largest id);
 *                       none: max;
 *   per_amount:         award x floor(sum of amounts / per), at most cap;
 *   supervision:        -deduct per supervision item whose deadline month is in
 *                       the window, closed late or still open past it.
 * Total = sum of items - 10 x falsifications + bonuses - penalties, floor 0,
 * rounded by pw_score_round2; grade, rank and flag use the rounded total.
 * Grade: >= 90 excellent, >= 70 qualified, else unqualified.  Ranks per
 * category, highest total first, equal totals share a rank (1, 2, 2, 4).
 * Flag criticise: unqualified, or fewer than criticise_bottom (default 2)
 * units of the category have a strictly lower total; commend: excellent, not
 * criticised, and within the top commend_top (default 3) together with every
 * unit sharing its rank (rank - 1 + units sharing it <= commend_top), so that
 * at most commend_top units are commended.  An override replaces the computed
 * flag (both are kept in the result, and the explanation says so).
 *
 * Input is validated before anything is computed: window 1 <= first <= last
 * <= 12, every sheet (pw_score_sheet_check) with a distinct category, unit ids
 * non-empty and unique, every unit's category has a sheet, enum values,
 * days_late >= 1 on LATE, progress finite in [0, 1], a by_light row's light
 * 0..2, finding ids unique per
 * unit, item findings on an item of the unit's sheet with a value accepted by
 * pw_score_finding_check, bonus/penalty points finite and >= 0, overrides
 * with a unit id, a known flag, a non-empty reason, one per unit.
 *
 * On PW_OK *out receives a new result the caller frees with
 * pw_score_result_free.  On failure *out is untouched and nothing is leaked.
 */
int pw_score_evaluate(const pw_score_input *in, pw_score_result **out, char *err, size_t errlen);

/*
 * pw_score_result_free - free a result and everything in it.  NULL is a
 * no-op.
 */
void pw_score_result_free(pw_score_result *result);

/*
 * pw_score_result_unit - the result of unit `unit_id`, or NULL.  The pointer
 * lives as long as the result.
 */
const pw_score_unit_result *pw_score_result_unit(const pw_score_result *result,
                                                 const char *unit_id);

/*
 * pw_score_grade_of - the grade of a total (rounded by pw_score_round2 first).
 */
pw_score_grade pw_score_grade_of(double total);

/* "excellent" / "qualified" / "unqualified"; "?" outside the enum. */
const char *pw_score_grade_name(pw_score_grade grade);

/* "commend" / "criticise"; NULL for PW_SCORE_FLAG_NONE (JSON null) and
 * outside the enum. */
const char *pw_score_flag_name(pw_score_flag flag);

#endif
