# Figure `cpython-vs-model`: time relative to each implementation's own serial loop, threads
# under the GIL and processes, real CPython beside gillab's model, as workers grow.
load "plots/style.gp"
if (!exists("in")) in = dir."/summary-cpython.csv"
if (!exists("out")) out = outdir."/cpython-vs-model"
eval READ_META
stats in using (column("workers")) nooutput
maxw = STATS_max
# The default switch interval (5 ms) where several were run.
ivl(s) = (strcol("strategy") ne "gil" && strcol("strategy") ne "threads") || column("switch_interval_us") == 5000
# CPython's threads are rows of their own (strategy `threads`) beside the model's `gil`.
as(impl, st) = impl eq "cpython" && st eq "gil" ? "threads" : st
sel(impl, st) = strcol("implementation") eq impl && strcol("strategy") eq as(impl, st) && ivl(0) && strcol("gil_enabled") ne "0"
array HAVE[4]
IMPLS = "gillab cpython"
do for [i = 1:2] { do for [k = 1:2] {
  impl = word(IMPLS, i)
  st = word("gil processes", k)
  COND = 'sel(impl, st)'
  eval COUNT
  HAVE[(i - 1) * 2 + k] = N > 0
}}
set title sprintf("The model beside real CPython: time relative to each one's serial loop\n{/*0.8 %s; GIL switch interval 5 ms; bars: 95% interval}", meta(in))
set xlabel "workers (threads or processes)"
set ylabel "time / own serial time (median)"
set xrange [0.5:maxw + 0.5]
set xtics 1
set yrange [0:*]
set key top left
do for [ext in EXTS] {
  @TERM
  plot 1 lc rgb "#777777" dt 2 title "serial", \
       for [i = 1:2] for [k = 1:2] for [h = 1:HAVE[(i - 1) * 2 + k]] in \
          using (sel(word(IMPLS, i), word("gil processes", k)) ? column("workers") : NaN):(1 / column("speedup_median")):(1 / column("speedup_ci_high")):(1 / column("speedup_ci_low")) \
          with yerrorlines lc rgb colour(word("gil processes", k)) dt i lw 2 pt 8 - i \
          title sprintf("%s, %s", word(IMPLS, i), k == 1 ? "threads under the GIL" : "processes")
  unset output
}
