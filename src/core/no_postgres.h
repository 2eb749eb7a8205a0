// The core library must compile without PostgreSQL's server headers: port.h renames printf and
// friends, and macros such as Max, Min and foreach collide with standard C++. Every core header
// includes this guard so a mistake shows up at compile time, not as a strange link error.
#pragma once
#ifdef POSTGRES_H
#error "src/core must not see PostgreSQL server headers; include core headers before postgres.h"
#endif
