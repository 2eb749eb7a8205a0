// Builders for the scanner's plain model, shared by the scan_* and report_* tests.
#pragma once

#include "core/scan_model.h"

#include <string>
#include <vector>

namespace audit_fields::scan::testing {

inline Column col(const std::string& name, const std::string& base = "timestamp with time zone",
                  char category = 'D', bool not_null = true) {
    Column c;
    c.name = name;
    c.type = ColumnTypeInfo{base, category};
    c.declared_type = base;
    c.not_null = not_null;
    return c;
}

inline Column text_col(const std::string& name) {
    return col(name, "text", 'S', false);
}

inline Trigger stamp(std::vector<std::string> args = {}) {
    Trigger t;
    t.name = "zz_audit_fields";
    t.quoted_name = "zz_audit_fields";
    t.function_schema = "audit_fields";
    t.function_name = "stamp";
    t.args = std::move(args);
    t.before = t.row = t.on_insert = t.on_update = true;
    return t;
}

// A table with all six mandatory columns, enforced: the baseline every test breaks one way.
inline Table compliant(const std::string& name = "users") {
    Table t;
    t.schema = "public";
    t.name = name;
    t.qualified = "public." + name; // as the server's quote_ident() writes a plain name
    t.columns = {col("created_at"),           col("updated_at"),      text_col("created_by"),
                 text_col("created_by_name"), text_col("updated_by"), text_col("updated_by_name")};
    t.triggers = {stamp()};
    return t;
}

inline void drop_column(Table& t, const std::string& name) {
    for (auto it = t.columns.begin(); it != t.columns.end(); ++it)
        if (it->name == name) {
            t.columns.erase(it);
            return;
        }
}

inline std::vector<std::string> ids(const TableReport& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings)
        out.push_back(f.check_id);
    return out;
}

} // namespace audit_fields::scan::testing
