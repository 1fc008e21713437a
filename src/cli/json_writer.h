/* A small streaming JSON writer for the CLI's --json outputs: it tracks
 * nesting and commas, escapes strings, and writes non-finite floats as the
 * strings "nan", "inf", "-inf" (JSON has no literal for them). */
#ifndef MC_CLI_JSON_WRITER_H
#define MC_CLI_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Deepest nesting tracked: the reader allows values 1000 levels deep
 * (mc_read_options.max_nesting) and each level takes up to two JSON levels
 * (an object and its "items" or "state"). */
enum { JSON_MAX_DEPTH = 4096 };

typedef struct json_writer {
    FILE *out;
    int depth;
    unsigned char need_comma[JSON_MAX_DEPTH];
    int after_key;
} json_writer;

void json_init(json_writer *w, FILE *out);
void json_object_begin(json_writer *w);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w);
void json_array_end(json_writer *w);
void json_key(json_writer *w, const char *key);
void json_string(json_writer *w, const char *s);
void json_string_n(json_writer *w, const char *s, size_t n);
void json_int(json_writer *w, int64_t v);
void json_uint(json_writer *w, uint64_t v);
void json_double(json_writer *w, double v);
void json_bool(json_writer *w, int v);
void json_null(json_writer *w);
/* Ends the document with a newline. */
void json_finish(json_writer *w);

#endif
