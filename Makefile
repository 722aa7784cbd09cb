# gillab: the user's entry points. `make experiments` and `make test` set everything up on a
# fresh Debian machine: missing packages are installed (as root), then CMake builds.
BUILD      ?= build
JOBS       ?= $(shell nproc)
GILLAB     := $(BUILD)/harness/gillab
CONFIGS    := $(filter-out configs/smoke.yaml,$(wildcard configs/*.yaml))
DEB_PKGS   := cmake g++ make python3 libhwloc-dev libboost-program-options-dev gnuplot-nox \
              nlohmann-json3-dev libyaml-cpp-dev googletest libgtest-dev libbenchmark-dev poppler-utils

.PHONY: all deps build harness experiments plots report test bench clean help

all: build

help:
	@echo "make experiments   build, then run every config in configs/ (results/)"
	@echo "make plots         render every figure from results/ into plots/out/"
	@echo "make report        write results/REPORT.md from results/"
	@echo "make test          build, then run the unit and end-to-end tests"
	@echo "make bench         build, then run the micro-benchmarks"
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

experiments: harness
	@test -x $(GILLAB) || { echo "make experiments: the gillab harness is not built yet" >&2; exit 1; }
	@test -n "$(CONFIGS)" || { echo "make experiments: no configs in configs/ yet" >&2; exit 1; }
	@set -e; run=""; for c in $(CONFIGS); do \
	  if grep -q 'implementation:.*cpython' $$c && ! command -v python3 >/dev/null; then \
	    echo "== $$c: skipped, no python3 on this machine (it runs the same tasks in CPython)"; continue; fi; \
	  run="$$run $$c"; done; \
	$(GILLAB) run $$run

# Figures are pure functions of results/: each raw CSV's summary is derived again first.
# PNG and SVG for screens, PDF for papers at one column's width (PAPER=page: the full width).
PAPER ?= column
plots: harness
	@mkdir -p plots/out
	@set -e; for c in results/*.csv; do case $$c in */summary-*|*/timeline-*|*/cas-hist-*|*/claims.csv) continue;; esac; \
	  $(GILLAB) summarize $$c >/dev/null; done
	@set -e; for p in plots/*.gp; do case $$p in */style.gp) continue;; esac; \
	  echo "gnuplot $$p"; gnuplot -e "paper='$(PAPER)'" $$p >/dev/null; done

report: harness
	@test -x $(GILLAB) || { echo "make report: the gillab harness is not built yet" >&2; exit 1; }
	$(GILLAB) report results --figures plots/out --readme README.md

# The micro-benchmarks, every repetition kept, converted to results/micro.csv; then the plain
# interpreter timed beside python3 on the same pow tasks.
BENCH_ARGS ?= --benchmark_repetitions=5 --benchmark_min_time=0.2
bench: build
	$(BUILD)/experiments/micro/gillab_bench $(BENCH_ARGS) --benchmark_out=results/micro-gbench.json \
	  --benchmark_out_format=json
	$(GILLAB) micro results/micro-gbench.json

clean:
	rm -rf $(BUILD) plots/out
