# Figure 4 (C2/C5): throughput against threads under the GIL, new and old protocol, beside the
# serial loop and the ideal line.
load "plots/style.gp"
if (!exists("in")) in = dir."/summary-gil.csv"
if (!exists("out")) out = outdir."/fig4-gil"
eval READ_META
stats in using (strcol("strategy") eq "serial" ? column("tasks_per_s_median") : NaN) nooutput
serial_tps = STATS_max
stats in using (column("cores")) nooutput
cores = STATS_max
stats in using (column("workers")) nooutput
maxw = STATS_max

COND = 'strcol("strategy") eq "gil" && strcol("gil_mode") eq "new"'
eval COUNT
NEW = N > 0
COND = 'strcol("strategy") eq "gil" && strcol("gil_mode") eq "old"'
eval COUNT
OLD = N > 0
set title sprintf("Threads under the GIL do no more work than one thread\n{/*0.8 %s}", meta(in))
set xlabel "threads"
set ylabel "throughput (tasks/s, median; bars: 95% interval)"
set xrange [0.5:maxw + 0.5]
set xtics 1
set yrange [0:*]
ideal(x) = serial_tps * (x < cores ? x : cores)
set samples 400
do for [ext in EXTS] {
  @TERM
  plot ideal(x) dt 2 lc rgb "#999999" lw 1.5 title sprintf("ideal (%d cores)", cores), \
       serial_tps lc rgb colour("serial") lw 2 title "serial loop", \
       for [i = 1:NEW] in using (strcol("strategy") eq "gil" && strcol("gil_mode") eq "new" ? column("workers") : NaN):"tasks_per_s_median":(column("tasks")/column("wall_s_ci_high")):(column("tasks")/column("wall_s_ci_low")) \
          with yerrorlines lc rgb colour("gil") lw 2 pt 7 title "GIL, CPython 3.2+ (switch interval, forced switching)", \
       for [i = 1:OLD] in using (strcol("strategy") eq "gil" && strcol("gil_mode") eq "old" ? column("workers") : NaN):"tasks_per_s_median":(column("tasks")/column("wall_s_ci_high")):(column("tasks")/column("wall_s_ci_low")) \
          with yerrorlines lc rgb colour("gil") dt 3 lw 2 pt 6 title "GIL before 3.2 (release every 100 bytecodes)"
  unset output
}
