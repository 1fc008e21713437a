/* The hist_boosting family against scikit-learn, beyond the corpus parity
 * test: categorical edge values (unknown, negative, fractional, huge,
 * missing) on the corpus models of both versions; numpy's float64 exp
 * (SVML, the numpy 1.x and 2.x variants) through a Poisson model whose
 * leaves are set to chosen raw values; a 1.9.1 model whose categorical
 * columns are not the leading ones (the _preprocessor reorders them);
 * 1.2.2 models with fractional and negative categories; nine-class models
 * (softmax sums a lone row pairwise, several rows left to right; 1.2.2
 * predicts by argmax of the probabilities); single rows against batches;
 * and corrupted trees that prepare must refuse.
 *
 * The expected numbers are scikit-learn's own (bit patterns), made by the
 * script at the end of this file with /work/venvs/old (scikit-learn 1.2.2,
 * numpy 1.24.4) and /work/venvs/new (1.9.1, numpy 2.4.6) on an AVX-512
 * machine; the small models are joblib.dump(compress=("zlib", 9)) files,
 * base64-encoded. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "modelconv/predict.h"
#include "modelconv/read.h"

/* ---- scikit-learn's outputs --------------------------------------------------- */

static const uint64_t v1_2_2_cat_values0[] = {
    0x0000000000000000u, 0x3ff0000000000000u, 0x4000000000000000u, 0x4008000000000000u,
    0x4010000000000000u, 0x4014000000000000u, 0x3ff8000000000000u, 0x400ffdf3b645a1cbu,
    0xbfe0000000000000u, 0x8000000000000000u, 0xbff0000000000000u, 0x4070000000000000u,
    0x4070100000000000u, 0x4072c00000000000u, 0x41dfffffffc00000u, 0x41e0000000000000u,
    0x41e0000000600000u, 0x4415af1d78b58c40u, 0x7ff8000000000000u
};
static const uint64_t v1_2_2_cat_values1[] = {
    0x0000000000000000u, 0x3ff0000000000000u, 0x4000000000000000u, 0x4008000000000000u,
    0x400599999999999au, 0xc008000000000000u, 0x4070200000000000u, 0x7ff8000000000000u
};
static const uint64_t v1_2_2_cat_row[] = {
    0x3ff0000000000000u, 0x3ff0000000000000u, 0x3fb786fdf41b3bc8u, 0x3fd2efcacfd38532u,
    0xbfe9a59ff6cb175bu, 0x3fe04d91ad24b478u
};
static const uint64_t v1_2_2_cat_decision[] = {
    0x3fecc463591236e2u, 0x3feaff1f820d620cu, 0x3feb0758c03b87c2u, 0x3feccc9c97405c98u,
    0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u, 0x3feaff1f820d620cu, 0x3feccc9c97405c98u,
    0x3feb0758c03b87c2u, 0x3fecc463591236e2u, 0x3feb0758c03b87c2u, 0x3fecc463591236e2u,
    0x3feaff1f820d620cu, 0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u, 0x3fecc463591236e2u,
    0x3fecc463591236e2u, 0x3fecc463591236e2u, 0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u,
    0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u,
    0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u, 0x3feb0758c03b87c2u, 0x3fecc463591236e2u,
    0x3feaff1f820d620cu
};
static const uint64_t v1_2_2_cat_proba[] = {
    0x3fd28342eb4d2390u, 0x3fe6be5e8a596e38u, 0x3fd33fc8ce99c86eu, 0x3fe6601b98b31bc9u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd27fe178b02d1cu, 0x3fe6c00f43a7e972u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd33c537db3f4f0u, 0x3fe661d641260588u,
    0x3fd33fc8ce99c86eu, 0x3fe6601b98b31bc9u, 0x3fd27fe178b02d1cu, 0x3fe6c00f43a7e972u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd28342eb4d2390u, 0x3fe6be5e8a596e38u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd28342eb4d2390u, 0x3fe6be5e8a596e38u,
    0x3fd33fc8ce99c86eu, 0x3fe6601b98b31bc9u, 0x3fd33c537db3f4f0u, 0x3fe661d641260588u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd28342eb4d2390u, 0x3fe6be5e8a596e38u,
    0x3fd28342eb4d2390u, 0x3fe6be5e8a596e38u, 0x3fd28342eb4d2390u, 0x3fe6be5e8a596e38u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd33c537db3f4f0u, 0x3fe661d641260588u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd33c537db3f4f0u, 0x3fe661d641260588u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd33c537db3f4f0u, 0x3fe661d641260588u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd33c537db3f4f0u, 0x3fe661d641260588u,
    0x3fd33c537db3f4f0u, 0x3fe661d641260588u, 0x3fd28342eb4d2390u, 0x3fe6be5e8a596e38u,
    0x3fd33fc8ce99c86eu, 0x3fe6601b98b31bc9u
};
static const int64_t v1_2_2_cat_predict[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
};
static const uint64_t v1_2_2_exp_leaf[] = {
    0x401053cd67810b16u, 0xc0147200820833aau, 0x3feac221aa4baeafu, 0xbff22b2b2a3f6eacu,
    0xbfecf834bc8b00abu, 0xbfdb98b0164a5baeu, 0xc01028ee7cd87d15u, 0xbfddaff5cc6ec2a7u,
    0xbffbafd355558488u, 0x401a9580c544e89cu, 0x3fdce69363d82196u, 0xbfe69180c0509e2cu,
    0xbfe2009cf16f1ffau, 0xbff560a2bb1801f2u, 0xc000e1e58b5c8496u, 0xbfe902e21a1dee83u,
    0x3feed83178860ee7u, 0xbfde88ecb149a8b1u, 0x3ffea5f594557d76u, 0xbfd9931dbd018d8bu,
    0x3fa8d77fda7a5346u, 0x4008bbaea516f14bu, 0x3ff171812319ff57u, 0xbff02ad5740ec5bdu,
    0xbfd767447c2a6cd4u, 0x3ff14bfb5c71b1e6u, 0x400ef61eded55e3bu, 0xbfe141759e114d23u,
    0xbfdf2cee48a69e8cu, 0x40000979fc9d0a8fu, 0xbffc5de13e22d6f6u, 0xbfe2ab8b567a4978u,
    0x3ffc3dc25c557a86u, 0x3ff2923a3278bc45u, 0x3fc76da37fa2ac19u, 0x3ff5717eb01ca7edu,
    0xc016a0138f3d641au, 0x40005745d14583d3u, 0xbffeb568ed64eb78u, 0xc00ab2aab85a9ff8u,
    0x3fe1b1498e10ad3fu, 0x3ff66add1b7e9518u, 0xbfec7711eb1ee458u, 0xc00138f554874d4fu,
    0x3faac077e6918784u, 0xbfbb01b1f7b5dc79u, 0x40067d5480a5d836u, 0x3ff7eac427dfc68eu,
    0x3fd8cef37b146f54u, 0x4001c93fe6595af1u, 0xbfda4e944cf5b3f7u, 0xbffda0f824866717u,
    0x3ff2b09b0e19ef18u, 0x3ff2a4279c194598u, 0xbfdb7f8385c337a9u, 0xbff90cc4932c45a4u,
    0x3fdd54ea48522179u, 0xc013f37ed7ed44c9u, 0x3ff615808ac0480bu, 0x3fef7293dc8c4bfcu,
    0xc00a38c244bd35b7u, 0x3fbf69ba2c7fe0b4u, 0xbffed9e7899fd0beu, 0x3ff83b27a0e288e0u,
    0xc01045f97dd0439cu, 0xbffd438a0ca1d61fu, 0x3ff6b4e11727f1c1u, 0x4002809e62c13839u,
    0xc01143985321df76u, 0xbfefdfe28353f3f6u, 0x3fe4fe47fc79ae45u, 0xbff37eb2d7961574u,
    0x400973432bd3c1a6u, 0xc0030f43b57abc4eu, 0x3fe6b0a6c2ac2203u, 0xc000c644dd718378u,
    0x40067ed2ffc26f93u, 0xbfa62bbd62d8e97bu, 0xbfe7d2f40793367bu, 0xc00b7daf80794bbeu,
    0x400ae8c1e71a3864u, 0x3ff816c321987432u, 0x3ff81d31e8b1a187u, 0x400234c2fa9c87e7u,
    0x3fe659ba6efbac71u, 0xbff474b54ed0257eu, 0xbff99b937d602a96u, 0xbff99b3cfcb3b149u,
    0x4005ebd0f9b2eb47u, 0xc0075db8adad3d6au, 0xbff3157583ac6282u, 0xbfe48f42a7d7e070u,
    0x3fdcc050f3f78543u, 0x3ff269431eed44b6u, 0xc003fc4d25398c5fu, 0xc00bae2295adb06cu,
    0xbf8214a88bf8fb76u, 0x40036ac1e6d365e7u, 0x3ff839d1d2bb41f3u, 0x3fdb9a71e3ac8e8au,
    0xbfe44c472fb2f78au, 0x3fe2c457436304f4u, 0xbfdf259aa59db230u, 0x3ffa268e6a295580u,
    0xbff96c1cd35d3a77u, 0x3fd12ec64b46bb75u, 0xbfcc5c1645a54e3cu, 0x3ff163333b00357du,
    0x3fdcc0f4843f7642u, 0x401466788f34e0b0u, 0x4007fa7d6962fcaeu, 0x4007f2a2ab89c181u,
    0xc01050e7635448acu, 0xbfe5c7bf61586fadu, 0xbff379bcf86b05beu, 0x3ff10c0e2b2cadd7u,
    0xc0123b723d69aec2u, 0x4002cabf2078a275u, 0x4001125d179ac553u, 0xc004d5484093d86fu,
    0x4032ca31edc005d2u, 0x40333555ef15a23au, 0xc02d8ca3f25cd5b6u, 0xbff150c2f32b9390u,
    0xc022dfbdcdafa28eu, 0xc02c978d9fcede2au, 0x40112c2117a54b30u, 0xc025da8b6118bc0au,
    0x401c7a421793f7f0u, 0x4013c7abef4813e8u, 0xc037bc6e87659c07u, 0xc00ba3b80ed6b198u,
    0xc01a6f5108f08050u, 0x4028cc5cb08de248u, 0xc038b6478e8fdae3u, 0xc033dccd6ebd8b05u,
    0x3fe82fe6cc0ff080u, 0xc016e5c2e487aa6cu, 0x4023d7733431eb30u, 0xc0240ea47e4c0c78u,
    0xc0322ab83f740cf0u, 0x4039e9254caed1dcu, 0xc02ebb7fedfc37cbu, 0xc0352d179ce5ec0cu,
    0xc02a69a6cde76752u, 0xc0233baac8e41764u, 0xc0307e37e5f749b8u, 0x40016e90c50c9f20u,
    0x403a374dca637f2cu, 0xc0367059b67bc986u, 0xc0145c4943624778u, 0x40242dcbed3a64e0u,
    0x40371538dd935cd4u, 0x403dfcf979c799f2u, 0xc03561bc8b885cf0u, 0x4001e724f5eea920u,
    0x4036df3d7895a23eu, 0xc03ad176d56def14u, 0x401530bb434eb3a0u, 0xc03390b8bf967165u,
    0x3c670ef54646d497u, 0xbc670ef54646d497u, 0x01c01297d23ab683u, 0x3fe0000000000000u,
    0xbfe0000000000000u, 0x40862aed96715696u, 0x40862e0d6acf5259u, 0x408626b45a4ab988u,
    0x40861cf70922093bu, 0x40861dfb71d8d924u, 0x40862472ec1ea229u, 0x40862c63f0cc900eu,
    0x4086212811212e3eu, 0x4086291cb4a3ce58u, 0x40862441f64988b8u, 0x408621adc979574fu,
    0x408629c066358a2bu, 0xc086ed6e04e9e534u, 0xc086da3d9ee3d491u, 0xc086639518e10fceu,
    0xc086b50c36902605u, 0xc0865df85c89b258u, 0xc086aeaf0ae1d767u, 0xc0871a270d3e56dbu,
    0xc086c494ab2107a6u, 0xc086432c8f01baa3u, 0xc086a00551b3f3c6u, 0xc0862769609986a9u,
    0xc0874a0dbb3f458cu, 0xc086e3bed75f9d9du, 0xc086627458600198u, 0xc0867b74f56fc971u,
    0xc086a13576985862u, 0xc086823710ee7bddu, 0xc086421185429611u, 0xc0867c3daaa28baeu,
    0xc086a55b1a13f48du, 0xc086a0c26f390348u, 0xc086816bb444c921u, 0xc086e8b544d9e849u,
    0xc086807f93541526u, 0xc0861da04cbafe44u, 0x40861da04cbafe44u, 0xc089000000000000u,
    0x4086300000000000u
};
static const uint64_t v1_2_2_exp_predict[] = {
    0x4057b3a3c0e2d2ebu, 0x3f83c0b40135fef1u, 0x400d89772f992acdu, 0x3fe072ac47c3d6d6u,
    0x3fe4b4d41318a052u, 0x3ff0a2167b539011u, 0x3f9cd51ea1cb4761u, 0x3ff01938dfe52c7du,
    0x3fd2256ca28e3be9u, 0x40933e12374f4dfeu, 0x40041b22f92bf5f4u, 0x3fe94aaf9c4731f3u,
    0x3fed2bb2d51eaf7au, 0x3fdaeafff4096d77u, 0x3fc8d2728d32adb1u, 0x3fe76ecd40529da2u,
    0x4010c7af40ad937fu, 0x3fefc6037de955d4u, 0x4025babcdaa867d6u, 0x3ff12abf904b519eu,
    0x3ffadf6a4a020318u, 0x40419c4d004b4e02u, 0x40130a1445640aa6u, 0x3fe2a3b524aa5debu,
    0x3ff1c26765aea262u, 0x4012dda1f8ac9740u, 0x40532e2a2f2e878au, 0x3feddc0008419c61u,
    0x3fef74ff4579575au, 0x4027c1304b1a6c95u, 0x3fd1642886eac292u, 0x3fec917ea59ed8e2u,
    0x4022b1c9fe9bb2b8u, 0x40146e0bee00bf53u, 0x3ffebdeb92b66972u, 0x4018726d4bbed2d6u,
    0x3f76e8351e1c4d99u, 0x4028aca287595572u, 0x3fce0be3dd16141au, 0x3fad1c35f443ea4du,
    0x40063ff83e979768u, 0x4019fb48b7a293c0u, 0x3fe5090d100d4117u, 0x3fc7c9fa39fa8ac3u,
    0x3ffaf9208548e4ecu, 0x3ff70972f7d5ccf3u, 0x403a9b9107cbee4au, 0x401c88d526157effu,
    0x4002dc51faabb204u, 0x402d8f52b6e01893u, 0x3ff0f8c0383cf63bu, 0x3fd012780194a399u,
    0x401494fadb3af51eu, 0x401484fcd7670c49u, 0x3ff0a8a2aaae3b5eu, 0x3fd565bc32f2c7cbu,
    0x40043deadc4c5401u, 0x3f8659a4eeebd457u, 0x4019721aa9ecf26bu, 0x401119685891efd4u,
    0x3faee5466bdee868u, 0x3ffcf1316d623698u, 0x3fcdc7a946d1163cu, 0x401d199d3bff88f2u,
    0x3f9c06b710c0fd95u, 0x3fd071660ec83269u, 0x401a74910dd236a7u, 0x40302a103889fc84u,
    0x3f95e0ac63c9a72eu, 0x3fe2e8cf4b02a34bu, 0x4008aadf49ec446du, 0x3fde476c9c6cb0dau,
    0x40434315ccda9473u, 0x3fc2e86d024b91b1u, 0x400a02bf0fe06e90u, 0x3fc928c00c13a65cu,
    0x403aa089a9b1bd8bu, 0x3ff883de9ed6afd7u, 0x3fe8518ada18c0adu, 0x3faa5ce81d03af94u,
    0x40471d97b2202220u, 0x401cd7b7e002f07bu, 0x401ce352cc0071f6u, 0x402f2730ae733ae0u,
    0x4009bc7735675a93u, 0x3fdc8392523357b7u, 0x3fd4aa0b1343d05au, 0x3fd4aa7acc9c736du,
    0x4038c8630f47668eu, 0x3fb6130c07dc771cu, 0x3fdf112a051a726fu, 0x3feaee27846d51bcu,
    0x40040f21944703b2u, 0x40143a00117e3700u, 0x3fc0d765b2726436u, 0x3fa9bf1f1b1a5162u,
    0x3ff95fff156046a6u, 0x40321f40ddf84dddu, 0x401d172fad16bde1u, 0x4003b3d8993e84fdu,
    0x3feb26c17f9719bbu, 0x40070276b7ab6854u, 0x3fef789962096ec3u, 0x4020679637a441b0u,
    0x3fd4e7b31ba93fcfu, 0x4000bdf8af7bc82bu, 0x3ff48330011ef6c0u, 0x4012f916588c894au,
    0x40040f54d84aa380u, 0x4070674070103ebbu, 0x4040067729efb02eu, 0x403fed8617e0bc56u,
    0x3f9bba8bafc5c5f5u, 0x3fe9ec206816f3bau, 0x3fde50d13843e1e7u, 0x401292d76a8758a5u,
    0x3f912ca85a4cff76u, 0x4030c295d4f903fau, 0x402b08db605c7ff2u, 0x3fbe4bf5a56a4aceu,
    0x41ab96f7255476f7u, 0x41b4f6d279d18e09u, 0x3ea492c4bf1f8148u, 0x3fe15949d8bfc9f6u,
    0x3f20b7e9f87e387au, 0x3eb09a27ffb4099cu, 0x405d46ed5e4398feu, 0x3efe25c3c3d826ccu,
    0x409ee47a96c6787cu, 0x406c180c77fc1de6u, 0x3dd59e4181a81b1fu, 0x3fa9e0bab4901d70u,
    0x3f61ad1038d3bc56u, 0x4117b0d9ca737442u, 0x3dc04aeb56b68bfau, 0x3e3040760d970e7eu,
    0x400b41aae223b606u, 0x3f75666a0d9c7110u, 0x40dfcbb6466dc6bbu, 0x3f128157a9a3ea1cu,
    0x3e5624be14a149a4u, 0x4250ac01e0922933u, 0x3e96c62571bcd641u, 0x3e117a06518c2d89u,
    0x3ec8ae5d02b9a7ecu, 0x3f1bf10ab01652f6u, 0x3e7d853e25d14961u, 0x402c478ea2350343u,
    0x42569fda8c1366ceu, 0x3df3c67975a7bcd0u, 0x3f842d15c0b6bd27u, 0x40e2d17db7b3fb1du,
    0x420f8d4a6bb3bfd2u, 0x42aebc8001868b0du, 0x3e0c74d417504ed9u, 0x402dfe98080f68bbu,
    0x42098da6282776acu, 0x3d8fb9a9f7225beeu, 0x4073fc461f8885a4u, 0x3e35e04797dd0ec6u,
    0x3ff999999999999au, 0x3ff999999999999au, 0x3ff999999999999au, 0x40051a87a4e4d216u,
    0x3fef0deb2d7f5677u, 0x7ff0000000000000u, 0x7ff0000000000000u, 0x7fe3e848b46ab1ccu,
    0x7fc791bbe671216fu, 0x7fcac3d9fab669d8u, 0x7fde0861e4b02aaeu, 0x7ff0000000000000u,
    0x7fd3e67de344da96u, 0x7feae5d3adc9dfd2u, 0x7fdd52c2b39c46c8u, 0x7fd53e39e152dfbcu,
    0x7fed22cb4a448061u, 0x00000000000126c4u, 0x00000000000cacceu, 0x000002169fd7977fu,
    0x00000000052c74c8u, 0x00000436403e8d10u, 0x000000000b7660b2u, 0x000000000000011au,
    0x0000000000be0516u, 0x000077fe23cdd0fbu, 0x0000000047a9340cu, 0x000f115876bfbd3fu,
    0x0000000000000001u, 0x000000000003dd05u, 0x00000267932af1e3u, 0x0000001b09d2b2b3u,
    0x000000003dc570e5u, 0x0000000b9dfa2882u, 0x000089c6cdd1a4d1u, 0x0000001883a6cfd2u,
    0x0000000024c8accau, 0x0000000041570ab4u, 0x0000000cd47230afu, 0x00000000000213ddu,
    0x0000000e65d3fc11u, 0x002999999999994eu, 0x7fc9999999999adau, 0x0000000000000000u,
    0x7ff0000000000000u
};
static const char v1_2_2_nine_model[] =
    "eNrdWgt01GQWnpl26LS0ZaClFUXAFhSoO7SVR7ctpFBxaMcOyCIPeYTMTNoEMslskim0iqxga5HAspqCFBHUgjzkIb4o"
    "IkMFlV0UFKzgo0dQqyyygA/wAZW9ySTTFOwjnj1nLTnQO/nz3/9xv/vd/97M/C28stpkkC8hk5tN4RhL23Caw70uCreh"
    "BMnxaBGLeUic5lEXw3A8SRfZrmkRhV5joKtdaR+lNOdSGMeRhSTOio+LAx4S54n9hXCK4ThRsFBMERr8GCPPCt1RFuNx"
    "0Y7UrJSuKsHixeaiJA/aDpMQK91Az0KUZjw4JzrChEipyYP7eEJ0ClYvSaMc5vVROCf3Ex3xQlcqHWXxIj+FsWQpxpMM"
    "LdoNyhUc3kXSMFa4EONlaIZnaNKNujkexutC0jAz5paUlKZ4N6yviGFJN0ahhTjG+1lYiFOImoOxXpTjMZYXFwmxsBuq"
    "BG4Zn082TTjm5xlRiODcoAoNhFmIK8Yo0iMvCC1UJtFs3ErL24adom4Co4tw0RElhPEMJdpHlB77rmr3tjFCRDHOuhgO"
    "HhmEaBajPYy8BD7Y4JYsj87BySJCWnksHVovCmaSjGeRu8C9KMTNYlwU6bLRfq+vBPWRbvADUejqlG5HsixWMonFfD4t"
    "iBbO75L1RcEsa8H2aA8m9YVOgpkjMB8sJLIMPjOsB1QFYy589vAl0E4kEwOhl4nMEBdVPCKOF/vDeozZotPpzL8Cl/zH"
    "YeBFlxCFURQzB/V6MZ9Y4Xep2BkVqbiuIUyR4Yo0K7KTIiMUaVFk5UxFQ0igUZ7FwQywP9noQVBg7UI0qpoVxz2i0F3e"
    "qA1AxG1eP8WTwe0KnThwB0wyDpEimPyaPRGDrt1RruX5qPmCNLVYDr2EzmgTNBIsXUgO1boZgGdWeNJN5ad8bws2xo3B"
    "qMICaTk04yUx6m6pNYST2a30aq6qDNgXRX0lc1E/HYQczS357cEIu9C9pWf57x4fGTNA2jAwm6RnX7tMudHaTLOI5INr"
    "FGLBsVhmLkrgECgwGuhjdTM0+DEEl6a2SGBg0FslXILMBAahJYCdH/xprGDJU9qa9h4GjiNxIZwAEoj2+ecVxGMkhyJp"
    "N+XnyGJcrBBipQ6alkV+V7M5fCzAT0wODktMdRiIaQ4jMX0RMQN6Qt9uHgZtznkU1hyP+jkc1fAcBAazdZZCDuoNEkpI"
    "bXfMBS1aDidR6CiSLriKkJ1oJZKZhUjgZjAOivk5MWEGIba5S0mxcjbNzKFDjVIQI3oQwyU78wSLYx4YyEQgRG9lz0lE"
    "P+JWR1iZSPQnBhADZT9P03L3gd/gLpEWJGwlqwbcRC8JiIJ5wCp+oJxkCNIzF5XibxfpRpqcIxjKA1FpOszbyvyFbfBM"
    "nv1S1CmL8d6vA4N7rIp/zFQbyPyu7NmX8j5HKnsrS2pxhvmyfvaYzAZiT0Mgdf35H4Ze2h7oW76+fs3AE+3WH16VMLC+"
    "sSEwK6vOufLwpsDpTy4E3r/8BVI5WdHHhbggcBDqwSkU84itGn5wOzYersRC6X/lvar9rajibSicHZx05AjmNFu6LV0E"
    "L45HXRiHA1tx2eHJ4Jl01UqMjsjy5lu0lL443LfUsNe/qiGmlK0PvNW9Z9ezzCkkL2LxqUcNF5GfGh9oZDN/Rh5cEc9Z"
    "Jp9HDPu6DbzCnUTu5D/6KbO+IaDqVz6pxHQgiDI/w3KSF8A/Ib3dNAnpQl4xAQL7uNB9U1AMJhBXbc2sMXLYxCHpGiv7"
    "naAk+ywYzM34aR7ithK0JQeGqeBsaPJeiIEqlEUMyjOQjhTyUnyUhZmVD2UhvAgjJQSCCYwQQSppixDTjAoiQQlRLpLn"
    "cF6ei5fXXE3MdxgAinXEEocF5HqQ0SCfg3YryA0E77gB5EZo7wFyE8ibQW6G57eAfB7uB4DcAv3+BHIrSBtICuQgkNvg"
    "eWq56HcMBsytGjbL1zIFK5Vf8nks+dorHjL3SFJSjqHp6jZjynavzZLjUY5rlRPyjXQKD1qw2z3jYq8cY5POnSvLPieZ"
    "fyO9DK1e5wOmplwge23iqJETX0Xu0qEz5IWeVb0P1gRuN7ahY2zSqcwKhTMpJOMeGV0plqJBlK7xLIOMUNC3lsh2rMxQ"
    "x4hnsTm/Z4AUZQC/i6hS+q5u0aGfbR94j/75zNRZM+1a8CKm7nHNPNcKeIcu8eMPz+ujBS9v5MIXdk47qQu8uncRIibr"
    "oC7wLk+/Y965J3a1Bd572VrwktXAvbdtG4f67v//4DFlhT2p+Btci8fG4ZkL6x7qLOMhdVMPJKOKR8bF2jWxtX2DeASz"
    "49snRXSt2/cRkqfDtin5845atr2N3KRD5+3Sgh75k17XR6Y/MB5q0hDCo/oyNyFm54wcTQVS+niigJz+ATlguApDFY/q"
    "iqh+X5Zma/lhfiY7LmXaOsSjw7b+fYuctb3f0aWzavVqa+FrewMH2tDpkPyQ9tmtYOkm4at8LT8auhfOD/+xNtCmnTR7"
    "th96k4r4th5R/VZNEo1hCu5WeZ77tJxiXGdLYB7kgA482r02Uwfkh7TmflM+3bL1jb9o+THu1y3smg172vRBLR4TKxY/"
    "7B7wfci2Kh4GFY8F1UNGr1qWpsVjbMkC4yxftS5+HM66YdfDwj+R6wWPkN+qeIxtqD+58BYsR/OmZG01tb1L+W5dMbp/"
    "7YgtW1+PCuUAahET4seytYdNmamxWjyWHzqwbsXLR3Sd5zsPHrnAPPeJrryhQ+GxYPyGxoVLR2nxuHJg/aE8j74c5p6k"
    "xwrMe34jJwvxI/ro0LXOW7VnTtmW4rPFLzQgCTpsO4nI/ess+78Q5/WKR7NixfS7CwJtgdMsJ1PxKBwc03P5xj5afqym"
    "vB/etO4VxK7DttuPb7uNoE4jN/8R8BgUwgOXXtT8z3LejSuOdikrTtCe6XXG12L+s6ERUe2rvpQJ5Vg+33n6zCaT1t9n"
    "3jMw94OTNYFEHbbaEeh2rvHYe0iBDh30lO3LnW+27i+pt1pnj+ioNUjZuF/i95MjtHhcHJbIvZZraLkGqfjixUPVZRFa"
    "f0+ef9dT5pp9umqQhdU3Dr588gNdNUjS84+8Ld7fajw98Ws9/mmHxQMZnVY0KW2aFo/Etfg2LMHUMh5frSlwYpeanc/v"
    "FLBW74T3dOExdFfPzYG7a3XhcaRfHHpHXav5xsVjU94YgnTUmrBUdCWPwSdrc17vkZGRbvzblmvC0mJ/VIo9XRuvcirE"
    "zk/XPqMrF/3p6XPrpk55S5fO9pqMuPFJrdaEdZ8mfzW4o+DR7EyXz9rIMfdnrxytPdN/+Xn8S/yXH4XqOxXDED923Gcp"
    "TzBPDOIR7OT45viuHY9sCOip7+qffGtz5yp99cSOe/s/iplbrQn3z1m8OblD8kPaZ+mK8Re4RKeWH71zi6M/PP56a7Zd"
    "cELoM0y75ycXn+mfmH625ZpwsqlXalRYP22M+/idG85nLVyrC4+0J0x+Yui+67cmtA0bav1Hn4nN+FF/uerVvq3G6L7l"
    "H5+4SYtHr88eu5ixxJhzTU6m4rHXey7RPqiTNsZdPp4xdPX3R5HuOmy7Wux54zNnDyBjr1c8Um5O3p1ybJgWj36n9yak"
    "FrSaw1ifmvviG9ocZtH+xWHRB68gak2ofuEYwuOhBzO+3nrGrI1xx35MXzMh8D4ySIdtYw5WWC3jdiNDrlc8pi/fUtZ1"
    "SIIWj/gl6fk72sjxzadfxrR4XFi+7XiNvRFp8Z2Jwfl1Q9Y9zXKyz1auKX/54FFd70xuG5CVN/tMTeAP8c5keFNNiAsR"
    "qPRzJ5wVnUI0z2LSb7Ok+2u+2zZc9ZV55R3qV2NdNb+daKeu+jMf4u/EMr/L9l9/1NeD";
