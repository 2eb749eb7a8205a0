# PGXS build of the extension: audit_fields.so from src/extension/ and the shared src/core/.
# The core library, the CLI and the GoogleTest suites are built by CMake in build/ (see
# CMakeLists.txt); scripts/test.sh runs everything.

PG_CONFIG ?= pg_config

EXTENSION = audit_fields
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" audit_fields.control)
MODULE_big = audit_fields

CORE_SRCS := $(sort $(wildcard src/core/*.cpp))
EXT_SRCS := $(sort $(wildcard src/extension/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(EXT_SRCS:.cpp=.o)

# SQL is kept per version: extension_sql/<version>/ holds what that version adds. The upgrade
# script A--B is B's directory; the install script of B is every directory up to B, so a fresh
# install and an upgrade run the same statements.
# Versions are the directories of extension_sql/, in version order.
VERSIONS := $(shell ls extension_sql | sort -V)
PREV_VERSIONS := $(filter-out $(lastword $(VERSIONS)),$(VERSIONS))
NEXT_VERSIONS := $(filter-out $(firstword $(VERSIONS)),$(VERSIONS))
UPGRADE_SCRIPTS := $(join $(addprefix audit_fields--,$(PREV_VERSIONS)),$(addsuffix .sql,$(addprefix --,$(NEXT_VERSIONS))))
DATA_built = audit_fields--$(firstword $(VERSIONS)).sql $(UPGRADE_SCRIPTS) audit_fields--$(EXTVERSION).sql
EXTRA_CLEAN = $(DATA_built)

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --dbname=audit_fields_regression

# Server headers as system headers: their unused parameters are not our warnings.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server)
PG_CXXFLAGS = -std=c++17 -Wno-register -Wall -Wextra -Werror=return-type -fPIC -Isrc
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
audit_fields--$(firstword $(VERSIONS)).sql: $(sort $(wildcard extension_sql/$(firstword $(VERSIONS))/*.sql))
	cat $^ > $@

define upgrade_rule
audit_fields--$(1)--$(2).sql: $$(sort $$(wildcard extension_sql/$(2)/*.sql))
	cat $$^ > $$@
endef
$(foreach i,$(shell seq 1 $(words $(PREV_VERSIONS))),$(eval $(call upgrade_rule,$(word $(i),$(PREV_VERSIONS)),$(word $(i),$(NEXT_VERSIONS)))))

ifneq ($(EXTVERSION),$(firstword $(VERSIONS)))
audit_fields--$(EXTVERSION).sql: audit_fields--$(firstword $(VERSIONS)).sql $(UPGRADE_SCRIPTS)
	cat $^ > $@
endif
