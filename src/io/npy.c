/* The .npy format: header parser and writer (see npy.h).
 *
 * Format facts from numpy/lib/_format_impl.py (numpy 2.4): MAGIC_PREFIX
 * b"\x93NUMPY", then major and minor version bytes; the header length is
 * '<H' for 1.0 and '<I' for 2.0/3.0; the header is latin-1 (1.0, 2.0) or
 * utf-8 (3.0) text of a dict literal read with ast.literal_eval, keys exactly
 * {'descr', 'fortran_order', 'shape'}; 1.0/2.0 files written by Python 2 may
 * carry 'L' suffixes on ints (_filter_header).  descr_to_dtype drops fields
 * named '' whose type is a plain void (padding) but still advances the packed
 * offset by their size.  _write_array_header writes
 * "{'descr': D, 'fortran_order': F, 'shape': S, }", then 21 - len(repr(axis))
 * spaces of growth room, and _wrap_header pads with spaces and a final '\n'
 * so that magic + length + header is a multiple of ARRAY_ALIGN = 64.
 */
#include "io/npy.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "core/bytes.h"
#include "core/sizes.h"
#include "core/utf8.h"

#define NPY_MAX_DEPTH 64                    /* nesting of ( [ { in the header */
#define NPY_TMP_BUDGET ((uint64_t)64 << 20) /* the literal's syntax tree      */
#define NPY_MAX_ITEMSIZE 0x7fffffffu        /* numpy's itemsize is a C int    */

static char native_order(void)
{
    return mc_host_is_le() ? '<' : '>';
}

/* ---- type strings ------------------------------------------------------------ */

static int set_num(mc_dtype *dt, char kind, uint32_t size)
{
    dt->kind = kind;
    dt->itemsize = size;
    return 0;
}

/* numpy's one-letter type codes (used when no size follows the letter). */
static int typecode(char c, mc_dtype *dt)
{
    switch (c) {
    case '?': return set_num(dt, 'b', 1);
    case 'b': return set_num(dt, 'i', 1);
    case 'B': return set_num(dt, 'u', 1);
    case 'h': return set_num(dt, 'i', 2);
    case 'H': return set_num(dt, 'u', 2);
    case 'i': return set_num(dt, 'i', 4);
    case 'I': return set_num(dt, 'u', 4);
    case 'l': case 'q': case 'p': return set_num(dt, 'i', 8);
    case 'L': case 'Q': case 'P': return set_num(dt, 'u', 8);
    case 'e': return set_num(dt, 'f', 2);
    case 'f': return set_num(dt, 'f', 4);
    case 'd': return set_num(dt, 'f', 8);
    case 'g': return set_num(dt, 'f', 16);
    case 'F': return set_num(dt, 'c', 8);
    case 'D': return set_num(dt, 'c', 16);
    case 'G': return set_num(dt, 'c', 32);
    case 'c': return set_num(dt, 'S', 1);
    case 'S': return set_num(dt, 'S', 0);
    case 'U': return set_num(dt, 'U', 0);
    case 'V': return set_num(dt, 'V', 0);
    case 'O': return set_num(dt, 'O', 8);
    case 'M': return set_num(dt, 'M', 8);
    case 'm': return set_num(dt, 'm', 8);
    }
    return -1;
}

static int sized(char k, uint64_t num, mc_dtype *dt)
{
    switch (k) {
    case 'b':
        return num == 1 ? set_num(dt, 'b', 1) : -1;
    case 'i':
    case 'u':
        return (num == 1 || num == 2 || num == 4 || num == 8) ? set_num(dt, k, (uint32_t)num) : -1;
    case 'f':
        return (num == 2 || num == 4 || num == 8 || num == 16) ? set_num(dt, k, (uint32_t)num) : -1;
    case 'c':
        return (num == 8 || num == 16 || num == 32) ? set_num(dt, k, (uint32_t)num) : -1;
    case 'S':
    case 'V':
        return num <= NPY_MAX_ITEMSIZE ? set_num(dt, k, (uint32_t)num) : -1;
    case 'U':
        return num <= NPY_MAX_ITEMSIZE / 4 ? set_num(dt, k, (uint32_t)num * 4) : -1;
    case 'O':
        return (num == 4 || num == 8) ? set_num(dt, 'O', 8) : -1;
    case 'M':
    case 'm':
        return num == 8 ? set_num(dt, k, 8) : -1;
    }
    return -1;
}

static const char *const dt_units[] = {"Y", "M", "W", "D", "h", "m", "s", "ms",
                                       "us", "ns", "ps", "fs", "as"};