static const uint64_t v1_2_2_nine_X[] = {
    0x3f5427a31c1ffc58u, 0x3fd31ea59a5b303eu, 0xbfd18b7980d81558u, 0xbfec7fba74b18102u,
    0xbfdd19537e309692u, 0xbfefbb918e5cd3f0u, 0x3faecb246c7071e5u, 0x3ff571858a941e07u,
    0xbfdf804fc5039525u, 0xbfe3daee2d56e58bu, 0x3fdf5992787010aau, 0x3fd6d73c9b1a8b33u,
    0x3fbafc6d9ffa76cau, 0xbfedc664ebbfd571u, 0xbf9df43093500899u, 0x3fe63fec7c2015e9u,
    0xbff581e71cf65997u, 0xbfdd49939df35222u
};
static const uint64_t v1_2_2_nine_proba[] = {
    0x3f78c438582abcc5u, 0x3f9ec6884c3ba3f1u, 0x3fb9a4d2e0c80bb2u, 0x3fc6f1ec302a22b7u,
    0x3fd98047e3220a11u, 0x3fc66299c0d70338u, 0x3fb4bcc19b917da3u, 0x3f98a85bb33f46ccu,
    0x3f78c438fba9c09au, 0x3f9484865a461fdbu, 0x3fb1de61a85c5413u, 0x3fcd3796e1ebfbd6u,
    0x3fce2b82417f7693u, 0x3fcc459f0fe49d9du, 0x3fbeed7b506bfb77u, 0x3fb380bda7f89173u,
    0x3f973099e4dad74bu, 0x3f774ace8d6c12a0u, 0x3f78c438582abcc5u, 0x3f9ec6884c3ba3f1u,
    0x3fb9a4d2e0c80bb2u, 0x3fc6f1ec302a22b7u, 0x3fd98047e3220a11u, 0x3fc66299c0d70338u,
    0x3fb4bcc19b917da3u, 0x3f98a85bb33f46ccu, 0x3f78c438fba9c09au, 0x3f7808225ecbd58eu,
    0x3f9ddccfcfc0bdf9u, 0x3fb8e2132e4cf1a3u, 0x3fd558ea183e4ffbu, 0x3fd34fa827e4d91cu,
    0x3fbfe8e03f8ed32au, 0x3fb41f44f36f9c96u, 0x3f97ed1951cfe8f7u, 0x3f780822fd7132f0u,
    0x3f78c438582abcc5u, 0x3f9ec6884c3ba3f1u, 0x3fb9a4d2e0c80bb2u, 0x3fc6f1ec302a22b7u,
    0x3fd98047e3220a11u, 0x3fc66299c0d70338u, 0x3fb4bcc19b917da3u, 0x3f98a85bb33f46ccu,
    0x3f78c438fba9c09au, 0x3f789ee559fe5cbfu, 0x3f9e982700024cc2u, 0x3fb97e2d65c4944cu,
    0x3fc6cf57ed1fef26u, 0x3fcb728a546db391u, 0x3fcd5f13a20e174fu, 0x3fc787ed8fc5f985u,
    0x3fa865bb3feb6c0du, 0x3f8669afef0eac65u
};
static const uint64_t v1_2_2_nine_proba1[] = {
    0x3f78c438582abcc6u, 0x3f9ec6884c3ba3f3u, 0x3fb9a4d2e0c80bb3u, 0x3fc6f1ec302a22b8u,
    0x3fd98047e3220a12u, 0x3fc66299c0d70339u, 0x3fb4bcc19b917da4u, 0x3f98a85bb33f46ceu,
    0x3f78c438fba9c09bu, 0x3f9484865a461fdbu, 0x3fb1de61a85c5413u, 0x3fcd3796e1ebfbd6u,
    0x3fce2b82417f7693u, 0x3fcc459f0fe49d9du, 0x3fbeed7b506bfb77u, 0x3fb380bda7f89173u,
    0x3f973099e4dad74bu, 0x3f774ace8d6c12a0u, 0x3f78c438582abcc6u, 0x3f9ec6884c3ba3f3u,
    0x3fb9a4d2e0c80bb3u, 0x3fc6f1ec302a22b8u, 0x3fd98047e3220a12u, 0x3fc66299c0d70339u,
    0x3fb4bcc19b917da4u, 0x3f98a85bb33f46ceu, 0x3f78c438fba9c09bu, 0x3f7808225ecbd58eu,
    0x3f9ddccfcfc0bdf9u, 0x3fb8e2132e4cf1a3u, 0x3fd558ea183e4ffbu, 0x3fd34fa827e4d91cu,
    0x3fbfe8e03f8ed32au, 0x3fb41f44f36f9c96u, 0x3f97ed1951cfe8f7u, 0x3f780822fd7132f0u,
    0x3f78c438582abcc6u, 0x3f9ec6884c3ba3f3u, 0x3fb9a4d2e0c80bb3u, 0x3fc6f1ec302a22b8u,
    0x3fd98047e3220a12u, 0x3fc66299c0d70339u, 0x3fb4bcc19b917da4u, 0x3f98a85bb33f46ceu,
    0x3f78c438fba9c09bu, 0x3f789ee559fe5cbfu, 0x3f9e982700024cc2u, 0x3fb97e2d65c4944cu,
    0x3fc6cf57ed1fef26u, 0x3fcb728a546db391u, 0x3fcd5f13a20e174fu, 0x3fc787ed8fc5f985u,
    0x3fa865bb3feb6c0du, 0x3f8669afef0eac65u
};
static const uint64_t v1_2_2_nine_decision[] = {
    0xc0022af701a5d6d5u, 0xbfe55bcd8f8a2efeu, 0x3fe12a5e621001b3u, 0x3ff1e4d3e4103c60u,
    0x3ffeac9502339de2u, 0x3ff17fa5a2a171afu, 0x3fd4bd4c814b255au, 0xbfec736a35866aa9u,
    0xc0022af6ccd5f3fbu, 0xbff02f2c0e5f7782u, 0x3fce46f448884d5du, 0x3ff6be0790ec7421u,
    0x3ff741794981909bu, 0x3ff63754d7b973e1u, 0x3fe91fe23644a6ceu, 0x3fd4bd4c814b255au,
    0xbfec736a35866aa9u, 0xc0022af6ccd5f3fbu, 0xc0022af701a5d6d5u, 0xbfe55bcd8f8a2efeu,
    0x3fe12a5e621001b3u, 0x3ff1e4d3e4103c60u, 0x3ffeac9502339de2u, 0x3ff17fa5a2a171afu,
    0x3fd4bd4c814b255au, 0xbfec736a35866aa9u, 0xc0022af6ccd5f3fbu, 0xc0022af701a5d6d5u,
    0xbfe55bcd8f8a2efeu, 0x3fe12a5e621001b3u, 0x3ffc4fae871a33f7u, 0x3ffab515f6e402ecu,
    0x3fe91fe23644a6ceu, 0x3fd4bd4c814b255au, 0xbfec736a35866aa9u, 0xc0022af6ccd5f3fbu,
    0xc0022af701a5d6d5u, 0xbfe55bcd8f8a2efeu, 0x3fe12a5e621001b3u, 0x3ff1e4d3e4103c60u,
    0x3ffeac9502339de2u, 0x3ff17fa5a2a171afu, 0x3fd4bd4c814b255au, 0xbfec736a35866aa9u,
    0xc0022af6ccd5f3fbu, 0xc0022af701a5d6d5u, 0xbfe55bcd8f8a2efeu, 0x3fe12a5e621001b3u,
    0x3ff1e4d3e4103c60u, 0x3ff4dae63c4b3085u, 0x3ff5f06618f7f1feu, 0x3ff2644ccc09cb64u,
    0xbfc9aed833bc790au, 0xbffabfa15c5836ceu
};
static const int64_t v1_2_2_nine_predict[] = {4, 3, 4, 3, 4, 5};
static const int64_t v1_2_2_nine_predict1[] = {4, 3, 4, 3, 4, 5};
enum { v1_2_2_nine_rows = 6 };
static const char v1_2_2_frac_model[] =
    "eNrdWQlQFFca7mEYOeQUXF0PRFGBik4QMB4rDmJckElQiVfWo+mZaaZ7nekeu3sEsmRjNJ7pGI83umuyxhxbKhq8skq8"
    "RrK6JqZIabkao6lNVq2N8cgaymxi4rH/62MYRhGmsldtVz1+3t/vf//x/v/7X8P8SN8YI6E88khxjoumBM5McyLttrlo"
    "M8mwokQ6BcrB0pxE2nhelFjOab6Pg+TeJbC0WOMXaexy2inQosgLaA3Kfh49i7LkSBcvikiOF+d6KYF2kLQgwGs5XtEM"
    "IqRASTQqtrz7W/ysl6PdVDXJSrSArEY5AU9gZSXJ8Q5aRNY+cgxmOWiPxKAyOcnNcqRIuT0uWlTWIWuqnOzKJQXa6XVR"
    "AvsMJbE8h4oJ7VG3t7Ec7BUtx7t5jpd4jrWTdlGC/RJZDjRTdiyksVLtYJ+TF1g75SIraUrygodoFrISlBxbRQluUpQo"
    "QULL5ATwyFUDU97jUUIUSXklHslRoh3EgcGY5JR5lIt1KEaRlZqiIOeTOMV18Ja0MxTnpJE1VjZKvAsVj37m4+b1B7aX"
    "yFHzaMHGi/CKkOMEinPwigmSwoiGKHMS66LB8gQuYC8JYULWCPknHCkJNMw9oARrUi1BVoMcR+p70bQDyV05r9tTYwbL"
    "abPb65JYShCoGiR3EiEOFD5f2aQsAeqQajw05kR4h6NlS5egcpQFh2cYhcrKykrvwaP8sBISso2N3hb7nIyPAi2GdXJn"
    "ssVKbGEiK5LBEUdyyi95m4u1mRVtpIe1Q9IiObkMT8dgo6YJlAf8aUm5aNFrs7soSDumnxzFOVTTscUiQ4Gl1ohF8Dsv"
    "OEBINoxFTAbTX46wDQm2vfYBtsuxlMvFV5FuN+VBS702A+GritDyykSqed5FryllblaZSSWUq/IptQDGKfkfsNVkV5ek"
    "tJbTdutLkp6aatLLqW6TY2sesBNTInd54IvSprNj4rOxS1CFLDfnfusUZtx4B5QwK9U8gaeKZXIChFTgq0kGqpmlOMju"
    "JDvPQZoBBui8pXIMFAmOMxydXjuQ32QNJJmXRsxEOXq8xmtx2AgRRMX3bmhxi2RYJ4OKn9Pn8TjALGd3eUV2Ho2rCi8I"
    "5nhtrVR5wGHEPK3uzswM7MzMCmzKzF7GkCAHkl0cPNm6TEnQkUp6RZoMKk0gFPjXGSMF6VbTS87pMFyCFKcgQCxZxHJP"
    "hqRnJ04DoBg5BjJVhS9UWhhvJOSE1umPmCGaY/nMY8wwnLjMCGYkJGwBU6hm4DQd2ZLmcHwVF5BWQCorRD4yIA8JXxlU"
    "rEzW/emuaCBaPd9ZVBpRqNLowoD+MprpwQzCKSExAk05cDUz5jbtB/3eoIJjRrehHzycqHvYzc1C5sGRwUl5AcTw4bCO"
    "ahJDeSKeYM0iw7scIvlQ56s75lof7VXIPlEh+8wvTDj27ic3/fWL+XX5317xX6j9TXSf2E/8fyl/6dGdpZv8L0yWb/VO"
    "PW35facz1a9e+sJS4VzfN+56s8U3XdufllPUlADch3TTnEQPjV1+B84uErsBwzclkCOklsMkNBER9x7ZNMSca85FUBup"
    "pI0SacAEWikqVm1OIVYYrIbFrd2/93jjkmv7b1h8rxg0LZ11eV5QknAWknM7XDsBUbgjTIZeNTEwb8FM9TIQYlnXoPgY"
    "pw7NbZVcIKQkDfhr572cBI1H6zo4g0AVdJeW9AGg1E/ByZMSD1eLSgmDqEJMAiASnjopFgdQvYzIUax2BZHjW+UiYtxy"
    "rI2VRFpSdEmKzZuZaisBkdzCrLJGA60DGgd0K/CTgG5j5lu7A30b+D8FWg+0N9Dt8L4v0B0wzwa6E9YNBroLqBmoG+ij"
    "QHfD+5zFyGvNhyNLCq3mQYbWyU/geScYlzJNp+hVtYUtXGLUhRX7ajLvWaZqDD2tCdz68FUS9Vz510ZpYqGyWr1bStZX"
    "S5u2NVgGEg99bvgjdC0EsbWurqi5yVSYo7H0ciFwGptgHF6ejz5f0KtQabkmRWZbXV2d42aTpXt7eowtejL69btw5fKp"
    "sGTWLexpzI390n9GY+klTkTBJA7G0O8PnGJX0GoM1DvBsnO+6aMP3fWXh+6MSzIGRvrEkiedz5pVfwgDFr1z9uU7UysO"
    "+buGYduwvz91rYA2HC7QWDoMGWJh0hnG+8aVr739Xu9CY+BIiWHZM1Kqbn7kz25PT2SLnkVXJzXUcUf9qWHIZL7i6v9x"
    "zm7/CxpLh0IiHiZJMG6/8WF1Se04NQaRiox95Iu7V0/7wj8idOcEGIkwft03+s3lPbNUfwgDFu1aXzzkYOmisGzzD4yk"
    "cyfv9w8IQ+bapIa3hsect1hDVyXD6ALjUFPlp2NuD9FtwyRROpce/8g+S1oYeo7N7eVc2n+dZXBomabAD+xkzpaGqdkb"
    "NlvUkBkwObB/v3jnmLf9vDa16HFWVlauGDG5/XwLkvH9LNCP8T0HPukwLOJ7B6mi3H3IbFIQTsXmVQoORTxcn1Ii/873"
    "ke289w3XfUwVqKr/RwfN2i9eGzULMRs0d15vs6du6lj/cK1PHHwuoyq4f6TNLV5zPeZ22/3jxq9ePFO3uTS4f8CHzoA+"
    "Q/eE2z+kw68ZH9I/fvDlduveLbh/TJky5fRL3xwPqxfAc2LE1ZNhySyefpIYvOxvbfePnMz6IVe8VHD/uF765x7Dt/7Q"
    "dv84UXNqUcWurOD+cWVjQt07U/eH1T+2vdl0/vSEe/42+8dh38q0vj27B/ePotsJRyI//TCs/tGQtqgzUfrHsDDavesD"
    "x4pxOwP9Qz9TQ7yGtwM+GLSzqqgo+ExPzi4yLoj6zD+prf6RVuB+YvXFnOD+IX00wnm9eqGlTxi2lTek3ck0XfXnhq5K"
    "0voBgQbm/qn4mI7RWN3dsy8fHNW0Oyy8xU/qV3v8vcOQeX3jxiVr4i9a8jSW/slB6P1j+Fe/SJ49Jk2NQSdF5u6+ty5U"
    "eFdZuoURg9qj0955fnCDpVcYMr4M/bPqSOgH2n8cRg3twWTA1vf/923tGKSnhAvpuXuWEOWHhGBIf4xu2tBv1K0ApAfg"
    "TIf0ki+v10Y//fNgODu4/MiMx9dub7/EgiA9Ly8vY0EzUTgstPx1SK9gGn0WoWdw+Rc0nlwzOuNY+3qMra5BZ+annwgL"
    "0pMfOd69qORSANL1tmaI0qDmD+n9Lp5rnBnc1lb3H5/49ZRv/J4QqFXOHkNtxfav91bOHar6oyqaENPcv2rebb8eA/2v"
    "DQbcAjBE7yjeu/Yfa5M1OFO7f9pzDbW5x9uHjKCynLHF9/3G5vf8PcKQifw2eeZnV67dd1U34JaGIfrzTeX1Jycn6VCL"
    "xY5uLRl15/wOfzhQe3nR7KyFvzsUlm0cx13OHtpoqQxdlahB9JZbizPnzMvX2ycmo/cemSCU72r/2tHqOlCxOvq74/7C"
    "0GuH/klg6rH8DePWDDUGao7m5+U5F5yv96eH4Q88O1euXG1J/5dArTFs+Ir5kfDVNpT+F2wpaIFKWo4i8T9oaAGVyXGS"
    "QOH/KOH5fX+AI0L+7ufL0z8SkoP+dNxB2Sg9GmsY5LWZ/wmnuHFj";
