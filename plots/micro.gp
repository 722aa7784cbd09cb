# Figure `micro`: the cost of one refcount operation under each policy (Google Benchmark,
# median over repetitions), on an object private to the thread and on one all threads share,
# beside the hardware's own costs measured here.
load "plots/style.gp"
if (!exists("in")) in = dir."/summary-micro.csv"
if (!exists("out")) out = outdir."/micro"
eval READ_META
POL = "plain race immortal biased atomic cas spinlock mutex striped-mutex"
pcol(p) = p eq "plain" ? colour("serial") : p eq "race" ? colour("race") : p eq "immortal" ? 0x7f7f7f : p eq "mutex" || p eq "spinlock" || p eq "striped-mutex" ? colour("refcount-lock") : colour(p)
pos(p) = sum [i = 1:words(POL)] (word(POL, i) eq p ? i : 0)
# 1 thread: private and shared side by side; 2 threads on the shared object: contention.
W = 1150
set xtics () rotate by -20 left
do for [i = 1:words(POL)] { set xtics add (word(POL, i) i) }
set xrange [0.4:words(POL) + 1.6]
set xtics add ("the hardware" words(POL) + 1)
set logscale y
set yrange [0.1:*]
set ylabel "ns per refcount operation (median; log scale)"
set boxwidth 0.25
set key top left
set title sprintf("What one incref or decref costs\n{/*0.8 %s}", meta(in))
COND = 'strcol("group") eq "hw"'
eval COUNT
HW = N > 0
sel(obj, th) = strcol("group") eq "pair" && strcol("object") eq obj && column("threads") == th
do for [ext in EXTS] {
  @TERM
  plot in using (sel("private", 1) ? pos(strcol("policy")) - 0.27 : NaN):"ns_per_op_median":(pcol(strcol("policy"))) \
          with boxes lc rgb variable fs solid 0.9 title "private object, 1 thread", \
       in using (sel("shared", 1) ? pos(strcol("policy")) : NaN):"ns_per_op_median":(pcol(strcol("policy"))) \
          with boxes lc rgb variable fs solid 0.4 title "shared object, 1 thread", \
       in using (sel("shared", 2) ? pos(strcol("policy")) + 0.27 : NaN):"ns_per_op_median":(pcol(strcol("policy"))) \
          with boxes lc rgb variable fs pattern 5 title "shared object, 2 threads", \
       for [h = 1:HW] in using (strcol("group") eq "hw" ? words(POL) + 1 : NaN):"ns_per_op_median" \
          with points pt 7 ps 0.8 lc rgb "black" title "the hardware", \
       for [h = 1:HW] in using (strcol("group") eq "hw" ? words(POL) + 1 : NaN):"ns_per_op_median":(strcol("policy")) \
          with labels right offset -1,0 font SMALL notitle
  unset output
}
