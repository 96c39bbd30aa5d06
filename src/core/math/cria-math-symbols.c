/* cria-math-symbols.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The commands the parser knows: symbols with their Unicode character and
 * TeX class, and the commands that take arguments. The tables are written
 * in any order and sorted once, on first use, for a binary search.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cria-math-private.h"

#define S(n, c, a) { n, CRIA_MATH_CMD_SYMBOL, c, CRIA_MATH_ATOM_##a, 0, 0 }
#define OPS(n, c) { n, CRIA_MATH_CMD_SYMBOL, c, CRIA_MATH_ATOM_OP, CRIA_MATH_FLAG_BIG_OP | CRIA_MATH_FLAG_DISPLAY_LIM, 0 }
#define INT(n, c) { n, CRIA_MATH_CMD_SYMBOL, c, CRIA_MATH_ATOM_OP, CRIA_MATH_FLAG_BIG_OP, 0 }
#define NAME(n, lim) { n, CRIA_MATH_CMD_OPNAME, 0, CRIA_MATH_ATOM_OP, (lim) ? CRIA_MATH_FLAG_DISPLAY_LIM : 0, 0 }
#define C(n, k, a) { n, CRIA_MATH_CMD_##k, 0, 0, 0, a }
#define CF(n, k, c, f) { n, CRIA_MATH_CMD_##k, c, 0, f, 0 }
#define SP(n, mu) { n, CRIA_MATH_CMD_SPACE, 0, 0, 0, mu }
#define BIG(n, s, a) { n, CRIA_MATH_CMD_BIG, 0, CRIA_MATH_ATOM_##a, 0, s }

static CriaMathCommand commands[] = {
  /* Greek: lowercase is set italic, capitals upright, as TeX does. */
  S ("alpha", 0x3B1, ORD), S ("beta", 0x3B2, ORD), S ("gamma", 0x3B3, ORD), S ("delta", 0x3B4, ORD),
  S ("epsilon", 0x3F5, ORD), S ("varepsilon", 0x3B5, ORD), S ("zeta", 0x3B6, ORD), S ("eta", 0x3B7, ORD),
  S ("theta", 0x3B8, ORD), S ("vartheta", 0x3D1, ORD), S ("iota", 0x3B9, ORD), S ("kappa", 0x3BA, ORD),
  S ("varkappa", 0x3F0, ORD), S ("lambda", 0x3BB, ORD), S ("mu", 0x3BC, ORD), S ("nu", 0x3BD, ORD),
  S ("xi", 0x3BE, ORD), S ("omicron", 0x3BF, ORD), S ("pi", 0x3C0, ORD), S ("varpi", 0x3D6, ORD),
  S ("rho", 0x3C1, ORD), S ("varrho", 0x3F1, ORD), S ("sigma", 0x3C3, ORD), S ("varsigma", 0x3C2, ORD),
  S ("tau", 0x3C4, ORD), S ("upsilon", 0x3C5, ORD), S ("phi", 0x3D5, ORD), S ("varphi", 0x3C6, ORD),
  S ("chi", 0x3C7, ORD), S ("psi", 0x3C8, ORD), S ("omega", 0x3C9, ORD), S ("digamma", 0x3DD, ORD),
  S ("Gamma", 0x393, ORD), S ("Delta", 0x394, ORD), S ("Theta", 0x398, ORD), S ("Lambda", 0x39B, ORD),
  S ("Xi", 0x39E, ORD), S ("Pi", 0x3A0, ORD), S ("Sigma", 0x3A3, ORD), S ("Upsilon", 0x3A5, ORD),
  S ("Phi", 0x3A6, ORD), S ("Psi", 0x3A8, ORD), S ("Omega", 0x3A9, ORD),
  S ("varGamma", 0x1D6E4, ORD), S ("varDelta", 0x1D6E5, ORD), S ("varTheta", 0x1D6E9, ORD),
  S ("varLambda", 0x1D6EC, ORD), S ("varXi", 0x1D6EF, ORD), S ("varPi", 0x1D6F1, ORD),
  S ("varSigma", 0x1D6F4, ORD), S ("varUpsilon", 0x1D6F6, ORD), S ("varPhi", 0x1D6F7, ORD),
  S ("varPsi", 0x1D6F9, ORD), S ("varOmega", 0x1D6FA, ORD),
  /* Letter-like and miscellaneous ordinary symbols. */
  S ("infty", 0x221E, ORD), S ("partial", 0x2202, ORD), S ("nabla", 0x2207, ORD), S ("hbar", 0x210F, ORD),
  S ("hslash", 0x210F, ORD), S ("ell", 0x2113, ORD), S ("wp", 0x2118, ORD), S ("Re", 0x211C, ORD),
  S ("Im", 0x2111, ORD), S ("aleph", 0x2135, ORD), S ("beth", 0x2136, ORD), S ("gimel", 0x2137, ORD),
  S ("emptyset", 0x2205, ORD), S ("varnothing", 0x2205, ORD), S ("forall", 0x2200, ORD),
  S ("exists", 0x2203, ORD), S ("nexists", 0x2204, ORD), S ("neg", 0xAC, ORD), S ("lnot", 0xAC, ORD),
  S ("top", 0x22A4, ORD), S ("bot", 0x22A5, ORD), S ("angle", 0x2220, ORD), S ("measuredangle", 0x2221, ORD),
  S ("triangle", 0x25B3, ORD), S ("square", 0x25A1, ORD), S ("Box", 0x25A1, ORD), S ("blacksquare", 0x25A0, ORD),
  S ("prime", 0x2032, ORD), S ("backprime", 0x2035, ORD), S ("degree", 0xB0, ORD), S ("circ", 0x2218, BIN),
  S ("ldots", 0x2026, INNER), S ("dots", 0x2026, INNER), S ("dotsc", 0x2026, INNER), S ("dotso", 0x2026, INNER),
  S ("cdots", 0x22EF, INNER), S ("dotsb", 0x22EF, INNER), S ("dotsm", 0x22EF, INNER), S ("dotsi", 0x22EF, INNER),
  S ("vdots", 0x22EE, ORD), S ("ddots", 0x22F1, INNER), S ("iddots", 0x22F0, INNER),
  S ("clubsuit", 0x2663, ORD), S ("diamondsuit", 0x2662, ORD), S ("heartsuit", 0x2661, ORD),
  S ("spadesuit", 0x2660, ORD), S ("flat", 0x266D, ORD), S ("natural", 0x266E, ORD), S ("sharp", 0x266F, ORD),
  S ("checkmark", 0x2713, ORD), S ("dagger", 0x2020, BIN), S ("ddagger", 0x2021, BIN), S ("S", 0xA7, ORD),
  S ("P", 0xB6, ORD), S ("copyright", 0xA9, ORD), S ("pounds", 0xA3, ORD), S ("euro", 0x20AC, ORD),
  S ("imath", 0x1D6A4, ORD), S ("jmath", 0x1D6A5, ORD), S ("mho", 0x2127, ORD), S ("Finv", 0x2132, ORD),
  S ("complement", 0x2201, ORD), S ("surd", 0x221A, ORD), S ("diagup", 0x2571, ORD), S ("diagdown", 0x2572, ORD),
  S ("eth", 0xF0, ORD), S ("star", 0x22C6, BIN), S ("bigstar", 0x2605, ORD), S ("lozenge", 0x25CA, ORD),
  S ("%", '%', ORD), S ("$", '$', ORD), S ("#", '#', ORD), S ("&", '&', ORD), S ("_", '_', ORD),
  S ("{", '{', OPEN), S ("}", '}', CLOSE), S ("lbrace", '{', OPEN), S ("rbrace", '}', CLOSE),
  S ("|", 0x2016, ORD), S ("Vert", 0x2016, ORD), S ("vert", '|', ORD), S ("backslash", '\\', ORD),
  S ("lvert", '|', OPEN), S ("rvert", '|', CLOSE), S ("lVert", 0x2016, OPEN), S ("rVert", 0x2016, CLOSE),
  S ("langle", 0x27E8, OPEN), S ("rangle", 0x27E9, CLOSE), S ("lfloor", 0x230A, OPEN), S ("rfloor", 0x230B, CLOSE),
  S ("lceil", 0x2308, OPEN), S ("rceil", 0x2309, CLOSE), S ("lbrack", '[', OPEN), S ("rbrack", ']', CLOSE),
  S ("llbracket", 0x27E6, OPEN), S ("rrbracket", 0x27E7, CLOSE), S ("lgroup", 0x27EE, OPEN), S ("rgroup", 0x27EF, CLOSE),
  S ("ulcorner", 0x231C, OPEN), S ("urcorner", 0x231D, CLOSE), S ("llcorner", 0x231E, OPEN), S ("lrcorner", 0x231F, CLOSE),
  S ("colon", ':', PUNCT), S ("ldotp", '.', PUNCT), S ("cdotp", 0xB7, PUNCT),
  /* Binary operators. */
  S ("pm", 0xB1, BIN), S ("mp", 0x2213, BIN), S ("times", 0xD7, BIN), S ("div", 0xF7, BIN),
  S ("cdot", 0x22C5, BIN), S ("ast", 0x2217, BIN), S ("bullet", 0x2219, BIN), S ("setminus", 0x2216, BIN),
  S ("smallsetminus", 0x2216, BIN), S ("cap", 0x2229, BIN), S ("cup", 0x222A, BIN), S ("sqcap", 0x2293, BIN),
  S ("sqcup", 0x2294, BIN), S ("uplus", 0x228E, BIN), S ("wedge", 0x2227, BIN), S ("land", 0x2227, BIN),
  S ("vee", 0x2228, BIN), S ("lor", 0x2228, BIN), S ("oplus", 0x2295, BIN), S ("ominus", 0x2296, BIN),
  S ("otimes", 0x2297, BIN), S ("oslash", 0x2298, BIN), S ("odot", 0x2299, BIN), S ("circledast", 0x229B, BIN),
  S ("circledcirc", 0x229A, BIN), S ("boxplus", 0x229E, BIN), S ("boxminus", 0x229F, BIN),
  S ("boxtimes", 0x22A0, BIN), S ("boxdot", 0x22A1, BIN), S ("diamond", 0x22C4, BIN), S ("bigcirc", 0x25EF, BIN),
  S ("triangleleft", 0x25C1, BIN), S ("triangleright", 0x25B7, BIN), S ("bigtriangleup", 0x25B3, BIN),
  S ("bigtriangledown", 0x25BD, BIN), S ("wr", 0x2240, BIN), S ("amalg", 0x2A3F, BIN), S ("ltimes", 0x22C9, BIN),
  S ("rtimes", 0x22CA, BIN), S ("intercal", 0x22BA, BIN), S ("dotplus", 0x2214, BIN), S ("centerdot", 0x22C5, BIN),
  S ("curlywedge", 0x22CF, BIN), S ("curlyvee", 0x22CE, BIN), S ("barwedge", 0x22BC, BIN), S ("divideontimes", 0x22C7, BIN),
  S ("Cap", 0x22D2, BIN), S ("Cup", 0x22D3, BIN), S ("lhd", 0x22B2, BIN), S ("rhd", 0x22B3, BIN),
  S ("unlhd", 0x22B4, BIN), S ("unrhd", 0x22B5, BIN),
  /* Relations. */
  S ("leq", 0x2264, REL), S ("le", 0x2264, REL), S ("geq", 0x2265, REL), S ("ge", 0x2265, REL),
  S ("leqslant", 0x2A7D, REL), S ("geqslant", 0x2A7E, REL), S ("neq", 0x2260, REL), S ("ne", 0x2260, REL),
  S ("equiv", 0x2261, REL), S ("approx", 0x2248, REL), S ("approxeq", 0x224A, REL), S ("sim", 0x223C, REL),
  S ("simeq", 0x2243, REL), S ("cong", 0x2245, REL), S ("propto", 0x221D, REL), S ("varpropto", 0x221D, REL),
  S ("ll", 0x226A, REL), S ("gg", 0x226B, REL), S ("lll", 0x22D8, REL), S ("ggg", 0x22D9, REL),
  S ("prec", 0x227A, REL), S ("succ", 0x227B, REL), S ("preceq", 0x2AAF, REL), S ("succeq", 0x2AB0, REL),
  S ("preccurlyeq", 0x227C, REL), S ("succcurlyeq", 0x227D, REL), S ("lesssim", 0x2272, REL), S ("gtrsim", 0x2273, REL),
  S ("lessapprox", 0x2A85, REL), S ("gtrapprox", 0x2A86, REL), S ("lessgtr", 0x2276, REL), S ("gtrless", 0x2277, REL),
  S ("subset", 0x2282, REL), S ("supset", 0x2283, REL), S ("subseteq", 0x2286, REL), S ("supseteq", 0x2287, REL),
  S ("subsetneq", 0x228A, REL), S ("supsetneq", 0x228B, REL), S ("sqsubset", 0x228F, REL), S ("sqsupset", 0x2290, REL),
  S ("sqsubseteq", 0x2291, REL), S ("sqsupseteq", 0x2292, REL), S ("Subset", 0x22D0, REL), S ("Supset", 0x22D1, REL),
  S ("subseteqq", 0x2AC5, REL), S ("supseteqq", 0x2AC6, REL),
  S ("in", 0x2208, REL), S ("ni", 0x220B, REL), S ("owns", 0x220B, REL), S ("notin", 0x2209, REL),
  S ("mid", 0x2223, REL), S ("nmid", 0x2224, REL), S ("parallel", 0x2225, REL), S ("nparallel", 0x2226, REL),
  S ("perp", 0x27C2, REL), S ("vdash", 0x22A2, REL), S ("dashv", 0x22A3, REL), S ("models", 0x22A7, REL),
  S ("vDash", 0x22A8, REL), S ("Vdash", 0x22A9, REL), S ("nvdash", 0x22AC, REL), S ("nvDash", 0x22AD, REL),
  S ("asymp", 0x224D, REL), S ("doteq", 0x2250, REL), S ("doteqdot", 0x2251, REL), S ("Doteq", 0x2251, REL),
  S ("triangleq", 0x225C, REL), S ("bowtie", 0x22C8, REL), S ("Join", 0x22C8, REL), S ("smile", 0x2323, REL),
  S ("frown", 0x2322, REL), S ("coloneqq", 0x2254, REL), S ("eqqcolon", 0x2255, REL), S ("coloneq", 0x2254, REL),
  S ("Coloneqq", 0x2A74, REL), S ("vcentcolon", 0x2236, REL), S ("ratio", 0x2236, REL), S ("eqcirc", 0x2256, REL),
  S ("circeq", 0x2257, REL), S ("risingdotseq", 0x2253, REL), S ("fallingdotseq", 0x2252, REL),
  S ("backsim", 0x223D, REL), S ("thicksim", 0x223C, REL), S ("thickapprox", 0x2248, REL), S ("bumpeq", 0x224F, REL),
  S ("Bumpeq", 0x224E, REL), S ("between", 0x226C, REL), S ("pitchfork", 0x22D4, REL), S ("therefore", 0x2234, REL),
  S ("because", 0x2235, REL), S ("vartriangleleft", 0x22B2, REL),
  S ("vartriangleright", 0x22B3, REL), S ("trianglelefteq", 0x22B4, REL), S ("trianglerighteq", 0x22B5, REL),
  S ("nless", 0x226E, REL), S ("ngtr", 0x226F, REL), S ("nleq", 0x2270, REL), S ("ngeq", 0x2271, REL),
  S ("nleqslant", 0x2270, REL), S ("ngeqslant", 0x2271, REL), S ("lneq", 0x2A87, REL), S ("gneq", 0x2A88, REL),
  S ("lneqq", 0x2268, REL), S ("gneqq", 0x2269, REL), S ("nsim", 0x2241, REL), S ("ncong", 0x2247, REL),
  S ("napprox", 0x2249, REL), S ("nequiv", 0x2262, REL), S ("nsubseteq", 0x2288, REL), S ("nsupseteq", 0x2289, REL),
  S ("nsubset", 0x2284, REL), S ("nsupset", 0x2285, REL), S ("nprec", 0x2280, REL), S ("nsucc", 0x2281, REL),
  S ("leqq", 0x2266, REL), S ("geqq", 0x2267, REL), S ("lesseqgtr", 0x22DA, REL), S ("gtreqless", 0x22DB, REL),
  S ("eqsim", 0x2242, REL), S ("shortmid", 0x2223, REL), S ("shortparallel", 0x2225, REL), S ("multimap", 0x22B8, REL),
  S ("Vvdash", 0x22AA, REL), S ("precsim", 0x227E, REL), S ("succsim", 0x227F, REL),
  /* Arrows: relations. */
  S ("to", 0x2192, REL), S ("rightarrow", 0x2192, REL), S ("leftarrow", 0x2190, REL), S ("gets", 0x2190, REL),
  S ("leftrightarrow", 0x2194, REL), S ("Rightarrow", 0x21D2, REL), S ("Leftarrow", 0x21D0, REL),
  S ("Leftrightarrow", 0x21D4, REL), S ("uparrow", 0x2191, REL), S ("downarrow", 0x2193, REL),
  S ("updownarrow", 0x2195, REL), S ("Uparrow", 0x21D1, REL), S ("Downarrow", 0x21D3, REL),
  S ("Updownarrow", 0x21D5, REL), S ("mapsto", 0x21A6, REL), S ("longmapsto", 0x27FC, REL),
  S ("longrightarrow", 0x27F6, REL), S ("longleftarrow", 0x27F5, REL), S ("longleftrightarrow", 0x27F7, REL),
  S ("Longrightarrow", 0x27F9, REL), S ("Longleftarrow", 0x27F8, REL), S ("Longleftrightarrow", 0x27FA, REL),
  S ("implies", 0x27F9, REL), S ("impliedby", 0x27F8, REL), S ("iff", 0x27FA, REL),
  S ("hookrightarrow", 0x21AA, REL), S ("hookleftarrow", 0x21A9, REL), S ("nearrow", 0x2197, REL),
  S ("searrow", 0x2198, REL), S ("swarrow", 0x2199, REL), S ("nwarrow", 0x2196, REL),
  S ("rightharpoonup", 0x21C0, REL), S ("rightharpoondown", 0x21C1, REL), S ("leftharpoonup", 0x21BC, REL),
  S ("leftharpoondown", 0x21BD, REL), S ("rightleftharpoons", 0x21CC, REL), S ("leftrightharpoons", 0x21CB, REL),
  S ("rightleftarrows", 0x21C4, REL), S ("leftrightarrows", 0x21C6, REL), S ("rightrightarrows", 0x21C9, REL),
  S ("leftleftarrows", 0x21C7, REL), S ("twoheadrightarrow", 0x21A0, REL), S ("twoheadleftarrow", 0x219E, REL),
  S ("rightsquigarrow", 0x21DD, REL), S ("leadsto", 0x21DD, REL), S ("leftrightsquigarrow", 0x21AD, REL),
  S ("curvearrowright", 0x21B7, REL), S ("curvearrowleft", 0x21B6, REL), S ("circlearrowright", 0x21BB, REL),
  S ("circlearrowleft", 0x21BA, REL), S ("upharpoonright", 0x21BE, REL), S ("downharpoonright", 0x21C2, REL),
  S ("nrightarrow", 0x219B, REL), S ("nleftarrow", 0x219A, REL), S ("nRightarrow", 0x21CF, REL),
  S ("nLeftarrow", 0x21CD, REL), S ("nLeftrightarrow", 0x21CE, REL), S ("nleftrightarrow", 0x21AE, REL),
  S ("Rrightarrow", 0x21DB, REL), S ("Lleftarrow", 0x21DA, REL), S ("rightarrowtail", 0x21A3, REL),
  S ("leftarrowtail", 0x21A2, REL), S ("looparrowright", 0x21AC, REL), S ("looparrowleft", 0x21AB, REL),
  S ("restriction", 0x21BE, REL),
  /* Large operators: \sum-like ones take their limits above and below in display style. */
  OPS ("sum", 0x2211), OPS ("prod", 0x220F), OPS ("coprod", 0x2210), OPS ("bigcup", 0x22C3),
  OPS ("bigcap", 0x22C2), OPS ("bigvee", 0x22C1), OPS ("bigwedge", 0x22C0), OPS ("bigoplus", 0x2A01),
  OPS ("bigotimes", 0x2A02), OPS ("bigodot", 0x2A00), OPS ("biguplus", 0x2A04), OPS ("bigsqcup", 0x2A06),
  OPS ("bigsqcap", 0x2A05),
  INT ("int", 0x222B), INT ("iint", 0x222C), INT ("iiint", 0x222D), INT ("iiiint", 0x2A0C), INT ("oint", 0x222E),
  INT ("oiint", 0x222F), INT ("oiiint", 0x2230), INT ("intop", 0x222B), INT ("smallint", 0x222B),
  INT ("varointclockwise", 0x2232), INT ("ointctrclockwise", 0x2233),
  /* Named operators, upright; the lim-like take limits below in display style. */
  NAME ("lim", TRUE), NAME ("limsup", TRUE), NAME ("liminf", TRUE), NAME ("max", TRUE), NAME ("min", TRUE),
  NAME ("sup", TRUE), NAME ("inf", TRUE), NAME ("det", TRUE), NAME ("gcd", TRUE), NAME ("Pr", TRUE),
  NAME ("argmax", TRUE), NAME ("argmin", TRUE), NAME ("injlim", TRUE), NAME ("projlim", TRUE),
  NAME ("sin", FALSE), NAME ("cos", FALSE), NAME ("tan", FALSE), NAME ("cot", FALSE), NAME ("sec", FALSE),
  NAME ("csc", FALSE), NAME ("arcsin", FALSE), NAME ("arccos", FALSE), NAME ("arctan", FALSE),
  NAME ("sinh", FALSE), NAME ("cosh", FALSE), NAME ("tanh", FALSE), NAME ("coth", FALSE), NAME ("sech", FALSE),
  NAME ("csch", FALSE), NAME ("log", FALSE), NAME ("ln", FALSE), NAME ("lg", FALSE), NAME ("exp", FALSE),
  NAME ("arg", FALSE), NAME ("deg", FALSE), NAME ("dim", FALSE), NAME ("hom", FALSE), NAME ("ker", FALSE),
  NAME ("Tr", FALSE), NAME ("tr", FALSE), NAME ("rank", FALSE), NAME ("sgn", FALSE), NAME ("arccot", FALSE),
  NAME ("Var", FALSE), NAME ("Cov", FALSE), NAME ("lcm", FALSE), NAME ("diag", FALSE), NAME ("span", FALSE),
  NAME ("erf", FALSE), NAME ("id", FALSE), NAME ("im", FALSE), NAME ("Re", FALSE), NAME ("arcsec", FALSE),
  /* Commands with arguments. */
  C ("frac", FRAC, 0), C ("dfrac", FRAC, 1), C ("tfrac", FRAC, 2), C ("cfrac", FRAC, 3), C ("binom", FRAC, 4),
  C ("dbinom", FRAC, 5), C ("tbinom", FRAC, 6), C ("sqrt", SQRT, 0),
  C ("left", LEFT, 0), C ("middle", MIDDLE, 0), C ("right", RIGHT, 0),
  BIG ("big", 1, ORD), BIG ("Big", 2, ORD), BIG ("bigg", 3, ORD), BIG ("Bigg", 4, ORD),
  BIG ("bigl", 1, OPEN), BIG ("Bigl", 2, OPEN), BIG ("biggl", 3, OPEN), BIG ("Biggl", 4, OPEN),
  BIG ("bigr", 1, CLOSE), BIG ("Bigr", 2, CLOSE), BIG ("biggr", 3, CLOSE), BIG ("Biggr", 4, CLOSE),
  BIG ("bigm", 1, REL), BIG ("Bigm", 2, REL), BIG ("biggm", 3, REL), BIG ("Biggm", 4, REL),
  C ("begin", BEGIN, 0), C ("end", END, 0),
  C ("text", TEXT, CRIA_MATH_VARIANT_ROMAN), C ("textrm", TEXT, CRIA_MATH_VARIANT_ROMAN),
  C ("textnormal", TEXT, CRIA_MATH_VARIANT_ROMAN), C ("textup", TEXT, CRIA_MATH_VARIANT_ROMAN),
  C ("mbox", TEXT, CRIA_MATH_VARIANT_ROMAN), C ("hbox", TEXT, CRIA_MATH_VARIANT_ROMAN),
  C ("textbf", TEXT, CRIA_MATH_VARIANT_BOLD), C ("textit", TEXT, CRIA_MATH_VARIANT_ITALIC),
  C ("emph", TEXT, CRIA_MATH_VARIANT_ITALIC), C ("textsf", TEXT, CRIA_MATH_VARIANT_SANS),
  C ("texttt", TEXT, CRIA_MATH_VARIANT_MONO),
  C ("mathrm", FONT, CRIA_MATH_VARIANT_ROMAN), C ("mathup", FONT, CRIA_MATH_VARIANT_ROMAN),
  C ("mathbf", FONT, CRIA_MATH_VARIANT_BOLD), C ("mathit", FONT, CRIA_MATH_VARIANT_ITALIC),
  C ("mathnormal", FONT, CRIA_MATH_VARIANT_NORMAL), C ("boldsymbol", FONT, CRIA_MATH_VARIANT_BOLD_ITALIC),
  C ("bm", FONT, CRIA_MATH_VARIANT_BOLD_ITALIC), C ("pmb", FONT, CRIA_MATH_VARIANT_BOLD_ITALIC),
  C ("mathbb", FONT, CRIA_MATH_VARIANT_DOUBLE_STRUCK), C ("Bbb", FONT, CRIA_MATH_VARIANT_DOUBLE_STRUCK),
  C ("mathcal", FONT, CRIA_MATH_VARIANT_SCRIPT), C ("mathscr", FONT, CRIA_MATH_VARIANT_SCRIPT),
  C ("mathfrak", FONT, CRIA_MATH_VARIANT_FRAKTUR), C ("mathsf", FONT, CRIA_MATH_VARIANT_SANS),
  C ("mathtt", FONT, CRIA_MATH_VARIANT_MONO), C ("mathbfsf", FONT, CRIA_MATH_VARIANT_SANS_BOLD),
  C ("rm", FONT_SWITCH, CRIA_MATH_VARIANT_ROMAN), C ("bf", FONT_SWITCH, CRIA_MATH_VARIANT_BOLD),
  C ("it", FONT_SWITCH, CRIA_MATH_VARIANT_ITALIC), C ("cal", FONT_SWITCH, CRIA_MATH_VARIANT_SCRIPT),
  C ("sf", FONT_SWITCH, CRIA_MATH_VARIANT_SANS), C ("tt", FONT_SWITCH, CRIA_MATH_VARIANT_MONO),
  C ("operatorname", OPERATORNAME, 0), C ("operatorname*", OPERATORNAME, 1), C ("DeclareMathOperator", OPERATORNAME, 0),
  CF ("hat", ACCENT, 0x302, 0), CF ("widehat", ACCENT, 0x302, CRIA_MATH_FLAG_STRETCH),
  CF ("check", ACCENT, 0x30C, 0), CF ("widecheck", ACCENT, 0x30C, CRIA_MATH_FLAG_STRETCH),
  CF ("tilde", ACCENT, 0x303, 0), CF ("widetilde", ACCENT, 0x303, CRIA_MATH_FLAG_STRETCH),
  CF ("bar", ACCENT, 0x304, 0), CF ("vec", ACCENT, 0x20D7, 0), CF ("dot", ACCENT, 0x307, 0),
  CF ("ddot", ACCENT, 0x308, 0), CF ("dddot", ACCENT, 0x20DB, 0), CF ("acute", ACCENT, 0x301, 0),
  CF ("grave", ACCENT, 0x300, 0), CF ("breve", ACCENT, 0x306, 0), CF ("mathring", ACCENT, 0x30A, 0),
  CF ("overrightarrow", ACCENT, 0x2192, CRIA_MATH_FLAG_STRETCH), CF ("overleftarrow", ACCENT, 0x2190, CRIA_MATH_FLAG_STRETCH),
  CF ("overleftrightarrow", ACCENT, 0x2194, CRIA_MATH_FLAG_STRETCH),
  CF ("underrightarrow", BRACE, 0x2192, CRIA_MATH_FLAG_UNDER), CF ("underleftarrow", BRACE, 0x2190, CRIA_MATH_FLAG_UNDER),
  C ("overline", OVERLINE, 0), C ("underline", UNDERLINE, 0),
  CF ("overbrace", BRACE, 0x23DE, 0), CF ("underbrace", BRACE, 0x23DF, CRIA_MATH_FLAG_UNDER),
  CF ("overbracket", BRACE, 0x23B4, 0), CF ("underbracket", BRACE, 0x23B5, CRIA_MATH_FLAG_UNDER),
  CF ("overparen", BRACE, 0x23DC, 0), CF ("underparen", BRACE, 0x23DD, CRIA_MATH_FLAG_UNDER),
  C ("overset", STACK, 0), C ("underset", STACK, 1), C ("stackrel", STACK, 2),
  CF ("xrightarrow", XARROW, 0x2192, 0), CF ("xleftarrow", XARROW, 0x2190, 0),
  CF ("xRightarrow", XARROW, 0x21D2, 0), CF ("xLeftarrow", XARROW, 0x21D0, 0),
  CF ("xleftrightarrow", XARROW, 0x2194, 0), CF ("xLeftrightarrow", XARROW, 0x21D4, 0),
  CF ("xmapsto", XARROW, 0x21A6, 0), CF ("xrightleftharpoons", XARROW, 0x21CC, 0),
  CF ("xhookrightarrow", XARROW, 0x21AA, 0), CF ("xlongequal", XARROW, '=', 0),
  C ("boxed", BOXED, 0), C ("fbox", BOXED, 0),
  SP (",", 3), SP ("thinspace", 3), SP (":", 4), SP (">", 4), SP ("medspace", 4), SP (";", 5),
  SP ("thickspace", 5), SP ("!", -3), SP ("negthinspace", -3), SP ("negmedspace", -4), SP ("negthickspace", -5),
  SP ("quad", 18), SP ("qquad", 36), SP (" ", 6), SP ("enspace", 9), SP ("space", 6), SP ("nobreakspace", 6),
  SP ("\t", 6), SP ("\n", 6), SP ("enskip", 9),
  C ("hspace", HSPACE, 0), C ("hspace*", HSPACE, 0), C ("mspace", HSPACE, 0), C ("kern", HSPACE, 1),
  C ("mkern", HSPACE, 1), C ("hskip", HSPACE, 1), C ("mskip", HSPACE, 1),
  CF ("phantom", PHANTOM, 0, CRIA_MATH_FLAG_PHANTOM_H | CRIA_MATH_FLAG_PHANTOM_V),
  CF ("hphantom", PHANTOM, 0, CRIA_MATH_FLAG_PHANTOM_H), CF ("vphantom", PHANTOM, 0, CRIA_MATH_FLAG_PHANTOM_V),
  C ("smash", SMASH, 0),
  C ("displaystyle", STYLE, CRIA_MATH_STYLE_DISPLAY), C ("textstyle", STYLE, CRIA_MATH_STYLE_TEXT),
  C ("scriptstyle", STYLE, CRIA_MATH_STYLE_SCRIPT), C ("scriptscriptstyle", STYLE, CRIA_MATH_STYLE_SCRIPTSCRIPT),
  C ("color", COLOR, 0), C ("textcolor", TEXTCOLOR, 0), C ("colorbox", TEXTCOLOR, 1),
  C ("label", IGNORE_ARG, 0), C ("nonumber", IGNORE, 0), C ("notag", IGNORE, 0), C ("displaylimits", IGNORE, 0),
  C ("nolinebreak", IGNORE, 0), C ("allowbreak", IGNORE, 0), C ("relax", IGNORE, 0), C ("strut", IGNORE, 0),
  C ("mathstrut", IGNORE, 0), C ("nobreak", IGNORE, 0),
  C ("mathclap", IDENTITY, 0), C ("mathllap", IDENTITY, 0), C ("mathrlap", IDENTITY, 0),
  C ("ensuremath", IDENTITY, 0),
  /* \cancel strikes its body out with /, \bcancel with \, \xcancel with both. */
  CF ("cancel", BOXED, '/', 0), CF ("bcancel", BOXED, '\\', 0), CF ("xcancel", BOXED, 'X', 0),
  C ("tag", TAG, 0), C ("tag*", TAG, 1), C ("not", NOT, 0),
  C ("pmod", MOD, 0), C ("bmod", MOD, 1), C ("mod", MOD, 2), C ("pod", MOD, 3),
  C ("limits", LIMITS, 1), C ("nolimits", LIMITS, 0), C ("hline", HLINE, 0),
  { "mathord", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_ORD, 0, 0 },
  { "mathop", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_OP, 0, 0 },
  { "mathbin", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_BIN, 0, 0 },
  { "mathrel", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_REL, 0, 0 },
  { "mathopen", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_OPEN, 0, 0 },
  { "mathclose", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_CLOSE, 0, 0 },
  { "mathpunct", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_PUNCT, 0, 0 },
  { "mathinner", CRIA_MATH_CMD_CLASS, 0, CRIA_MATH_ATOM_INNER, 0, 0 },
  C ("substack", SUBSTACK, 0), C ("over", INFIX, 0), C ("choose", INFIX, 1), C ("atop", INFIX, 2),
};