/* "[unit]" or "[Nunit]" after M8/m8; s[0] == '['. */
static int datetime_unit(const char *s, size_t n, mc_dtype *dt)
{
    if (n < 3 || s[n - 1] != ']')
        return -1;
    size_t i = 1, end = n - 1;
    uint64_t count = 0;
    int has_count = 0;
    while (i < end && s[i] >= '0' && s[i] <= '9') {
        count = count * 10 + (uint64_t)(s[i] - '0');
        if (count > INT32_MAX)
            return -1;
        has_count = 1;
        i++;
    }
    if (has_count && count == 0)
        return -1;
    const char *u = s + i;
    size_t ulen = end - i;
    if (ulen == 7 && memcmp(u, "generic", 7) == 0 && !has_count) {
        dt->datetime_unit[0] = '\0';
        dt->datetime_count = 1;
        return 0;
    }
    if (ulen == 3 && memcmp(u, "\xce\xbcs", 3) == 0) { /* "μs" */
        u = "us";
        ulen = 2;
    }
    for (size_t k = 0; k < sizeof dt_units / sizeof dt_units[0]; k++) {
        if (strlen(dt_units[k]) == ulen && memcmp(dt_units[k], u, ulen) == 0) {
            memcpy(dt->datetime_unit, u, ulen);
            dt->datetime_unit[ulen] = '\0';
            dt->datetime_count = has_count ? (int32_t)count : 1;
            return 0;
        }
    }
    return -1;
}

int mc_dtype_parse_str(const char *s, size_t n, mc_dtype *out)
{
    mc_dtype dt;
    memset(&dt, 0, sizeof dt);
    dt.alignment = -1;
    dt.state_version = -1;
    if (!s || n == 0)
        return -1;
    size_t i = 0;
    char order = 0;
    if (s[0] == '<' || s[0] == '>' || s[0] == '=' || s[0] == '|')
        order = s[i++];
    if (i >= n)
        return -1;
    char k = s[i++];
    uint64_t num = 0;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        num = num * 10 + (uint64_t)(s[i] - '0');
        if (num > NPY_MAX_ITEMSIZE)
            return -1;
        i++;
    }
    if (i > d0) {
        if (sized(k, num, &dt) != 0)
            return -1;
    } else if (typecode(k, &dt) != 0) {
        return -1;
    }
    if (dt.kind == 'M' || dt.kind == 'm') {
        dt.datetime_count = 1;
        if (i < n) {
            if (s[i] != '[' || datetime_unit(s + i, n - i, &dt) != 0)
                return -1;
            i = n;
        }
    }
    if (i != n)
        return -1;
    /* numpy's byte order rules (dtype.str): '|' where it does not apply. */
    if (dt.kind == 'S' || dt.kind == 'V' || dt.kind == 'O' ||
        ((dt.kind == 'b' || dt.kind == 'i' || dt.kind == 'u') && dt.itemsize == 1))
        dt.byteorder = '|';
    else if (order == '<' || order == '>')
        dt.byteorder = order;
    else
        dt.byteorder = native_order();
    *out = dt;
    return 0;
}

/* ---- errors ------------------------------------------------------------------- */

static mc_status npy_err(mc_error *err, mc_status st, int64_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static mc_status npy_err(mc_error *err, mc_status st, int64_t off, const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (err)
        err->offset_is_decompressed = 0;
    return mc_error_set(err, st, off, "%s", msg);
}

/* s[0..n) as printable text for a message (\xNN escapes, "..." when cut). */
static void show(const char *s, size_t n, char *buf, size_t bufsize)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char t[8];
        size_t tl;
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
            t[0] = (char)c;
            tl = 1;
        } else {
            tl = (size_t)snprintf(t, sizeof t, "\\x%02x", c);
        }
        if (k + tl + 4 > bufsize) {
            memcpy(buf + k, "...", 3);
            k += 3;
            break;
        }
        memcpy(buf + k, t, tl);
        k += tl;
    }
    buf[k] = '\0';
}

/* ---- the header literal --------------------------------------------------------- */

typedef enum lkind { L_STR, L_INT, L_TRUE, L_FALSE, L_NONE, L_TUPLE, L_LIST, L_DICT } lkind;

typedef struct lit lit;
struct lit {
    lkind kind;
    uint32_t n;         /* children (a dict: pairs)               */
    int64_t off;        /* byte offset in the file                */
    int64_t ival;       /* L_INT                                  */
    const char *s;      /* L_STR: UTF-8, NUL-terminated           */
    size_t slen;
    lit *first, *next;  /* children; a dict holds key, value, ... */
};

typedef struct lp {
    const uint8_t *h;   /* the header text                         */
    size_t n, pos;
    size_t base;        /* file offset of h[0]                     */
    int utf8;           /* version 3.0: utf-8, else latin-1        */
    int allow_L;        /* versions 1.0/2.0: Python 2 '3L' ints     */
    unsigned depth;
    mc_arena *tmp;
    mc_error *err;
    mc_status st;
} lp;

static const char *lkind_name(lkind k)
{
    switch (k) {
    case L_STR: return "a string";
    case L_INT: return "an integer";
    case L_TRUE:
    case L_FALSE: return "a bool";
    case L_NONE: return "None";
    case L_TUPLE: return "a tuple";
    case L_LIST: return "a list";
    case L_DICT: return "a dict";
    }
    return "?";
}

static int64_t here(const lp *p)
{
    return (int64_t)(p->base + p->pos);
}

