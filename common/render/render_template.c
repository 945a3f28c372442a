/*
 * render_template.c - the report template as CSV and XLSX (see the header).
 */
#include "common/render/render_template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "common/csv.h"
#include "common/render/render_format.h"
#include "common/render/render_xlsx.h"
#include "common/report_value.h"

/* the states a milestone row takes, shown after its name (in the note column
 * they were stored as the clerk's note when only the value was filled in) */
#define TEMPLATE_STATES "未启动/推进中/已完成"

static int template_is_state(const Planwatch__V1__TemplateRow *r)
{
    return strcmp(r->kind, "milestone") == 0 || strcmp(r->kind, "task") == 0;
}

/* A state as the Chinese template shows it: in_progress -> 推进中. */
static const char *template_state_zh(const char *s)
{
    static const char *const en[] = {"not_started", "in_progress", "done"};
    static const char *const zh[] = {"未启动", "推进中", "已完成"};
    for (int i = 0; i < 3; i++)
        if (strcmp(s, en[i]) == 0)
            return zh[i];
    return s;
}

int pw_render_template_csv(const Planwatch__V1__TemplateResponse *t, pw_strbuf *out)
{
    pw_fmt_use_tz(t->has_tz_offset_min, t->tz_offset_min);
    static const char *const header[] = {"指标编号", "指标名称", "计量单位",
                                         "目标",     "本月值",   "说明"};
    pw_csv_writer w;
    if (pw_csv_writer_init_strbuf(&w, out, PW_CSV_WRITE_BOM | PW_CSV_WRITE_SPREADSHEET) != 0)
        return -1;
    pw_csv_write_record(&w, header, 6);
    for (size_t i = 0; i < t->n_rows; i++) {
        const Planwatch__V1__TemplateRow *r = t->rows[i];
        char target[40], name[600];
        pw_fmt_num(r->target, target, sizeof target);
        /* the states of a milestone and last month's value for reference, in
         * the informational column */
        int ms = template_is_state(r);
        if (r->has_previous)
            snprintf(name, sizeof name, "%s (%s%s上月 %s)", r->name, ms ? TEMPLATE_STATES : "",
                     ms ? "; " : "", ms ? template_state_zh(r->previous) : r->previous);
        else if (ms)
            snprintf(name, sizeof name, "%s (%s)", r->name, TEMPLATE_STATES);
        else
            snprintf(name, sizeof name, "%s", r->name);
        pw_csv_write_str(&w, r->indicator);
        pw_csv_write_str(&w, name);
        pw_csv_write_str(&w, r->uom);
        pw_csv_write_str(&w, target);
        pw_csv_write_str(&w, "");
        pw_csv_write_str(&w, "");
        pw_csv_end_record(&w);
    }
    return pw_csv_writer_failed(&w) ? -1 : 0;
}

/* ---- XLSX --------------------------------------------------------------------------- */

enum { COL_ID, COL_NAME, COL_UOM, COL_TARGET, COL_PREV, COL_VALUE, COL_NOTE, NCOLS };
#define FIRST_DATA_ROW 3 /* 0-based: row 4 in the sheet */

typedef struct tpl_formats {
    lxw_format *title, *help, *head, *text, *num, *value, *note;
} tpl_formats;

/* A bordered cell aligned at the top; `input`: one of the only cells a clerk
 * can change (yellow, unlocked). */
static lxw_format *tpl_cell_format(lxw_workbook *wb, int input)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (input) {
        format_set_bg_color(f, 0xFFF7D6);
        format_set_unlocked(f);
    }
    return f;
}

static void tpl_formats_init(lxw_workbook *wb, tpl_formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->help = workbook_add_format(wb);
    format_set_text_wrap(f->help);
    format_set_font_color(f->help, 0x555555);
    format_set_align(f->help, LXW_ALIGN_VERTICAL_TOP);
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_bg_color(f->head, 0xEEF1F5);
    format_set_border(f->head, LXW_BORDER_THIN);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    f->text = tpl_cell_format(wb, 0);
    format_set_text_wrap(f->text);
    f->num = tpl_cell_format(wb, 0);
    format_set_num_format(f->num, "General");
    f->value = tpl_cell_format(wb, 1);
    format_set_num_format(f->value, "General");
    f->note = tpl_cell_format(wb, 1);
    format_set_text_wrap(f->note);
}

/* The value cell's data validation for row r (0-based sheet row). */
static void tpl_validation(lxw_worksheet *ws, lxw_row_t row, const Planwatch__V1__TemplateRow *r)
{
    static const char *states[] = {"未启动", "推进中", "已完成", NULL};
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.show_error = LXW_VALIDATION_ON;
    dv.show_input = LXW_VALIDATION_ON;
    dv.ignore_blank = LXW_VALIDATION_ON;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    if (template_is_state(r)) {
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = (char **)states;
        dv.error_title = "进度状态";
        dv.error_message = "请从列表中选择：未启动、推进中、已完成";
        dv.input_title = "进度状态";
        dv.input_message = "从列表中选择：未启动 / 推进中 / 已完成";
    } else if (strcmp(r->uom, "%") == 0) {
        dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = 0;
        dv.maximum_number = 100;
        dv.error_title = "百分比";
        dv.error_message = "请填写 0 到 100 之间的数，例如 35.72（不要填 0.3572）";
        dv.input_title = "百分比";
        dv.input_message = "填写 0 到 100 之间的数，例如 35.72";
    } else {
        dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = -PW_REPORT_VALUE_MAX;
        dv.maximum_number = PW_REPORT_VALUE_MAX;
        dv.error_title = "数值";
        dv.error_message = "请填写数字（不带单位）";
        dv.show_input = LXW_VALIDATION_OFF;
    }
    if (strcmp(r->kind, "cumulative") == 0) {
        dv.show_input = LXW_VALIDATION_ON;
        dv.input_title = "累计";
        dv.input_message = "累计值：填写年初至本月的累计数（year-to-date total），不是本月新增数";
    }
    worksheet_data_validation_cell(ws, row, COL_VALUE, &dv);
}

