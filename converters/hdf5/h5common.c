/* Shared HDF5 helpers (h5common.h). */
#define _POSIX_C_SOURCE 200809L
#include "hdf5/h5common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only taken when libhdf5 was built without thread safety (Debian's is
 * thread-safe): then modelconv's HDF5 calls run one at a time. */
static pthread_mutex_t fallback_lock = PTHREAD_MUTEX_INITIALIZER;

void mc_h5_begin(mc_h5_session *s)
{
    hbool_t threadsafe = 0;
    H5is_library_threadsafe(&threadsafe);
    s->locked = !threadsafe;
    if (s->locked)
        pthread_mutex_lock(&fallback_lock);
    /* the error printer is per thread in a thread-safe library */
    s->saved_func = NULL;
    s->saved_data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &s->saved_func, &s->saved_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void mc_h5_end(mc_h5_session *s)
{
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, s->saved_func, s->saved_data);
    if (s->locked)
        pthread_mutex_unlock(&fallback_lock);
}

typedef struct first_error {
    char *buf;
    size_t size;
    int found;
} first_error;

static herr_t take_first(unsigned n, const H5E_error2_t *e, void *data)
{
    first_error *f = data;
    (void)n;
    if (!f->found && e->desc && e->desc[0]) {
        snprintf(f->buf, f->size, "%s", e->desc);
        f->found = 1;
    }
    return 0;
}

void mc_h5_last_error(char *buf, size_t size)
{
    first_error f = {buf, size, 0};
    buf[0] = '\0';
    /* upward: the innermost (most specific) record comes first */
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_first, &f);
    H5Eclear2(H5E_DEFAULT);
}

/* ---- paths ---------------------------------------------------------------- */

int mc_h5_path_init(mc_h5_path *p)
{
    p->cap = 256;
    p->buf = malloc(p->cap);
    if (!p->buf)
        return -1;
    strcpy(p->buf, "/");
    p->len = 1;
    return 0;
}

void mc_h5_path_free(mc_h5_path *p)
{
    free(p->buf);
    p->buf = NULL;
}

size_t mc_h5_path_push(mc_h5_path *p, const char *name)
{
    size_t old = p->len, n = strlen(name);
    size_t sep = old > 1 ? 1 : 0;
    if (old + sep + n + 1 > p->cap) {
        size_t cap = p->cap;
        while (old + sep + n + 1 > cap)
            cap *= 2;
        char *b = realloc(p->buf, cap);
        if (!b)
            return (size_t)-1;
        p->buf = b;
        p->cap = cap;
    }
    if (sep)
        p->buf[p->len++] = '/';
    memcpy(p->buf + p->len, name, n + 1);
    p->len += n;
    return old;
}

void mc_h5_path_pop(mc_h5_path *p, size_t len)
{
    p->len = len;
    p->buf[len] = '\0';
}

/* ---- names ------------------------------------------------------------------ */

char *mc_h5_escape(const char *s, size_t len)
{
    if (len == 0)
        return strdup("%");
    if (len == 1 && s[0] == '.')
        return strdup("%2E");
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(3 * len + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%' || c == '/' || c == '\0' || (c == '@' && i == 0)) {
            o += sprintf(o, "%%%02X", (unsigned char)c);
        } else {
            *o++ = c;
        }
    }
    *o = '\0';
    return out;
}

/* ---- types ---------------------------------------------------------------- */

hid_t mc_h5_type_vlen_str(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        mc_h5_close(H5Tclose, t);
        return -1;
    }
    return t;
}

hid_t mc_h5_type_fixed_str(size_t len, int utf8)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, len) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII) < 0) {
        mc_h5_close(H5Tclose, t);
        return -1;
    }
    return t;
}

