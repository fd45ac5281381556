# phasekit — the two Quick start commands are `make demo` and `make test`.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
SWIFT ?= swift
SITE ?= .demo-site
PREFIX ?= /usr/local
BIN := .build/debug/phasekit
# The release build carries the Swift runtime and Foundation inside the binary: a host runs the
# copied binary (`phasekit agent`) without a Swift toolchain, and every process starts sooner (no
# Swift libraries to load and bind). Only the Debian libraries it links are needed (docs/remote.md).
RELEASE := -c release --static-swift-stdlib

.PHONY: demo test faults check-packaged-cluster build deps test-deps bindings install install-files bench clean distclean

## demo: build, create the sample site in $(SITE) when missing, and analyze it. make exits with
## phasekit's code, which is 2 (work found, nothing changed); the last line before make's says so.
demo: deps build
	@test -f $(SITE)/site.yaml || $(BIN) sample-site $(SITE)
	@echo '$(BIN) run sync --site $(SITE)'; status=0; $(BIN) run sync --site $(SITE) || status=$$?; \
	case $$status in \
	  0) echo "demo: phasekit exited 0: nothing (left) to change.";; \
	  2) echo "demo: phasekit exited 2: work found, nothing changed (analysis only; make reports it as Error 2).";; \
	  *) echo "demo: phasekit exited $$status (see Exit codes in README.md).";; \
	esac; exit $$status

## test: build and run the whole suite against real SQLite, PostgreSQL and Pacemaker (as root).
test: test-deps
	$(SWIFT) build --build-tests
	bash Tests/Support/with-postgres.sh bash Tests/Support/with-pacemaker.sh bash Tests/Support/with-private-tmp.sh $(SWIFT) test

## faults: the seeded fault campaign (docs/policy.md, "Interruptions"): N cases from seed SEED
## (default: the clock), each printed; a failing one replays with PHASEKIT_FAULT_SEED=SEED.
## KIND=fullDisk (or sshdGone, ctrlC, ...) keeps only the cases of that interruption.
N ?= 200
SEED ?= $(shell date +%s)
faults: test-deps
	$(SWIFT) build --build-tests
	PHASEKIT_FAULT_COUNT=$(N) PHASEKIT_FAULT_BASE=$(SEED) PHASEKIT_FAULT_SECONDS=0 PHASEKIT_FAULT_KIND=$(KIND) \
	  bash Tests/Support/with-postgres.sh bash Tests/Support/with-private-tmp.sh $(SWIFT) test --skip-build --filter FaultCampaignTests

## check-packaged-cluster: the test cluster takes over the one the packages start, and only that one (CI runs it).
check-packaged-cluster: test-deps
	bash Tests/Support/check-packaged-cluster.sh

build:
	$(SWIFT) build

deps:
	@bash Tests/Support/install-deps.sh build

test-deps:
	@bash Tests/Support/install-deps.sh test

## bindings: regenerate Bindings/ and docs/api.md from the binding registry.
bindings: build
	$(BIN) bindings --out Bindings --docs docs/api.md

## install: the release binary under $(PREFIX)/bin; the bundled scripts, the Lua API (Bindings/,
## docs/api.md) and the sample site's data (Samples/) beside them in $(PREFIX)/share/phasekit; bash and zsh completion.
install: deps
	$(SWIFT) build $(RELEASE)
	$(MAKE) install-files BIN=.build/release/phasekit

## install-files: install $(BIN) and the files above (what install does after building).
install-files:
	install -d $(PREFIX)/bin $(PREFIX)/share/phasekit/docs $(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions
	install -m 755 $(BIN) $(PREFIX)/bin/phasekit
	rm -rf $(PREFIX)/share/phasekit/Scripts && cp -R Scripts $(PREFIX)/share/phasekit/Scripts
	rm -rf $(PREFIX)/share/phasekit/Bindings && cp -R Bindings $(PREFIX)/share/phasekit/Bindings
	rm -rf $(PREFIX)/share/phasekit/Samples && cp -R Sources/Samples/Resources $(PREFIX)/share/phasekit/Samples
	install -m 644 docs/api.md $(PREFIX)/share/phasekit/docs/api.md
	$(BIN) --generate-completion-script bash > $(PREFIX)/share/bash-completion/completions/phasekit
	$(BIN) --generate-completion-script zsh > $(PREFIX)/share/zsh/site-functions/_phasekit

## bench: release build; phasekit vs its baselines side by side in one run, one table (see docs/performance.md).
## Row 9 measures pyinfra and ansible-core, installed from PyPI into .build/bench-venv (never needed by make test),
## with the first of python3.13, python3.12, python3 that runs (ansible-core 2.20 and later need Python 3.12);
## when that fails, row 9 says why and measures phasekit and the floor only.
bench: test-deps
	@if [ ! -x .build/bench-venv/bin/pyinfra ] || [ ! -x .build/bench-venv/bin/ansible-playbook ]; then \
	  echo "bench: installing pyinfra 3 and ansible-core 2 into .build/bench-venv for row 9 (log: .build/bench-venv.log)"; \
	  mkdir -p .build; \
	  for py in python3.13 python3.12 python3; do $$py -c '' 2>/dev/null && break; done; \
	  ($$py -m venv .build/bench-venv && .build/bench-venv/bin/pip install --timeout 30 --retries 1 'pyinfra==3.*' 'ansible-core==2.*') \
	    > .build/bench-venv.log 2>&1 || echo "bench: could not install them (see .build/bench-venv.log); row 9 runs without them"; \
	fi
	$(SWIFT) build $(RELEASE) --product PhaseKitBench
	$(SWIFT) build $(RELEASE) --product phasekit
	.build/release/PhaseKitBench

## clean: stop the sample site's services (phasekit services stop) and remove the sample site; the build stays.
clean:
	@if [ -x $(BIN) ] && [ -f $(SITE)/site.yaml ]; then $(BIN) services stop --site $(SITE) --yes || true; fi
	@for process in /proc/[0-9]*; do \
	  case "$$(readlink $$process/cwd 2>/dev/null)" in "$(abspath $(SITE))"*) kill $${process#/proc/} 2>/dev/null || true;; esac; \
	done
	rm -rf $(SITE)

## distclean: clean, and remove the build too.
distclean: clean
	rm -rf .build