static lit *perr(lp *p, int64_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static lit *perr(lp *p, int64_t off, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->st = npy_err(p->err, MC_E_INPUT, off, ".npy header: %s", msg);
    return NULL;
}

static lit *new_lit(lp *p, lkind k)
{
    lit *l = mc_arena_alloc(p->tmp, sizeof *l);
    if (!l) {
        p->st = npy_err(p->err, p->tmp->over_budget ? MC_E_INPUT : MC_E_NOMEM, here(p),
                        ".npy header: too complex (its syntax tree exceeds %llu MiB)",
                        (unsigned long long)(NPY_TMP_BUDGET >> 20));
        return NULL;
    }
    l->kind = k;
    l->off = here(p);
    return l;
}

static int is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_ident(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
}

static void skip_ws(lp *p)
{
    while (p->pos < p->n && is_ws(p->h[p->pos]))
        p->pos++;
}

/* One character of the header for a message: 'x' or \xNN. */
static const char *chr(uint8_t c, char buf[8])
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(buf, 8, "'%c'", c);
    else
        snprintf(buf, 8, "\\x%02x", c);
    return buf;
}

/* Length of a valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static int hexdig(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static lit *parse_str(lp *p)
{
    int64_t start = here(p);
    uint8_t q = p->h[p->pos++];
    /* Find the closing quote first, to size the output. */
    size_t i = p->pos;
    while (i < p->n && p->h[i] != q) {
        if (p->h[i] == '\n' || p->h[i] == '\r')
            break;
        i += (p->h[i] == '\\' && i + 1 < p->n) ? 2 : 1;
    }
    if (i >= p->n || p->h[i] != q)
        return perr(p, start, "unterminated string: expected the closing %c before %s", q,
                    i >= p->n ? "the end of the header" : "the end of the line");
    size_t raw = i - p->pos, cap;
    if (mc_mul_size(raw, 2, &cap) || mc_add_size(cap, 1, &cap))
        return perr(p, start, "string too long");
    char *o = mc_arena_alloc(p->tmp, cap);
    if (!o) {
        p->st = npy_err(p->err, p->tmp->over_budget ? MC_E_INPUT : MC_E_NOMEM, start,
                        ".npy header: out of memory for a string");
        return NULL;
    }
    size_t k = 0;
    const uint8_t *h = p->h;
    size_t j = p->pos;
    while (j < i) {
        uint8_t c = h[j];
        int64_t at = (int64_t)(p->base + j);
        if (c == 0)
            return perr(p, at, "NUL byte inside a string");
        if (c != '\\') {
            if (c < 0x80) {
                o[k++] = (char)c;
                j++;
            } else if (!p->utf8) {
                k += mc_utf8_put(c, o + k); /* latin-1 */
                j++;
            } else {
                size_t sl = utf8_seq(h + j, i - j);
                if (!sl)
                    return perr(p, at, "invalid UTF-8 in a string (format 3.0 headers are UTF-8)");
                memcpy(o + k, h + j, sl);
                k += sl;
                j += sl;
            }
            continue;
        }
        /* An escape: j + 1 < i holds, the scan above skipped pairs. */
        uint8_t e = h[j + 1];
        j += 2;
        uint32_t cp;
        int ndig = 0;
        switch (e) {
        case '\\': o[k++] = '\\'; continue;
        case '\'': o[k++] = '\''; continue;
        case '"': o[k++] = '"'; continue;
        case 'a': o[k++] = '\a'; continue;
        case 'b': o[k++] = '\b'; continue;
        case 'f': o[k++] = '\f'; continue;
        case 'n': o[k++] = '\n'; continue;
        case 'r': o[k++] = '\r'; continue;
        case 't': o[k++] = '\t'; continue;
        case 'v': o[k++] = '\v'; continue;
        case '\n': continue; /* line continuation */
        case 'x': ndig = 2; break;
        case 'u': ndig = 4; break;
        case 'U': ndig = 8; break;
        default:
            if (e >= '0' && e <= '7') {
                cp = (uint32_t)(e - '0');
                for (int t = 0; t < 2 && j < i && h[j] >= '0' && h[j] <= '7'; t++)
                    cp = cp * 8 + (uint32_t)(h[j++] - '0');
                goto codepoint;
            }
            if (e == 'N')
                return perr(p, at, "\\N{...} escapes are not supported");
            /* Python keeps unknown escapes as they are. */
            o[k++] = '\\';
            j--;
            continue;
        }
        cp = 0;
        for (int t = 0; t < ndig; t++) {
            int v = j < i ? hexdig(h[j]) : -1;
            if (v < 0)
                return perr(p, at, "truncated \\%c escape: expected %d hex digits", e, ndig);
            cp = cp * 16 + (uint32_t)v;
            j++;
        }
    codepoint:
        if (cp == 0)
            return perr(p, at, "NUL character inside a string");
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return perr(p, at, "invalid code point U+%04X in a string", cp);
        k += mc_utf8_put(cp, o + k);
    }
    o[k] = '\0';
    p->pos = i + 1;
    lit *l = new_lit(p, L_STR);
    if (!l)
        return NULL;
    l->off = start;
    l->s = o;
    l->slen = k;
    return l;
}

