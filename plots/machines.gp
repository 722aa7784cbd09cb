# Figure `machines`: every machine side by side (results/machines.csv, written by `gillab
# compare`): left, what one instruction costs (ns, Google Benchmark); right, each strategy's time
# on one thread against the matched serial point. One bar per machine, 95% intervals as error
# bars, so that the atomic strategies' overhead is seen to follow lock xadd's cost.
load "plots/style.gp"
if (!exists("in")) in = "results/machines.csv"
if (!exists("out")) out = "plots/out/machines"
stats in using (column("machine_index")) nooutput
NM = int(STATS_max) + 1
array MNAME[NM]
stats in using (MNAME[int(column("machine_index")) + 1] = strcol("machine"), 0) nooutput
# Which machines have a bar in each panel (a machine without micro-benchmarks has none there).
array NHW[NM]
array NST[NM]
do for [m=1:NM] { NHW[m] = 0; NST[m] = 0 }
has(kind) = strcol("kind") eq kind && strcol("median") ne ""
mi = 0
stats in using (mi = int(column("machine_index")) + 1, \
                has("instruction") ? NHW[mi] = NHW[mi] + 1 : 0, has("one thread") ? NST[mi] = NST[mi] + 1 : 0, 0) nooutput
HWM = ""
STM = ""
do for [m=1:NM] { if (NHW[m] > 0) { HWM = HWM . sprintf(" %d", m - 1) }; if (NST[m] > 0) { STM = STM . sprintf(" %d", m - 1) } }
HW = "plain-add lock-xadd lock-cmpxchg cache-line-handoff"  # the order of the CSV's item_index
HWL = "add xadd cmpxchg line-hand-off"  # short labels: lock-prefixed add, compare-and-swap
ST = "gil refcount-lock atomic cas biased"
W = 1200
H = 520
bw = 0.8 / NM
x(i, m) = i - 0.4 + bw * (m + 0.5)
pick(kind, m) = strcol("kind") eq kind && column("machine_index") == m
set style fill solid 0.85 noborder
set boxwidth bw
set key top left
do for [ext in EXTS] {
  eval TERM
  set multiplot layout 1, 2 title "gillab on every machine (median, 95% interval)"
  set title "one instruction"
  set ylabel "ns per operation (log)"
  set logscale y
  set xrange [-0.6:words(HW) - 0.4]
  set xtics () 
  set for [i=1:words(HW)] xtics add (word(HWL, i) i - 1)
  if (words(HWM) == 0) {
    set label 1 "no micro-benchmarks on any machine: make bench" at graph 0.5, 0.5 center
    set yrange [0.1:1000]
    plot 1e-9 notitle
    unset label 1
    unset yrange
  } else {
  plot for [k=1:words(HWM)] in using (x(column("item_index"), int(word(HWM, k)))):(pick("instruction", int(word(HWM, k))) ? column("median") : NaN) \
         with boxes lc int(word(HWM, k)) + 1 title MNAME[int(word(HWM, k)) + 1], \
       for [k=1:words(HWM)] in using (x(column("item_index"), int(word(HWM, k)))):(pick("instruction", int(word(HWM, k))) ? column("median") : NaN):"ci_low":"ci_high" \
         with yerrorbars lc rgb "black" pt 0 ps 0 notitle
  }
  unset logscale y
  set title "one thread, time against serial"
  set ylabel "x serial time"
  set xrange [-0.6:words(ST) - 0.4]
  set xtics ()
  set for [i=1:words(ST)] xtics add (word(ST, i) i - 1)
  set yrange [0:*]
  plot for [k=1:words(STM)] in using (x(column("item_index"), int(word(STM, k)))):(pick("one thread", int(word(STM, k))) ? column("median") : NaN) \
         with boxes lc int(word(STM, k)) + 1 title MNAME[int(word(STM, k)) + 1], \
       for [k=1:words(STM)] in using (x(column("item_index"), int(word(STM, k)))):(pick("one thread", int(word(STM, k))) ? column("median") : NaN):"ci_low":"ci_high" \
         with yerrorbars lc rgb "black" pt 0 ps 0 notitle, \
       1 with lines dt 2 lc rgb "#888888" title "serial"
  unset multiplot
  unset yrange
}
