# Ratusha — the two commands: `make run` and `make test`. Everything else is a helper.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DATA_DIR   ?= var
LISTEN     ?= 127.0.0.1:8080
CTEST_ARGS ?=

.PHONY: all deps build web run test test-unit test-integration test-e2e test-asan fuzz bench fmt clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRATUSHA_WERROR=$${RATUSHA_WERROR:-OFF}

build: $(BUILD)/build.ninja
	cmake --build $(BUILD)
	@if [ -f web/index.html ]; then npm run --silent build; fi

web:
	npm run build

# Installs what is missing, builds, creates the demo municipality on first start and serves.
run: deps build
	@if [ ! -f $(DATA_DIR)/ratusha.db ]; then \
	  $(BUILD)/ratusha demo --data-dir $(DATA_DIR) --locale $${RATUSHA_DEMO_LOCALE:-bg} > /dev/null; fi
	@echo
	@echo "  Ratusha is starting on http://$(LISTEN)"
	@echo "  Demo administrator: $$(sed -n 's/^access_code=//p' $(DATA_DIR)/demo-administrator.txt)"
	@echo "  First login: use 'Activate' with the activation secret $$(sed -n 's/^activation_secret=//p' $(DATA_DIR)/demo-administrator.txt)"
	@echo
	exec $(BUILD)/ratusha serve --data-dir $(DATA_DIR) --listen $(LISTEN)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRATUSHA_SANITIZE=ON

$(FUZZ_BUILD)/build.ninja:
	CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRATUSHA_FUZZ=ON -DBUILD_TESTING=OFF

fuzz: $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) --target fuzz_targets
	@mkdir -p $(FUZZ_BUILD)/corpus/request $(FUZZ_BUILD)/corpus/json
	$(FUZZ_BUILD)/fuzz_request -max_total_time=$${FUZZ_SECONDS:-20} -rss_limit_mb=1024 $(FUZZ_BUILD)/corpus/request tests/fuzz/corpus/request 2>&1 | tail -n 1
	$(FUZZ_BUILD)/fuzz_json -max_total_time=$${FUZZ_SECONDS:-20} -rss_limit_mb=1024 $(FUZZ_BUILD)/corpus/json tests/fuzz/corpus/json 2>&1 | tail -n 1

test-asan: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) --target ratusha ratusha_unit_tests
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -E 'e2e|integration_postgresql' $(CTEST_ARGS)

# Unit, integration (SQLite and PostgreSQL), browser end-to-end, fuzz smoke and sanitizer runs.
test: deps build
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory test-asan
	cd $(BUILD) && ctest --output-on-failure $(CTEST_ARGS)

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit

test-integration: build
	cd $(BUILD) && ctest --output-on-failure -L integration

test-e2e: build
	cd $(BUILD) && ctest --output-on-failure -L e2e

bench: build
	bench/run.sh
	bench/documents.sh
	bench/workspace.sh
	bench/council.sh
	bench/media.sh

fmt:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'bench/*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) web/dist
