/* modelconv scan FILE [--json]: every global the file's pickle streams name
 * (nested joblib streams and companion files included), each with a verdict
 * from the closed table — like a pickle security scanner, but it reads the
 * file with the same restricted VM as every other command and runs nothing.
 * Exit 0 when all are safe, 1 when any is unsafe or unknown, 3 when the file
 * cannot be read (the globals seen before the failure are still listed). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/json_writer.h"
#include "modelconv/read.h"
#include "modelconv/scan.h"

void help_scan(void)
{
    printf("usage: modelconv scan FILE [--json]\n\n"
           "List every global (module.name) the pickle in FILE references, with a verdict:\n"
           "  safe     in modelconv's table of names that only build data\n"
           "  unknown  not in the table (e.g. a scikit-learn release newer than the table)\n"
           "  unsafe   runs code or touches the system when Python loads the file\n"
           "Nothing in the file is run; the same restricted reader as 'inspect' is used.\n\n"
           "  --json   one JSON object: file, verdict, error, globals[]\n\n"
           "exit: 0 all safe, 1 something unsafe or unknown, 2 usage, 3 unreadable file\n");
}

static void uses_text(unsigned uses, char *buf, size_t size)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{MC_USE_CALL, "call"}, {MC_USE_NEWOBJ, "new"}, {MC_USE_INST, "inst"},
                 {MC_USE_VALUE, "ref"}};
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(uses & names[i].bit))
            continue;
        if (buf[0])
            strncat(buf, ",", size - strlen(buf) - 1);
        strncat(buf, names[i].name, size - strlen(buf) - 1);
    }
}

int cmd_scan(int argc, char **argv)
{
    const char *path = NULL;
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("scan", "unknown option '%s'", argv[i]);
        else if (path)
            return cli_usage("scan", "one FILE only");
        else
            path = argv[i];
    }
    if (!path)
        return cli_usage("scan", "FILE is missing");

    mc_read_options opts;
    mc_read_options_init(&opts);
    opts.scan = 1;
    mc_error err;
    mc_document *doc = NULL;
    mc_status st = mc_read_file(path, &opts, &doc, &err);
    if (!doc)
        return cli_fail(&err);

    size_t n;
    const mc_global_use *g = mc_document_globals(doc, &n);
    mc_verdict worst = MC_VERDICT_SAFE;
    for (size_t i = 0; i < n; i++)
        if (g[i].verdict > worst)
            worst = g[i].verdict;
    char line[2048] = "";
    if (st)
        mc_error_format(&err, line, sizeof line);

    if (as_json) {
        json_writer w;
        json_init(&w, stdout);
        json_object_begin(&w);
        json_key(&w, "file");
        json_string(&w, path);
        json_key(&w, "verdict");
        json_string(&w, mc_verdict_name(worst));
        json_key(&w, "error");
        if (st)
            json_string(&w, line);
        else
            json_null(&w);
        json_key(&w, "globals");
        json_array_begin(&w);
        for (size_t i = 0; i < n; i++) {
            char uses[64];
            uses_text(g[i].uses, uses, sizeof uses);
            json_object_begin(&w);
            json_key(&w, "module");
            json_string(&w, g[i].module);
            json_key(&w, "name");
            json_string(&w, g[i].name);
            json_key(&w, "verdict");
            json_string(&w, mc_verdict_name(g[i].verdict));
            json_key(&w, "reason");
            json_string(&w, g[i].reason);
            json_key(&w, "uses");
            json_string(&w, uses);
            json_key(&w, "count");
            json_uint(&w, g[i].count);
            json_key(&w, "first_offset");
            json_int(&w, g[i].first_offset);
            json_object_end(&w);
        }
        json_array_end(&w);
        json_object_end(&w);
        json_finish(&w);
    } else {
        printf("%-64s %-8s %-14s %s\n", "GLOBAL", "VERDICT", "USES", "FIRST AT BYTE");
        for (size_t i = 0; i < n; i++) {
            char name[512], uses[64];
            snprintf(name, sizeof name, "%s.%s", g[i].module, g[i].name);
            uses_text(g[i].uses, uses, sizeof uses);
            printf("%-64s %-8s %-14s %lld%s%s\n", name, mc_verdict_name(g[i].verdict), uses,
                   (long long)g[i].first_offset, g[i].reason[0] ? "  " : "", g[i].reason);
        }
        printf("\n%zu globals; verdict: %s\n", n, mc_verdict_name(worst));
    }
    mc_document_free(doc);
    if (st) {
        fprintf(stderr, "modelconv: %s\n", line);
        return mc_status_exit_code(st);
    }
    return worst == MC_VERDICT_SAFE ? 0 : 1;
}