static lit *parse_int(lp *p)
{
    int64_t start = here(p);
    int neg = 0;
    if (p->h[p->pos] == '-' || p->h[p->pos] == '+') {
        neg = p->h[p->pos] == '-';
        p->pos++;
        skip_ws(p);
    }
    if (p->pos >= p->n || p->h[p->pos] < '0' || p->h[p->pos] > '9')
        return perr(p, here(p), "expected an integer after the sign");
    uint64_t v = 0;
    int nonzero_after_zero = 0, first_zero = p->h[p->pos] == '0', big = 0;
    while (p->pos < p->n) {
        uint8_t c = p->h[p->pos];
        if (c == '_' && p->pos + 1 < p->n && p->h[p->pos + 1] >= '0' && p->h[p->pos + 1] <= '9') {
            p->pos++;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        if (first_zero && c != '0')
            nonzero_after_zero = 1;
        if (v > (UINT64_MAX - 9) / 10)
            big = 1;
        else
            v = v * 10 + (uint64_t)(c - '0');
        p->pos++;
    }
    if (nonzero_after_zero)
        return perr(p, start, "leading zeros in a decimal integer are not allowed");
    if (p->allow_L && p->pos < p->n && (p->h[p->pos] == 'L' || p->h[p->pos] == 'l'))
        p->pos++;
    if (p->pos < p->n && (is_ident(p->h[p->pos]) || p->h[p->pos] == '.'))
        return perr(p, start, "expected an integer, found a number with a suffix or fraction");
    if (big || v > (uint64_t)INT64_MAX + (neg ? 1u : 0u))
        return perr(p, start, "integer out of the 64-bit range");
    lit *l = new_lit(p, L_INT);
    if (!l)
        return NULL;
    l->off = start;
    l->ival = neg ? (int64_t)(0 - v) : (int64_t)v;
    if (neg && v == (uint64_t)INT64_MAX + 1u)
        l->ival = INT64_MIN;
    return l;
}

static lit *parse_value(lp *p);

/* ( ... ), [ ... ] or { ... }: a parenthesised single value without a comma
 * is that value, as in Python. */
static lit *parse_seq(lp *p, uint8_t open)
{
    uint8_t close = open == '(' ? ')' : open == '[' ? ']' : '}';
    const char *what = open == '(' ? "tuple" : open == '[' ? "list" : "dict";
    int64_t start = here(p);
    if (++p->depth > NPY_MAX_DEPTH)
        return perr(p, start, "nested more than %d levels deep", NPY_MAX_DEPTH);
    p->pos++;
    lit *first = NULL, *last = NULL;
    uint32_t count = 0;
    int comma = 0;
    char cb[8];
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->n)
            return perr(p, start, "unterminated %s: expected '%c' before the end of the header",
                        what, close);
        if (p->h[p->pos] == close) {
            p->pos++;
            break;
        }
        lit *v = parse_value(p);
        if (!v)
            return NULL;
        if (open == '{') {
            skip_ws(p);
            if (p->pos >= p->n)
                return perr(p, start,
                            "unterminated dict: expected ':' before the end of the header");
            if (p->h[p->pos] != ':')
                return perr(p, here(p), "expected ':' after a dict key, found %s",
                            chr(p->h[p->pos], cb));
            p->pos++;
            lit *val = parse_value(p);
            if (!val)
                return NULL;
            v->next = val;
            if (last)
                last->next = v;
            else
                first = v;
            last = val;
        } else {
            if (last)
                last->next = v;
            else
                first = v;
            last = v;
        }
        if (count == UINT32_MAX)
            return perr(p, start, "too many items");
        count++;
        skip_ws(p);
        if (p->pos >= p->n)
            return perr(p, start,
                        "unterminated %s: expected ',' or '%c' before the end of the header", what,
                        close);
        if (p->h[p->pos] == ',') {
            p->pos++;
            comma = 1;
            continue;
        }
        if (p->h[p->pos] == close) {
            p->pos++;
            break;
        }
        return perr(p, here(p), "expected ',' or '%c' in a %s, found %s", close, what,
                    chr(p->h[p->pos], cb));
    }
    p->depth--;
    if (open == '(' && count == 1 && !comma) {
        first->next = NULL;
        return first;
    }
    lit *l = new_lit(p, open == '(' ? L_TUPLE : open == '[' ? L_LIST : L_DICT);
    if (!l)
        return NULL;
    l->off = start;
    l->first = first;
    l->n = count;
    return l;
}

static int word_at(const lp *p, const char *w)
{
    size_t n = strlen(w);
    if (p->n - p->pos < n || memcmp(p->h + p->pos, w, n) != 0)
        return 0;
    return p->pos + n == p->n || !is_ident(p->h[p->pos + n]);
}

static lit *parse_value(lp *p)
{
    skip_ws(p);
    if (p->pos >= p->n)
        return perr(p, here(p), "unexpected end of the header: expected a value");
    uint8_t c = p->h[p->pos];
    char cb[8];
    if (c == '\'' || c == '"')
        return parse_str(p);
    if ((c == 'u' || c == 'U') && p->pos + 1 < p->n &&
        (p->h[p->pos + 1] == '\'' || p->h[p->pos + 1] == '"')) {
        p->pos++;
        return parse_str(p);
    }
    if ((c >= '0' && c <= '9') || c == '-' || c == '+')
        return parse_int(p);
    if (c == '(' || c == '[' || c == '{')
        return parse_seq(p, c);
    static const struct { const char *w; lkind k; } words[] = {
        {"True", L_TRUE}, {"False", L_FALSE}, {"None", L_NONE}};
    for (size_t i = 0; i < 3; i++) {
        if (word_at(p, words[i].w)) {
            lit *l = new_lit(p, words[i].k);
            if (l)
                p->pos += strlen(words[i].w);
            return l;
        }
    }
    if (is_ident(c)) {
        size_t e = p->pos;
        while (e < p->n && is_ident(p->h[e]) && e - p->pos < 40)
            e++;
        char nb[200];
        show((const char *)p->h + p->pos, e - p->pos, nb, sizeof nb);
        return perr(p, here(p), "unexpected name '%s' (only literals are allowed)", nb);
    }
    return perr(p, here(p), "unexpected character %s: expected a value", chr(c, cb));
}