static const uint64_t v1_2_2_frac_X[] = {
    0x0000000000000000u, 0x3fd3333333333333u, 0x3ff0000000000000u, 0x3fd3333333333333u,
    0x3ff8000000000000u, 0x3fd3333333333333u, 0x3fffd70a3d70a3d7u, 0x3fd3333333333333u,
    0x4000000000000000u, 0x3fd3333333333333u, 0x4002000000000000u, 0x3fd3333333333333u,
    0x4004000000000000u, 0x3fd3333333333333u, 0x4008000000000000u, 0x3fd3333333333333u,
    0x400d99999999999au, 0x3fd3333333333333u, 0xbfe0000000000000u, 0x3fd3333333333333u,
    0x4010000000000000u, 0x3fd3333333333333u, 0x7ff8000000000000u, 0x3fd3333333333333u,
    0x4072c00000000000u, 0x3fd3333333333333u
};
static const uint64_t v1_2_2_frac_predict[] = {
    0x3fe9a5f304bcd6d3u, 0x3ffabd92aa3b7d27u, 0x3ffabd92aa3b7d27u, 0x3ffabd92aa3b7d27u,
    0x3fe941d81c6ed1f3u, 0x3fe941d81c6ed1f3u, 0x3fe941d81c6ed1f3u, 0x3ff1dd700d2974b4u,
    0x3ff1dd700d2974b4u, 0x3fe941d81c6ed1f3u, 0x3fe941d81c6ed1f3u, 0x3fe941d81c6ed1f3u,
    0x3fe941d81c6ed1f3u
};
enum { v1_2_2_frac_rows = 13 };
static const char v1_2_2_neg_model[] =
    "eNrNWHt0FNUZn807IY/NA6uxFAzREoWVpKAIyAYiJLBhpUEEW+F2dneyM2V2Zp2ZJYnQAofDIz23toG7cMBKxdKa2CAV"
    "oUgPdU8NeKycKkWeRYQjx1MOWEzRo8VC7XfnsZkNbMj6TzvnTL7cO/e73+P+ft83sysyolPTGf3CE9XFIscqkouTVC7k"
    "EzkX4gVVQ0GFDQicpCGfLKuaIAVdN8wQPKwBltab89PM6SYuqHCqKitkA6laSX5ERuEMUVZVggvUpyKswgUQpyjwGBfo"
    "lkEFKazGkXr3vs302oJzQmwrEjROIZ50XEgHsLIZSXKAU4lnOM6lUwEurPHEi50hQUIqGwqLnKqvI54yXCzWIIULRkRW"
    "EZ5mNUGWSD1jXsb2PkGCvXJwQUiWZE2WBD/yqxrsVyRIYJn1UyVzqswP/gVlRfCzImrmWC0CEZKFxMOwOK+FVUJI1VhF"
    "I+24ECIS22Aoh8N6ijLYiCYTnK36QR0m+ExcuoQVhYDuFGo2DdmCd0p66BAt8vOsFOSIJw+na7JI6qc8feLKlv07G3D2"
    "Ek7xySo8YnC+wkoBWXdB0ydyIMuSJogceF4oxf1FkCbiScO3SUhTOBiHwQi1ZHhCPA6cj6y9OC5A8FApEgq3ucBzzhWK"
    "iJrAKgrbRnCWCnlg6fniTH0JyIDWFuboTFpkAmlft5Y0kVFweI7JxOv1zvoKLv2Ph9GIry6nO285pkdB1sA6PAT1eUk9"
    "LBJUZM84waU/lH2i4HPp1lBY8ANoCS720uFU6tR8hQ1DPH2Qy1EjPr/IAuz4CpwtBQzXqccqz4KnnrTV8L+sBEAJO+oI"
    "P5KvxGm+arvvy27iO85jRVFuQaEQGybrIj4HE21JM3GViQycl1ic0scuY9LZwIrNcw0CTNfxH/c1028sKU3UM3e7C6Fw"
    "WyuKSEbYqK7tJjvxDbjkpg9m/eXk1IIqGhKwUJAW3+idPpk/MwAUFrS2RjrUPcOFkFJFbkU8sFlgJUC30y9LADOoAdbc"
    "OpwLJKF5hqOzuAP4Rm0AsghH+Dk4Z6Y51xdwOmSQ1H/Va+YtgxeCPKlfbo0LaIIFyS9GVGEJR1lFF9hnIr4EU2EImPBP"
    "GLvzT8Z35hfGN+UXtfMI9ECzJCCjRJoisFGGIiqHbNQEwUJ8Q2ilQCEDXnjsoMslaEl6BchD0wRpdj94ZklmAcrFuYBU"
    "o3yRWbUF6QwuTIQ/4avNwMbxD/APUuDyD/ETAbAP87UGAudblc25WJJbpLi2XqRG9dNPj+sD4JttZOVH3Qh33YKxeW+M"
    "Sbh63XG7Xo4v50dTKGi8wrEBymLeldRvsBuxEY2fksQuRDbHiuwbIQEQB0cFJxSB4kUPRQi0IlrCi+iAWlZ5WQyoaMCg"
    "WwcOabj5bz/97H764qbgiqXln8bGvuq9/O9lF2JH3156ee3GE7GTY75f8lxGd+zI8Kp/hk4ddj9yTVp0POu8e9H9G5zL"
    "V11xRxeY+3O41IAA1HmAlxkcGTBn4wZxVrSv58AdnRfHBDIxi6BpqLTX4MxqV42rhgAXypCPVTmoAZxOIsFoRv28cHgc"
    "axLDf3fGGzvHt3bFos86TCtDLH1Z0UG3kOCaQXMlrgrvBI9Bb5oTH/fVSKP59/OsyJaf9MfH1ySACpR0sEC8fjkiadBo"
    "zC5DkQOmoJv0wQYKo3UKQRlpMrxKNGu0aOoiU4EKRIdBVqAJNF4+cLZgvnLgggQMEj6E83yCpnKabkvTfe7kWz0MZLKL"
    "7/DkgHwJZD7I38K8E2Q3v8JzO8gdMH8HyJdBDgO5E57fBfJ3MK4C+QqsGwNyF0gXyBDI+0G+Cs/HriERzzg4Mmciexlm"
    "NBwVPS0LovqAQmVB5ZnlY5cJtfoq472wUCvPmctejG1kDB0L7kyauaTKhbd2zKurdfSR59gn++5+ds/B2D3MgFdvLM3c"
    "FK71lR05my6ei4XNKYtOTAYMMuF+8/35r1x3jqjVW6yh9OHBtgsLPHtjd9/KTnqfndWXvnts0qFjMY85ZdHVkQWDbLib"
    "rp0I/Hx0Rq0evtHPD3ad/fTLXS/dOp6MPju+nyyb8eeXf3Zr32w6o68ey4Vcu61cW6XCkUsPggb80++9tenIdCPXWbrO"
    "zPWvb2uee85t5c0qM448GBTAfWD61VMf/8fMW6auE3q+9Pznjxx1WzmwShQzBAb5cF+ovC/fG0gzcpCh62zZvJmbtAa7"
    "U4mn88fv7ogWdblTyVvdnM9f77xjrzuVMz2nen5xKvimOxW8RSfF+wntz/ApQulN+yUy2HpDhWF0pho1pkPnU3SCtUeZ"
    "wrZ8nQ1c5gYRH7uQ8FvN5duS1rYXB8fjjvFfXNq0PWDn8e2edy5f/+Pfk/P4s/fP1sxuctt5/OSHR+WT7T0p8XhvCJ0p"
    "Uj9IzuNrxz/eMiS73M7je6888WD6F7tT4jHD1EYefe695Dxe2ezPaJzP2Hnseupiy9LszpR4XH5s47f3rMIp8XjPSu8/"
    "INfJebw1ffrZkTum2nksnX6g95LvTHIel1W2dC9fd6edx1cPrg8WTzmSnMfiRyUztEPX3TYef3a4enJad3tKPD5/9JN9"
    "Wc/8JiUe77izsdjz9u6UeNzTMOl43b0HUuPxSOs17cCt6RZf+9b/jJqXv7lk1urXfmCnZtNrWx+vXvRRcmrO6fJeO7Lo"
    "ITs1tw+7b2xX9E8pUVM6vbHhmeDp5NRsbG8eUTx0qJ2ap5Xo7kc/2JUSNSsqKi6MefGvA7TYEuF8b+uXbhs1R+Ddq+Y9"
    "/+uUqLkMlb6wv6s9JWpODDGPQa6TU1Ocdqj0Dy9MTqSmVLlN+VtyavI939rbMPu2xBY7t7No8eHk1CzrkU9MrviXnZrO"
    "YT3vvVO+NiVqQt5+9cvG7SlRc/+EooXO3+9KiZot3bUnc+954/+Dmg/3UZPD2Yj+oAZf1F6cryks/QWQjm/4gGL6fbdF"
    "v2M172Lbp/4gdbMtbzfw8O3k+i/XpR/W";

