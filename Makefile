# crm - a customer-relationship toolkit for the command line.
#
#   make            build the tools into $(O)/bin (O=build by default)
#   make check      the whole test suite, then again under ASan+UBSan
#   make demo       a demo store in ./demo, today's follow-ups, a history
#   make bench      benchmarks (not part of check)
#   make fuzz       libFuzzer targets, each for FUZZ_SECONDS
#   make install    PREFIX=/usr/local DESTDIR=

O = build
PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions

CC = cc
# -O3 and link-time optimisation (the reading of a log crosses reader.c,
# event.c and summary.c): 7% fewer instructions in the summary of a log
# than -O2, and in three rounds of alternated runs on the bench's 10M log
# medians of 0.56-0.66 s against 0.69-0.71 s.
OPT = -O3 -g -flto=auto
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2
SAN =
PKGS = jansson gsl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ljansson -lgsl -lgslcblas)
CFLAGS_ALL = -std=c11 $(OPT) $(WARN) $(SAN) $(PKG_CFLAGS) -D_GNU_SOURCE -Ilib $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lcsv -lm -lpthread $(LDLIBS)

# The shared library, in the order data flows through it.
LIBOBJ = \
	$(O)/lib/util.o \
	$(O)/lib/date.o \
	$(O)/lib/money.o \
	$(O)/lib/reader.o \
	$(O)/lib/writer.o \
	$(O)/lib/table.o \
	$(O)/lib/store.o \
	$(O)/lib/customer.o \
	$(O)/lib/event.o \
	$(O)/lib/base.o \
	$(O)/lib/entry.o \
	$(O)/lib/history.o \
	$(O)/lib/due.o \
	$(O)/lib/idmap.o \
	$(O)/lib/summary.o \
	$(O)/lib/ltv.o \
	$(O)/lib/segment.o \
	$(O)/lib/segstream.o \
	$(O)/lib/mail.o \
	$(O)/lib/ics.o \
	$(O)/lib/vcard.o \
	$(O)/lib/model.o

BINS = crm-add crm-log crm-due crm-segment crm-ltv

UNITS = \
	$(O)/tests/unit/test_util \
	$(O)/tests/unit/test_date \
	$(O)/tests/unit/test_money \
	$(O)/tests/unit/test_reader \
	$(O)/tests/unit/test_mail \
	$(O)/tests/unit/test_ics \
	$(O)/tests/unit/test_vcard \
	$(O)/tests/unit/test_model \
	$(O)/tests/unit/test_segment \
	$(O)/tests/unit/test_writer

LIB = $(O)/libcrm.a

all: $(BINS:%=$(O)/bin/%)

# Objects depend on this file too: a change of flags rebuilds them all.
$(O)/lib/%.o: lib/%.c lib/*.h Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(O)/cmd/%.o: cmd/%.c cmd/*.h lib/*.h Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(LIB): $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $(LIBOBJ)

$(O)/bin/%: $(O)/cmd/%.o $(O)/cmd/common.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< $(O)/cmd/common.o $(LIB) $(LDLIBS_ALL)

$(O)/tests/unit/%: tests/unit/%.c tests/unit/tap.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

units: $(UNITS)

# The fuzz targets, replayed over their corpus by make check (no
# libFuzzer needed), and run for real by make fuzz (clang).
FUZZ_TARGETS = csv json date money
FUZZ_SECONDS = 60
FUZZ_REPLAY = $(FUZZ_TARGETS:%=$(O)/tests/fuzz/replay_%)

$(O)/tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -Itests/fuzz $(LDFLAGS) -o $@ \
		tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(LIB) $(LDLIBS_ALL)

replays: $(FUZZ_REPLAY)

fuzz:
	@mkdir -p build-fuzz
	for t in $(FUZZ_TARGETS); do \
		clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
		    -Ilib -Itests/fuzz -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c \
		    $(LIBOBJ:$(O)/%.o=%.c) $(PKG_LIBS) -lcsv -lm || exit 1; \
	done
	for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t && \
		build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		    -artifact_prefix=build-fuzz/crash-$$t- \
		    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t 2>&1 | \
		    grep -E 'stat::number_of_executed_units|ERROR|crash-' ; \
		ls build-fuzz/crash-$$t-* 2>/dev/null && exit 1; \
	done; true

# The test suite: the C unit tests and the t/ scripts, all TAP, by prove.
# CRM_BUILD tells tests/lib.sh which build to put first on PATH.
test: all units replays
	CRM_BUILD=$(CURDIR)/$(O) prove -j2 $(PROVEFLAGS) $(UNITS) tests/t[0-9]*.sh

SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

check:
	$(MAKE) test
	$(MAKE) test O=build-san SAN="$(SANFLAGS)" OPT="-O1 -g"

# A demo store in ./demo: a few dozen customers with names in several
# languages, a few hundred events over the past year; then the main job.
demo: all
	@rm -rf demo
	@tmp=$$(mktemp -d) && scripts/demo-data.sh $$tmp && \
	CRM_USER=anna $(O)/bin/crm-add -d demo --import $$tmp/customers.csv >/dev/null && \
	CRM_USER=anna $(O)/bin/crm-log -d demo --import $$tmp/events.csv && \
	rm -rf $$tmp
	@echo; echo '$$ crm-due -d demo       # what is due today, most urgent first'
	@$(O)/bin/crm-due -d demo --table
	@echo; echo '$$ crm-due -d demo --agenda --within 7d'
	@$(O)/bin/crm-due -d demo --agenda --within 7d --table
	@echo; echo '$$ crm-log -d demo --history c3'
	@$(O)/bin/crm-log -d demo --history c3 --table
	@echo; echo "The store is in ./demo; try: PATH=\$$PWD/$(O)/bin:\$$PATH crm-due -d demo --help"

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	for b in $(BINS); do install -m 755 $(O)/bin/$$b $(DESTDIR)$(BINDIR)/$$b; done
	for b in $(BINS); do install -m 644 man/$$b.1 $(DESTDIR)$(MANDIR)/man1/$$b.1; done
	install -m 644 man/crm.7 $(DESTDIR)$(MANDIR)/man7/crm.7
	for b in $(BINS); do \
		install -m 644 scripts/completion/crm.bash $(DESTDIR)$(BASHCOMPDIR)/$$b; \
	done
	install -m 644 scripts/completion/_crm $(DESTDIR)$(ZSHCOMPDIR)/_crm

uninstall:
	for b in $(BINS); do \
		rm -f $(DESTDIR)$(BINDIR)/$$b $(DESTDIR)$(MANDIR)/man1/$$b.1 \
		    $(DESTDIR)$(BASHCOMPDIR)/$$b; \
	done
	rm -f $(DESTDIR)$(MANDIR)/man7/crm.7 $(DESTDIR)$(ZSHCOMPDIR)/_crm

# Benchmarks against DuckDB, sqlite3, Miller and gawk: bench/RESULTS.md.
bench:
	bench/run.sh $(BENCHFLAGS)

clean:
	rm -rf build build-san build-fuzz demo

.PHONY: all units replays test check clean demo install uninstall fuzz bench
