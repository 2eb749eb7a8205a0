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

# The install script is assembled from extension_sql/ (one file per concern); upgrade scripts
# (audit_fields--A--B.sql) are kept as written.
DATA_built = audit_fields--$(EXTVERSION).sql
DATA = $(sort $(wildcard audit_fields--*--*.sql))
EXTRA_CLEAN = audit_fields--$(EXTVERSION).sql

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

audit_fields--$(EXTVERSION).sql: $(sort $(wildcard extension_sql/*.sql)) audit_fields.control
	cat $(sort $(wildcard extension_sql/*.sql)) > $@
