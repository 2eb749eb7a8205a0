# PGXS build of the extension: audit_fields.so from src/extension/ and the shared src/core/.
# The core library, the CLI and the GoogleTest suites are built by CMake in build/ (see
# CMakeLists.txt); scripts/test.sh runs everything.

PG_CONFIG ?= pg_config

# Every source path is relative to this Makefile's directory, so the extension also builds out of
# tree: `make -f /src/Makefile` in an empty directory, or with VPATH=/src as Debian's pg_buildext
# does. Objects and generated SQL go to the current directory.
here := $(patsubst %/,%,$(dir $(firstword $(MAKEFILE_LIST))))

EXTENSION = audit_fields
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(here)/audit_fields.control)
MODULE_big = audit_fields

CORE_SRCS := $(patsubst $(here)/%,%,$(sort $(wildcard $(here)/src/core/*.cpp)))
EXT_SRCS := $(patsubst $(here)/%,%,$(sort $(wildcard $(here)/src/extension/*.cpp)))
OBJS = $(CORE_SRCS:.cpp=.o) $(EXT_SRCS:.cpp=.o)
ifneq ($(here),.)
$(shell mkdir -p src/core src/extension)
endif

# SQL is kept per version: extension_sql/<version>/ holds what that version adds. The upgrade
# script A--B is B's directory; the install script of B is every directory up to B, so a fresh
# install and an upgrade run the same statements.
# Versions are the directories of extension_sql/, in version order.
VERSIONS := $(shell ls $(here)/extension_sql | sort -V)
PREV_VERSIONS := $(filter-out $(lastword $(VERSIONS)),$(VERSIONS))
NEXT_VERSIONS := $(filter-out $(firstword $(VERSIONS)),$(VERSIONS))
UPGRADE_SCRIPTS := $(join $(addprefix audit_fields--,$(PREV_VERSIONS)),$(addsuffix .sql,$(addprefix --,$(NEXT_VERSIONS))))
DATA_built = audit_fields--$(firstword $(VERSIONS)).sql $(UPGRADE_SCRIPTS) audit_fields--$(EXTVERSION).sql
EXTRA_CLEAN = $(DATA_built)

REGRESS = $(patsubst $(here)/sql/%.sql,%,$(sort $(wildcard $(here)/sql/*.sql)))
REGRESS_OPTS = --dbname=audit_fields_regression

# Server headers as system headers: their unused parameters are not our warnings.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server)
PG_CXXFLAGS = -std=c++17 -Wno-register -Wall -Wextra -Werror=return-type -fPIC -I$(here)/src
SHLIB_LINK += -lstdc++


PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Debian's server is built with LLVM JIT, so PGXS also compiles each object to bitcode with clang,
# using only the bitcode flags.
COMPILE.cxx.bc += $(PG_CXXFLAGS)

# Header dependencies (PGXS tracks none by default): x.d next to each x.o. Only the native
# compile gets them; the bitcode compile would write the same .d file.
override CXXFLAGS += -MMD -MP
-include $(OBJS:.o=.d)
EXTRA_CLEAN += $(OBJS:.o=.d)

# The first version's install script is its directory; A--B is B's directory; the install script
# of the newest version is the first install script followed by every upgrade script in order.
# Each also depends on its directory, whose time changes when a file is added or removed there.
audit_fields--$(firstword $(VERSIONS)).sql: $(sort $(wildcard $(here)/extension_sql/$(firstword $(VERSIONS))/*.sql)) $(here)/extension_sql/$(firstword $(VERSIONS))
	cat $(filter %.sql,$^) > $@

define upgrade_rule
audit_fields--$(1)--$(2).sql: $$(sort $$(wildcard $(here)/extension_sql/$(2)/*.sql)) $(here)/extension_sql/$(2)
	cat $$(filter %.sql,$$^) > $$@
endef
$(foreach i,$(shell seq 1 $(words $(PREV_VERSIONS))),$(eval $(call upgrade_rule,$(word $(i),$(PREV_VERSIONS)),$(word $(i),$(NEXT_VERSIONS)))))

ifneq ($(EXTVERSION),$(firstword $(VERSIONS)))
audit_fields--$(EXTVERSION).sql: audit_fields--$(firstword $(VERSIONS)).sql $(UPGRADE_SCRIPTS)
	cat $^ > $@
endif
