# Figure `cas-retries` (C6): how many times a compare-and-swap refcount update retried, as a
# distribution over all operations (left, log scale), and the worst case and the mean as
# threads grow (right).
load "plots/style.gp"
if (!exists("in")) in = dir."/cas-hist-cas.csv"
if (!exists("summary")) summary = dir."/summary-cas.csv"
if (!exists("out")) out = outdir."/cas-retries"
tmp = in
in = summary
eval READ_META
in = tmp
stats summary using (column("workers")) nooutput
maxw = STATS_max
W = 1200
WS = ""
do for [w in "1 2 3 4 6 8 12 16 24 32 48 64 96 128"] {
  COND = 'column("workers") == w + 0 && column("immortal") == 0'
  eval COUNT
  if (N > 0) { WS = WS . " " . w }
}
do for [ext in EXTS] {
  @TERM
  set multiplot layout 1,2 title sprintf("Compare-and-swap refcounts retry under contention\n{/*0.8 %s; immortal shared objects off}", meta(in))
  set title "retries per operation: how many operations (all runs)"
  set logscale y
  set xlabel "retries in one operation"
  set ylabel "operations"
  set xtics ("0" 0, "1" 1, "2-3" 2, "4-7" 3, "8-15" 4, "16-31" 5, "32-63" 6, "64-127" 7, "128+" 8)
  set xrange [-0.5:8.5]
  set yrange [0.8:*]
  set key top right
  set boxwidth 0.27
  plot for [i = 1:words(WS)] in using (column("workers") == word(WS, i) + 0 && column("immortal") == 0 && column("bucket") <= 8 ? column("bucket") + (i - 2) * 0.28 : NaN):"ops" \
          smooth frequency with boxes lc rgb colour("cas") fs solid 0.3 + 0.25 * i title word(WS, i) . " threads"
  unset logscale y
  set title "as threads grow"
  set xtics 1
  set xrange [0.5:maxw + 0.5]
  # Explicit ranges: a machine where CAS never retried gives all zeros, and [0:*] then warns.
  # The stats ignore the ranges set for the panel before (a one-column stats reads its values as y).
  stats [*:*][*:*] summary using (strcol("strategy") eq "cas" && column("immortal") == 0 ? column("cas_retries_max_max") : 0) nooutput
  set yrange [0:(STATS_max > 0 ? STATS_max * 1.15 : 1)]
  set xlabel "threads"
  set ylabel "worst case: retries in one operation"
  set y2label "mean retries per operation"
  set y2tics
  stats [*:*][*:*] summary using (strcol("strategy") eq "cas" && column("immortal") == 0 ? column("cas_retries_per_op_median") : 0) nooutput
  set y2range [0:(STATS_max > 0 ? STATS_max * 1.15 : 1)]
  set key top left
  plot summary using (strcol("strategy") eq "cas" && column("immortal") == 0 ? column("workers") : NaN):"cas_retries_max_max" \
          with linespoints lc rgb colour("cas") lw 2 pt 7 title "worst case (max over runs)", \
       summary using (strcol("strategy") eq "cas" && column("immortal") == 0 ? column("workers") : NaN):"cas_retries_per_op_median" axes x1y2 \
          with linespoints lc rgb colour("cas") dt 2 lw 2 pt 6 title "mean per operation (median run)"
  unset multiplot
  unset output
  unset y2tics
  unset y2label
}
