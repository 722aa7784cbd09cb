# Figure `overhead`: what each strategy costs one thread, as time relative to the serial loop
# (1 = as fast; bars: 95% interval), without (solid) and with (hatched) immortal shared objects.
# The last four categories (claim A11) run gillab_list_private and gillab_dict_private, loops of
# list and dict stores and reads, each against serial on its loop: biased with the containers'
# locks, and without them.
load "plots/style.gp"
if (!exists("in")) in = dir."/summary-overhead.csv"
if (!exists("out")) out = outdir."/overhead"
eval READ_META
CATS = "serial gil refcount-lock:mutex refcount-lock:spinlock atomic cas biased processes lists:biased lists:biased-unlocked dicts:biased dicts:biased-unlocked"
LABELS = "serial gil refcount-lock:mutex refcount-lock:spinlock atomic cas biased processes biased(list-loop) biased-unlocked(list-loop) biased(dict-loop) biased-unlocked(dict-loop)"
cat(s, k, w) = (w eq "gillab_list_private" ? "lists:" : w eq "gillab_dict_private" ? "dicts:" : "") . (k eq "" ? s : s . ":" . k)
pos(c) = sum [i = 1:words(CATS)] (word(CATS, i) eq c ? i : 0)
x(imm) = column("workers") == 1 && column("immortal") == imm ? pos(cat(strcol("strategy"), strcol("lock_kind"), strcol("workload"))) + (imm ? 0.2 : -0.2) : NaN
array IMM[2]
do for [imm = 0:1] {
  COND = 'column("workers") == 1 && column("immortal") == imm'
  eval COUNT
  IMM[imm + 1] = N > 0
}
set xtics () rotate by -25 left
do for [i = 1:words(CATS)] { set xtics add (word(LABELS, i) i) }
set title sprintf("What each strategy costs a single thread\n{/*0.8 %s}", meta(in))
set ylabel "time relative to the serial loop (median; bars: 95% interval)"
set boxwidth 0.38
set xrange [0.4:words(CATS) + 0.6]
set yrange [0:*]
set key top right
set bmargin 7
do for [ext in EXTS] {
  @TERM
  plot 1 lc rgb "#777777" dt 2 title "serial = 1", \
       for [i = 1:IMM[1]] in using (x(0)):(1 / column("speedup_median")):(colour(strcol("strategy"))) \
          with boxes lc rgb variable fs solid 0.85 title "immortal off", \
       for [i = 1:IMM[2]] in using (x(1)):(1 / column("speedup_median")):(colour(strcol("strategy"))) \
          with boxes lc rgb variable fs pattern 4 title "immortal on (hatched): against serial with immortal objects; serial: immortality's own cost", \
       for [imm = 0:1] for [i = 1:IMM[imm + 1]] in using (x(imm)):(1 / column("speedup_median")):(1 / column("speedup_ci_high")):(1 / column("speedup_ci_low")) \
          with yerrorbars lc rgb "black" pt -1 notitle
  unset output
}