/* ---- from the literal to the header ------------------------------------------------------ */

typedef struct bctx {
    mc_arena *arena;     /* the caller's: dtypes, fields, names */
    mc_arena *tmp;
    mc_error *err;
    int has_object;
} bctx;

static mc_status out_of_memory(bctx *b, mc_arena *a, int64_t off)
{
    if (a->over_budget)
        return npy_err(b->err, MC_E_INPUT, off,
                       ".npy header: the dtype needs more memory than the budget allows");
    return npy_err(b->err, MC_E_NOMEM, off, ".npy header: out of memory");
}

static mc_status build_dtype(bctx *b, const lit *d, const mc_dtype **out);

/* A subarray dtype (base, shape); shape is an int or a tuple of ints.  An
 * empty shape gives base itself, as numpy does. */
static mc_status make_subarray(bctx *b, const mc_dtype *base, const lit *shape,
                               const mc_dtype **out)
{
    int64_t dims[MC_NPY_MAX_NDIM];
    uint32_t nd = 0;
    if (shape->kind == L_INT) {
        dims[nd++] = shape->ival;
    } else if (shape->kind == L_TUPLE) {
        if (shape->n > MC_NPY_MAX_NDIM)
            return npy_err(b->err, MC_E_INPUT, shape->off,
                           ".npy header: subarray shape has %u dimensions, more than %d",
                           shape->n, MC_NPY_MAX_NDIM);
        for (const lit *x = shape->first; x; x = x->next) {
            if (x->kind != L_INT)
                return npy_err(b->err, MC_E_INPUT, x->off,
                               ".npy header: subarray shape: expected an integer, found %s",
                               lkind_name(x->kind));
            dims[nd++] = x->ival;
        }
    } else {
        return npy_err(b->err, MC_E_INPUT, shape->off,
                       ".npy header: field shape: expected a tuple of integers, found %s",
                       lkind_name(shape->kind));
    }
    if (nd == 0) {
        *out = base;
        return MC_OK;
    }
    uint64_t count, size;
    for (uint32_t i = 0; i < nd; i++)
        if (dims[i] < 0)
            return npy_err(b->err, MC_E_INPUT, shape->off,
                           ".npy header: subarray dimension %lld is negative",
                           (long long)dims[i]);
    if (mc_shape_product(dims, nd, &count) || mc_mul_u64(count, base->itemsize, &size) ||
        size > NPY_MAX_ITEMSIZE)
        return npy_err(b->err, MC_E_INPUT, shape->off,
                       ".npy header: subarray of %u dimensions is larger than %u bytes", nd,
                       NPY_MAX_ITEMSIZE);
    mc_dtype *dt = mc_arena_alloc(b->arena, sizeof *dt);
    int64_t *sh = mc_arena_alloc(b->arena, nd * sizeof *sh);
    if (!dt || !sh)
        return out_of_memory(b, b->arena, shape->off);
    memcpy(sh, dims, nd * sizeof *sh);
    dt->kind = 'V';
    dt->byteorder = '|';
    dt->itemsize = (uint32_t)size;
    dt->alignment = -1;
    dt->state_version = -1;
    dt->subarray_base = base;
    dt->subarray_ndim = nd;
    dt->subarray_shape = sh;
    *out = dt;
    return MC_OK;
}

/* A set of names (field names and titles) to refuse duplicates, as numpy
 * does ("name already used as a name or title"). */
typedef struct nameset {
    const char **slot;
    size_t cap;
} nameset;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

/* 1 if added, 0 if already there. */
static int nameset_add(nameset *ns, const char *s)
{
    size_t i = (size_t)hash_str(s) & (ns->cap - 1);
    while (ns->slot[i]) {
        if (strcmp(ns->slot[i], s) == 0)
            return 0;
        i = (i + 1) & (ns->cap - 1);
    }
    ns->slot[i] = s;
    return 1;
}

