/* modelconv predict MODEL INPUT [--method M] [-o OUTPUT]: scikit-learn's
 * methods computed in C.  INPUT is .npy (float32/float64, C or Fortran
 * order) or .csv (optional header); OUTPUT is .npy or .csv by its
 * extension, CSV on stdout by default.  Labels keep the type of classes_. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "io/atomic.h"
#include "io/matrix.h"
#include "modelconv/predict.h"

void help_predict(void)
{
    printf("usage: modelconv predict MODEL INPUT [--method M] [-o OUTPUT]\n\n"
           "Run a scikit-learn model's method on the rows of INPUT, in C, with\n"
           "scikit-learn's own arithmetic.\n\n"
           "  MODEL        a pickle, joblib or modelconv HDF5 file\n"
           "  INPUT        .npy (float32/float64, C or Fortran order) or .csv (optional header)\n"
           "  --method M   predict (default), predict_proba, predict_log_proba,\n"
           "               decision_function, transform, score_samples\n"
           "  -o OUTPUT    .npy or .csv by extension; CSV on stdout by default.  Labels\n"
           "               keep the type of the model's classes (numpy unicode in .npy);\n"
           "               multi-output probabilities go to OUTPUT.0.npy, OUTPUT.1.npy, ...\n\n"
           "exit: 0 ok, 2 usage (wrong feature count, a method the estimator lacks),\n"
           "3 unreadable or unsupported model or input, 4 output failure\n");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cmd_predict(int argc, char **argv)
{
    const char *model_path = NULL, *input_path = NULL, *output = NULL, *method_name = "predict";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--method") == 0 || strcmp(argv[i], "-o") == 0) {
            if (i + 1 >= argc)
                return cli_usage("predict", "%s needs a value", argv[i]);
            if (argv[i][1] == 'o')
                output = argv[++i];
            else
                method_name = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("predict", "unknown option '%s'", argv[i]);
        } else if (!model_path) {
            model_path = argv[i];
        } else if (!input_path) {
            input_path = argv[i];
        } else {
            return cli_usage("predict", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!model_path || !input_path)
        return cli_usage("predict", "MODEL and INPUT are required");
    mc_method method;
    if (mc_method_from_name(method_name, &method))
        return cli_usage("predict", "unknown method '%s'", method_name);
    if (output && !ends_with(output, ".npy") && !ends_with(output, ".csv"))
        return cli_usage("predict", "OUTPUT must end in .npy or .csv");

    mc_error err;
    mc_model *model = NULL;
    mc_predictor *pred = NULL;
    mc_matrix X = {0};
    mc_outputs out = {0, NULL};
    mc_status st = mc_model_load_for(model_path, MC_LOAD_PREDICT, &model, &err);
    if (!st && (st = mc_predictor_new(model, &pred, &err)))
        mc_error_set_file(&err, model_path);
    if (!st)
        st = mc_matrix_read(input_path, &X, &err);
    if (!st)
        st = mc_predict(pred, method, X.data, X.rows, X.cols, &out, &err);
    if (!st) {
        if (output && ends_with(output, ".npy")) {
            st = mc_outputs_write_npy(output, &out, &err);
        } else if (output) {
            mc_atomic_file af;
            if (!(st = mc_atomic_open(&af, output, &err))) {
                st = mc_outputs_write_csv(af.f, &out, &err);
                if (st)
                    mc_atomic_abort(&af);
                else
                    st = mc_atomic_commit(&af, &err);
            }
        } else {
            st = mc_outputs_write_csv(stdout, &out, &err);
        }
    }
    mc_outputs_free(&out);
    mc_matrix_free(&X);
    mc_predictor_free(pred);
    mc_model_free(model);
    return st ? cli_fail(&err) : 0;
}
