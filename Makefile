# gillab: the user's entry points. `make experiments` and `make test` set everything up on a
# fresh Debian machine: missing packages are installed (as root), then CMake builds.
BUILD      ?= build
JOBS       ?= $(shell nproc)
GILLAB     := $(BUILD)/harness/gillab
CONFIGS    := $(filter-out configs/smoke.yaml,$(wildcard configs/*.yaml))
DEB_PKGS   := cmake g++ make python3 libhwloc-dev libboost-program-options-dev gnuplot-nox \
              nlohmann-json3-dev libyaml-cpp-dev googletest libgtest-dev libbenchmark-dev poppler-utils

.PHONY: all deps build harness experiments aligned-builds reproduce code-layout ftscaling-method plots report readme machines test bench cpython clean help

all: build

help:
	@echo "make experiments   build gillab (and gillab-align32, -align64, its strategies aligned otherwise: BUILDS= skips them), then run every config in configs/ (results/<machine>/)"
	@echo "make reproduce     run the configs twice (other layouts, same tasks) and print how often the second lies in the first's intervals"
	@echo "make code-layout   build gillab with its strategies aligned at 16, 32, 64 bytes and show how far each ratio moves between builds"
	@echo "make ftscaling-method  ftscalingbench's own T1 x N / TN beside the suite's CPython figure (after make cpython)"
	@echo "make plots         render one machine's figures (MACHINE=..., default this one) into plots/out/<machine>/, and the machines' comparison into build/compare/"
	@echo "make report        write results/<machine>/REPORT.md, and every machine side by side into build/compare/"
	@echo "make machines      write the tracked comparison: results/MACHINES.md, machines.csv, plots/out/machines.*"
	@echo "make readme        also write README.md's claims table from results/<machine> (MACHINE=...; after a reference run)"
	@echo "make test          build, then run the unit and end-to-end tests"
	@echo "make bench         build, then run the micro-benchmarks"
	@echo "make cpython       build CPython twice from one source (GIL and --disable-gil) into build/cpython/"
	@echo "make deps          install the Debian packages gillab needs (as root)"
	@echo "make clean         remove the build"

# Installs only what is missing, so it is quick when nothing is.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then \
	    echo "gillab needs these Debian packages: $$missing" >&2; \
	    echo "install them as root with:" >&2; \
	    echo "  sudo apt-get update && sudo apt-get install -y $$missing" >&2; \
	    exit 1; \
	  fi; \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Only the gillab binary: what experiments, plots and report run (no tests, no benchmarks).
harness: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target gillab

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Code layout moves ratios by up to 8.9% between builds that align code differently
# (make code-layout: results/CODE-LAYOUT-intel-r-xeon-r-processor-f6m167-2c-vm.md), so by default the runs sample it: gillab plus gillab-align32 and
# -align64 (the strategies' code aligned at 32 and 64 bytes, all else the same objects), round r
# measured by build r mod 3 (BUILDS= measures with one build only).
BUILDS ?= aligned
ALIGNED := 32 64
BUILD_WITH = $(if $(filter aligned,$(BUILDS)),$(foreach a,$(ALIGNED),--build-with $(BUILD)/harness/gillab-align$(a)))
aligned-builds: deps $(BUILD)/CMakeCache.txt
	@echo "building gillab with the strategies' code aligned at $(ALIGNED) bytes"
	@cmake --build $(BUILD) -j $(JOBS) --target $(foreach a,$(ALIGNED),gillab-align$(a)) >/dev/null

experiments: harness $(if $(filter aligned,$(BUILDS)),aligned-builds)
	@test -x $(GILLAB) || { echo "make experiments: the gillab harness is not built yet" >&2; exit 1; }
	@test -n "$(CONFIGS)" || { echo "make experiments: no configs in configs/ yet" >&2; exit 1; }
	@set -e; run=""; for c in $(CONFIGS); do \
	  if grep -q 'implementation:.*cpython' $$c && ! command -v python3 >/dev/null; then \
	    echo "== $$c: skipped, no python3 on this machine (it runs the same tasks in CPython)"; continue; fi; \
	  run="$$run $$c"; done; \
	$(GILLAB) run $$run $(BUILD_WITH)

# Two independent invocations of the same configs: the same tasks, other layouts (layout_seed),
# measured as make experiments measures (the aligned builds too, unless BUILDS=).
# gillab reproduce prints, per claim figure, whether B's median lies inside A's interval.
# REPRO_A=results/<machine>: that committed run is invocation A (layout_seed = its seed), and
# only B runs.
REPRO_CONFIGS ?= $(CONFIGS)
REPRO_DIR     ?= build/reproduce
REPRO_A       ?=
reproduce: harness $(if $(filter aligned,$(BUILDS)),aligned-builds)
	@rm -rf $(REPRO_DIR); set -e; for run in $(if $(REPRO_A),b:202,a:101 b:202); do \
	  echo "== invocation $${run%%:*} (layout_seed $${run##*:})"; \
	  $(GILLAB) run $(REPRO_CONFIGS) --out $(REPRO_DIR)/$${run%%:*} --set layout_seed=$${run##*:} --quiet $(BUILD_WITH) || [ $$? -eq 1 ]; done; \
	$(GILLAB) reproduce $(if $(REPRO_A),$(REPRO_A),$(REPRO_DIR)/a) $(REPRO_DIR)/b | tee $(REPRO_DIR)/REPRODUCE.md

# Code layout as a factor: the A/A study and the overhead config on builds that align functions
# and loops at 16, 32 and 64 bytes; gillab code-layout prints how far each ratio moves between
# builds, beside its intervals.
CODE_ALIGNS ?= 16 32 64
CODE_CONFIGS ?= configs/overhead.yaml
code-layout: harness
	@set -e; cmake --build $(BUILD) -j $(JOBS) --target $(foreach a,$(CODE_ALIGNS),gillab-align$(a)) >/dev/null; \
	dirs=""; for a in $(CODE_ALIGNS); do \
	  echo "== align $$a"; $(BUILD)/harness/gillab-align$$a run $(CODE_CONFIGS) --out build/code-layout/align$$a --quiet || [ $$? -eq 1 ]; \
	  dirs="$$dirs build/code-layout/align$$a"; done; \
	$(GILLAB) code-layout $$dirs | tee build/code-layout/CODE-LAYOUT.md

# ftscalingbench's own method (one sample each of T1 x N / TN, in the Python under test) beside
# the suite's CPython figure for the same files and builds (make cpython first):
# results/FTSCALING-METHOD-<machine>.md.
FTS_DIR ?= build/ftscaling-method
FTS_SAMPLES ?= 15
FTS_COLD ?= 5
ftscaling-method: harness
	@set -e; m=$$($(GILLAB) machine); rm -rf $(FTS_DIR); \
	$(GILLAB) run configs/ftscaling.yaml --set implementation=cpython --out $(FTS_DIR) --quiet || [ $$? -eq 1 ]; \
	python3 experiments/cpython/ftscalingbench_method.py --summary $(FTS_DIR)/summary-ftscaling.csv \
	  --python "build/cpython/*/bin/python3" --samples $(FTS_SAMPLES) --cold-processes $(FTS_COLD) --out results/FTSCALING-METHOD-$$m.md

# Each machine's results live in results/<machine>/ (`gillab machine` names this one); plots and
# report draw one machine (MACHINE=..., by default this one) and compare all of them.
MACHINE ?=
# Where make plots and make report put every machine side by side (untracked; make machines
# writes the tracked comparison).
COMPARE_OUT ?= build/compare
WHICH = m="$(MACHINE)"; [ -n "$$m" ] || m=$$($(GILLAB) machine); \
  if [ ! -d "results/$$m" ]; then echo "make: no results for machine '$$m' in results/: run make experiments, or pick one: MACHINE=<$$(ls -d results/*/ 2>/dev/null | xargs -n1 basename 2>/dev/null | tr '\n' ' ')>" >&2; exit 1; fi

# Figures are pure functions of the CSVs: each raw CSV's summary, and the machines' comparison,
# are derived again first. PNG and SVG for screens, PDF for papers at one column's width
# (PAPER=page: the full width). One machine's figures go to plots/out/<machine>/.
PAPER ?= column
# Each gnuplot and the benchmark binary on a watchdog too: a hung one is one line, exit 2.
PLOT_LIMIT_S ?= 120
BENCH_LIMIT_S ?= 1800
PLOT = timeout -k 5 $(PLOT_LIMIT_S) gnuplot
PLOT_FAILED = { rc=$$?; [ $$rc -eq 124 ] && echo "make plots: gnuplot $$p ran past $(PLOT_LIMIT_S) s: killed" >&2 || echo "make plots: gnuplot $$p failed (status $$rc)" >&2; exit 2; }
plots: harness
	@set -e; $(WHICH); mkdir -p "plots/out/$$m"; \
	for c in results/$$m/*.csv; do case $$c in */summary-*|*/timeline-*|*/cas-hist-*|*/claims.csv) continue;; esac; \
	  $(GILLAB) summarize $$c >/dev/null; done; \
	for p in plots/*.gp; do case $$p in */style.gp|*/machines.gp) continue;; esac; \
	  in=$$(sed -n 's|^if (!exists("in")) in = dir\."/\(.*\)"$$|\1|p' $$p); \
	  if [ -n "$$in" ] && [ ! -f "results/$$m/$$in" ]; then echo "skip $$p: this machine has no $$in"; continue; fi; \
	  echo "gnuplot $$p ($$m)"; $(PLOT) -e "paper='$(PAPER)'; dir='results/$$m'; outdir='plots/out/$$m'" $$p >/dev/null || $(PLOT_FAILED); done; \
	$(GILLAB) compare results --out $(COMPARE_OUT) >/dev/null; echo "gnuplot plots/machines.gp (every machine) -> $(COMPARE_OUT)"; p=plots/machines.gp; \
	$(PLOT) -e "paper='$(PAPER)'; in='$(COMPARE_OUT)/machines.csv'; out='$(COMPARE_OUT)/machines'" plots/machines.gp >/dev/null || $(PLOT_FAILED)