hid_t mc_h5_type_bool(void)
{
    /* h5py's boolean: an enum over an 8-bit signed integer */
    hid_t t = H5Tenum_create(H5T_STD_I8LE);
    int8_t f = 0, tr = 1;
    if (t < 0)
        return -1;
    if (H5Tenum_insert(t, "FALSE", &f) < 0 || H5Tenum_insert(t, "TRUE", &tr) < 0) {
        mc_h5_close(H5Tclose, t);
        return -1;
    }
    return t;
}

hid_t mc_h5_type_complex(hid_t part)
{
    size_t n = H5Tget_size(part);
    hid_t t = n ? H5Tcreate(H5T_COMPOUND, 2 * n) : -1;
    if (t < 0)
        return -1;
    if (H5Tinsert(t, "r", 0, part) < 0 || H5Tinsert(t, "i", n, part) < 0) {
        mc_h5_close(H5Tclose, t);
        return -1;
    }
    return t;
}

hid_t mc_h5_type_f16(int big_endian)
{
    /* h5py's IEEE half for HDF5 < 1.14.4 (h5t.pyx) */
    hid_t t = H5Tcopy(H5T_IEEE_F32BE);
    if (t < 0)
        return -1;
    if (H5Tset_fields(t, 15, 10, 5, 0, 10) < 0 || H5Tset_size(t, 2) < 0 ||
        H5Tset_ebias(t, 15) < 0 || H5Tset_order(t, big_endian ? H5T_ORDER_BE : H5T_ORDER_LE) < 0) {
        mc_h5_close(H5Tclose, t);
        return -1;
    }
    return t;
}

/* ---- property lists -------------------------------------------------------- */

/* Groups keep the creation order of their links (layout "The file");
 * attributes are found by name (HDF5 counts attribute creation in 16 bits,
 * which would cap a group at 65535 attribute values).  No object times:
 * deterministic bytes. */
static int set_object_props(hid_t ocpl, int is_group)
{
    const unsigned crt = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (H5Pset_obj_track_times(ocpl, 0) < 0)
        return -1;
    if (is_group && H5Pset_link_creation_order(ocpl, crt) < 0)
        return -1;
    return 0;
}

int mc_h5_plists_open(mc_h5_plists *p)
{
    p->fcpl = H5Pcreate(H5P_FILE_CREATE);
    p->fapl = H5Pcreate(H5P_FILE_ACCESS);
    p->gcpl = H5Pcreate(H5P_GROUP_CREATE);
    p->lcpl = H5Pcreate(H5P_LINK_CREATE);
    p->acpl = H5Pcreate(H5P_ATTRIBUTE_CREATE);
    if (p->fcpl < 0 || p->fapl < 0 || p->gcpl < 0 || p->lcpl < 0 || p->acpl < 0)
        return -1;
    /* the root group takes its settings from the file creation list; the
     * format is fixed at HDF5 1.8's so the bytes do not change with the
     * library version and any HDF5 >= 1.8 reads the file */
    if (set_object_props(p->fcpl, 1) < 0 || set_object_props(p->gcpl, 1) < 0 ||
        H5Pset_libver_bounds(p->fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
        H5Pset_char_encoding(p->lcpl, H5T_CSET_UTF8) < 0 ||
        H5Pset_char_encoding(p->acpl, H5T_CSET_UTF8) < 0)
        return -1;
    return 0;
}

void mc_h5_plists_close(mc_h5_plists *p)
{
    hid_t *ids[] = {&p->fcpl, &p->fapl, &p->gcpl, &p->lcpl, &p->acpl};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        if (*ids[i] >= 0)
            mc_h5_close(H5Pclose, *ids[i]);
        *ids[i] = -1;
    }
}

hid_t mc_h5_dcpl(void)
{
    hid_t d = H5Pcreate(H5P_DATASET_CREATE);
    if (d >= 0 && set_object_props(d, 0) < 0) {
        mc_h5_close(H5Pclose, d);
        return -1;
    }
    return d;
}

/* ---- attributes ---------------------------------------------------------------- */

