# One look for every figure: CSV input, fonts, sizes, grid, and one fixed colour per strategy.
# Each script loads this, sets `in` (its CSV in `dir`, one machine's results folder; overridable:
# gnuplot -e "in='...'" plots/x.gp) and `out` (in `outdir`, written as .png, .svg and .pdf), then
# plots inside `do for [ext in EXTS]`. `make plots` sets dir=results/<machine> and
# outdir=plots/out/<machine>.
if (!exists("dir")) dir = "results"
if (!exists("outdir")) outdir = "plots/out"
set datafile separator comma
set datafile missing NaN
set encoding utf8
set border 3 lw 1.2
set tics nomirror out
set grid ytics lc rgb "#e0e0e0" lw 1
set key top left Left reverse noautotitle spacing 1.2
set style fill solid 0.85 noborder
set pointsize 1.1
set fit quiet
set fit logfile "/dev/null"

EXTS = "png svg pdf"
# Switches the terminal to `ext` (png or svg) and the output to out.ext. Width and height in px.
W = 960
H = 600
# PDF for papers (cairo embeds the fonts), at a paper's single-column width (3.4 in) or, with
# `make plots PAPER=page` (gnuplot -e "paper='page'"), its full text width (7 in); the height
# keeps the figure's proportions.
if (!exists("paper")) paper = "column"
PAPER_IN = paper eq "page" ? 7.0 : 3.4
PDF_FONT = paper eq "page" ? "DejaVu Sans,8" : "DejaVu Sans,6"
# Keys, labels and points scale with the output: small print on paper.
SMALL = ",9"
TERM = 'if (ext eq "png") { set term pngcairo size W,H font "DejaVu Sans,11" enhanced; SMALL = ",9"; set pointsize 1.1 } else { if (ext eq "svg") { set term svg size W,H dynamic font "DejaVu Sans,11" enhanced; SMALL = ",9"; set pointsize 1.1 } else { set term pdfcairo size PAPER_IN, PAPER_IN * H / W font PDF_FONT enhanced linewidth 0.6; SMALL = paper eq "page" ? ",7" : ",5"; set pointsize 0.45 } }; set key font SMALL; set output out.".".ext'

# The same colour for a strategy in every figure.
colour(s) = s eq "serial" ? 0x4d4d4d : s eq "gil" ? 0xd62728 : s eq "race" ? 0x8c564b : \
            s eq "refcount-lock" ? 0xff7f0e : s eq "atomic" ? 0x1f77b4 : s eq "cas" ? 0x9467bd : \
            s eq "biased" ? 0x2ca02c : s eq "biased-unlocked" ? 0x98df8a : s eq "processes" ? 0x17becf : s eq "cpython" ? 0xe377c2 : \
            s eq "interpreters" ? 0xbcbd22 : s eq "threads" ? 0xe377c2 : s eq "deferred" ? 0x006d2c : 0x000000
STRATEGIES = "serial gil refcount-lock atomic cas biased processes"

# How many rows of `in` satisfy a condition: set COND (a string expression over columns), then
# `eval COUNT`, then read N. Series with no rows are left out of a plot (gnuplot warns on them).
COUNT = 'stats [*:*][*:*] in using (@COND ? 1 : 0) nooutput; N = STATS_sum'

# "machine, date" from a summary CSV's first row, for subtitles.
# f names the summary read by READ_META (gnuplot functions take at least one argument).
meta(f) = sprintf("%s, results of %s", META_MACHINE, META_DATE)
META_MACHINE = "unknown machine"
META_DATE = "unknown date"
# Usage: eval READ_META  (after `in` is set to a summary CSV)
READ_META = 'stats in using (META_MACHINE = strcol("machine"), META_DATE = strcol("date"), 0) nooutput'
