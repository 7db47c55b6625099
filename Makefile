# mbl-open: `make book` builds the book, `make test` runs every test.
# Both create the virtual environment .venv on first use (needs only python3 and make).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CACHE_STAMP := _build/.mbl_open_sources

# Progress bars off in builds, goldens and tests (see mbl_open/infrastructure/progress.py);
# matplotlib keeps its inline backend inside kernels.
export MBL_OPEN_NO_PROGRESS := 1
unexport MPLBACKEND

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=600

.PHONY: book pdf check-pdf test test-portability goldens bench data browser check-html env clean clean-cache

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e . \
	  || $(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	touch $(STAMP)

# The execution cache does not see edits to mbl_open/: drop it whenever the package changed.
$(CACHE_STAMP): $(wildcard mbl_open/*.py mbl_open/*/*.py) | $(STAMP)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $(CACHE_STAMP)

book: $(STAMP) $(CACHE_STAMP)
	$(VENV)/bin/jupyter-book build . --warningiserror --keep-going
	@echo "book: open _build/html/index.html"

# The whole book as one PDF, offline, after `make book`: the single-page build reuses the
# execution cache (no chapter runs again), headless Chromium prints it (tools/print_pdf.py,
# needs `make browser`), tools/check_pdf.py checks it, and a copy beside _build/html/index.html
# is what every page's download menu offers as "book .pdf" (book/_ext/downloads.py).
PDF := _build/pdf/mbl-open.pdf

pdf: $(STAMP) $(CACHE_STAMP)
	$(VENV)/bin/jupyter-book build . --builder singlehtml --warningiserror --keep-going
	$(PY) tools/print_pdf.py _build/singlehtml $(PDF)
	$(PY) tools/check_pdf.py $(PDF) --html _build/singlehtml/mbl-open.html
	@if [ -d _build/html ]; then cp $(PDF) _build/html/mbl-open.pdf && echo "pdf: $(PDF), offered as _build/html/mbl-open.pdf"; \
	else echo "pdf: $(PDF) (no _build/html to offer it in: make book)"; fi

check-pdf: $(STAMP)
	$(PY) tools/check_pdf.py $(PDF) --html _build/singlehtml/mbl-open.html

# Debian's headless Chromium and its WebDriver, for check-html (needs root on a fresh machine).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
	  echo "chromium and chromedriver present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
	  || { echo "ERROR: apt-get could not install chromium and chromium-driver"; exit 1; }; \
	else \
	  echo "ERROR: chromium and chromedriver are missing and cannot be installed here (needs root and apt-get)"; exit 1; \
	fi

# Open every built page in headless Chromium with no network (tools/check_book_html.py).
check-html: $(STAMP)
	$(PY) tools/check_book_html.py _build/html

test: $(STAMP)
	$(PY) -m pytest $(NBVAL) --doctest-modules tests mbl_open

# The whole suite under other BLAS kernels and thread counts (tools/test_portability.py).
test-portability: $(STAMP)
	$(PY) tools/test_portability.py

goldens: $(STAMP)
	$(PY) tests/make_goldens.py

# The book's datasets (data/*.json) from their sweeps; resumable: run again to continue.
# The TEBD sweeps beyond exact diagonalisation grow over sessions (README) with one worker.
data: $(STAMP)
	@for sweep in sweeps/book_exact.yaml sweeps/book_chi.yaml sweeps/book_tebd.yaml; do \
	  echo "== $$sweep"; $(PY) -m mbl_open sweep $$sweep || exit 1; done
	@for sweep in sweeps/tebd_n12.yaml sweeps/limit_n12.yaml sweeps/relax_n20.yaml sweeps/tebd_n12_chi.yaml sweeps/tebd_n16.yaml sweeps/tebd_n20.yaml; do \
	  echo "== $$sweep"; $(PY) -m mbl_open sweep $$sweep --workers 1 || exit 1; done

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean-cache:
	rm -rf _build/.jupyter_cache $(CACHE_STAMP)

clean:
	rm -rf _build results