static void tpl_previous(lxw_worksheet *ws, lxw_row_t row, const Planwatch__V1__TemplateRow *r,
                         const tpl_formats *f)
{
    if (!r->has_previous) {
        worksheet_write_blank(ws, row, COL_PREV, f->num);
        return;
    }
    char *end;
    double d = strtod(r->previous, &end);
    if (r->previous[0] && !*end)
        worksheet_write_number(ws, row, COL_PREV, d, f->num);
    else {
        char *clean = pw_utf8_clean(template_state_zh(r->previous), 0);
        worksheet_write_string(ws, row, COL_PREV, clean, f->text);
        free(clean);
    }
}

int pw_render_template_xlsx(const Planwatch__V1__TemplateResponse *t, const char *path, char *err,
                            size_t errlen)
{
    pw_fmt_use_tz(t->has_tz_offset_min, t->tz_offset_min);
    char *tmp = pw_render_xlsx_tmp(path, err, errlen);
    if (!tmp)
        return -1;
    lxw_workbook *wb = workbook_new(tmp);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "月报") : NULL;
    if (!ws) {
        snprintf(err, errlen, "cannot write %s: cannot start the workbook", path);
        if (wb)
            workbook_close(wb);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    char deadline[40], title[400], subject[200];
    pw_fmt_time_short(t->deadline, deadline, sizeof deadline);
    snprintf(title, sizeof title, "%s %s  %s 月报  报送截止 %s", t->unit, t->unit_name, t->period,
             t->deadline > 0 ? deadline : "-");
    snprintf(subject, sizeof subject, "%s %s %s", t->plan, t->unit, t->period);
    lxw_doc_properties props = {0};
    props.title = "月报模板 monthly report template";
    props.subject = subject;
    props.author = "planwatch";
    workbook_set_properties(wb, &props);
    tpl_formats f;
    tpl_formats_init(wb, &f);

    char *clean = pw_utf8_clean(title, 0);
    worksheet_merge_range(ws, 0, 0, 0, NCOLS - 1, clean, f.title);
    free(clean);
    worksheet_merge_range(ws, 1, 0, 1, NCOLS - 1,
                          "只填写黄色的“本月值”和“说明”两列。累计指标填年初至本月的累计数；"
                          "百分比填 0–100 的数（35.72，不是 0.3572）；进度从列表选择。"
                          "Fill in only the yellow columns; cumulative = year-to-date total.",
                          f.help);
    worksheet_set_row(ws, 1, 32, NULL);
    static const char *const head[NCOLS] = {"指标编号", "指标名称", "计量单位", "目标",
                                            "上月值",   "本月值",   "说明"};
    static const double widths[NCOLS] = {12, 40, 10, 12, 12, 14, 40};
    for (int c = 0; c < NCOLS; c++) {
        worksheet_write_string(ws, 2, (lxw_col_t)c, head[c], f.head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        const Planwatch__V1__TemplateRow *r = t->rows[i];
        lxw_row_t row = (lxw_row_t)(FIRST_DATA_ROW + i);
        char *id = pw_utf8_clean(r->indicator, 0), *name = pw_utf8_clean(r->name, 0);
        char *uom = pw_utf8_clean(strcmp(r->uom, "none") == 0 ? "" : r->uom, 0);
        worksheet_write_string(ws, row, COL_ID, id, f.text);
        worksheet_write_string(ws, row, COL_NAME, name, f.text);
        worksheet_write_string(ws, row, COL_UOM, uom, f.text);
        free(id);
        free(name);
        free(uom);
        if (template_is_state(r))
            worksheet_write_string(ws, row, COL_TARGET, "已完成", f.text);
        else
            worksheet_write_number(ws, row, COL_TARGET, r->target, f.num);
        tpl_previous(ws, row, r, &f);
        worksheet_write_blank(ws, row, COL_VALUE, f.value);
        worksheet_write_blank(ws, row, COL_NOTE, f.note);
        tpl_validation(ws, row, r);
    }
    worksheet_freeze_panes(ws, FIRST_DATA_ROW, 2);
    pw_render_xlsx_page_setup(ws, 2, 0.5, 0.6);
    lxw_protection prot;
    memset(&prot, 0, sizeof prot);
    prot.format_columns = 1; /* widen a column to read a long name */
    prot.format_rows = 1;
    worksheet_protect(ws, NULL, &prot);
    worksheet_activate(ws);
    return pw_render_xlsx_finish(wb, tmp, path, err, errlen);
}
