# Every target runs through the Bun pinned in package.json (node_modules/.bin/bun).
BUN := node_modules/.bin/bun
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: install build release test bench clean

install: node_modules/.bin/bun

node_modules/.bin/bun: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: install
	$(BUN) build.ts

release: install
	$(BUN) build.ts --all

test: build
	bash test/run.sh

bench: build
	$(BUN) bench/main.ts

clean:
	rm -rf dist