static int write_attr(hid_t obj, const char *name, hid_t type, hid_t space, const void *buf,
                      hid_t acpl)
{
    int rc = -1;
    if (type >= 0 && space >= 0) {
        hid_t a = H5Acreate2(obj, name, type, space, acpl, H5P_DEFAULT);
        if (a >= 0) {
            rc = H5Awrite(a, type, buf) < 0 ? -1 : 0;
            mc_h5_close(H5Aclose, a);
        }
    }
    return rc;
}

static int scalar_attr(hid_t obj, const char *name, hid_t type, const void *buf, hid_t acpl)
{
    hid_t space = H5Screate(H5S_SCALAR);
    int rc = write_attr(obj, name, type, space, buf, acpl);
    if (space >= 0)
        mc_h5_close(H5Sclose, space);
    return rc;
}

int mc_h5_attr_str(hid_t obj, const char *name, const char *s, hid_t acpl)
{
    hid_t t = mc_h5_type_vlen_str();
    int rc = scalar_attr(obj, name, t, &s, acpl);
    if (t >= 0)
        mc_h5_close(H5Tclose, t);
    return rc;
}

int mc_h5_attr_i64(hid_t obj, const char *name, int64_t v, hid_t acpl)
{
    return scalar_attr(obj, name, H5T_STD_I64LE, &v, acpl);
}

int mc_h5_attr_f64(hid_t obj, const char *name, double v, hid_t acpl)
{
    return scalar_attr(obj, name, H5T_IEEE_F64LE, &v, acpl);
}

int mc_h5_attr_bool(hid_t obj, const char *name, int v, hid_t acpl)
{
    int8_t b = v ? 1 : 0;
    hid_t t = mc_h5_type_bool();
    int rc = scalar_attr(obj, name, t, &b, acpl);
    if (t >= 0)
        mc_h5_close(H5Tclose, t);
    return rc;
}

int mc_h5_attr_null(hid_t obj, const char *name, hid_t acpl)
{
    hid_t space = H5Screate(H5S_NULL);
    int rc = -1;
    if (space >= 0) {
        hid_t a = H5Acreate2(obj, name, H5T_STD_U8LE, space, acpl, H5P_DEFAULT);
        rc = a < 0 ? -1 : 0;
        if (a >= 0)
            mc_h5_close(H5Aclose, a);
        mc_h5_close(H5Sclose, space);
    }
    return rc;
}

int mc_h5_attr_complex(hid_t obj, const char *name, double re, double im, hid_t acpl)
{
    double v[2] = {re, im};
    hid_t t = mc_h5_type_complex(H5T_IEEE_F64LE);
    int rc = scalar_attr(obj, name, t, v, acpl);
    if (t >= 0)
        mc_h5_close(H5Tclose, t);
    return rc;
}

static int list_attr(hid_t obj, const char *name, hid_t type, const void *buf, size_t n,
                     hid_t acpl)
{
    hsize_t dims[1] = {n};
    hid_t space = H5Screate_simple(1, dims, NULL);
    static const char empty[16];
    int rc = write_attr(obj, name, type, space, n ? buf : empty, acpl);
    if (space >= 0)
        mc_h5_close(H5Sclose, space);
    return rc;
}

int mc_h5_attr_i64_list(hid_t obj, const char *name, const int64_t *v, size_t n, hid_t acpl)
{
    return list_attr(obj, name, H5T_STD_I64LE, v, n, acpl);
}

int mc_h5_attr_str_list(hid_t obj, const char *name, const char *const *s, size_t n, hid_t acpl)
{
    hid_t t = mc_h5_type_vlen_str();
    int rc = list_attr(obj, name, t, s, n, acpl);
    if (t >= 0)
        mc_h5_close(H5Tclose, t);
    return rc;
}

/* ---- Python ints beyond int64 ------------------------------------------------- */

