/*
 * render_fixture - test-only helper (never installed): renders the fixture
 * of tests/support/render_fixture.h in every format into DIR, for the
 * screenshot test and for people who want to look at the pages:
 *   dispatch.txt dispatch.json dispatch.csv dispatch.html
 *   scores.txt scores-explain.txt scores.json scores.csv scores.html scores.xlsx
 * Exit 0 when every file was written, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/render/render_dispatch.h"
#include "common/render/render_format.h"
#include "common/render/render_scores.h"
#include "tests/support/render_fixture.h"

static int fixture_write(const char *dir, const char *name, const char *data, size_t len)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (pw_render_write_file(path, data, len, err, sizeof err) != 0) {
        fprintf(stderr, "render_fixture: %s\n", err);
        return 1;
    }
    return 0;
}

static int fixture_buf(const char *dir, const char *name, int rc, pw_strbuf *sb)
{
    int bad = rc != 0 || fixture_write(dir, name, pw_strbuf_cstr(sb), sb->len);
    pw_strbuf_free(sb);
    return bad;
}

static int fixture_json(const char *dir, const char *name, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    int bad = !text || fixture_write(dir, name, text, strlen(text));
    free(text);
    json_decref(j);
    return bad;
}

static int fixture_text(const char *dir, const char *name, int which,
                        const Planwatch__V1__DispatchSummary *s,
                        const Planwatch__V1__ScoresResponse *r)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f)
        return 1;
    if (which == 0)
        pw_render_dispatch_text(s, f);
    else if (which == 1)
        pw_render_scores_text(r, f);
    else
        pw_render_scores_explain(r, "luxi", f);
    fclose(f);
    int bad = fixture_write(dir, name, data, len);
    free(data);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: render_fixture DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    Planwatch__V1__DispatchSummary *s = pw_fixture_dispatch();
    Planwatch__V1__ScoresResponse *r = pw_fixture_scores();
    int bad = 0;
    pw_strbuf sb = PW_STRBUF_INIT;
    bad |= fixture_text(dir, "dispatch.txt", 0, s, r);
    bad |= fixture_json(dir, "dispatch.json", pw_render_dispatch_json(s));
    bad |= fixture_buf(dir, "dispatch.csv", pw_render_dispatch_csv(s, &sb), &sb);
    bad |= fixture_buf(dir, "dispatch.html", pw_render_dispatch_html(s, &sb), &sb);
    bad |= fixture_text(dir, "scores.txt", 1, s, r);
    bad |= fixture_text(dir, "scores-explain.txt", 2, s, r);
    bad |= fixture_json(dir, "scores.json", pw_render_scores_json(r));
    bad |= fixture_buf(dir, "scores.csv", pw_render_scores_csv(r, &sb), &sb);
    bad |= fixture_buf(dir, "scores.html", pw_render_scores_html(r, &sb), &sb);
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/scores.xlsx", dir);
    if (pw_render_scores_xlsx(r, path, err, sizeof err) != 0) {
        fprintf(stderr, "render_fixture: %s\n", err);
        bad = 1;
    }
    protobuf_c_message_free_unpacked(&s->base, NULL);
    protobuf_c_message_free_unpacked(&r->base, NULL);
    return bad ? 1 : 0;
}