/* Delimiters written as characters after \left, \big … */
static const struct
{
  gunichar ch;
  gunichar cp;
} delimiter_chars[] = {
  { '(', '(' }, { ')', ')' }, { '[', '[' }, { ']', ']' }, { '|', '|' }, { '/', '/' },
  { '<', 0x27E8 }, { '>', 0x27E9 }, { 0x27E8, 0x27E8 }, { 0x27E9, 0x27E9 }, { 0x2016, 0x2016 },
  { 0x230A, 0x230A }, { 0x230B, 0x230B }, { 0x2308, 0x2308 }, { 0x2309, 0x2309 },
};

static int
compare_commands (const void *a,
                  const void *b)
{
  return strcmp (((const CriaMathCommand *) a)->name, ((const CriaMathCommand *) b)->name);
}

static gsize sorted = 0;

static void
ensure_sorted (void)
{
  if (g_once_init_enter (&sorted))
    {
      qsort (commands, G_N_ELEMENTS (commands), sizeof commands[0], compare_commands);
      g_once_init_leave (&sorted, 1);
    }
}

const CriaMathCommand *
_cria_math_command_lookup (const char *name,
                           gsize       len)
{
  gsize lo = 0;
  gsize hi = G_N_ELEMENTS (commands);

  ensure_sorted ();
  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;
      const char *n = commands[mid].name;
      int cmp = strncmp (n, name, len);

      if (cmp == 0)
        cmp = n[len] == '\0' ? 0 : 1;
      if (cmp == 0)
        return &commands[mid];
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

gboolean
_cria_math_delimiter_lookup (const char *name,
                             gsize       len,
                             gunichar   *cp)
{
  const CriaMathCommand *cmd;

  if (len == 1 && name[0] == '.')
    {
      *cp = 0;
      return TRUE;
    }
  if (name[0] != '\\')
    {
      gunichar ch = g_utf8_get_char (name);

      for (gsize i = 0; i < G_N_ELEMENTS (delimiter_chars); i++)
        if (delimiter_chars[i].ch == ch)
          {
            *cp = delimiter_chars[i].cp;
            return TRUE;
          }
      return FALSE;
    }

  cmd = _cria_math_command_lookup (name + 1, len - 1);
  if (cmd == NULL || cmd->kind != CRIA_MATH_CMD_SYMBOL)
    return FALSE;
  switch (cmd->atom)
    {
    case CRIA_MATH_ATOM_OPEN:
    case CRIA_MATH_ATOM_CLOSE:
      *cp = cmd->cp;
      return TRUE;
    default:
      if (cmd->cp == 0x2016 || cmd->cp == '|' || cmd->cp == 0x2191 || cmd->cp == 0x2193
          || cmd->cp == 0x2195 || cmd->cp == 0x21D1 || cmd->cp == 0x21D3 || cmd->cp == 0x21D5
          || cmd->cp == '\\' || cmd->cp == 0x2223)
        {
          *cp = cmd->cp == 0x2223 ? '|' : cmd->cp;
          return TRUE;
        }
      return FALSE;
    }
}

CriaMathAtom
_cria_math_char_atom (gunichar  cp,
                      guint    *flags)
{
  static gsize once = 0;
  static GHashTable *by_char;
  gpointer value;

  *flags = 0;
  switch (cp)
    {
    case '+': case '-': case '*': case 0x2212:
      return CRIA_MATH_ATOM_BIN;
    case '=': case '<': case '>': case ':':
      return CRIA_MATH_ATOM_REL;
    case ',': case ';':
      return CRIA_MATH_ATOM_PUNCT;
    case '(': case '[':
      return CRIA_MATH_ATOM_OPEN;
    case ')': case ']': case '!': case '?':
      return CRIA_MATH_ATOM_CLOSE;
    default:
      break;
    }
  if (cp < 0x80)
    return CRIA_MATH_ATOM_ORD;

  /* Characters typed directly take the class of the command for them. */
  if (g_once_init_enter (&once))
    {
      GHashTable *table = g_hash_table_new (NULL, NULL);

      for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
        if (commands[i].kind == CRIA_MATH_CMD_SYMBOL
            && !g_hash_table_contains (table, GUINT_TO_POINTER (commands[i].cp)))
          g_hash_table_insert (table, GUINT_TO_POINTER (commands[i].cp),
                               GUINT_TO_POINTER ((guint) (commands[i].atom | (commands[i].flags << 8))));
      by_char = table;
      g_once_init_leave (&once, 1);
    }
  if (g_hash_table_lookup_extended (by_char, GUINT_TO_POINTER (cp), NULL, &value))
    {
      *flags = GPOINTER_TO_UINT (value) >> 8;
      return GPOINTER_TO_UINT (value) & 0xff;
    }
  if (cp >= 0x2190 && cp <= 0x21FF)
    return CRIA_MATH_ATOM_REL;
  return CRIA_MATH_ATOM_ORD;
}

static gunichar
map_latin (gunichar cp,
           gunichar upper,
           gunichar lower)
{
  if (cp >= 'A' && cp <= 'Z')
    return upper + (cp - 'A');
  return lower + (cp - 'a');
}

gunichar
_cria_math_map_variant (gunichar        cp,
                        CriaMathVariant variant)
{
  gboolean latin = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
  gboolean digit = cp >= '0' && cp <= '9';
  gboolean greek_lower = cp >= 0x3B1 && cp <= 0x3C9;
  gboolean greek_upper = cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2;

  switch (variant)
    {
    case CRIA_MATH_VARIANT_NORMAL:
    case CRIA_MATH_VARIANT_ITALIC:
      if (cp == 'h')
        return 0x210E;
      if (latin)
        return map_latin (cp, 0x1D434, 0x1D44E);
      if (greek_lower)
        return 0x1D6FC + (cp - 0x3B1);
      if (greek_upper && variant == CRIA_MATH_VARIANT_ITALIC)
        return 0x1D6E2 + (cp - 0x391);
      switch (cp)
        {
        case 0x3F5: return 0x1D716;
        case 0x3D1: return 0x1D717;
        case 0x3F0: return 0x1D718;
        case 0x3D5: return 0x1D719;
        case 0x3F1: return 0x1D71A;
        case 0x3D6: return 0x1D71B;
        default: return cp;
        }
    case CRIA_MATH_VARIANT_ROMAN:
      return cp;
    case CRIA_MATH_VARIANT_BOLD:
      if (latin)
        return map_latin (cp, 0x1D400, 0x1D41A);
      if (digit)
        return 0x1D7CE + (cp - '0');
      if (greek_lower)
        return 0x1D6C2 + (cp - 0x3B1);
      if (greek_upper)
        return 0x1D6A8 + (cp - 0x391);
      return cp;
    case CRIA_MATH_VARIANT_BOLD_ITALIC:
      if (latin)
        return map_latin (cp, 0x1D468, 0x1D482);
      if (digit)
        return 0x1D7CE + (cp - '0');
      if (greek_lower)
        return 0x1D736 + (cp - 0x3B1);
      if (greek_upper)
        return 0x1D71C + (cp - 0x391);
      return cp;
    case CRIA_MATH_VARIANT_DOUBLE_STRUCK:
      switch (cp)
        {
        case 'C': return 0x2102;
        case 'H': return 0x210D;
        case 'N': return 0x2115;
        case 'P': return 0x2119;
        case 'Q': return 0x211A;
        case 'R': return 0x211D;
        case 'Z': return 0x2124;
        default: break;
        }
      if (latin)
        return map_latin (cp, 0x1D538, 0x1D552);
      if (digit)
        return 0x1D7D8 + (cp - '0');
      return cp;
    case CRIA_MATH_VARIANT_SCRIPT:
      switch (cp)
        {
        case 'B': return 0x212C;
        case 'E': return 0x2130;
        case 'F': return 0x2131;
        case 'H': return 0x210B;
        case 'I': return 0x2110;
        case 'L': return 0x2112;
        case 'M': return 0x2133;
        case 'R': return 0x211B;
        case 'e': return 0x212F;
        case 'g': return 0x210A;
        case 'o': return 0x2134;
        default: break;
        }
      return latin ? map_latin (cp, 0x1D49C, 0x1D4B6) : cp;
    case CRIA_MATH_VARIANT_FRAKTUR:
      switch (cp)
        {
        case 'C': return 0x212D;
        case 'H': return 0x210C;
        case 'I': return 0x2111;
        case 'R': return 0x211C;
        case 'Z': return 0x2128;
        default: break;
        }
      return latin ? map_latin (cp, 0x1D504, 0x1D51E) : cp;
    case CRIA_MATH_VARIANT_SANS:
      if (digit)
        return 0x1D7E2 + (cp - '0');
      return latin ? map_latin (cp, 0x1D5A0, 0x1D5BA) : cp;
    case CRIA_MATH_VARIANT_SANS_BOLD:
      if (digit)
        return 0x1D7EC + (cp - '0');
      return latin ? map_latin (cp, 0x1D5D4, 0x1D5EE) : cp;
    case CRIA_MATH_VARIANT_MONO:
      if (digit)
        return 0x1D7F6 + (cp - '0');
      return latin ? map_latin (cp, 0x1D670, 0x1D68A) : cp;
    default:
      return cp;
    }
}

gunichar
_cria_math_negate (gunichar cp)
{
  static const gunichar pairs[][2] = {
    { '=', 0x2260 }, { '<', 0x226E }, { '>', 0x226F }, { 0x2264, 0x2270 }, { 0x2265, 0x2271 },
    { 0x2208, 0x2209 }, { 0x220B, 0x220C }, { 0x2261, 0x2262 }, { 0x223C, 0x2241 }, { 0x2243, 0x2244 },
    { 0x2245, 0x2247 }, { 0x2248, 0x2249 }, { 0x2282, 0x2284 }, { 0x2283, 0x2285 }, { 0x2286, 0x2288 },
    { 0x2287, 0x2289 }, { 0x2223, 0x2224 }, { 0x2225, 0x2226 }, { 0x227A, 0x2280 }, { 0x227B, 0x2281 },
    { 0x22A2, 0x22AC }, { 0x22A8, 0x22AD }, { 0x2203, 0x2204 }, { 0x2192, 0x219B }, { 0x2190, 0x219A },
    { 0x2194, 0x21AE }, { 0x21D2, 0x21CF }, { 0x21D0, 0x21CD }, { 0x21D4, 0x21CE }, { 0x224D, 0x226D },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    if (pairs[i][0] == cp)
      return pairs[i][1];
  return 0;
}

const char *
_cria_math_command_name (gunichar cp)
{
  ensure_sorted ();
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].kind == CRIA_MATH_CMD_SYMBOL && commands[i].cp == cp)
      return commands[i].name;
  return NULL;
}