static mc_status build_struct(bctx *b, const lit *list, const mc_dtype **out)
{
    mc_dtype *dt = mc_arena_alloc(b->arena, sizeof *dt);
    mc_dtype_field *fields = mc_arena_alloc(b->arena, (size_t)list->n * sizeof *fields);
    if (!dt || !fields)
        return out_of_memory(b, b->arena, list->off);
    nameset ns = {NULL, 16};
    while (ns.cap < (size_t)list->n * 4)
        ns.cap *= 2;
    ns.slot = mc_arena_alloc(b->tmp, ns.cap * sizeof *ns.slot);
    if (!ns.slot)
        return out_of_memory(b, b->tmp, list->off);
    uint64_t offset = 0;
    uint32_t nf = 0;
    for (const lit *e = list->first; e; e = e->next) {
        if (e->kind != L_TUPLE || (e->n != 2 && e->n != 3))
            return npy_err(b->err, MC_E_INPUT, e->off,
                           ".npy header: a descr field must be a tuple (name, type) or "
                           "(name, type, shape), found %s%s",
                           lkind_name(e->kind), e->kind == L_TUPLE ? " of another length" : "");
        const lit *name = e->first, *type = name->next, *shape = type->next;
        const lit *title = NULL;
        if (name->kind == L_TUPLE && name->n == 2) {
            title = name->first;
            name = title->next;
            if (title->kind != L_STR)
                return npy_err(b->err, MC_E_INPUT, title->off,
                               ".npy header: a field title must be a string, found %s",
                               lkind_name(title->kind));
        }
        if (name->kind != L_STR)
            return npy_err(b->err, MC_E_INPUT, name->off,
                           ".npy header: a field name must be a string or a (title, name) "
                           "tuple, found %s",
                           lkind_name(name->kind));
        const mc_dtype *ft;
        mc_status st = build_dtype(b, type, &ft);
        if (st != MC_OK)
            return st;
        if (shape) {
            st = make_subarray(b, ft, shape, &ft);
            if (st != MC_OK)
                return st;
        }
        int is_pad = !title && name->slen == 0 && ft->kind == 'V' && ft->fields == NULL;
        if (!is_pad) {
            char nb[200];
            if (!nameset_add(&ns, name->s)) {
                show(name->s, name->slen, nb, sizeof nb);
                return npy_err(b->err, MC_E_INPUT, name->off,
                               ".npy header: field name '%s' is used twice", nb);
            }
            if (title && !nameset_add(&ns, title->s)) {
                show(title->s, title->slen, nb, sizeof nb);
                return npy_err(b->err, MC_E_INPUT, title->off,
                               ".npy header: field title '%s' is already used as a name or title",
                               nb);
            }
            char *nm = mc_arena_strndup(b->arena, name->s, name->slen);
            if (!nm)
                return out_of_memory(b, b->arena, name->off);
            fields[nf].name = nm;
            fields[nf].dtype = ft;
            fields[nf].offset = (int64_t)offset;
            fields[nf].title = NULL;
            nf++;
        }
        offset += ft->itemsize;
        if (offset > NPY_MAX_ITEMSIZE)
            return npy_err(b->err, MC_E_INPUT, e->off,
                           ".npy header: the structured dtype is larger than %u bytes",
                           NPY_MAX_ITEMSIZE);
    }
    dt->kind = 'V';
    dt->byteorder = '|';
    dt->itemsize = (uint32_t)offset;
    dt->alignment = -1;
    dt->state_version = -1;
    dt->nfields = nf;
    dt->fields = fields; /* never NULL for a structured dtype, even with no fields */
    *out = dt;
    return MC_OK;
}

static mc_status build_dtype(bctx *b, const lit *d, const mc_dtype **out)
{
    if (d->kind == L_STR) {
        mc_dtype *dt = mc_arena_alloc(b->arena, sizeof *dt);
        if (!dt)
            return out_of_memory(b, b->arena, d->off);
        if (mc_dtype_parse_str(d->s, d->slen, dt) != 0) {
            char nb[200];
            show(d->s, d->slen, nb, sizeof nb);
            return npy_err(b->err, MC_E_INPUT, d->off,
                           ".npy header: descr '%s' is not a numpy type string (expected e.g. "
                           "'<f8', '|u1', '<U5', '|O')",
                           nb);
        }
        if (dt->kind == 'O')
            b->has_object = 1;
        *out = dt;
        return MC_OK;
    }
    if (d->kind == L_LIST)
        return build_struct(b, d, out);
    if (d->kind == L_TUPLE && d->n == 2) { /* (type, shape): a subarray type */
        const mc_dtype *base;
        mc_status st = build_dtype(b, d->first, &base);
        if (st != MC_OK)
            return st;
        return make_subarray(b, base, d->first->next, out);
    }
    return npy_err(b->err, MC_E_INPUT, d->off,
                   ".npy header: descr must be a type string or a list of fields, found %s",
                   lkind_name(d->kind));
}

