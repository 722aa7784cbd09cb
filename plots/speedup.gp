# Figure `speedup`: every strategy's speedup over its matched serial point as workers grow, per
# workload, without and with immortal shared objects (serial, in the first panel only, is the
# baseline); bars are 95% bootstrap intervals. The
# dashed line is the ideal (one per core), the dotted line what the machine itself reached with
# a native kernel (its measured capacity). Gunther's Universal Scalability Law,
# S(n) = a n / (1 + sigma (n - 1) + kappa n (n - 1)), fitted by `gillab summarize` (harness/usl.cpp)
# per series only where it has at least 4 distinct worker counts within the cores, with bootstrap
# intervals; elsewhere there is no fit line and the title says why (two points fit any
# two-parameter curve: a fit would claim what was not measured).
load "plots/style.gp"
if (!exists("in")) in = dir."/summary-speedup.csv"
if (!exists("out")) out = outdir."/speedup"
eval READ_META
stats in using (column("cores")) nooutput
cores = STATS_max
stats in using (column("workers")) nooutput
maxw = STATS_max
capacity = NaN  # the machine's measured capacity, where the manifest had one
COND = 'column("workers") >= cores && strcol("capacity") ne ""'
eval COUNT
if (N > 0) { stats in using (@COND ? column("capacity") : NaN) nooutput; capacity = STATS_max }
H = 820
W = 1150
ideal(n) = n < cores ? n : cores
reach(n) = n < cores ? (n < capacity ? n : capacity) : capacity
usl(n, a, sg, kp) = n < 1 ? NaN : a * n / (1 + sg * (n - 1) + kp * n * (n - 1))
sel(wl, imm, st) = strcol("implementation") ne "cpython" && strcol("workload") eq wl && column("immortal") == imm && strcol("strategy") eq st && (strcol("lock_kind") eq "" || strcol("lock_kind") eq "mutex") && strcol("gil_mode") ne "old"

# Each (workload, immortal, strategy)'s USL fit, as `gillab summarize` wrote it into the series'
# rows (usl_a, usl_sigma and usl_kappa with their bootstrap intervals; usl_note says why not).
NS = 2 * 2 * words(STRATEGIES)
array A[NS]
array SG[NS]
array SGL[NS]
array SGH[NS]
array KP[NS]
array KPL[NS]
array KPH[NS]
array P[NS]  # 1 where the results have that series
key(w, i, k) = (w - 1) * 2 * words(STRATEGIES) + i * words(STRATEGIES) + k
WL = "pow shared"
UNFITTED = 0  # parallel series without a fit (usl_note says why, per series)
has_fit(wl, imm, st) = sel(wl, imm, st) && strcol("usl_a") ne ""
do for [w = 1:2] { do for [imm = 0:1] { do for [k = 1:words(STRATEGIES)] {
  st = word(STRATEGIES, k)
  wl = word(WL, w)
  COND = 'sel(wl, imm, st)'
  eval COUNT
  P[key(w, imm, k)] = N > 0
  A[key(w, imm, k)] = NaN
  kk = key(w, imm, k)
  if (N > 0) {
    stats in using (has_fit(wl, imm, st) ? (A[kk] = column("usl_a"), SG[kk] = column("usl_sigma"), SGL[kk] = column("usl_sigma_ci_low"), \
        SGH[kk] = column("usl_sigma_ci_high"), KP[kk] = column("usl_kappa"), KPL[kk] = column("usl_kappa_ci_low"), \
        KPH[kk] = column("usl_kappa_ci_high"), 0) : 0) nooutput
  }
  if (k > 1 && N > 0 && A[kk] != A[kk]) { UNFITTED = UNFITTED + 1 }
}}}
# Each panel's ceiling at each worker count: the summary's capacity column, the least of the
# workers, the machine's capacity and what the tasks allow (makespan.hpp); 1 at one worker.
MW = int(maxw)
array CE[4 * MW]
ce(w, imm, n) = (w - 1) * 2 * MW + imm * MW + n
do for [w = 1:2] { do for [imm = 0:1] {
  do for [n = 1:MW] { CE[ce(w, imm, n)] = n == 1 ? 1 : NaN }
  wl = word(WL, w)
  COND = 'strcol("implementation") ne "cpython" && strcol("workload") eq wl && column("immortal") == imm && column("workers") > 1 && strcol("capacity") ne ""'
  eval COUNT
  if (N > 0) { stats in using (@COND ? (CE[ce(w, imm, int(column("workers")))] = column("capacity"), 0) : 0) nooutput }
}}
fitted(w, imm, k) = A[key(w, imm, k)] == A[key(w, imm, k)]
# Whether a panel has any series (an empty iteration in a plot still warns in gnuplot 5.4).
panel(w, imm) = sum [k = 1:words(STRATEGIES)] P[key(w, imm, k)] > 0
label(w, imm, k) = fitted(w, imm, k) ? sprintf("%s (USL {/Symbol s} %.2f [%.2f, %.2f], {/Symbol k} %.3f [%.3f, %.3f])", word(STRATEGIES, k), \
    SG[key(w, imm, k)], SGL[key(w, imm, k)], SGH[key(w, imm, k)], KP[key(w, imm, k)], KPL[key(w, imm, k)], KPH[key(w, imm, k)]) : word(STRATEGIES, k)