# make report writes the machine's REPORT.md, and the machines side by side into
# $(COMPARE_OUT), so a report of one's own machine changes no tracked file but its own
# results. The shared, tracked files are written only when asked: `make readme` (README.md's
# claims table, after a reference run is regenerated) and `make machines` (results/MACHINES.md,
# results/machines.csv and plots/out/machines.*, after a machine's folder is committed).
report: harness
	@set -e; $(WHICH); \
	$(GILLAB) report "results/$$m" --figures "plots/out/$$m"; \
	$(GILLAB) compare results --out $(COMPARE_OUT)

machines: harness
	@set -e; $(GILLAB) compare results; p=plots/machines.gp; \
	$(PLOT) -e "paper='$(PAPER)'" plots/machines.gp >/dev/null || $(PLOT_FAILED); echo "wrote plots/out/machines.*"

readme: harness
	@set -e; $(WHICH); \
	$(GILLAB) report "results/$$m" --figures "plots/out/$$m" --readme README.md

# The micro-benchmarks, every repetition kept, converted to results/<machine>/micro.csv; then the
# plain interpreter timed beside python3 on the same pow tasks.
BENCH_ARGS ?= --benchmark_repetitions=5 --benchmark_min_time=0.2
bench: build
	@set -e; m=$$($(GILLAB) machine); mkdir -p "results/$$m"; \
	timeout -k 5 $(BENCH_LIMIT_S) $(BUILD)/experiments/micro/gillab_bench $(BENCH_ARGS) --benchmark_out="results/$$m/micro-gbench.json" \
	  --benchmark_out_format=json || { rc=$$?; [ $$rc -eq 124 ] && echo "make bench: gillab_bench ran past $(BENCH_LIMIT_S) s: killed" >&2; exit 2; }; \
	$(GILLAB) micro "results/$$m/micro-gbench.json" --out "results/$$m"

# CPython from one upstream source, the default build and the free-threaded one, into
# build/cpython/<version>{,t}/ (PYTHON_SRC=tarball, or Debian's python3.14/python3.13 source
# package through a private apt configuration). About 2-4 minutes a build on 2 cores.
cpython:
	experiments/cpython/build-cpython.sh

clean:
	rm -rf $(BUILD) plots/out