static const uint64_t v1_9_1_cat_values0[] = {
    0x0000000000000000u, 0x3ff0000000000000u, 0x4000000000000000u, 0x4008000000000000u,
    0x4010000000000000u, 0x4014000000000000u, 0x3ff8000000000000u, 0x400ffdf3b645a1cbu,
    0xbfe0000000000000u, 0x8000000000000000u, 0xbff0000000000000u, 0x4070000000000000u,
    0x4070100000000000u, 0x4072c00000000000u, 0x41dfffffffc00000u, 0x41e0000000000000u,
    0x41e0000000600000u, 0x4415af1d78b58c40u, 0x7ff8000000000000u
};
static const uint64_t v1_9_1_cat_values1[] = {
    0x0000000000000000u, 0x3ff0000000000000u, 0x4000000000000000u, 0x4008000000000000u,
    0x400599999999999au, 0xc008000000000000u, 0x4070200000000000u, 0x7ff8000000000000u
};
static const uint64_t v1_9_1_cat_row[] = {
    0x3ff0000000000000u, 0x3ff0000000000000u, 0x3fb786fdf41b3bc8u, 0x3fd2efcacfd38532u,
    0xbfe9a59ff6cb175bu, 0x3fe04d91ad24b478u
};
static const uint64_t v1_9_1_cat_decision[] = {
    0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3feb3630895fc635u, 0x3fea9c26456c2837u,
    0x3fe8aac06038f757u, 0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3fed27966e92f715u,
    0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3fed27966e92f715u,
    0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3fed27966e92f715u,
    0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3fed27966e92f715u, 0x3feb3630895fc635u,
    0x3feb3630895fc635u, 0x3feb3630895fc635u, 0x3feb3630895fc635u, 0x3feb3630895fc635u,
    0x3feb3630895fc635u, 0x3feb3630895fc635u, 0x3feb3630895fc635u
};
static const uint64_t v1_9_1_cat_proba[] = {
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd328a75ca6660au, 0x3fe66bac51acccfbu, 0x3fd3698391e0b7e6u, 0x3fe64b3e370fa40du,
    0x3fd43e3436cfdd30u, 0x3fe5e0e5e4981168u, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du,
    0x3fd25a93b59a7126u, 0x3fe6d2b62532c76du, 0x3fd328a75ca6660au, 0x3fe66bac51acccfbu,
    0x3fd328a75ca6660au, 0x3fe66bac51acccfbu, 0x3fd328a75ca6660au, 0x3fe66bac51acccfbu,
    0x3fd328a75ca6660au, 0x3fe66bac51acccfbu, 0x3fd328a75ca6660au, 0x3fe66bac51acccfbu,
    0x3fd328a75ca6660au, 0x3fe66bac51acccfbu, 0x3fd328a75ca6660au, 0x3fe66bac51acccfbu,
    0x3fd328a75ca6660au, 0x3fe66bac51acccfbu
};
static const int64_t v1_9_1_cat_predict[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
};
static const uint64_t v1_9_1_exp_leaf[] = {
    0x401053cd67810b16u, 0xc0147200820833aau, 0x3feac221aa4baeafu, 0xbff22b2b2a3f6eacu,
    0xbfecf834bc8b00abu, 0xbfdb98b0164a5baeu, 0xc01028ee7cd87d15u, 0xbfddaff5cc6ec2a7u,
    0xbffbafd355558488u, 0x401a9580c544e89cu, 0x3fdce69363d82196u, 0xbfe69180c0509e2cu,
    0xbfe2009cf16f1ffau, 0xbff560a2bb1801f2u, 0xc000e1e58b5c8496u, 0xbfe902e21a1dee83u,
    0x3feed83178860ee7u, 0xbfde88ecb149a8b1u, 0x3ffea5f594557d76u, 0xbfd9931dbd018d8bu,
    0x3fa8d77fda7a5346u, 0x4008bbaea516f14bu, 0x3ff171812319ff57u, 0xbff02ad5740ec5bdu,
    0xbfd767447c2a6cd4u, 0x3ff14bfb5c71b1e6u, 0x400ef61eded55e3bu, 0xbfe141759e114d23u,
    0xbfdf2cee48a69e8cu, 0x40000979fc9d0a8fu, 0xbffc5de13e22d6f6u, 0xbfe2ab8b567a4978u,
    0x3ffc3dc25c557a86u, 0x3ff2923a3278bc45u, 0x3fc76da37fa2ac19u, 0x3ff5717eb01ca7edu,
    0xc016a0138f3d641au, 0x40005745d14583d3u, 0xbffeb568ed64eb78u, 0xc00ab2aab85a9ff8u,
    0x3fe1b1498e10ad3fu, 0x3ff66add1b7e9518u, 0xbfec7711eb1ee458u, 0xc00138f554874d4fu,
    0x3faac077e6918784u, 0xbfbb01b1f7b5dc79u, 0x40067d5480a5d836u, 0x3ff7eac427dfc68eu,
    0x3fd8cef37b146f54u, 0x4001c93fe6595af1u, 0xbfda4e944cf5b3f7u, 0xbffda0f824866717u,
    0x3ff2b09b0e19ef18u, 0x3ff2a4279c194598u, 0xbfdb7f8385c337a9u, 0xbff90cc4932c45a4u,
    0x3fdd54ea48522179u, 0xc013f37ed7ed44c9u, 0x3ff615808ac0480bu, 0x3fef7293dc8c4bfcu,
    0xc00a38c244bd35b7u, 0x3fbf69ba2c7fe0b4u, 0xbffed9e7899fd0beu, 0x3ff83b27a0e288e0u,
    0xc01045f97dd0439cu, 0xbffd438a0ca1d61fu, 0x3ff6b4e11727f1c1u, 0x4002809e62c13839u,
    0xc01143985321df76u, 0xbfefdfe28353f3f6u, 0x3fe4fe47fc79ae45u, 0xbff37eb2d7961574u,
    0x400973432bd3c1a6u, 0xc0030f43b57abc4eu, 0x3fe6b0a6c2ac2203u, 0xc000c644dd718378u,
    0x40067ed2ffc26f93u, 0xbfa62bbd62d8e97bu, 0xbfe7d2f40793367bu, 0xc00b7daf80794bbeu,
    0x400ae8c1e71a3864u, 0x3ff816c321987432u, 0x3ff81d31e8b1a187u, 0x400234c2fa9c87e7u,
    0x3fe659ba6efbac71u, 0xbff474b54ed0257eu, 0xbff99b937d602a96u, 0xbff99b3cfcb3b149u,
    0x4005ebd0f9b2eb47u, 0xc0075db8adad3d6au, 0xbff3157583ac6282u, 0xbfe48f42a7d7e070u,
    0x3fdcc050f3f78543u, 0x3ff269431eed44b6u, 0xc003fc4d25398c5fu, 0xc00bae2295adb06cu,
    0xbf8214a88bf8fb76u, 0x40036ac1e6d365e7u, 0x3ff839d1d2bb41f3u, 0x3fdb9a71e3ac8e8au,
    0xbfe44c472fb2f78au, 0x3fe2c457436304f4u, 0xbfdf259aa59db230u, 0x3ffa268e6a295580u,
    0xbff96c1cd35d3a77u, 0x3fd12ec64b46bb75u, 0xbfcc5c1645a54e3cu, 0x3ff163333b00357du,
    0x3fdcc0f4843f7642u, 0x401466788f34e0b0u, 0x4007fa7d6962fcaeu, 0x4007f2a2ab89c181u,
    0xc01050e7635448acu, 0xbfe5c7bf61586fadu, 0xbff379bcf86b05beu, 0x3ff10c0e2b2cadd7u,
    0xc0123b723d69aec2u, 0x4002cabf2078a275u, 0x4001125d179ac553u, 0xc004d5484093d86fu,
    0x4032ca31edc005d2u, 0x40333555ef15a23au, 0xc02d8ca3f25cd5b6u, 0xbff150c2f32b9390u,
    0xc022dfbdcdafa28eu, 0xc02c978d9fcede2au, 0x40112c2117a54b30u, 0xc025da8b6118bc0au,
    0x401c7a421793f7f0u, 0x4013c7abef4813e8u, 0xc037bc6e87659c07u, 0xc00ba3b80ed6b198u,
    0xc01a6f5108f08050u, 0x4028cc5cb08de248u, 0xc038b6478e8fdae3u, 0xc033dccd6ebd8b05u,
    0x3fe82fe6cc0ff080u, 0xc016e5c2e487aa6cu, 0x4023d7733431eb30u, 0xc0240ea47e4c0c78u,
    0xc0322ab83f740cf0u, 0x4039e9254caed1dcu, 0xc02ebb7fedfc37cbu, 0xc0352d179ce5ec0cu,
    0xc02a69a6cde76752u, 0xc0233baac8e41764u, 0xc0307e37e5f749b8u, 0x40016e90c50c9f20u,
    0x403a374dca637f2cu, 0xc0367059b67bc986u, 0xc0145c4943624778u, 0x40242dcbed3a64e0u,
    0x40371538dd935cd4u, 0x403dfcf979c799f2u, 0xc03561bc8b885cf0u, 0x4001e724f5eea920u,
    0x4036df3d7895a23eu, 0xc03ad176d56def14u, 0x401530bb434eb3a0u, 0xc03390b8bf967165u,
    0x3c670ef54646d497u, 0xbc670ef54646d497u, 0x01c01297d23ab683u, 0x3fe0000000000000u,
    0xbfe0000000000000u, 0x40862aed96715696u, 0x40862e0d6acf5259u, 0x408626b45a4ab988u,
    0x40861cf70922093bu, 0x40861dfb71d8d924u, 0x40862472ec1ea229u, 0x40862c63f0cc900eu,
    0x4086212811212e3eu, 0x4086291cb4a3ce58u, 0x40862441f64988b8u, 0x408621adc979574fu,
    0x408629c066358a2bu, 0xc086ed6e04e9e534u, 0xc086da3d9ee3d491u, 0xc086639518e10fceu,
    0xc086b50c36902605u, 0xc0865df85c89b258u, 0xc086aeaf0ae1d767u, 0xc0871a270d3e56dbu,
    0xc086c494ab2107a6u, 0xc086432c8f01baa3u, 0xc086a00551b3f3c6u, 0xc0862769609986a9u,
    0xc0874a0dbb3f458cu, 0xc086e3bed75f9d9du, 0xc086627458600198u, 0xc0867b74f56fc971u,
    0xc086a13576985862u, 0xc086823710ee7bddu, 0xc086421185429611u, 0xc0867c3daaa28baeu,
    0xc086a55b1a13f48du, 0xc086a0c26f390348u, 0xc086816bb444c921u, 0xc086e8b544d9e849u,
    0xc086807f93541526u, 0xc0861da04cbafe44u, 0x40861da04cbafe44u, 0xc089000000000000u,
    0x4086300000000000u
};
static const uint64_t v1_9_1_exp_predict[] = {
    0x4057b3a3c0e2d2ebu, 0x3f83c0b40135fef1u, 0x400d89772f992acdu, 0x3fe072ac47c3d6d7u,
    0x3fe4b4d41318a052u, 0x3ff0a2167b539011u, 0x3f9cd51ea1cb4761u, 0x3ff01938dfe52c7du,
    0x3fd2256ca28e3be9u, 0x40933e12374f4dfeu, 0x40041b22f92bf5f4u, 0x3fe94aaf9c4731f4u,
    0x3fed2bb2d51eaf7au, 0x3fdaeafff4096d78u, 0x3fc8d2728d32adb1u, 0x3fe76ecd40529da2u,
    0x4010c7af40ad937fu, 0x3fefc6037de955d4u, 0x4025babcdaa867d6u, 0x3ff12abf904b519eu,
    0x3ffadf6a4a020318u, 0x40419c4d004b4e02u, 0x40130a1445640aa8u, 0x3fe2a3b524aa5decu,
    0x3ff1c26765aea262u, 0x4012dda1f8ac9740u, 0x40532e2a2f2e878bu, 0x3feddc0008419c62u,
    0x3fef74ff4579575au, 0x4027c1304b1a6c94u, 0x3fd1642886eac292u, 0x3fec917ea59ed8e2u,
    0x4022b1c9fe9bb2b9u, 0x40146e0bee00bf55u, 0x3ffebdeb92b66972u, 0x4018726d4bbed2d7u,
    0x3f76e8351e1c4d99u, 0x4028aca287595572u, 0x3fce0be3dd16141au, 0x3fad1c35f443ea4du,
    0x40063ff83e979768u, 0x4019fb48b7a293c0u, 0x3fe5090d100d4118u, 0x3fc7c9fa39fa8ac3u,
    0x3ffaf9208548e4edu, 0x3ff70972f7d5ccf3u, 0x403a9b9107cbee4au, 0x401c88d526157effu,
    0x4002dc51faabb205u, 0x402d8f52b6e01893u, 0x3ff0f8c0383cf63cu, 0x3fd012780194a39au,
    0x401494fadb3af51eu, 0x401484fcd7670c49u, 0x3ff0a8a2aaae3b5eu, 0x3fd565bc32f2c7cbu,
    0x40043deadc4c5401u, 0x3f8659a4eeebd457u, 0x4019721aa9ecf26du, 0x401119685891efd4u,
    0x3faee5466bdee867u, 0x3ffcf1316d623698u, 0x3fcdc7a946d1163cu, 0x401d199d3bff88f2u,
    0x3f9c06b710c0fd95u, 0x3fd071660ec8326au, 0x401a74910dd236a8u, 0x40302a103889fc84u,
    0x3f95e0ac63c9a72eu, 0x3fe2e8cf4b02a34cu, 0x4008aadf49ec446du, 0x3fde476c9c6cb0dbu,
    0x40434315ccda9473u, 0x3fc2e86d024b91b1u, 0x400a02bf0fe06e90u, 0x3fc928c00c13a65cu,
    0x403aa089a9b1bd8bu, 0x3ff883de9ed6afd7u, 0x3fe8518ada18c0aeu, 0x3faa5ce81d03af94u,
    0x40471d97b2202220u, 0x401cd7b7e002f07bu, 0x401ce352cc0071f8u, 0x402f2730ae733adfu,
    0x4009bc7735675a93u, 0x3fdc8392523357b8u, 0x3fd4aa0b1343d05au, 0x3fd4aa7acc9c736eu,
    0x4038c8630f47668fu, 0x3fb6130c07dc771cu, 0x3fdf112a051a7270u, 0x3feaee27846d51bdu,
    0x40040f21944703b2u, 0x40143a00117e3700u, 0x3fc0d765b2726437u, 0x3fa9bf1f1b1a5162u,
    0x3ff95fff156046a7u, 0x40321f40ddf84ddcu, 0x401d172fad16bde3u, 0x4003b3d8993e84fdu,
    0x3feb26c17f9719bcu, 0x40070276b7ab6853u, 0x3fef789962096ec2u, 0x4020679637a441afu,
    0x3fd4e7b31ba93fd0u, 0x4000bdf8af7bc82bu, 0x3ff48330011ef6c0u, 0x4012f916588c894bu,
    0x40040f54d84aa380u, 0x4070674070103ebbu, 0x4040067729efb02eu, 0x403fed8617e0bc55u,
    0x3f9bba8bafc5c5f5u, 0x3fe9ec206816f3bau, 0x3fde50d13843e1e8u, 0x401292d76a8758a6u,
    0x3f912ca85a4cff76u, 0x4030c295d4f903fau, 0x402b08db605c7ff2u, 0x3fbe4bf5a56a4acfu,
    0x41ab96f7255476f7u, 0x41b4f6d279d18e09u, 0x3ea492c4bf1f8148u, 0x3fe15949d8bfc9f7u,
    0x3f20b7e9f87e387au, 0x3eb09a27ffb4099cu, 0x405d46ed5e4398feu, 0x3efe25c3c3d826ccu,
    0x409ee47a96c6787cu, 0x406c180c77fc1de6u, 0x3dd59e4181a81b1fu, 0x3fa9e0bab4901d70u,
    0x3f61ad1038d3bc56u, 0x4117b0d9ca737442u, 0x3dc04aeb56b68bfau, 0x3e3040760d970e7eu,
    0x400b41aae223b606u, 0x3f75666a0d9c7110u, 0x40dfcbb6466dc6bbu, 0x3f128157a9a3ea1cu,
    0x3e5624be14a149a5u, 0x4250ac01e0922933u, 0x3e96c62571bcd641u, 0x3e117a06518c2d89u,
    0x3ec8ae5d02b9a7edu, 0x3f1bf10ab01652f6u, 0x3e7d853e25d14961u, 0x402c478ea2350343u,
    0x42569fda8c1366ceu, 0x3df3c67975a7bcd0u, 0x3f842d15c0b6bd27u, 0x40e2d17db7b3fb1du,
    0x420f8d4a6bb3bfd2u, 0x42aebc8001868b0cu, 0x3e0c74d417504edau, 0x402dfe98080f68bbu,
    0x42098da6282776adu, 0x3d8fb9a9f7225bedu, 0x4073fc461f8885a5u, 0x3e35e04797dd0ec6u,
    0x3ff999999999999au, 0x3ff999999999999au, 0x3ff999999999999au, 0x40051a87a4e4d217u,
    0x3fef0deb2d7f5677u, 0x7ff0000000000000u, 0x7ff0000000000000u, 0x7fe3e848b46ab1ccu,
    0x7fc791bbe671216fu, 0x7fcac3d9fab669d8u, 0x7fde0861e4b02aaeu, 0x7ff0000000000000u,
    0x7fd3e67de344da96u, 0x7feae5d3adc9dfd2u, 0x7fdd52c2b39c46c8u, 0x7fd53e39e152dfbcu,
    0x7fed22cb4a448061u, 0x00000000000126c4u, 0x00000000000cacceu, 0x000002169fd7977fu,
    0x00000000052c74c8u, 0x00000436403e8d10u, 0x000000000b7660b2u, 0x000000000000011au,
    0x0000000000be0516u, 0x000077fe23cdd0fbu, 0x0000000047a9340cu, 0x000f115876bfbd3fu,
    0x0000000000000001u, 0x000000000003dd05u, 0x00000267932af1e3u, 0x0000001b09d2b2b3u,
    0x000000003dc570e5u, 0x0000000b9dfa2882u, 0x000089c6cdd1a4d1u, 0x0000001883a6cfd2u,
    0x0000000024c8accau, 0x0000000041570ab4u, 0x0000000cd47230afu, 0x00000000000213ddu,
    0x0000000e65d3fc11u, 0x002999999999994eu, 0x7fc9999999999adau, 0x0000000000000000u,
    0x7ff0000000000000u
};
static const char v1_9_1_reorder_model[] =
    "eNrNWQuQFMUZ3tdxe4+92+MO4wNiDEh4yMrLF4p73gEHrKwoCMGAzezO7Pbszc4s87jjDIqx5LiDVlNkViPEikETykdi"
    "WdGElJI1kQLyMho1JlESQyyIMYmgSUAr8fJ3z2N37w2lqfTV7Xb3dPf/99/f//9fz94eyB/2eVgh87R2SeBUOSLImpBN"
    "SEIEYVHTUVrleFGQdZRQFE0X5XRkQI9JJiyGoW12f4vdfYOQVgVNU1TzK+bUL5m3mlNIQFI0zSQhbYPBqQKPBFWFxyTE"
    "JMMUpHK6YLZFf3A/LTtJMMttRKIuqGbMT+poA0amkKzwgmbGAqSKdvFCTsdmnISzoow0LpuTBI2NM2NNpEGajVQhbUic"
    "Kt7C6aIim20eu5BaOj0lcLoBioLY43Y/E5sQZZARJKGsIiu6IotJlNR0kFMvyqARl6SL2V1NSdA7rahikpOKC64zp8S8"
    "Mb9Aqjs5NYs0nVN1s5fUwWalLmgquRyzXoAzdMUklVoSVoAOXEEaOzhJ5Jm+KGXLKrFLWGZWAUOgJObktGDGqolfVySz"
    "7epbXntv57NPLCaVHYKaUDR4BBtVOZlXmAo66wjCAci6KAlsPxoq1d8kjRklIYmJiGxkc10oJyYBGiZpiNPmNarKda1W"
    "uVxOKDnYoGYkkhJHD7eCzYLtyDxHx8IgUqFhLgeCK7ZAXVF5mEq8rVDn9S7ox5OcGoz1JWaZvT1bzRvAen7i3WTG4/Gl"
    "fVDYR8yjmwlSzUmS0omyWS5n9pDzLD2ZNAR2S8tZBs8unaIkbCQq+6zi8cJf/lmvfcwhlFOFnKokLZSSiY4LJJVsDiwX"
    "QUlFMrIy0sF8WkpRs1TvhlbWubKkzzVDbclIdv6kUpCTCtvv+c7qRaHUm5A9ACxXd53KizInLbSnuMtWO8cD+8Hj8HSw"
    "V2VKUjj90rnUYnUAAV4SkCG3y0qnDCoammCvyyNAkgGnF7Kf2u22zadsK4xzBmZFptGAASHqVylV2GDAyC4ADHPEEpXi"
    "5Cxkbw4php4zdDCcnBLToDypck0CkOCFFGdIuqmRsDsDYKpRdJOKWZErIrNMI4E/Y+0bT8ST8ecoaPBUPA22PRPP6cFz"
    "6YlWlJynYp/nVhAGSBAYik0yfQh7pwzZct2yU21cZHcPeq4BOgmWZ3MVRYLDqsyBN4sgCA7gbEeUAS6lRYq+a5KaJBaS"
    "7cjxhC0U1jgxle5u+joTL+RIAwRcCBcAXAgdogx+bfYacYryWlGmxhGYymDloL0wDCAhLpmEuIc0UENjHZYgewp4RYMd"
    "h5DMZSEgwsHAEpXtnaBLmp5ZDQxFbhNfe6uJ4/g6DS/H14/qCHx9fdT83vxzHsf+AqlShSwnygzwAV5VciYJWyoiHUNM"
    "xIrEQxx7eQ4rZIyMINRQbRpLTgN1CmIa61Src3vJOXYcQwP30+NqTepkN+6CDRCEGhK03Zc54ig25LXxNNHezyim1PWV"
    "FcseERuPAplQijGkK6AZdQ6wjwhwZGvPd5IEXkVrnpgvFhCwsc40SDUqGhMbuAOe99IiANDrbKPa7kbPvzT0ILbl+bjZ"
    "3kErixoL8SLchhe7no2XFKtL4zhWBAFpBCVtl9chknDAB3izF2+K+QDRruejQSwbcM00g/hSl5eG8qsGCeWuKf3Un8vK"
    "8ahdaba+gs0jH82uwdaz54+3vyfb3wvs71Ob8ws8zpGF3TBYPCU4n8Do/aK6iAcLT52uf+BVeI09fy1GODEwGuC05ftY"
    "jONML27vxVIPzsaxHMdKiY9uivnPRB8Lnw8V9QFU4e3Ub+ttINmbRhY2STBhiJJOiRCkcAmeQAijGI3TM4Xd7AW4VlgN"
    "AxqemIc1DFu5TeCFZ6N+9IKCGsgDb56Bf1HPyk9zKOtZNIYLoC1QEcaHLL4E50VqkcN4BJAEIylDoPlcFSJZyECiFZDJ"
    "GA1U4mikp3A1SuCKvzYQrK3Bx6s3Eyrb7IZRkPacmAT0x2KeSKWMrsmSZ+kQcRlUGKG0IFM9FRVBImFyXyRNCMimPvAR"
    "aey3TDINCZ9ULG9tY4mfwodmp1DZbHcAHBmje9TEh7eFCwd3Lvl69duP7lp7731XHR07gfhFyCrbwqsv2707Snr/Fvce"
    "PaVfv3A8BB7MacgAljtnNuOKtCqkKQn3GOTcMp36ST4PoVzXRiAi1o7RCrD+Cos4UOjgI6S2X9fSz+7+i5+BZgo+iH/a"
    "Grz40f33uRaOeYaLLsbc4Y/LhZHD/875x4mPGvg9hYvnHT7r6Npnbspvt6EUC0yF8d0m80hSg4rJhCaSCmRdW8Y6aZ61"
    "I1ZneDEnpVZY95mF7DrjsoaKpDWksXyes1pr12BTQX5AEuX2geJYZ+0SHkKyqHddS5tMFLAexLg3o2K+jTn4HMMLHdRd"
    "gayBs6nKRoQp/+FkyBRhIGeADAjsTl+PfacBfoG6wKeA/mUCXnoRWmJ3FzflB+JttvU5V6UAhlQNZNFphygvB2BJhiZ2"
    "UF5SRweU9hiJMmnAzngzUw/SLAGZsVB118800pazeqYJWr2ZcfTTSMBCY3kFld+maCpsQpT/ltyg4IuDTdbQOx3KWlcX"
    "MnPUF16YJbOLWjVqEeVl/a4+wGGsq2IVqXLDgLm0OeT3kLry2DeakFczIN5d4VxXwxaBL2Hew6XfYioMuvnoDPNrYPj8"
    "OvR66+we8E0Bn4dfoFClPJDjwV4+PGFIe1DvLrkG4lnDeHdVP3utdOz1qbIbjcZOX+Q3Inqrr6cNl5KOwGSKuw6V5aP/"
    "uT2HWK9yiPX47304bYrxfmH2AuPTX33hz4X6lqq3pi/7bSHV992V9U8+VfhVR7q3cGp/9NJXUNtfr3wzulj716FFjx2P"
    "no6cUrzWbHjlW39/70Thmeva774x8nZh/u/VzbuTbxT4X/7w+T3qvsIx4YPP+55/Ljrly8f2bfrNm9Fz8sc2eivPXN6i"
    "G7ZdWH3g/UL09ZV9O44cLRyYH9nQctevC09t2fHN1S1PFxLjX7/l/Et+Fj13/j23P3zBW9G9wX2v5j4AefNcvtdoeS+S"
    "IUw4cBnaTU+4agSo/AAsQf+DJf/5FmcvjANBMEpwmgDBW2ChTrRe5fST4I15uwduNdzXr/hfvGv77uyhQv6k8wqjxllU"
    "sd43rDPJ7FHHNXeqSUIrgUgtd9vFFGa9ahvyXGYQ/6pLLi1zVJhkv3KoSCqGrEM+dVgSOB+IAgJRchkkYx2zpxV6RZKE"
    "lE5TIPuqUOlFEJppuAfR10XsVR+pFO0XfJT6lLixmZlIs1Y1sBJN0Jk4neWU9dCNd8U83WaGo9UTsSBUE7QKkUYcgfbF"
    "amFw0lqiCao8VDOXwEdsPLQEa8EJUE1Z1QugmraGXwhVbPXOgKrozpwFrYzbmt1tqW615kCr3Zo0t9s0YpcDPsKD8Rkn"
    "UlwEg72efoV2UHpz7wO/qDrAdTUXez033frIzG+0v1CY5xmmTOp4/oG13Jpmr8ddfM6UV9smzTsSfW+w8X7bGT7qq433"
    "vZtptuawkPyHPXv5d8/+eXT+cPKa7m+omvGdBc2+orz11x4JPxC7N/q0vRVanBjmqYDGGPgf2xJ67J8tN7F59qhnt6A1"
    "h/64t9DqGbEcL/iL8i4zX9vGB56Iqqc5Lx91Uw7lCgLPUEwTNbKgOMCDfBSAA4JKfT9/D4ygxEjP81c5ejWpXOcZKlX9"
    "MepzpV0xEtw6M7OqSPrWeIcO/hlEHw4W/0fEP1Xo2EsNK2bfo5fiP3Mn9+i28d7nBsW/z8by/i9c/bCDfxvHW95p2Lp1"
    "0oOFptHgowTHe/c/8v2PXnm5MPk055k7T4a2pt8c3N8c/P9708L//OglwdGTTt+ttDc/vOQnw/tbz43Lx/Tzt471E7Uv"
    "htYzfxuy3OGf03HHmhtL5+Wn2c8ytw88R/+gqAp8HHgaEW+uXneOVq/aj9P//u/8gZ7ZbZuWGTP35Er9wXdP9K0PHzo0"
    "fD6YS9pPvnH3ytJ8MG7ybcsmbz08fD64+3f5fR2Pc6V+9KcdFwTbfnxgeHxedPC+yn74vPPkt1+dVr+jLB84XNb1B+7g"
    "dsPBJ1PC40m/s3zJrpefLKw+zbje2tv94PKbn4zefLr5YDh/8H1y/jAs3n2fPN7z1xTxLJBKRH/QhKtynP0uRn+cpe0B"
    "9NozCMu3ft/JX+bkr4aS2/zoV+mfT/OVZdw88l/hqASB";
