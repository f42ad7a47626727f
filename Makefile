# Every target runs through the Bun pinned in package.json (node_modules/.bin/bun).
BUN := node_modules/.bin/bun
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: install build release release-check image image-check docs test bench soak sandbox demo demo-stop clean

# Installs once; after changing package.json run `npm ci` yourself (a reinstall under running tests would pull the floor away).
install: node_modules/.bin/bun

node_modules/.bin/bun:
	npm ci --no-audit --no-fund

build: install
	$(BUN) build.ts

release: install
	$(BUN) build.ts --all

# Checks the release binaries: checksums, formats, and linux-arm64 under qemu-user-static and windows-x64 under Wine.
release-check: release
	bash scripts/release-check.sh

# The container image for CI users, built without a daemon (umoci): dist/image/oci and dist/image/nic-image.tar.
image: build
	bash scripts/image.sh

# Runs `nic version` and `nic validate` inside the image (unpacked, chroot as its user; needs root).
image-check: image
	bash scripts/image-check.sh

# The generated reference pages (docs/configuration.md, docs/errors.md); a test fails when they are stale.
docs: install
	$(BUN) scripts/docs.ts

test: build
	bash test/run.sh

# Man pages (dist/man/*.1) from the command definitions that also give --help.
man: install
	$(BUN) scripts/man.ts dist/man

bench: build
	$(BUN) bench/main.ts

# The long reliability runs (about an hour), each printing its figures and failing on any violation:
# R1 50 trials per state backend of 8 processes locking one state (SOAK_TRIALS), then of 8 concurrent `nic deploy` runs (SOAK_DEPLOY_TRIALS);
# R3 10 deploys under injected faults (SOAK_FAULT_DEPLOYS); R2 20 SIGKILLs at random points of a deploy and of a destroy,
# each rerun checked (SOAK_KILLS, SOAK_DESTROY_KILLS); R6 hung calls (SOAK_HUNG) and R7 kills during slow creates (SOAK_INFLIGHT).
# It ends with a table per scenario: trials, passes, orphans, journal entries left, time to detect a hung call.
# SOAK_BACKENDS narrows the backends, SOAK_SEED replays the kill points.
soak: build
	$(BUN) bench/soak-state.ts
	$(BUN) bench/soak-deploy-race.ts
	$(BUN) bench/soak.ts

# The sandbox in the foreground: prints its endpoints as shell exports (eval them in another shell).
# `make sandbox PROFILE=realistic [SCALE=60]`: transitions as long as on AWS, divided by SCALE (sandbox/profiles.ts).
sandbox: install
	$(BUN) sandbox/main.ts $(if $(PROFILE),--profile $(PROFILE)) $(if $(SCALE),--scale $(SCALE))

# The main job on the built-in sandbox: deploy the example AWS config, show it converged, print status and outputs.
# `make demo PROVIDER=existing` does the same with provider: existing on the sandbox's standalone Kubernetes cluster.
# `make demo PROVIDER=azure` deploys fixtures/configs/demo-azure.yaml (AKS) on the sandbox's ARM endpoint.
# `make demo PROVIDER=gcp` deploys fixtures/configs/demo-gcp.yaml (GKE) on the sandbox's GCP endpoint.
demo: build
	bash scripts/demo.sh

demo-stop:
	@if [ -f .demo/sandbox.pid ]; then kill "$$(cat .demo/sandbox.pid)" 2>/dev/null || true; rm -f .demo/sandbox.pid; echo "sandbox stopped"; fi

clean:
	rm -rf dist .demo
