# Figure `ftscaling` (after CPython's Tools/ftscalingbench): per loop, each mechanism's speedup
# over its matched serial point at the most workers within the cores, beside CPython's GIL and
# free-threaded builds on the same loops (their threads against their own serial). Bars: median,
# error bars: 95% bootstrap interval; dashed: the ideal (the workers); dotted: the machine's
# measured capacity. A series the results lack (no `make cpython`) is left out of the key.
load "plots/style.gp"
if (!exists("in")) in = dir."/summary-ftscaling.csv"
if (!exists("out")) out = outdir."/ftscaling"
if (!exists("fig_title")) fig_title = "ftscalingbench's loops"
eval READ_META
stats in using (column("cores")) nooutput
cores = STATS_max
COND = 'column("workers") <= cores'
stats in using (@COND ? column("workers") : NaN) nooutput
NW = STATS_max
capacity = NaN
COND = 'column("workers") == NW && strcol("capacity") ne ""'
eval COUNT
if (N > 0) { stats in using (@COND ? column("capacity") : NaN) nooutput; capacity = STATS_max }

# The loops are the CSV's, in the order they first appear: a workload added to the config needs
# no edit here. wi(w): w's place, 0-based (the words of WL before it).
WL = ""
# (stats also reads the header line, whose "workload" is no loop.)
stats in using (w = strcol("workload"), w ne "workload" && strstrt(" ".WL." ", " ".w." ") == 0 ? WL = WL.(WL eq "" ? "" : " ").w : 0, 0) nooutput
NL = words(WL)
wi(w) = strstrt(" ".WL." ", " ".w." ") == 0 ? NaN : words((" ".WL." ")[1:strstrt(" ".WL." ", " ".w." ")])
# The series: implementation, strategy, immortal, deferred, gil_enabled (cpython), title, colour.
S_IMPL = "gillab gillab gillab gillab gillab gillab gillab cpython cpython"
S_STRAT = "gil atomic biased biased biased interpreters processes threads threads"
S_IMM = "0 0 0 1 1 0 0 - -"
S_DEF = "0 0 0 0 1 0 0 - -"
S_GIL = "- - - - - - - 1 0"
S_TITLE = "gil atomic biased biased+immortal biased+immortal+deferred interpreters processes CPython_GIL_build CPython_free-threaded"
array S_COL[9] = [0xd62728, 0x1f77b4, 0x98df8a, 0x2ca02c, 0x006d2c, 0xbcbd22, 0x17becf, 0xf7b6d2, 0xe377c2]
NS = words(S_STRAT)
sel(k) = column("workers") == NW && strcol("implementation") eq word(S_IMPL, k) && strcol("strategy") eq word(S_STRAT, k) && \
         (word(S_IMPL, k) eq "cpython" ? strcol("gil_enabled") eq word(S_GIL, k) : \
          column("immortal") == word(S_IMM, k) + 0 && column("deferred") == word(S_DEF, k) + 0)
array HAVE[NS]
do for [k = 1:NS] { COND = 'sel(k)'; eval COUNT; HAVE[k] = N > 0 }
bw = 0.85 / NS
x(k) = wi(strcol("workload")) - 0.425 + bw * (k - 0.5)
title(k) = system(sprintf("echo '%s' | tr _ ' '", word(S_TITLE, k)))

W = 230 + 230 * NL  # 1150 px for four loops
H = 560
set title sprintf("%s: speedup at %d workers over each one's serial\n{/*0.8 %s; dashed: ideal; dotted: the machine's measured capacity}", fig_title, NW, meta(in))
set ylabel "speedup (median, 95% interval)"
set xrange [-0.6:NL - 0.4]
set yrange [0:NW * 1.35]
set xtics () noenhanced
do for [i = 1:NL] { set xtics add (word(WL, i) i - 1) }
set boxwidth bw
set style fill solid 0.9 noborder
set key top center horizontal maxrows 3 width -1
do for [ext in EXTS] {
  @TERM
  plot NW dt 2 lc rgb "#999999" lw 1.5 notitle, \
       (capacity == capacity ? capacity : NaN) dt 3 lc rgb "#555555" lw 1.5 notitle, \
       for [k = 1:NS] for [h = 1:HAVE[k]] in using (sel(k) ? x(k) : NaN):"speedup_median" with boxes lc rgb S_COL[k] title title(k), \
       for [k = 1:NS] for [h = 1:HAVE[k]] in using (sel(k) ? x(k) : NaN):"speedup_median":"speedup_ci_low":"speedup_ci_high" \
          with yerrorbars lc rgb "#333333" pt 0 ps 0 lw 0.8 notitle
  unset output
}