static const uint64_t v1_9_1_reorder_X[] = {
    0x3f5427a31c1ffc58u, 0x3ff0000000000000u, 0xbfd18b7980d81558u, 0x4026000000000000u,
    0xbfdd19537e309692u, 0xbfefbb918e5cd3f0u, 0x4000000000000000u, 0x3ff571858a941e07u,
    0x4026000000000000u, 0xbfe3daee2d56e58bu, 0x3fdf5992787010aau, 0x4000000000000000u,
    0x3fbafc6d9ffa76cau, 0x4000000000000000u, 0xbf9df43093500899u, 0x3fe63fec7c2015e9u,
    0x3ff0000000000000u, 0xbfdd49939df35222u, 0x7ff8000000000000u, 0xbff4a1f253355902u,
    0xbffd77bf28b367b0u, 0x4014000000000000u, 0xbff44775f633b214u, 0x4026000000000000u,
    0x3fc4106b6b54ede6u, 0xbffd77bf28b367b0u, 0xbff0000000000000u, 0xbff44775f633b214u,
    0x4026000000000000u, 0x3fc4106b6b54ede6u, 0xbffd77bf28b367b0u, 0x4004000000000000u,
    0xbff44775f633b214u, 0x4026000000000000u, 0x3fc4106b6b54ede6u, 0xbffd77bf28b367b0u,
    0x7ff8000000000000u, 0xbff44775f633b214u, 0x4026000000000000u, 0x3fc4106b6b54ede6u,
    0xbffd77bf28b367b0u, 0x0000000000000000u, 0xbff44775f633b214u, 0x7ff8000000000000u,
    0x3fc4106b6b54ede6u, 0xbffd77bf28b367b0u, 0x0000000000000000u, 0xbff44775f633b214u,
    0x4008000000000000u, 0x3fc4106b6b54ede6u, 0xbffd77bf28b367b0u, 0x0000000000000000u,
    0xbff44775f633b214u, 0x4044000000000000u, 0x3fc4106b6b54ede6u, 0xbffd77bf28b367b0u,
    0x0000000000000000u, 0xbff44775f633b214u, 0x8000000000000000u, 0x3fc4106b6b54ede6u,
    0x7ff0000000000000u, 0x0000000000000000u, 0xbff44775f633b214u, 0x4026000000000000u,
    0x3fc4106b6b54ede6u, 0x7ff8000000000000u, 0x0000000000000000u, 0xbff44775f633b214u,
    0x4026000000000000u, 0x3fc4106b6b54ede6u, 0xbffd77bf28b367b0u, 0x0000000000000000u,
    0xbff44775f633b214u, 0x4026000000000000u, 0xfff0000000000000u
};
static const uint64_t v1_9_1_reorder_predict[] = {
    0xbfedc9cf03f29974u, 0xbfe4e198208ed5d0u, 0x3fd9db9c10dbed30u, 0xbfaef4acab206346u,
    0xbfedc9cf03f29974u, 0xbfedc9cf03f29974u, 0xbfedc9cf03f29974u, 0xbfedc9cf03f29974u,
    0xbfd6c40f378cbd89u, 0xbfd6c40f378cbd89u, 0xbfd6c40f378cbd89u, 0xbfd6c40f378cbd89u,
    0xbfedc9cf03f29974u, 0xbfedc9cf03f29974u, 0xbfedc9cf03f29974u
};
enum { v1_9_1_reorder_rows = 15 };
static const char v1_9_1_nine_model[] =
    "eNrtWgt01GQWnun73YE+eJUVEJfHwkApQgu1KS21hYHyEFERiOlM2gRmkiGTgRZBEeVRNqhLU0AqFVnFWsuussJCoU6p"
    "wKIgL7FwUBEEWkHRwqJ0Eda9fyaZZlqgjefsnuOWHA538ue/97+53339f7PIr9jpq5MuYYRjtpUkOMZIMg7SlmMljThF"
    "O3g8jyMsNMnweA7LOniayTO2GBGF32XB1Ex5PE0eTrcSDgedS5OcWCT2e05cKPYV/KyswyEKQVY2D3f/DJdWhek4R/Ck"
    "mInteAVd64QgG5GP0zxwm3yECHQDM3NxhrWQDtHkKwSjIQtp5ykxWzDYaAZ3EDa7lXRI80RTtNDBOgTnyDynleDo+QRP"
    "s4yYqZMvIQyx55IE7+RAXibWII9Ly+bQDKzhJ4TbWIblWYY242YHD+tE0gxoRJiRMHko2gx657EcbSasTQKFkFyOteEW"
    "vsBOws08grPhDp7geLFQiIA3thbALWu3S+bzI5w8KwqBDjOIgQHKX4iaS1hpi6Q0nisvqDKOgZFMA9bAzRTB5JGiKUTw"
    "5VmrmJky/8TVdbv+miUEziW5HNYBj+BtOYKxsJIKvHvAjNDB55F0HuV+MQeufhEYCsftHGnnWDPpcLAcDHTGm03iSBth"
    "t5MWeBbBeN4dBygQQBG4lcghrTjJmAEzThTiFBdrkov8yT1NFMLGIZohz/a4TJCkKYgVhahZbI6VzjEyTpu9ALfTZpAn"
    "Ch2y0e0ojiMKHuOQPmpmhzNH4hcFf4kLrMxYCDQXJgn+DooAfEzBS+A3y0la6tPhtxs3yqj8grk+dKJYuHyZOFnsCy+n"
    "Txazs7PH/gKX9J9Jx4s5QghhtbLzcBuYRVwudHPrKa2GA5x5jE0KmwIeebDBmRP5i/elOKdepj4ylWNU5ydTf5kGyDRQ"
    "pkEyLU5TvNyAyzbHwRkcyIcE/3hjkjFedOZQfaj+bjNRA6nBVDyyApVADaUepEZQDy2nUpCKYf8V/frLnEIsg/McCeAC"
    "apJHuz0eEBHCcMVnSfAwmImMacQhREijzWnlaTeKQoADXJFAmFPDBR+nCiRqZEuI0oMqQp4V0NriUpglxCpui4OnuBMI"
    "zqGYjHav59bB6HE2A47nkQzSk+VwM/yH1p0kROOQM/iWj4SoZmLMecOGAgYT0zOBFolLQAfkp+Fe3J4J4KBSwCKMZq4w"
    "uP6xbsxrIRfLS6avXpNc17G74EszZnGF4bHhGzdiQuHlbH1dIz8pI84phFCEA3dCskoYgqI9CP0k81Au1TmFrl46NVu5"
    "G47bC/JxJ+N+Y/wRsP4j5BwnRDEKA8oshDUbGttr4yXfbMnmVBZlSg8aVL5njcfCJl0zL/PzeBmCa+jd4fL4oR8a6nLt"
    "yr87WN5yDRrxZWzd9J3TivvKnmfy6weTl4o5yJ5CKN6UjFAi8pdLTUcl/0j3RvdgVBZhzR2P/IlhbTRhHYdGPfnD3yzP"
    "8maVBfZuZqv0gtsLoxYJMXd6NnZ02MiIfsgEUBxpZnZLNaVBgxdnHs27dRSCoQy58yOKGZ98O+TiAAs5lwZoICtDOuTY"
    "fJxCqZZgoPYYzCwDPgVpqGnMXdSg4OAFEI1OyHvLhaAx8liTLXwhtSFn8qOgZoiZzyoVMxylPHBEq9NBzyUh70WgCaqR"
    "QmeO1xqQ/i0iVSR7xWrwkDUmPbW2kHoFzYx1VyaasZD5qC1gc3MdJO+AtwlxqwePUMWKkO9YhsQpFkaAt6OFxb2LKw7v"
    "F407HSSuKqhACNAzFNV53OYuGcLgNjdAwMVIdTsET6OZ8c1KTgAjtw/+QrAnp4hjU8N9dUKEdwFFjctshp3HeAYBxmyq"
    "GzUB4cpTHElYQJAP1b1ZDPl6xVC8ui4tEO8SRREt6k3xXKVUdLLRUj1GhnJCRka2oS35OOqDItEN0sdBsVYLlOIZoMpd"
    "VMpNbGNYh3vpcyrl6sErJ865qEEvT+uXX4I1Hh8z5z7Xeaz4flnJO65Z5ZEYqpIXm5i0KvDVC67jlDhlccrrWPmFwsaV"
    "DfW/Wl5lzcHShtH1rtqs9Mw51c9gWwasn9qxDvQbIcsjId9L6ENjBp4lG1S84zKcd37zk2uon7qGUxiVCq4djecQDhKS"
    "ASnFD+3uCJtJ1puCl7Z8hSBF/8zrCWeFAcHVvzc/96eTAy+4thsc1s3GemxlAHax/ttrWJdzBV0u+1zHTkQOj0t+/CcM"
    "mzax+5bCM9jT39v7hWJnXJvWNKRvjbriKt4gdwAQQrIyLOdATgH/hCFtDiQPL2wDpkAbMNFz35SA3f1+s/f0Vzmb79QH"
    "h6m87W/ZwCS5MFRPM+uEXCGEKjUe/BmWgvLX5MyQbxWc8licZ2H3kMujXCwRf07qjwW/PIJGvZN7vyEE0vIuAxVuVWSI"
    "VLkQAgUVEpa0Fi/p/AVVZdIBLl9SnCkI6GlqhCkM6FcwHg30DLXFFAf0LDzvDvRroD2BnoPnDwA9D/cDgV6AefFA64AO"
    "AVoONAFoPTwfulR0mhLBAQx3j3fpellp4OBSYk5q6pDjNSYOu0FGBqU2TdEFu9bcREMWVc+nxII0gMrwKomvb6pKduSb"
    "P/yLjGzEuuhavRpcPk2N5awDa6cElO9wmTTyLZf5BujbwKdv4ivGPEkQ5XbSIjkBSsq4G8wWDqiTgGwexM37+eJkRW40"
    "R8z7lUJDVPIGyfKgeT8ms352x9D43CMiUAv+iyeX3Xr+xTQ1/pN6rRrv/4Ebf4VVyake/F9+1Tf2K3uUG3/3rLWLk2pj"
    "tu3D4jXi2Gvp1uc3132OJWjk+2X/pkNjLJVtwf9kshr/PkqubWwTJIo9m/hu/jr/+F/g+WaNX/QM3qLG85nz7zuPZoR6"
    "xbNSy/QKnqn3Bxj7PBXixtM9a9uY0ufqPz2BjdOIS+cDPeIrvzmEddbIl/b24I8yOlVpj+f/IzyVXsiD5/0BvQzzzE+m"
    "qnbivd7rU/IZcQ3br7uNHyh4Vk/bkhU99d+YSnbXkyt2TPpjJWbRiMuemPndzkz9UDPf5Anf8qOzq137de0XT6/4RLbZ"
    "+uGA9YM3ZqjjM+iF5xt6Xqt2WTTaiSrN2r1y1BeYOl6UHlrvK/vPX6T1HlXHdVXvORdgPWy/Rjw16enTDuITveMbNx1T"
    "wrfPVMdnyfr1htydbfN7dV2aX9RJwC55x7WCp07Bc+PykAfOz49T47k9rltFkW2f5vhcUPr0IXvHbVh7xtMTLwqeFSXE"
    "5YKhT6WqTjwzJwSOLpmxS3NdMiacLtq9JsSrj1L2qB48qZQh4/PH/kHdR48c/M7Vn29WY3EacQn79NymwpRTWNY9PJvw"
    "7JYd/9XPNRlqPNdNr11iWlapGc9LJWt31Z727ouVMwZPvq39qGTnu8FR6vjcVz7htXEvnMTGaMSlfMnXR46sr8K63cOz"
    "Cc+Rt57INi9MVOPZiN/c/fh92vEcvWLCOPPCoNv3xQqe7+r2TstMuoWp8Aw/3JVMf+ewZjx7v1djfKD6y98OngkePEl0"
    "AqgFU99meLY4R1D62yPZhdz3MT9hqpffH2/8hJ98Dbvd/tOzX6l5Y1y/5OmB6v0nddGQueHgDleiRvveHPZdeuzRU9gA"
    "jXzLenS6lFXWhvOHQ1dPPdRe9p8Vr39UyWcnqvvbyGceHUuM0HnFmXKm6sFzckj5W9uCA9R4rhq4Pea+kGPYMK37zz/3"
    "G1gWU4UZNfL1/7ioNzu+9TySxT4ipLQXPI/1nzW4jJ+mxvNGUcH1qlv629dBBc9FLx1PrnjrpjpvptYwY0L9PtacN/ft"
    "3RvRM+GY5ry5ILzok4wNrfZtE5/8bsuVlPZynvC+9djM+XGPqvcr18vCR+6Y3SDtO+4Yn1mbRf2sjH9iqvgcuOTE4YTa"
    "D7Bcjbh0vXojPfnFrViORj7nh6V9Fsxztbav4id1ie+L6dtBPyT94Sh6gOHiO6PU/dA5XWldjyUnvc4FWpwP2Sb8/c2S"
    "oRPV+47gWUknHkzVvr9/dXVG0pHCnZrPE/q8FLOzKq3V9fbqFy9JwtpDfCLbjJ79zframsfU8elbudI4N6bV84SKQwkB"
    "ndR2+pqdv+D6jYa7nyeUWUt1+jkd1PuVo+u/O5uxd7fmcwHz2LSFQ4gt984T1PuVzWWXc5IuTFHH54j9yyr2+rRal3pM"
    "oaPPquuScNCGXST1dz9PKJtU3eF4XZQ6rmek1Owd/cMOzecJp2f3r7+cduTeeYIaz8ofdj7ZcXayGs/6DUePxlpb7RsX"
    "nW18r1iNZ03g1IePPay7O55n9hxJrfnghvocv79hSsyptbs04/nNuR21K42H7+GpxjMZn9j5SKfBajwrSguG2A2t7wOi"
    "ZyaxajwJ3+83HejcCp6JV07ni09cVuN54EJP/MfjxzTjOWju6tC3f9zz28FzVNN5AikE4uj7ZxJ9aRzGcwT6oBvdt/h8"
    "Rnebr3T83fKGK39v76D62qvtUlroF+j1DY7xP+7C9wQ=";
