#include "scan_bridge.h"

#include "core/scan_config.h"
#include "core/scan_rules.h"

#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace audit_fields::pg {

struct ScanHandle {
    scan::ScanResult result;
    std::vector<const scan::Finding*> findings;
    // Per table: c_str() pointers into result, prepared up front so accessors do not allocate.
    std::vector<std::vector<const char*>> present, missing;
    std::vector<std::vector<std::string>> check_ids;
    std::vector<std::vector<const char*>> checks;
};

namespace {
void copy_to(char* out, std::size_t len, const char* text) noexcept {
    std::strncpy(out, text, len - 1);
    out[len - 1] = '\0';
}

std::vector<const char*> pointers(const std::vector<std::string>& items) {
    std::vector<const char*> out;
    out.reserve(items.size());
    for (const std::string& s : items)
        out.push_back(s.c_str());
    return out;
}
} // namespace

ScanHandle* scan_run(const scan::RowSet& tables, const scan::RowSet& columns,
                     const scan::RowSet& triggers, const char* config_json, char* error,
                     std::size_t error_len, bool* bad_config) noexcept {
    ScanHandle* handle = nullptr;
    *bad_config = false;
    try {
        scan::ScanOptions options;
        if (config_json != nullptr) {
            try {
                options.config = scan::parse_config_json(config_json);
            } catch (const scan::ConfigError& e) {
                *bad_config = true;
                throw;
            }
            options.config.source = "config";
        }
        handle = new ScanHandle;
        handle->result = scan::run_scan(scan::tables_from_rows(tables, columns, triggers), options);
        const std::size_t n = handle->result.tables.size();
        handle->present.reserve(n);
        handle->missing.reserve(n);
        handle->check_ids.resize(n);
        handle->checks.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const scan::TableReport& t = handle->result.tables[i];
            handle->present.push_back(pointers(t.present));
            handle->missing.push_back(pointers(t.missing));
            std::vector<std::string>& ids = handle->check_ids[i];
            for (const scan::Finding& f : t.findings) {
                handle->findings.push_back(&f);
                bool seen = false;
                for (const std::string& id : ids)
                    seen = seen || id == f.check_id;
                if (!seen)
                    ids.push_back(f.check_id);
            }
            handle->checks.push_back(pointers(ids));
        }
        return handle;
    } catch (const std::exception& e) {
        copy_to(error, error_len, e.what());
    } catch (...) {
        copy_to(error, error_len, "unknown error in the scanner");
    }
    delete handle;
    return nullptr;
}

void scan_free(ScanHandle* handle) noexcept {
    delete handle;
}

int scan_finding_count(const ScanHandle* h) noexcept {
    return static_cast<int>(h->findings.size());
}

PlainFinding scan_finding(const ScanHandle* h, int index) noexcept {
    const scan::Finding& f = *h->findings[static_cast<std::size_t>(index)];
    return {f.schema.c_str(),   f.table.c_str(),
            f.check_id.c_str(), scan::to_string(f.severity),
            f.message.c_str(),  f.remediation.c_str()};
}

int scan_table_count(const ScanHandle* h) noexcept {
    return static_cast<int>(h->result.tables.size());
}

PlainTableReport scan_table(const ScanHandle* h, int index) noexcept {
    const std::size_t i = static_cast<std::size_t>(index);
    const scan::TableReport& t = h->result.tables[i];
    PlainTableReport out{};
    out.schema = t.schema.c_str();
    out.table = t.table.c_str();
    out.kind = t.relkind == 'p' ? "partitioned table" : "table";
    out.status = scan::to_string(t.status);
    out.trigger = scan::to_string(t.trigger);
    out.ignore_reason = t.status == scan::TableStatus::Ignored ? t.ignore_reason.c_str() : nullptr;
    out.present = h->present[i].data();
    out.npresent = static_cast<int>(h->present[i].size());
    out.missing = h->missing[i].data();
    out.nmissing = static_cast<int>(h->missing[i].size());
    out.checks = h->checks[i].data();
    out.nchecks = static_cast<int>(h->checks[i].size());
    out.nfindings = static_cast<int>(t.findings.size());
    return out;
}

} // namespace audit_fields::pg
