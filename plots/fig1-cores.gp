# Figure 1 (C1/C2/C7): the essay's four slow calls on the machine's cores, from the timeline
# CSV. One row per worker (thread or process); a bar is a stretch of time it ran a task
# (serial, processes) or held the GIL (gil), coloured by the CPU it ran on. Same time axis.
load "plots/style.gp"
if (!exists("in")) in = dir."/timeline-article.csv"
if (!exists("summary")) summary = dir."/summary-article.csv"
if (!exists("out")) out = outdir."/fig1-cores"
tmp = in
in = summary
eval READ_META
in = tmp
stats in using "t1_s" nooutput
tmax = STATS_max
stats in using "worker" nooutput
wmax = STATS_max
stats in using "cpu" nooutput
cpumax = STATS_max
H = 760
array PAL[8] = [0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf]
TASKCOL(t) = t != t ? 0 : PAL[(int(t) % 8) + 1]
PANELS = "serial gil processes"
TITLES = "'serial: one thread runs the four calls in turn' \
          'gil: four threads take turns holding the GIL (bars: its holds)' \
          'processes: four processes run at once, as many at a time as there are cores'"
sel(st, k) = strcol("strategy") eq st && strcol("kind") eq k
do for [ext in EXTS] {
  @TERM
  set multiplot layout 3,1 title sprintf("The four slow calls on the cores\n{/*0.8 %s}", meta(summary))
  set xrange [0:tmax * 1.02]
  set yrange [-0.6:wmax + 0.6]
  set ytics 1
  set ylabel "worker"
  set key outside right top title "CPU"
  set xlabel "seconds since the start of the run"
  do for [p = 1:3] {
    st = word(PANELS, p)
    k = st eq "gil" ? "gil" : "task"
    COND = 'sel(st, k)'
    eval COUNT
    HAVE = N > 0
    set title word(TITLES, p)
    plot for [i = 1:HAVE] in using ((column("t0_s") + column("t1_s")) / 2):(sel(st, k) ? column("worker") : NaN):(column("t0_s")):(column("t1_s")): \
            (column("worker") - 0.38):(column("worker") + 0.38):(TASKCOL(column("cpu"))) \
            with boxxyerror lc rgb variable fs solid 0.85 notitle, \
         for [c = 0:cpumax] NaN with boxes lc rgb PAL[c + 1] fs solid 0.85 title sprintf("%d", c)
  }
  unset multiplot
  unset output
}
