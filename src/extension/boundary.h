// The C++/PostgreSQL boundary. Two rules, one per direction; every file in src/extension/ obeys
// them.
//
// 1. C++ -> PostgreSQL. A C++ exception that reaches PostgreSQL's C frames is std::terminate: a
//    crashed backend and a restart of every session. So every SQL-callable function is a thin
//    extern "C" wrapper whose body runs inside guarded(). guarded() catches everything, copies the
//    message into a static buffer (no allocation inside the catch, which could itself fail),
//    leaves the catch block, and only then raises ereport(ERROR) with a real SQLSTATE.
//
// 2. PostgreSQL -> C++. ereport(ERROR) longjmps past every C++ frame up to the nearest PG_TRY,
//    skipping destructors. So no object with a non-trivial destructor (std::string, std::vector,
//    a lock guard...) may be alive in a frame that calls into PostgreSQL. Code that needs the core
//    library's C++ types calls it through core_bridge.h, whose functions take and return plain
//    data and call no PostgreSQL function while a C++ object is alive.
#pragma once

#include <exception>
#include <new>

#include "core/table_options.h"

#include "pg.h"

namespace audit_fields::pg {

// Raises the captured error. Separate from guarded() so the raise happens after the catch ended.
[[noreturn]] void raise_captured(int sqlstate, const char* where, const char* message);

// Copies message into a static buffer without allocating; returns the buffer.
const char* capture_message(const char* message) noexcept;

template <typename Body> Datum guarded(const char* where, Body&& body) {
    int sqlstate = 0;
    const char* message = nullptr;
    try {
        return body();
    } catch (const OptionError& e) {
        sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
        message = capture_message(e.what());
    } catch (const std::bad_alloc&) {
        sqlstate = ERRCODE_OUT_OF_MEMORY;
        message = capture_message("out of memory");
    } catch (const std::exception& e) {
        sqlstate = ERRCODE_INTERNAL_ERROR;
        message = capture_message(e.what());
    } catch (...) {
        sqlstate = ERRCODE_INTERNAL_ERROR;
        message = capture_message("unknown C++ exception");
    }
    raise_captured(sqlstate, where, message);
}

} // namespace audit_fields::pg
