# Figure `containers` (claim A10): per loop, a list shared by the workers or one of each
# worker's own, each mechanism's speedup over its matched serial point beside CPython's GIL and
# free-threaded builds: ftscaling's figure, drawn from configs/containers.yaml's results.
if (!exists("in")) in = dir."/summary-containers.csv"
if (!exists("out")) out = outdir."/containers"
fig_title = "a list shared by the workers, or one each (per-object locks)"
load "plots/ftscaling.gp"
