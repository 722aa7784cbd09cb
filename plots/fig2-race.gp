# Figure 2 (C3): refcount updates lost by threads with plain, unsynchronised counts, beside
# every safe strategy run through the same experiment (all at zero). One point per run.
load "plots/style.gp"
if (!exists("in")) in = dir."/race.csv"
if (!exists("summary")) summary = dir."/summary-race.csv"
if (!exists("out")) out = outdir."/fig2-race"
tmp = in
in = summary
eval READ_META
in = tmp
CATS = "race gil refcount-lock atomic cas biased"
pos(s) = sum [i = 1:words(CATS)] (word(CATS, i) eq s ? i : 0)
jit(w) = (w - 3) * 0.12  # 2 threads left of centre, 4 right
set xtics () 
do for [i = 1:words(CATS)] { set xtics add (word(CATS, i) i) }
set xrange [0.4:words(CATS) + 0.6]
# An explicit range: a run in which the threads never overlapped loses nothing, and [0:*] warns.
stats in using (column("workers") >= 2 && strcol("lost_updates") ne "" ? column("lost_updates") : 0) nooutput
set yrange [0:(STATS_max > 0 ? STATS_max * 1.1 : 1)]
set ylabel "refcount updates lost in one run"
set title sprintf("Plain refcounts lose updates; safe ones lose none\n{/*0.8 %s; one point per run, 2 threads left of 4; lost = how far shared objects' counts drifted}", meta(in))
set key top right
do for [ext in EXTS] {
  @TERM
  plot in using (pos(strcol("strategy")) > 0 && column("workers") >= 2 ? pos(strcol("strategy")) + jit(column("workers")) : NaN):"lost_updates":(colour(strcol("strategy"))) \
          with points pt 7 lc rgb variable notitle
  unset output
}