static const uint64_t v1_9_1_nine_X[] = {
    0xbfe75ef3b1f6c9bbu, 0xc001a9ea9e2bc0d3u, 0xbfc0190913296a2cu, 0xbfc1d8dcd2df101bu,
    0x3ffea62e5079a261u, 0xbfd5af38980a9771u, 0xbf89e4f69cb6df4au, 0x3fe2fd7384614c02u,
    0x3ff9615d5e28f0dfu, 0xbfb02fd0e60aa9bdu, 0x3ff0a1b3925dffb6u, 0x3fe09426214912d3u,
    0xbfd2f5850cae392cu, 0x3fb3da9ba002dedeu, 0x3f9d5caf6fc1b8dfu, 0xbfed5012e5979671u,
    0x3ff36b3c82c216f3u, 0xbff62b80245e292au
};
static const uint64_t v1_9_1_nine_proba[] = {
    0x3f60568c189cf2e2u, 0x3fa7b3e67ccb746bu, 0x3fca9ffb4f6be255u, 0x3fd0c8bd52b75e39u,
    0x3fc795fb19f130b5u, 0x3fc6b1246cabdc1au, 0x3fb385cfef97db57u, 0x3f9c6906309394fau,
    0x3f90486fb8a519e0u, 0x3f606bb57066677au, 0x3f987fd7a29087f5u, 0x3fb805fccab6018bu,
    0x3fd1b01af42e26dbu, 0x3fd387d0c8b9717cu, 0x3fc6ce88933fdd49u, 0x3fb39f193b263a32u,
    0x3f9c8dd265e207d9u, 0x3f905d86c9974473u, 0x3f60957c4fe019a1u, 0x3f98be2c2753e427u,
    0x3fb8431b4b0f2f86u, 0x3fd13a47c232c1bfu, 0x3fd3b98112d60598u, 0x3fc7088eb0bd53b6u,
    0x3fb3d104c18ae3c4u, 0x3f9cd677b1ad7abau, 0x3f90872994233d7au, 0x3f60957c4fe019a1u,
    0x3f98be2c2753e427u, 0x3fb8431b4b0f2f86u, 0x3fd13a47c232c1bfu, 0x3fd3b98112d60598u,
    0x3fc7088eb0bd53b6u, 0x3fb3d104c18ae3c4u, 0x3f9cd677b1ad7abau, 0x3f90872994233d7au,
    0x3f60957c4fe019a1u, 0x3f98be2c2753e427u, 0x3fb8431b4b0f2f86u, 0x3fd13a47c232c1bfu,
    0x3fd3b98112d60598u, 0x3fc7088eb0bd53b6u, 0x3fb3d104c18ae3c4u, 0x3f9cd677b1ad7abau,
    0x3f90872994233d7au, 0x3f905204dcc58f7au, 0x3fad59190d46d653u, 0x3fcb9b7ca19f81fcu,
    0x3fd00c227ab4b73bu, 0x3fc68cf1c6320df4u, 0x3fc5b22693aa96a5u, 0x3fb2aa6f136bfd0bu,
    0x3f9b29c6923be93cu, 0x3f8f22ed43287c78u
};
static const uint64_t v1_9_1_nine_proba1[] = {
    0x3f60568c189cf2e1u, 0x3fa7b3e67ccb746bu, 0x3fca9ffb4f6be254u, 0x3fd0c8bd52b75e38u,
    0x3fc795fb19f130b4u, 0x3fc6b1246cabdc1au, 0x3fb385cfef97db56u, 0x3f9c6906309394f9u,
    0x3f90486fb8a519e0u, 0x3f606bb57066677au, 0x3f987fd7a29087f5u, 0x3fb805fccab6018bu,
    0x3fd1b01af42e26dbu, 0x3fd387d0c8b9717cu, 0x3fc6ce88933fdd49u, 0x3fb39f193b263a32u,
    0x3f9c8dd265e207d9u, 0x3f905d86c9974473u, 0x3f60957c4fe019a1u, 0x3f98be2c2753e427u,
    0x3fb8431b4b0f2f86u, 0x3fd13a47c232c1bfu, 0x3fd3b98112d60598u, 0x3fc7088eb0bd53b6u,
    0x3fb3d104c18ae3c4u, 0x3f9cd677b1ad7abau, 0x3f90872994233d7au, 0x3f60957c4fe019a1u,
    0x3f98be2c2753e427u, 0x3fb8431b4b0f2f86u, 0x3fd13a47c232c1bfu, 0x3fd3b98112d60598u,
    0x3fc7088eb0bd53b6u, 0x3fb3d104c18ae3c4u, 0x3f9cd677b1ad7abau, 0x3f90872994233d7au,
    0x3f60957c4fe019a1u, 0x3f98be2c2753e427u, 0x3fb8431b4b0f2f86u, 0x3fd13a47c232c1bfu,
    0x3fd3b98112d60598u, 0x3fc7088eb0bd53b6u, 0x3fb3d104c18ae3c4u, 0x3f9cd677b1ad7abau,
    0x3f90872994233d7au, 0x3f905204dcc58f7au, 0x3fad59190d46d653u, 0x3fcb9b7ca19f81fcu,
    0x3fd00c227ab4b73bu, 0x3fc68cf1c6320df4u, 0x3fc5b22693aa96a5u, 0x3fb2aa6f136bfd0bu,
    0x3f9b29c6923be93cu, 0x3f8f22ed43287c78u
};
static const uint64_t v1_9_1_nine_decision[] = {
    0xc00ac71f5b2976a6u, 0xbfc9ed0e445baedcu, 0x3ff4ccd1ffcef312u, 0x3ff8820041d52c62u,
    0x3ff2dc6220824557u, 0x3ff23e209451a4e4u, 0x3fd2fb4bfe7cee9eu, 0xbfe6dd777465ee2bu,
    0xbff456b1d337f791u, 0xc00ac71f5b2976a7u, 0xbfebc40fafe8b58bu, 0x3fdfef77f33533c1u,
    0x3ff9442729abc199u, 0x3ffada0e59bc611bu, 0x3ff23e209451a4e4u, 0x3fd2fb4bfe7cee9eu,
    0xbfe6dd777465ee2bu, 0xbff456b1d337f791u, 0xc00ac71f5b2976a7u, 0xbfebc40fafe8b58bu,
    0x3fdfef77f33533c1u, 0x3ff8afa7b0edf868u, 0x3ffada0e59bc611bu, 0x3ff23e209451a4e4u,
    0x3fd2fb4bfe7cee9eu, 0xbfe6dd777465ee2bu, 0xbff456b1d337f791u, 0xc00ac71f5b2976a7u,
    0xbfebc40fafe8b58bu, 0x3fdfef77f33533c1u, 0x3ff8afa7b0edf868u, 0x3ffada0e59bc611bu,
    0x3ff23e209451a4e4u, 0x3fd2fb4bfe7cee9eu, 0xbfe6dd777465ee2bu, 0xbff456b1d337f791u,
    0xc00ac71f5b2976a7u, 0xbfebc40fafe8b58bu, 0x3fdfef77f33533c1u, 0x3ff8afa7b0edf868u,
    0x3ffada0e59bc611bu, 0x3ff23e209451a4e4u, 0x3fd2fb4bfe7cee9eu, 0xbfe6dd777465ee2bu,
    0xbff456b1d337f791u, 0xbff3956e377d3bc0u, 0x3faca8dbb3576b40u, 0x3ff61918da528c3cu,
    0x3ff8820041d52c62u, 0x3ff2dc6220824557u, 0x3ff23e209451a4e4u, 0x3fd2fb4bfe7cee9eu,
    0xbfe6dd777465ee2bu, 0xbff456b1d337f791u
};
static const int64_t v1_9_1_nine_predict[] = {3, 4, 4, 4, 4, 3};
static const int64_t v1_9_1_nine_predict1[] = {3, 4, 4, 4, 4, 3};
enum { v1_9_1_nine_rows = 6 };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct version_data {
    const char *dir;            /* corpus directory */
    const uint64_t *values0, *values1, *row, *decision, *proba;
    size_t n0, n1;
    const int64_t *predict;
    int inf_rows;               /* 1.2.2 lets infinities through as categories */
    const uint64_t *exp_leaf, *exp_predict;
    size_t n_exp;
    const char *nine_model;
    const uint64_t *nine_X, *nine_proba, *nine_proba1, *nine_decision;
    const int64_t *nine_predict, *nine_predict1;
    size_t nine_rows;
} version_data;