char *mc_h5_bigint_to_decimal(const uint8_t *b, size_t n)
{
    /* magnitude in 32-bit limbs, least significant first */
    size_t nl = n / 4 + 1;
    uint32_t *limb = calloc(nl, sizeof *limb);
    char *out = malloc(n * 3 + 3); /* 2.41 digits per byte, sign, NUL */
    if (!limb || !out) {
        free(limb);
        free(out);
        return NULL;
    }
    int neg = n && (b[n - 1] & 0x80);
    unsigned carry = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned byte = b[i];
        if (neg) { /* two's complement negation: invert, add one */
            byte = (~byte & 0xff) + carry;
            carry = byte >> 8;
            byte &= 0xff;
        }
        limb[i / 4] |= (uint32_t)byte << (8 * (i % 4));
    }
    /* repeated division by 10^9 gives nine digits at a time, lowest first */
    char *digits = out + n * 3 + 2, *p = digits;
    *p = '\0';
    size_t top = nl;
    do {
        uint64_t rem = 0;
        while (top && limb[top - 1] == 0)
            top--;
        for (size_t i = top; i-- > 0;) {
            uint64_t cur = rem << 32 | limb[i];
            limb[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        while (top && limb[top - 1] == 0)
            top--;
        for (int k = 0; k < 9 && (top || rem || k == 0); k++) {
            *--p = (char)('0' + rem % 10);
            rem /= 10;
        }
    } while (top);
    if (neg)
        *--p = '-';
    memmove(out, p, (size_t)(digits - p) + 1);
    free(limb);
    return out;
}

int mc_h5_bigint_from_decimal(const char *s, size_t len, uint8_t *out, size_t *n)
{
    int neg = len && s[0] == '-';
    const char *d = s + neg;
    size_t nd = len - (size_t)neg;
    if (nd == 0 || nd > (size_t)MC_H5_BIGINT_MAX * 5 / 2 || (d[0] == '0' && nd > 1) ||
        (neg && nd == 1 && d[0] == '0'))
        return -1;
    size_t nl = MC_H5_BIGINT_MAX / 4 + 1, used = 0;
    uint32_t *limb = calloc(nl, sizeof *limb);
    if (!limb)
        return -1;
    for (size_t i = 0; i < nd; i++) {
        if (d[i] < '0' || d[i] > '9') {
            free(limb);
            return -1;
        }
        uint64_t carry = (uint64_t)(d[i] - '0');
        for (size_t k = 0; k < used; k++) {
            uint64_t cur = (uint64_t)limb[k] * 10 + carry;
            limb[k] = (uint32_t)cur;
            carry = cur >> 32;
        }
        if (carry) {
            if (used == nl) {
                free(limb);
                return -1;
            }
            limb[used++] = (uint32_t)carry;
        }
    }
    /* bytes of the magnitude, then two's complement for negatives */
    size_t nb = used * 4 + 1;
    if (nb > MC_H5_BIGINT_MAX + 4) {
        free(limb);
        return -1;
    }
    uint8_t tmp[MC_H5_BIGINT_MAX + 8];
    for (size_t i = 0; i < nb; i++)
        tmp[i] = i / 4 < used ? (uint8_t)(limb[i / 4] >> (8 * (i % 4))) : 0;
    free(limb);
    if (neg) {
        unsigned carry = 1;
        for (size_t i = 0; i < nb; i++) {
            unsigned v = (~tmp[i] & 0xffu) + carry;
            tmp[i] = (uint8_t)v;
            carry = v >> 8;
        }
    }
    /* minimal length: drop top bytes that only repeat the sign */
    while (nb > 1 && ((tmp[nb - 1] == 0 && !(tmp[nb - 2] & 0x80)) ||
                      (tmp[nb - 1] == 0xff && (tmp[nb - 2] & 0x80))))
        nb--;
    if (nb > MC_H5_BIGINT_MAX)
        return -1;
    memcpy(out, tmp, nb);
    *n = nb;
    return 0;
}

void mc_h5_close(herr_t (*close)(hid_t), hid_t id)
{
    if (id < 0)
        return;
    hid_t saved = H5Eget_current_stack();
    close(id);
    if (saved >= 0)
        H5Eset_current_stack(saved);
}
