# Figure 3 (C4/C5): a lock around every refcount operation. Left: what it costs one thread,
# beside the GIL. Right: throughput as threads grow.
load "plots/style.gp"
if (!exists("in")) in = dir."/summary-refcount-lock.csv"
if (!exists("out")) out = outdir."/fig3-refcount-lock"
eval READ_META
stats in using (strcol("strategy") eq "serial" ? column("tasks_per_s_median") : NaN) nooutput
serial_tps = STATS_max
stats in using (column("workers")) nooutput
maxw = STATS_max
KINDS = "mutex spinlock striped-mutex striped-spinlock"
CATS = "gil " . KINDS
PRESENT = ""
do for [k in KINDS] {
  COND = 'strcol("lock_kind") eq k'
  eval COUNT
  if (N > 0) { PRESENT = PRESENT . " " . k }
}
COND = 'strcol("strategy") eq "gil"'
eval COUNT
HAVE_GIL = N
pos(s, k) = s eq "gil" ? 1 : sum [i = 1:words(KINDS)] (word(KINDS, i) eq k ? i + 1 : 0)
kind_dt(i) = i
W = 1200
do for [ext in EXTS] {
  @TERM
  set multiplot layout 1,2 title sprintf("A lock per refcount: correct, and slow\n{/*0.8 %s}", meta(in))
  set title "one thread: time relative to the serial loop"
  set xtics () rotate by -25 left
  do for [i = 1:words(CATS)] { set xtics add (word(CATS, i) i) }
  set xrange [0.4:words(CATS) + 0.6]
  set yrange [0:*]
  set ylabel "time / serial time (median; bars: 95% interval)"
  set boxwidth 0.6
  plot 1 lc rgb "#777777" dt 2 title "serial = 1", \
       in using (column("workers") == 1 && strcol("strategy") ne "serial" ? pos(strcol("strategy"), strcol("lock_kind")) : NaN):(1 / column("speedup_median")):(colour(strcol("strategy"))) \
          with boxes lc rgb variable notitle, \
       in using (column("workers") == 1 && strcol("strategy") ne "serial" ? pos(strcol("strategy"), strcol("lock_kind")) : NaN):(1 / column("speedup_median")):(1 / column("speedup_ci_high")):(1 / column("speedup_ci_low")) \
          with yerrorbars lc rgb "black" pt -1 notitle
  set title "throughput as threads grow"
  set xtics 1 norotate
  set xrange [0.5:maxw + 0.5]
  set ylabel "tasks/s (median)"
  set xlabel "threads"
  set key top right font SMALL
  plot serial_tps lc rgb colour("serial") lw 2 title "serial loop", \
       for [g = 1:HAVE_GIL > 0] in using (strcol("strategy") eq "gil" ? column("workers") : NaN):"tasks_per_s_median" with linespoints lc rgb colour("gil") lw 2 pt 7 title "GIL", \
       for [i = 1:words(PRESENT)] in using (strcol("lock_kind") eq word(PRESENT, i) ? column("workers") : NaN):"tasks_per_s_median" \
          with linespoints lc rgb colour("refcount-lock") dt i lw 2 pt 4 + i title "refcount lock: " . word(PRESENT, i)
  unset multiplot
  unset output
  unset xlabel
}