mc_status mc_npy_parse(const uint8_t *data, size_t len, mc_arena *arena, mc_npy_header *h,
                       mc_error *err)
{
    if (!h || !arena || (!data && len))
        return npy_err(err, MC_E_USAGE, -1, "mc_npy_parse: NULL argument");
    memset(h, 0, sizeof *h);
    static const uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (len < 10)
        return npy_err(err, MC_E_INPUT, (int64_t)len,
                       "truncated .npy file: expected at least 10 bytes (magic, version, "
                       "header length), found %zu",
                       len);
    if (memcmp(data, magic, 6) != 0) {
        char nb[64];
        show((const char *)data, 6, nb, sizeof nb);
        return npy_err(err, MC_E_INPUT, 0,
                       "not a .npy file: expected the magic \\x93NUMPY, found '%s'", nb);
    }
    uint8_t major = data[6], minor = data[7];
    if (minor != 0 || major < 1 || major > 3)
        return npy_err(err, MC_E_INPUT, 6,
                       "unsupported .npy format version %u.%u (expected 1.0, 2.0 or 3.0)",
                       major, minor);
    size_t prefix;
    uint32_t hlen;
    if (major == 1) {
        hlen = mc_load_u16le(data + 8);
        prefix = 10;
    } else {
        if (len < 12)
            return npy_err(err, MC_E_INPUT, (int64_t)len,
                           "truncated .npy file: expected a 4-byte header length at byte 8, "
                           "found %zu bytes in all",
                           len);
        hlen = mc_load_u32le(data + 8);
        prefix = 12;
    }
    if (hlen > MC_NPY_MAX_HEADER)
        return npy_err(err, MC_E_INPUT, 8,
                       ".npy header length %u exceeds the %u-byte limit", hlen,
                       MC_NPY_MAX_HEADER);
    if ((uint64_t)hlen > (uint64_t)(len - prefix))
        return npy_err(err, MC_E_INPUT, 8,
                       ".npy header length %u runs past the end of the file: the header "
                       "would end at byte %llu, the file has %zu bytes",
                       hlen, (unsigned long long)prefix + hlen, len);

    mc_arena tmp;
    mc_arena_init(&tmp, NPY_TMP_BUDGET);
    lp p = {data + prefix, hlen, 0, prefix, major == 3, major <= 2, 0, &tmp, err, MC_OK};
    mc_status st = MC_OK;
    lit *top = parse_value(&p);
    if (!top) {
        st = p.st;
        goto done;
    }
    skip_ws(&p);
    if (p.pos < p.n) {
        char cb[8];
        st = npy_err(err, MC_E_INPUT, here(&p),
                     ".npy header: unexpected %s after the header dict (expected only "
                     "spaces and a newline)",
                     chr(p.h[p.pos], cb));
        goto done;
    }
    if (top->kind != L_DICT) {
        st = npy_err(err, MC_E_INPUT, top->off,
                     ".npy header: expected a dict {'descr': ..., 'fortran_order': ..., "
                     "'shape': ...}, found %s",
                     lkind_name(top->kind));
        goto done;
    }
    const lit *descr = NULL, *fortran = NULL, *shape = NULL;
    for (const lit *k = top->first; k; k = k->next->next) {
        const lit *v = k->next;
        const lit **slot = NULL;
        if (k->kind == L_STR) {
            if (strcmp(k->s, "descr") == 0)
                slot = &descr;
            else if (strcmp(k->s, "fortran_order") == 0)
                slot = &fortran;
            else if (strcmp(k->s, "shape") == 0)
                slot = &shape;
        }
        if (!slot) {
            char nb[200] = "";
            if (k->kind == L_STR)
                show(k->s, k->slen, nb, sizeof nb);
            st = npy_err(err, MC_E_INPUT, k->off,
                         ".npy header: unknown key %s%s%s (expected only 'descr', "
                         "'fortran_order' and 'shape')",
                         k->kind == L_STR ? "'" : "", k->kind == L_STR ? nb : lkind_name(k->kind),
                         k->kind == L_STR ? "'" : "");
            goto done;
        }
        if (*slot) {
            st = npy_err(err, MC_E_INPUT, k->off, ".npy header: key '%s' appears twice", k->s);
            goto done;
        }
        *slot = v;
    }
    if (!descr || !fortran || !shape) {
        st = npy_err(err, MC_E_INPUT, top->off, ".npy header: the dict has no '%s' key",
                     !descr ? "descr" : !fortran ? "fortran_order" : "shape");
        goto done;
    }
    if (fortran->kind != L_TRUE && fortran->kind != L_FALSE) {
        st = npy_err(err, MC_E_INPUT, fortran->off,
                     ".npy header: fortran_order must be True or False, found %s",
                     lkind_name(fortran->kind));
        goto done;
    }
    h->fortran_order = fortran->kind == L_TRUE;
    if (shape->kind != L_TUPLE) {
        st = npy_err(err, MC_E_INPUT, shape->off,
                     ".npy header: shape must be a tuple of integers, found %s",
                     lkind_name(shape->kind));
        goto done;
    }
    if (shape->n > MC_NPY_MAX_NDIM) {
        st = npy_err(err, MC_E_INPUT, shape->off,
                     ".npy header: shape has %u dimensions, more than %d", shape->n,
                     MC_NPY_MAX_NDIM);
        goto done;
    }
    for (const lit *x = shape->first; x; x = x->next) {
        if (x->kind != L_INT) {
            st = npy_err(err, MC_E_INPUT, x->off,
                         ".npy header: shape must be a tuple of integers, found %s in it",
                         lkind_name(x->kind));
            goto done;
        }
        if (x->ival < 0) {
            st = npy_err(err, MC_E_INPUT, x->off,
                         ".npy header: shape dimension %u is negative (%lld)", h->ndim,
                         (long long)x->ival);
            goto done;
        }
        h->shape[h->ndim++] = x->ival;
    }
    if (mc_shape_product(h->shape, h->ndim, &h->count)) {
        st = npy_err(err, MC_E_INPUT, shape->off,
                     ".npy header: the product of the shape overflows 64 bits");
        goto done;
    }
    bctx b = {arena, &tmp, err, 0};
    st = build_dtype(&b, descr, &h->dtype);
    if (st != MC_OK)
        goto done;
    h->has_object = b.has_object;
    h->data_offset = prefix + hlen;
    h->version_major = major;
    h->version_minor = minor;
    if (!h->has_object) {
        if (mc_mul_u64(h->count, h->dtype->itemsize, &h->nbytes)) {
            st = npy_err(err, MC_E_INPUT, shape->off,
                         ".npy header: %llu elements of %u bytes overflow 64 bits",
                         (unsigned long long)h->count, h->dtype->itemsize);
            goto done;
        }
        if (h->nbytes > (uint64_t)(len - h->data_offset)) {
            st = npy_err(err, MC_E_INPUT, (int64_t)h->data_offset,
                         ".npy data is shorter than the shape says: expected %llu bytes "
                         "(%llu elements of %u bytes) from byte %zu, found %zu",
                         (unsigned long long)h->nbytes, (unsigned long long)h->count,
                         h->dtype->itemsize, h->data_offset, len - h->data_offset);
            goto done;
        }
    }
done:
    mc_arena_free(&tmp);
    if (st != MC_OK) {
        mc_npy_header z;
        memset(&z, 0, sizeof z);
        *h = z;
    }
    return st;
}