NOFIT = UNFITTED == 0 ? "" : "; no USL fit where fewer than 4 worker counts lie within the cores"
CAPACITY = capacity == capacity ? sprintf("; dotted: the machine's measured capacity %.2f", capacity) : ""

set xlabel "workers (threads or processes)"
set ylabel "speedup (median, 95% interval)"
set xrange [0.5:maxw + 0.5]
set xtics 1
set yrange [0:cores * 1.7 + 0.3]
set key top left spacing 1.0 maxrows 4 width -2
do for [ext in EXTS] {
  @TERM
  set multiplot layout 2,2 title sprintf("Speedup over the serial loop\n{/*0.8 %s; dashed: ideal on %d cores%s; circles: the ceiling the tasks and the machine allow%s}", meta(in), cores, CAPACITY, NOFIT)
  do for [w = 1:2] { do for [imm = 0:1] {
    wl = word(WL, w)
    set title sprintf("%s workload, immortal shared objects %s", wl, imm ? "on" : "off")
    if (!panel(w, imm)) {
      set label 1 "not measured" at graph 0.5, 0.5 center
      plot ideal(x) dt 2 lc rgb "#999999" lw 1.5 notitle
      unset label 1
      continue
    }
    plot ideal(x) dt 2 lc rgb "#999999" lw 1.5, \
         (capacity == capacity ? reach(x) : NaN) dt 3 lc rgb "#555555" lw 1.5, \
         [n = 1:MW:1] '+' using (n):(CE[ce(w, imm, n)]) with points pt 6 ps 1.4 lc rgb "#000000" title "ceiling", \
         for [k = 1 + imm:words(STRATEGIES)] for [j = 1:P[key(w, imm, k)]] in using (sel(wl, imm, word(STRATEGIES, k)) ? column("workers") : NaN):"speedup_median":"speedup_ci_low":"speedup_ci_high" \
            with yerrorlines lc rgb colour(word(STRATEGIES, k)) lw 2 pt 7 title label(w, imm, k), \
         for [k = 2:words(STRATEGIES)] (fitted(w, imm, k) ? usl(x, A[key(w, imm, k)], SG[key(w, imm, k)], KP[key(w, imm, k)]) : NaN) \
            lc rgb colour(word(STRATEGIES, k)) lw 0.8 notitle
  }}
  unset multiplot
  unset output
}
do for [w = 1:2] { do for [imm = 0:1] { do for [k = 2:words(STRATEGIES)] {
  if (fitted(w, imm, k)) { print sprintf("usl %s immortal=%d %-14s a = %.3f  sigma = %.3f [%.3f, %.3f]  kappa = %.4f [%.4f, %.4f]", word(WL, w), imm, word(STRATEGIES, k), A[key(w, imm, k)], SG[key(w, imm, k)], SGL[key(w, imm, k)], SGH[key(w, imm, k)], KP[key(w, imm, k)], KPL[key(w, imm, k)], KPH[key(w, imm, k)]) }
}}}
