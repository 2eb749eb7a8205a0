#include "core_bridge.h"

#include "core/column_types.h"

#include <cstring>
#include <exception>

namespace audit_fields::pg {

namespace {
void copy_to(char* out, std::size_t len, const char* text) noexcept {
    std::strncpy(out, text, len - 1);
    out[len - 1] = '\0';
}

bool fits(const std::string& s, std::size_t len) {
    return s.size() < len;
}
} // namespace

bool parse_options(const char* const* items, int nitems, PlainOptions* out, char* error,
                   std::size_t error_len) noexcept {
    try {
        std::vector<std::string> list;
        for (int i = 0; i < nitems; ++i)
            list.emplace_back(items[i]);
        const TableOptions options = parse_table_options(list);
        out->policy = options.policy;
        for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
            if (!fits(options.column_names[i], kNameLen))
                throw OptionError("column name \"" + options.column_names[i] +
                                  "\" is longer than PostgreSQL's 63-byte identifier limit");
            copy_to(out->column_names[i], kNameLen, options.column_names[i].c_str());
            out->mapped[i] = options.mapped[i];
        }
        const std::vector<std::string> args = format_trigger_args(options);
        out->nargs = static_cast<int>(args.size());
        for (std::size_t i = 0; i < args.size(); ++i)
            copy_to(out->args[i], kArgLen, args[i].c_str());
        return true;
    } catch (const std::exception& e) {
        copy_to(error, error_len, e.what());
    } catch (...) {
        copy_to(error, error_len, "unknown error while parsing options");
    }
    return false;
}

bool check_type(AuditColumn column, const char* base_type, char category, char* reason,
                std::size_t reason_len) noexcept {
    try {
        const TypeVerdict verdict = check_column_type(column, ColumnTypeInfo{base_type, category});
        if (!verdict.usable)
            copy_to(reason, reason_len, verdict.reason.c_str());
        return verdict.usable;
    } catch (...) {
        copy_to(reason, reason_len, "could not check the column type");
        return false;
    }
}

} // namespace audit_fields::pg
