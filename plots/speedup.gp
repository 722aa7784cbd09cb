# Figure `speedup`: every strategy's speedup over the serial loop as workers grow, per workload,
# without and with immortal shared objects; the ideal line; and Amdahl's law fitted per
# strategy, S(n) = S1 / (s + (1 - s) / n) with n = min(workers, cores): S1 the one-worker
# speed relative to serial, s the serial fraction. The fitted s is printed in the key.
load "plots/style.gp"
if (!exists("in")) in = "results/summary-speedup.csv"
if (!exists("out")) out = "plots/out/speedup"
eval READ_META
stats in using (column("cores")) nooutput
cores = STATS_max
stats in using (column("workers")) nooutput
maxw = STATS_max
H = 820
W = 1150
neff(w) = w < cores ? w : cores
amdahl(n, a, s) = n < 1 ? NaN : a / (s + (1 - s) / neff(n))
sel(wl, imm, st) = strcol("workload") eq wl && column("immortal") == imm && strcol("strategy") eq st && strcol("lock_kind") ne "spinlock"

# Fit every (workload, immortal, strategy) that has two or more points; keep a and s.
array A[2*2*words(STRATEGIES)]
array S[2*2*words(STRATEGIES)]
array P[2*2*words(STRATEGIES)]  # 1 where the results have that series
key(w, i, k) = (w - 1) * 2 * words(STRATEGIES) + i * words(STRATEGIES) + k
WL = "pow shared"
do for [w = 1:2] { do for [imm = 0:1] { do for [k = 1:words(STRATEGIES)] {
  st = word(STRATEGIES, k)
  wl = word(WL, w)
  COND = 'sel(wl, imm, st)'
  eval COUNT
  P[key(w, imm, k)] = N > 0
  A[key(w, imm, k)] = NaN
  S[key(w, imm, k)] = NaN
  if (N > 0 && k > 1) { stats in using (sel(wl, imm, st) ? column("workers") : NaN) nooutput }
  if (N > 0 && k > 1 && STATS_max > STATS_min) {
    a = 1.0
    s = 0.1
    fit amdahl(x, a, s) in using (sel(word(WL, w), imm, st) ? column("workers") : NaN):"speedup_median" via a, s
    A[key(w, imm, k)] = a
    S[key(w, imm, k)] = s
  }
}}}

set xlabel "workers (threads or processes)"
set ylabel "speedup over serial (median; bars: quartiles)"
set xrange [0.5:maxw + 0.5]
set xtics 1
set yrange [0:cores * 1.7 + 0.3]
set key top left font ",9" spacing 1.0 maxrows 4 width -2
do for [ext in EXTS] {
  @TERM
  set multiplot layout 2,2 title sprintf("Speedup over the serial loop\n{/*0.8 %s; dashed: ideal on %d cores; thin lines: Amdahl fits, s > 1 where more workers made it slower}", meta(in), cores)
  do for [w = 1:2] { do for [imm = 0:1] {
    wl = word(WL, w)
    set title sprintf("%s workload, immortal shared objects %s", wl, imm ? "on" : "off")
    plot neff(x) dt 2 lc rgb "#999999" lw 1.5, \
         for [k = 1:words(STRATEGIES)] for [j = 1:P[key(w, imm, k)]] in using (sel(wl, imm, word(STRATEGIES, k)) ? column("workers") : NaN):"speedup_median":"speedup_q1":"speedup_q3" \
            with yerrorlines lc rgb colour(word(STRATEGIES, k)) lw 2 pt 7 \
            title (k == 1 || A[key(w, imm, k)] != A[key(w, imm, k)] ? word(STRATEGIES, k) : sprintf("%s (s = %.2f)", word(STRATEGIES, k), S[key(w, imm, k)])), \
         for [k = 2:words(STRATEGIES)] (A[key(w, imm, k)] == A[key(w, imm, k)] ? amdahl(x, A[key(w, imm, k)], S[key(w, imm, k)]) : NaN) \
            lc rgb colour(word(STRATEGIES, k)) lw 0.8 notitle
  }}
  unset multiplot
  unset output
}
do for [w = 1:2] { do for [imm = 0:1] { do for [k = 2:words(STRATEGIES)] {
  if (S[key(w, imm, k)] == S[key(w, imm, k)]) { print sprintf("amdahl %s immortal=%d %-14s S1 = %.3f  s = %.3f", word(WL, w), imm, word(STRATEGIES, k), A[key(w, imm, k)], S[key(w, imm, k)]) }
}}}
