/*
 * render_scores.h - scores and rankings (考核排名, SPEC 3.5) as terminal
 * tables, the `--explain` account of one unit, JSON, CSV, one printable HTML
 * page and an XLSX workbook.  The renderers only read the message.
 *
 * The message lists rankings per category, best first; categories appear in
 * the order of their first unit.  Scores are shown with two decimals (the
 * server compares them unrounded, so two units showing 88.25 may still hold
 * different ranks).
 */
#ifndef PW_CLIENT_RENDER_SCORES_H
#define PW_CLIENT_RENDER_SCORES_H

#include <jansson.h>
#include <stdio.h>

#include "common/strbuf.h"
#include "planwatch/v1/dispatch.pb-c.h"

/*
 * Ranking tables on `f`, one per category: RANK, UNIT, NAME, SCORE (two
 * decimals), GRADE, FLAG.
 */
void pw_render_scores_text(const Planwatch__V1__ScoresResponse *r, FILE *f);

/*
 * The account of `unit`'s score on `f`: a heading (score, rank, grade, flag),
 * item by item the points against the maximum with each explain line, then
 * the adjustments outside the sheet (falsifications, bonus, penalty, and the
 * unit's own explain lines) and the sum.  Returns 0, or -1 when the unit is
 * not in the rankings (nothing printed).
 */
int pw_render_scores_explain(const Planwatch__V1__ScoresResponse *r, const char *unit, FILE *f);

/*
 * JSON (SPEC 4.2): {plan, period, first_month, last_month, time_elapsed,
 * generated_at, published, published_at, rankings: [{unit, name, category,
 * score, rank, grade, flag, items: [{item, group, content, kind, points, max
 * [, explain: [..]]}], falsification_points, bonus, penalty [, explain]}]}.
 * `score`, `points` and `max` are rounded to two decimals (what people see;
 * `score_unrounded` keeps the value the ranks were computed from); `flag` is
 * "commend", "criticise" or null; `explain` is present only when the server
 * filled it.  The caller owns the value; NULL only when out of memory.
 */
json_t *pw_render_scores_json(const Planwatch__V1__ScoresResponse *r);

/*
 * CSV appended to `out`: UTF-8 with a BOM, RFC 4180.  One section per
 * category: a title record (`county,县市区`), a header record
 *   rank, unit, name, category, score, grade, flag, item_<N>..., falsification_points,
 *   bonus, penalty
 * one record per unit (points with two decimals; an item the unit lacks is
 * empty; a name starting with = + - @ gets a leading apostrophe), then one
 * empty line before the next section.  0, or -1 when out
 * of memory.
 */
int pw_render_scores_csv(const Planwatch__V1__ScoresResponse *r, pw_strbuf *out);

/*
 * One self-contained printable HTML page appended to `out`: per category a
 * bar chart of the scores in HTML boxes (bars coloured by grade, dashed marks
 * at 70 and 90, flags marked ★ commend / ▼ criticise; readable on a phone),
 * the ranking table and the points per item (scrolling in its own box on a
 * narrow screen).  The title names the plan in Chinese.  A category prints
 * on one A4 page.  All message text is escaped.  0, or -1 when out of memory.
 */
int pw_render_scores_html(const Planwatch__V1__ScoresResponse *r, pw_strbuf *out);

/*
 * An XLSX workbook at `path` (pw_file_write_atomic_with: written in a
 * private mkdtemp directory beside `path`, then renamed over it): one
 * worksheet per category "县市区排名 <period>" with the ranking, then a sheet
 * "分项得分 <period>" with the points of every item per unit (whole item
 * texts, wrapped), one block per category.  Every sheet opens with a title
 * row (plan name, 考核排名, period) and a line with the months and the
 * publication time; Chinese headers (bold, frozen, repeated on every printed
 * page); scores as numbers with two decimals; falsification and penalty
 * points negative, bonuses positive ("+0.00;-0.00"), as on the web page;
 * A4 landscape fitted to one page wide, page numbers in the footer.
 * 0, or -1 with a reason in err.
 */
int pw_render_scores_xlsx(const Planwatch__V1__ScoresResponse *r, const char *path, char *err,
                          size_t errlen);

#endif