static const version_data old_version = {
    "sk1.2.2", v1_2_2_cat_values0, v1_2_2_cat_values1, v1_2_2_cat_row, v1_2_2_cat_decision,
    v1_2_2_cat_proba, COUNT(v1_2_2_cat_values0), COUNT(v1_2_2_cat_values1), v1_2_2_cat_predict,
    1, v1_2_2_exp_leaf, v1_2_2_exp_predict, COUNT(v1_2_2_exp_leaf), v1_2_2_nine_model,
    v1_2_2_nine_X, v1_2_2_nine_proba, v1_2_2_nine_proba1, v1_2_2_nine_decision,
    v1_2_2_nine_predict, v1_2_2_nine_predict1, v1_2_2_nine_rows};

static const version_data new_version = {
    "sk1.9.1", v1_9_1_cat_values0, v1_9_1_cat_values1, v1_9_1_cat_row, v1_9_1_cat_decision,
    v1_9_1_cat_proba, COUNT(v1_9_1_cat_values0), COUNT(v1_9_1_cat_values1), v1_9_1_cat_predict,
    0, v1_9_1_exp_leaf, v1_9_1_exp_predict, COUNT(v1_9_1_exp_leaf), v1_9_1_nine_model,
    v1_9_1_nine_X, v1_9_1_nine_proba, v1_9_1_nine_proba1, v1_9_1_nine_decision,
    v1_9_1_nine_predict, v1_9_1_nine_predict1, v1_9_1_nine_rows};

/* ---- helpers ------------------------------------------------------------------------ */

static double from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static uint64_t to_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* A model and the bytes it was read from (they must outlive it). */
typedef struct loaded {
    mc_model *m;
    uint8_t *bytes;
} loaded;

static void unload(loaded *l)
{
    mc_model_free(l->m);
    free(l->bytes);
}

static loaded load_corpus(const char *dir, const char *name)
{
    char rel[256], path[700];
    snprintf(rel, sizeof rel, "%s/%s/model.p4.pkl", dir, name);
    corpus_path(path, sizeof path, rel);
    loaded l = {NULL, NULL};
    mc_error err;
    if (mc_model_load(path, &l.m, &err) != MC_OK)
        fail_msg("%s: %s: %s", rel, err.where, err.message);
    return l;
}

static int base64_value(char c)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(digits, c) : NULL;
    return p ? (int)(p - digits) : -1;
}

static loaded load_base64(const char *text)
{
    size_t len = strlen(text), n = 0;
    loaded l = {NULL, malloc(len / 4 * 3 + 3)};
    assert_non_null(l.bytes);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len && text[i] != '='; i++) {
        int v = base64_value(text[i]);
        assert_true(v >= 0);
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            l.bytes[n++] = (uint8_t)(acc >> bits);
        }
    }
    mc_document *doc;
    mc_error err;
    if (mc_read_memory(l.bytes, n, "embedded", NULL, &doc, &err) != MC_OK ||
        mc_model_from_document(doc, &l.m, &err) != MC_OK)
        fail_msg("embedded model: %s: %s", err.where, err.message);
    return l;
}

static mc_predictor *predictor_of(const mc_model *m)
{
    mc_predictor *p;
    mc_error err;
    if (mc_predictor_new(m, &p, &err) != MC_OK)
        fail_msg("%s: %s", err.where, err.message);
    return p;
}

static mc_outputs run(const mc_predictor *p, mc_method method, const double *X, uint64_t n,
                      uint64_t ncols)
{
    mc_outputs out;
    mc_error err;
    if (mc_predict(p, method, X, n, ncols, &out, &err) != MC_OK)
        fail_msg("%s: %s", mc_method_name(method), err.message);
    assert_int_equal(out.n, 1);
    return out;
}

/* Output part 0 holds exactly the float64 bit patterns want[0..n) (any NaN
 * matches any NaN). */
static void expect_f64(const mc_outputs *out, const uint64_t *want, size_t n, const char *what)
{
    const mc_output *o = &out->parts[0];
    uint64_t count = (uint64_t)o->shape[0] * (o->ndim == 2 ? (uint64_t)o->shape[1] : 1);
    assert_int_equal(o->elem, MC_ELEM_F64);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        double got = ((const double *)o->data)[i], exp = from_bits(want[i]);
        if (to_bits(got) != want[i] && !(isnan(got) && isnan(exp)))
            fail_msg("%s[%zu] = %a, scikit-learn %a", what, i, got, exp);
    }
}

static void expect_i64(const mc_outputs *out, const int64_t *want, size_t n, const char *what)
{
    const mc_output *o = &out->parts[0];
    assert_int_equal(o->elem, MC_ELEM_I64);
    assert_int_equal(o->shape[0], n);
    for (size_t i = 0; i < n; i++)
        if (((const int64_t *)o->data)[i] != want[i])
            fail_msg("%s[%zu] = %lld, scikit-learn %lld", what, i,
                     (long long)((const int64_t *)o->data)[i], (long long)want[i]);
}

/* A tensor of m to corrupt or rewrite in place (the tests own the model). */
static mc_tensor *tensor_of(mc_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->ntensors; i++)
        if (strcmp(m->tensors[i].name, name) == 0)
            return &m->tensors[i];
    fail_msg("no tensor %s", name);
    return NULL;
}

/* ---- categorical splits ---------------------------------------------------------------- */

/* The rows of the generator: row with feature 0 taking each of values0
 * (feature 1 = 1), then feature 1 taking each of values1 (feature 0 = 2),
 * then (1.2.2) +inf in feature 0 and -inf in feature 1. */
static double *category_rows(const version_data *v, size_t *n)
{
    *n = v->n0 + v->n1 + (v->inf_rows ? 2 : 0);
    double *X = malloc(*n * 6 * sizeof *X);
    assert_non_null(X);
    for (size_t i = 0; i < *n; i++) {
        double *r = X + 6 * i;
        for (int c = 0; c < 6; c++)
            r[c] = from_bits(v->row[c]);
        if (i < v->n0) {
            r[0] = from_bits(v->values0[i]);
            r[1] = 1;
        } else if (i < v->n0 + v->n1) {
            r[0] = 2;
            r[1] = from_bits(v->values1[i - v->n0]);
        } else {
            r[i - v->n0 - v->n1] = i == v->n0 + v->n1 ? INFINITY : -INFINITY;
        }
    }
    return X;
}

static void check_categories(const version_data *v)
{
    loaded l = load_corpus(v->dir, "hgb_clf_cat");
    mc_predictor *p = predictor_of(l.m);
    size_t n;
    double *X = category_rows(v, &n);
    mc_outputs out = run(p, MC_METHOD_DECISION_FUNCTION, X, n, 6);
    expect_f64(&out, v->decision, n, "decision_function");
    mc_outputs_free(&out);
    out = run(p, MC_METHOD_PREDICT_PROBA, X, n, 6);
    expect_f64(&out, v->proba, 2 * n, "predict_proba");
    mc_outputs_free(&out);
    out = run(p, MC_METHOD_PREDICT, X, n, 6);
    expect_i64(&out, v->predict, n, "predict");
    mc_outputs_free(&out);
    free(X);
    mc_predictor_free(p);
    unload(&l);
}

static void test_categories_1_2_2(void **state)
{
    (void)state;
    check_categories(&old_version);
}

static void test_categories_1_9_1(void **state)
{
    (void)state;
    check_categories(&new_version);
}

/* 1.4+: the OrdinalEncoder refuses infinity in a categorical column. */
static void test_infinite_category_refused(void **state)
{
    (void)state;
    loaded l = load_corpus("sk1.9.1", "hgb_clf_cat");
    mc_predictor *p = predictor_of(l.m);
    double X[12];
    for (int c = 0; c < 12; c++)
        X[c] = from_bits(new_version.row[c % 6]);
    X[7] = INFINITY; /* row 1, feature 1 */
    mc_outputs out;
    mc_error err;
    assert_int_equal(mc_predict(p, MC_METHOD_PREDICT, X, 2, 6, &out, &err), MC_E_USAGE);
    assert_non_null(strstr(err.message, "X[1, 1] is infinite"));
    X[7] = 1;
    X[2] = INFINITY; /* numeric columns take infinity */
    out = run(p, MC_METHOD_PREDICT, X, 2, 6);
    mc_outputs_free(&out);
    mc_predictor_free(p);
    unload(&l);
}

/* Categorical columns 1 and 3 of five: the trees see them as features 0 and
 * 1, then columns 0, 2, 4. */
static void test_reordered_categories(void **state)
{
    (void)state;
    loaded l = load_base64(v1_9_1_reorder_model);
    mc_predictor *p = predictor_of(l.m);
    double X[v1_9_1_reorder_rows * 5];
    for (size_t i = 0; i < COUNT(X); i++)
        X[i] = from_bits(v1_9_1_reorder_X[i]);
    mc_outputs out = run(p, MC_METHOD_PREDICT, X, v1_9_1_reorder_rows, 5);
    expect_f64(&out, v1_9_1_reorder_predict, v1_9_1_reorder_rows, "predict");
    mc_outputs_free(&out);
    X[3] = INFINITY;
    mc_error err;
    assert_int_equal(mc_predict(p, MC_METHOD_PREDICT, X, 1, 5, &out, &err), MC_E_USAGE);
    mc_predictor_free(p);
    unload(&l);
}

/* Up to 1.3 categories are raw values: a category 1.5 is bit 1 of the known
 * categories, and inputs are truncated the same way. */
static void test_fractional_categories_1_2_2(void **state)
{
    (void)state;
    loaded l = load_base64(v1_2_2_frac_model);
    mc_predictor *p = predictor_of(l.m);
    double X[v1_2_2_frac_rows * 2];
    for (size_t i = 0; i < COUNT(X); i++)
        X[i] = from_bits(v1_2_2_frac_X[i]);
    mc_outputs out = run(p, MC_METHOD_PREDICT, X, v1_2_2_frac_rows, 2);
    expect_f64(&out, v1_2_2_frac_predict, v1_2_2_frac_rows, "predict");
    mc_outputs_free(&out);
    mc_predictor_free(p);
    unload(&l);
}

/* A negative category fits in 1.2.2, but every predict raises OverflowError:
 * the model reads, and refuses to predict too. */