/* ---- writer ------------------------------------------------------------------------------- */

enum { NPY_ALIGN = 64, GROWTH_AXIS_MAX_DIGITS = 21 };

mc_status mc_npy_write(FILE *f, const char *descr, const int64_t *shape, uint32_t ndim,
                       const void *data, size_t nbytes, mc_error *err)
{
    if (!f || !descr || (ndim && !shape) || (!data && nbytes))
        return npy_err(err, MC_E_USAGE, -1, "mc_npy_write: NULL argument");
    mc_dtype dt;
    if (mc_dtype_parse_str(descr, strlen(descr), &dt) != 0 || dt.kind == 'O')
        return npy_err(err, MC_E_USAGE, -1,
                       "mc_npy_write: '%.64s' is not a numpy type string of a raw dtype", descr);
    if (ndim > MC_NPY_MAX_NDIM)
        return npy_err(err, MC_E_USAGE, -1, "mc_npy_write: %u dimensions, more than %d", ndim,
                       MC_NPY_MAX_NDIM);
    uint64_t count, total;
    if (mc_shape_product(shape, ndim, &count) || mc_mul_u64(count, dt.itemsize, &total) ||
        total != (uint64_t)nbytes)
        return npy_err(err, MC_E_USAGE, -1,
                       "mc_npy_write: %zu data bytes do not match the shape and itemsize %u",
                       nbytes, dt.itemsize);

    char str[64];
    mc_dtype_str(&dt, str, sizeof str);
    /* 10 (prefix) + header text (< 60 + 32 * 22 + 21) + 64 padding fits. */
    char buf[2048];
    size_t hstart = 12; /* room for the longer (2.0) prefix; moved later */
    size_t k = hstart;
#define PUT(...) (k += (size_t)snprintf(buf + k, sizeof buf - k, __VA_ARGS__))
    PUT("{'descr': '%s', 'fortran_order': False, 'shape': (", str);
    for (uint32_t i = 0; i < ndim; i++)
        PUT("%s%lld", i ? ", " : "", (long long)shape[i]);
    PUT("%s), }", ndim == 1 ? "," : "");
    if (ndim > 0) {
        char d0[24];
        int w = snprintf(d0, sizeof d0, "%lld", (long long)shape[0]);
        for (int i = w; i < GROWTH_AXIS_MAX_DIGITS; i++)
            buf[k++] = ' ';
    }
#undef PUT
    size_t hl = k - hstart + 1; /* + '\n' */
    int major = 1;
    size_t lenbytes = 2;
    size_t pad = NPY_ALIGN - ((8 + lenbytes + hl) % NPY_ALIGN);
    if (hl + pad > 0xFFFF) {
        major = 2;
        lenbytes = 4;
        pad = NPY_ALIGN - ((8 + lenbytes + hl) % NPY_ALIGN);
    }
    if (k + pad + 1 > sizeof buf)
        return npy_err(err, MC_E_USAGE, -1, "mc_npy_write: header too long");
    memset(buf + k, ' ', pad);
    k += pad;
    buf[k++] = '\n';
    size_t start = hstart - 8 - lenbytes;
    uint8_t *pre = (uint8_t *)buf + start;
    memcpy(pre, "\x93NUMPY", 6);
    pre[6] = (uint8_t)major;
    pre[7] = 0;
    if (major == 1)
        mc_store_u16le(pre + 8, (uint16_t)(hl + pad));
    else
        mc_store_u32le(pre + 8, (uint32_t)(hl + pad));
    errno = 0;
    if (fwrite(buf + start, 1, k - start, f) != k - start ||
        (nbytes && fwrite(data, 1, nbytes, f) != nbytes) || fflush(f) != 0 || ferror(f))
        return npy_err(err, MC_E_IO, -1, "cannot write the .npy file: %s",
                       errno ? strerror(errno) : "write error");
    return MC_OK;
}
