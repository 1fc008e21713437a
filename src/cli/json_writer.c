#include "cli/json_writer.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void json_init(json_writer *w, FILE *out)
{
    w->out = out;
    w->depth = 0;
    w->need_comma[0] = 0;
    w->after_key = 0;
}

static void indent(json_writer *w)
{
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Before any value: a comma and newline inside containers, nothing after a key. */
static void before_value(json_writer *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->need_comma[w->depth])
            fputc(',', w->out);
        indent(w);
    }
    w->need_comma[w->depth] = 1;
}

static void open_container(json_writer *w, char c)
{
    before_value(w);
    fputc(c, w->out);
    if (w->depth < JSON_MAX_DEPTH - 1)
        w->depth++;
    w->need_comma[w->depth] = 0;
}

static void close_container(json_writer *w, char c)
{
    int had_items = w->need_comma[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (had_items)
        indent(w);
    fputc(c, w->out);
}

void json_object_begin(json_writer *w) { open_container(w, '{'); }
void json_object_end(json_writer *w) { close_container(w, '}'); }
void json_array_begin(json_writer *w) { open_container(w, '['); }
void json_array_end(json_writer *w) { close_container(w, ']'); }

/* Length of a strict UTF-8 sequence at s (no surrogates, no overlongs), or
 * 0 if the bytes there are not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0)
        len = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
        len = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* JSON string; bytes that are not strict UTF-8 become U+FFFD. */
static void write_escaped(json_writer *w, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', w->out);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t len = utf8_seq(p + i, n - i);
        if (len == 0) {
            fputs("\\ufffd", w->out);
            i++;
            continue;
        }
        if (len > 1) {
            fwrite(p + i, 1, len, w->out);
            i += len;
            continue;
        }
        switch (c) {
        case '"': fputs("\\\"", w->out); break;
        case '\\': fputs("\\\\", w->out); break;
        case '\n': fputs("\\n", w->out); break;
        case '\r': fputs("\\r", w->out); break;
        case '\t': fputs("\\t", w->out); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(w->out, "\\u%04x", c);
            else
                fputc(c, w->out);
        }
        i++;
    }
    fputc('"', w->out);
}

void json_key(json_writer *w, const char *key)
{
    before_value(w);
    write_escaped(w, key, strlen(key));
    fputs(": ", w->out);
    w->after_key = 1;
}

void json_string(json_writer *w, const char *s)
{
    json_string_n(w, s, strlen(s));
}

void json_string_n(json_writer *w, const char *s, size_t n)
{
    before_value(w);
    write_escaped(w, s, n);
}

void json_int(json_writer *w, int64_t v)
{
    before_value(w);
    fprintf(w->out, "%" PRId64, v);
}

void json_uint(json_writer *w, uint64_t v)
{
    before_value(w);
    fprintf(w->out, "%" PRIu64, v);
}

void json_double(json_writer *w, double v)
{
    before_value(w);
    if (isnan(v))
        fputs("\"nan\"", w->out);
    else if (isinf(v))
        fputs(v > 0 ? "\"inf\"" : "\"-inf\"", w->out);
    else
        fprintf(w->out, "%.17g", v);
}

void json_bool(json_writer *w, int v)
{
    before_value(w);
    fputs(v ? "true" : "false", w->out);
}

void json_null(json_writer *w)
{
    before_value(w);
    fputs("null", w->out);
}

void json_finish(json_writer *w)
{
    fputc('\n', w->out);
}