static void test_negative_category_refused_1_2_2(void **state)
{
    (void)state;
    loaded l = load_base64(v1_2_2_neg_model);
    assert_null(mc_model_tensor(l.m, "known_cat_bitsets"));
    assert_non_null(mc_model_tensor(l.m, "f_idx_map"));
    mc_predictor *p;
    mc_error err;
    assert_int_equal(mc_predictor_new(l.m, &p, &err), MC_E_INPUT);
    assert_non_null(strstr(err.message, "OverflowError"));
    unload(&l);
}

/* ---- numpy's exp ------------------------------------------------------------------------- */

/* Poisson predict is np.exp(raw): with every leaf 0 but tree 0's, set to x,
 * raw is (0 + baseline) + x. */
static void check_numpy_exp(const version_data *v)
{
    loaded l = load_corpus(v->dir, "hgb_reg_poisson");
    mc_tensor *value = tensor_of(l.m, "value"), *leaf = tensor_of(l.m, "is_leaf");
    const mc_tensor *offsets = tensor_of(l.m, "tree_offsets");
    int64_t tree0_end = offsets->data.i64[1];
    double row[6] = {0};
    for (size_t k = 0; k < v->n_exp; k++) {
        for (uint64_t i = 0; i < value->count; i++)
            if (leaf->data.u8[i])
                value->data.f64[i] = (int64_t)i < tree0_end ? from_bits(v->exp_leaf[k]) : 0.0;
        mc_predictor *p = predictor_of(l.m);
        mc_outputs out = run(p, MC_METHOD_PREDICT, row, 1, 6);
        char what[64];
        snprintf(what, sizeof what, "exp of leaf %a: predict", from_bits(v->exp_leaf[k]));
        expect_f64(&out, v->exp_predict + k, 1, what);
        mc_outputs_free(&out);
        mc_predictor_free(p);
    }
    unload(&l);
}

static void test_numpy_1_exp(void **state)
{
    (void)state;
    check_numpy_exp(&old_version);
}

static void test_numpy_2_exp(void **state)
{
    (void)state;
    check_numpy_exp(&new_version);
}

/* ---- many classes -------------------------------------------------------------------------- */

static void check_nine_classes(const version_data *v)
{
    loaded l = load_base64(v->nine_model);
    mc_predictor *p = predictor_of(l.m);
    double X[3 * 16];
    assert_true(v->nine_rows * 3 <= COUNT(X));
    for (size_t i = 0; i < v->nine_rows * 3; i++)
        X[i] = from_bits(v->nine_X[i]);
    mc_outputs out = run(p, MC_METHOD_PREDICT_PROBA, X, v->nine_rows, 3);
    expect_f64(&out, v->nine_proba, 9 * v->nine_rows, "predict_proba");
    mc_outputs_free(&out);
    out = run(p, MC_METHOD_DECISION_FUNCTION, X, v->nine_rows, 3);
    expect_f64(&out, v->nine_decision, 9 * v->nine_rows, "decision_function");
    mc_outputs_free(&out);
    out = run(p, MC_METHOD_PREDICT, X, v->nine_rows, 3);
    expect_i64(&out, v->nine_predict, v->nine_rows, "predict");
    mc_outputs_free(&out);
    for (size_t i = 0; i < v->nine_rows; i++) { /* one row at a time */
        out = run(p, MC_METHOD_PREDICT_PROBA, X + 3 * i, 1, 3);
        expect_f64(&out, v->nine_proba1 + 9 * i, 9, "predict_proba of one row");
        mc_outputs_free(&out);
        out = run(p, MC_METHOD_PREDICT, X + 3 * i, 1, 3);
        expect_i64(&out, v->nine_predict1 + i, 1, "predict of one row");
        mc_outputs_free(&out);
    }
    mc_predictor_free(p);
    unload(&l);
}

static void test_nine_classes_1_2_2(void **state)
{
    (void)state;
    check_nine_classes(&old_version);
}

static void test_nine_classes_1_9_1(void **state)
{
    (void)state;
    check_nine_classes(&new_version);
}

/* ---- rows alone and in batches ---------------------------------------------------------- */

/* Deterministic rows mixing numbers, categories, NaN. */
static void fill_rows(double *X, size_t n, size_t ncols)
{
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < n * ncols; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        uint32_t r = (uint32_t)(s >> 33);
        X[i] = r % 11 == 0 ? NAN : i % ncols < 2 ? (double)(r % 7) : (double)r / 2147483648.0 - 1;
    }
}

/* Every method gives row i the same output alone as in a batch of 150 rows
 * (three blocks of the kernel): three classes at most, so the softmax sum
 * is the same either way. */
static void test_single_rows_match_batches(void **state)
{
    (void)state;
    static const char *const names[] = {
        "hgb_clf_bin",           "hgb_clf_cat",     "hgb_clf_multiclass", "hgb_clf_nan",
        "hgb_reg_absolute_error", "hgb_reg_cat_nan", "hgb_reg_poisson",    "hgb_reg_quantile",
        "hgb_reg_squared_error"};
    const char *dirs[] = {"sk1.2.2", "sk1.9.1"};
    enum { N = 150 };
    static double X[N * 6];
    fill_rows(X, N, 6);
    for (size_t d = 0; d < 2; d++) {
        for (size_t k = 0; k < COUNT(names); k++) {
            loaded l = load_corpus(dirs[d], names[k]);
            mc_predictor *p = predictor_of(l.m);
            for (int meth = 0; meth < MC_METHOD_COUNT; meth++) {
                if (!mc_predictor_has(p, (mc_method)meth))
                    continue;
                mc_outputs all = run(p, (mc_method)meth, X, N, 6);
                const mc_output *o = &all.parts[0];
                uint64_t width = o->ndim == 2 ? (uint64_t)o->shape[1] : 1;
                for (size_t i = 0; i < N; i++) {
                    mc_outputs one = run(p, (mc_method)meth, X + 6 * i, 1, 6);
                    assert_memory_equal(one.parts[0].data, (const uint8_t *)o->data + i * width * 8,
                                        width * 8);
                    mc_outputs_free(&one);
                }
                mc_outputs_free(&all);
            }
            mc_predictor_free(p);
            unload(&l);
        }
    }
}

/* ---- corrupted trees ------------------------------------------------------------------------ */

/* Prepare refuses trees it could loop in or read outside of. */
static void test_corrupt_trees_refused(void **state)
{
    (void)state;
    static const struct { const char *tensor; uint64_t at; int64_t value; } cases[] = {
        {"left", 0, 0},            /* the root is its own child: an endless walk */
        {"right", 0, 1000},        /* a child outside the tree */
        {"feature_idx", 0, 6},     /* a feature the rows do not have */
        {"feature_idx", 0, -1},
        {"bitset_idx", 1, 5},      /* a categorical split without its bitset */
        {"tree_offsets", 1, 0},    /* an empty tree */
        {"f_idx_map", 0, 9},       /* known categories out of range */
    };
    for (size_t c = 0; c < COUNT(cases); c++) {
        loaded l = load_corpus("sk1.9.1", "hgb_clf_cat");
        mc_tensor *t = tensor_of(l.m, cases[c].tensor);
        switch (t->elem) {
        case MC_ELEM_I64: t->data.i64[cases[c].at] = cases[c].value; break;
        case MC_ELEM_U32: t->data.u32[cases[c].at] = (uint32_t)cases[c].value; break;
        default: fail_msg("unexpected tensor type");
        }
        mc_predictor *p;
        mc_error err;
        if (mc_predictor_new(l.m, &p, &err) != MC_E_INPUT)
            fail_msg("%s[%llu] = %lld was accepted", cases[c].tensor,
                     (unsigned long long)cases[c].at, (long long)cases[c].value);
        unload(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories_1_2_2),
        cmocka_unit_test(test_categories_1_9_1),
        cmocka_unit_test(test_infinite_category_refused),
        cmocka_unit_test(test_reordered_categories),
        cmocka_unit_test(test_fractional_categories_1_2_2),
        cmocka_unit_test(test_negative_category_refused_1_2_2),
        cmocka_unit_test(test_numpy_1_exp),
        cmocka_unit_test(test_numpy_2_exp),
        cmocka_unit_test(test_nine_classes_1_2_2),
        cmocka_unit_test(test_nine_classes_1_9_1),
        cmocka_unit_test(test_single_rows_match_batches),
        cmocka_unit_test(test_corrupt_trees_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* ---- the generator ------------------------------------------------------------------------
 *
 * Run both scripts with each venv: the first writes the arrays built on the
 * corpus models, the second the embedded models and their outputs (the
 * arrays were then wrapped to 100 columns).
 *
 * """Expected outputs for tests/unit/test_hist_boosting.c (run once with each venv)."""
 * import pickle, warnings, numpy as np
 * warnings.simplefilter("ignore")
 * import sklearn
 * ver = sklearn.__version__
 * tag = "sk" + ver
 * corpus = "/work/main/samples/corpus/" + tag
 * out = []
 * def hexes(a):
 *     a = np.asarray(a, dtype=np.float64).ravel()
 *     return ", ".join("0x%016xu" % v for v in a.view(np.uint64))
 * def emit(name, arr):
 *     out.append("static const uint64_t %s[] = {%s};" % (name, hexes(arr)))
 *
 * short = tag.replace(".", "_").replace("sk", "v")
 * # --- categorical edge values on the corpus model hgb_clf_cat (features 0, 1 categorical)
 * m = pickle.load(open(corpus + "/hgb_clf_cat/model.p4.pkl", "rb"))
 * X0 = np.load(corpus + "/hgb_clf_cat/X.npy")[0]
 * v0 = [0, 1, 2, 3, 4, 5, 1.5, 3.999, -0.5, -0.0, -1, 256, 257, 300, 2**31 - 1, 2**31, 2**31 + 3, 1e20, np.nan]
 * v1 = [0, 1, 2, 3, 2.7, -3, 258, np.nan]
 * rows = []
 * for a in v0:
 *     r = X0.copy(); r[0] = a; r[1] = 1; rows.append(r)
 * for b in v1:
 *     r = X0.copy(); r[0] = 2; r[1] = b; rows.append(r)
 * Xc = np.array(rows)
 * if ver.startswith("1.2"):
 *     # 1.2.2 validates with force_all_finite=False: infinities are categories too
 *     extra = X0.copy(); extra[0] = np.inf; extra2 = X0.copy(); extra2[1] = -np.inf
 *     Xc = np.vstack([Xc, extra, extra2])
 * emit(short + "_cat_values0", v0); emit(short + "_cat_values1", v1)
 * emit(short + "_cat_row", X0)
 * emit(short + "_cat_decision", m.decision_function(Xc))
 * emit(short + "_cat_proba", m.predict_proba(Xc))
 * out.append("static const int64_t %s_cat_predict[] = {%s};" % (short, ", ".join(str(int(v)) for v in m.predict(Xc))))
 * # --- numpy's exp through the poisson model: tree 0's leaves carry x, the other trees 0
 * m = pickle.load(open(corpus + "/hgb_reg_poisson/model.p4.pkl", "rb"))
 * rng = np.random.default_rng(3)
 * xs = np.concatenate([rng.normal(0, 2, 120), rng.uniform(-30, 30, 40), [1e-17, -1e-17, 3e-300, 0.5, -0.5],
 *                      rng.uniform(707.6, 709.9, 12), rng.uniform(-745.3, -707.6, 24), [-707.7032713517042, 707.7032713517042, -800.0, 710.0]])
 * row = np.load(corpus + "/hgb_reg_poisson/X.npy")[:1]
 * for it in m._predictors:
 *     for p in it:
 *         p.nodes["value"][p.nodes["is_leaf"] == 1] = 0.0
 * leaves = m._predictors[0][0].nodes["is_leaf"] == 1
 * got = []
 * for x in xs:
 *     m._predictors[0][0].nodes["value"][leaves] = x
 *     got.append(m.predict(row)[0])
 * emit(short + "_exp_leaf", xs)
 * emit(short + "_exp_predict", got)
 * print("\n".join(out))
 *
 * """Small models embedded in tests/unit/test_hist_boosting.c, with scikit-learn's outputs."""
 * import pickle, warnings, numpy as np
 * warnings.simplefilter("ignore")
 * import sklearn
 * from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
 * short = "v" + sklearn.__version__.replace(".", "_")
 * out = []
 * def hexes(a):
 *     a = np.asarray(a, dtype=np.float64).ravel()
 *     return ", ".join("0x%016xu" % v for v in a.view(np.uint64))
 * def emit(name, arr):
 *     out.append("static const uint64_t %s[] = {%s};" % (name, hexes(arr)))
 * def c_model(name, model):
 *     """The model as joblib.dump(compress=('zlib', 9)) bytes, base64 in a C string."""
 *     import base64, io, joblib
 *     bio = io.BytesIO()
 *     joblib.dump(model, bio, compress=("zlib", 9))
 *     text = base64.b64encode(bio.getvalue()).decode()
 *     lines = ['"%s"' % text[i:i + 92] for i in range(0, len(text), 92)]
 *     out.append("static const char %s[] =\n    %s;" % (name, "\n    ".join(lines)))
 * rng = np.random.default_rng(7)
 * if not sklearn.__version__.startswith("1.2"):
 *     # categorical columns 1 and 3 (not leading): the ColumnTransformer moves them first
 *     X = rng.normal(size=(300, 5))
 *     X[:, 1] = rng.integers(0, 4, 300)
 *     X[:, 3] = rng.choice([2.0, 7.0, 11.0, 40.0], 300)
 *     X[rng.random(300) < 0.1, 3] = np.nan
 *     y = X[:, 0] + 2 * (X[:, 1] == 2) - 3 * (X[:, 3] == 11) + 0.5 * X[:, 4]
 *     reg = HistGradientBoostingRegressor(categorical_features=[1, 3], max_iter=3, max_leaf_nodes=4,
 *                                         max_bins=8, random_state=0).fit(X, y)
 *     c_model(short + "_reorder_model", reg)
 *     R = [X[i].copy() for i in range(4)]
 *     for col, v in ((1, 5.0), (1, -1.0), (1, 2.5), (1, np.nan), (3, np.nan), (3, 3.0), (3, 40.0), (3, -0.0),
 *                    (0, np.inf), (0, np.nan), (4, -np.inf)):
 *         r = X[4].copy(); r[col] = v; R.append(r)
 *     R = np.array(R)
 *     emit(short + "_reorder_X", R)
 *     emit(short + "_reorder_predict", reg.predict(R))
 *     out.append("enum { %s_reorder_rows = %d };" % (short, len(R)))
 * # nine classes: softmax sums one row pairwise, several rows left to right
 * Xc = rng.normal(size=(400, 3))
 * yc = np.floor((Xc[:, 0] + 3) * 1.5).clip(0, 8).astype(int)
 * clf = HistGradientBoostingClassifier(max_iter=2, max_leaf_nodes=3, max_bins=4, random_state=0).fit(Xc, yc)
 * c_model(short + "_nine_model", clf)
 * # rows whose raw predictions spread: single-row and batched sums differ for some
 * R = Xc[:6]
 * emit(short + "_nine_X", R)
 * emit(short + "_nine_proba", clf.predict_proba(R))
 * emit(short + "_nine_proba1", np.vstack([clf.predict_proba(R[i:i + 1]) for i in range(len(R))]))
 * emit(short + "_nine_decision", clf.decision_function(R))
 * out.append("static const int64_t %s_nine_predict[] = {%s};" % (short, ", ".join(str(int(v)) for v in clf.predict(R))))
 * out.append("static const int64_t %s_nine_predict1[] = {%s};" % (short, ", ".join(str(int(clf.predict(R[i:i+1])[0])) for i in range(len(R)))))
 * out.append("enum { %s_nine_rows = %d };" % (short, len(R)))
 * if sklearn.__version__.startswith("1.2"):
 *     # up to 1.3 categories are raw values: fit accepts fractions (their bit is
 *     # int(value)) and negatives (then every predict raises OverflowError)
 *     for name, cats in (("frac", [0, 1.5, 3, 2.25]), ("neg", [0, 1, -1])):
 *         X = rng.normal(size=(300, 2))
 *         X[:, 0] = rng.choice(cats, 300)
 *         y = (X[:, 0] == 1.5) * 3 + (X[:, 0] == 3) + X[:, 1]
 *         reg = HistGradientBoostingRegressor(categorical_features=[0], max_iter=3, max_bins=8,
 *                                             random_state=0).fit(X, y)
 *         c_model(short + "_" + name + "_model", reg)
 *         if name == "frac":
 *             R = np.array([[v, 0.3] for v in [0, 1, 1.5, 1.99, 2, 2.25, 2.5, 3, 3.7, -0.5, 4, np.nan, 300]])
 *             emit(short + "_frac_X", R)
 *             emit(short + "_frac_predict", reg.predict(R))
 *             out.append("enum { %s_frac_rows = %d };" % (short, len(R)))
 * print("\n".join(out))
 */
