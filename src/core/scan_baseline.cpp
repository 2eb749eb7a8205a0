#include "scan_baseline.h"

#include "scan_rules.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <set>

namespace audit_fields::scan {

std::string fingerprint(const Finding& f) {
    std::uint64_t h = 14695981039346656037ULL;
    auto mix = [&h](const std::string& s) {
        for (const char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
        h ^= 0x1f; // a separator no name contains, so ("ab","c") differs from ("a","bc")
        h *= 1099511628211ULL;
    };
    mix(f.schema);
    mix(f.table);
    mix(f.check_id);
    mix(f.column);
    mix(f.subject);
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string write_baseline(const ScanResult& result, const std::string& database) {
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    std::set<std::string> seen;
    for (const TableReport& t : result.tables)
        for (const auto* list : {&t.findings, &t.baselined})
            for (const Finding& f : *list) {
                const std::string fp = fingerprint(f);
                if (!seen.insert(fp).second)
                    continue;
                nlohmann::ordered_json e;
                e["fingerprint"] = fp;
                e["check_id"] = f.check_id;
                e["schema"] = f.schema;
                e["table"] = f.table;
                e["column"] =
                    f.column.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.column);
                e["message"] = f.message;
                findings.push_back(std::move(e));
            }
    nlohmann::ordered_json doc;
    doc["format"] = kBaselineFormatId;
    doc["database"] = database;
    doc["findings"] = std::move(findings);
    // Names are bytes from the catalogs: invalid UTF-8 is replaced (the fingerprint keeps the
    // original), never an exception.
    return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::vector<BaselineEntry> read_baseline(const std::string& text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw BaselineError(std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object() || doc.value("format", "") != kBaselineFormatId)
        throw BaselineError(std::string("not a baseline file (expected \"format\": \"") +
                            kBaselineFormatId + "\")");
    if (!doc.contains("findings") || !doc["findings"].is_array())
        throw BaselineError("\"findings\" must be an array");
    std::vector<BaselineEntry> out;
    for (std::size_t i = 0; i < doc["findings"].size(); ++i) {
        const nlohmann::json& e = doc["findings"][i];
        const std::string where = "findings[" + std::to_string(i) + "]";
        if (!e.is_object() || !e.contains("fingerprint") || !e["fingerprint"].is_string())
            throw BaselineError(where + ": needs a \"fingerprint\" string");
        BaselineEntry b;
        b.fingerprint = e["fingerprint"].get<std::string>();
        auto text_of = [&e](const char* key) {
            return e.contains(key) && e[key].is_string() ? e[key].get<std::string>()
                                                         : std::string();
        };
        b.check_id = text_of("check_id");
        b.schema = text_of("schema");
        b.table = text_of("table");
        b.column = text_of("column");
        out.push_back(std::move(b));
    }
    return out;
}

void apply_baseline(ScanResult& result, const std::vector<BaselineEntry>& baseline) {
    std::set<std::string> known, matched;
    for (const BaselineEntry& b : baseline)
        known.insert(b.fingerprint);
    for (TableReport& t : result.tables) {
        std::vector<Finding> active;
        for (Finding& f : t.findings) {
            const std::string fp = fingerprint(f);
            if (known.count(fp)) {
                matched.insert(fp);
                t.baselined.push_back(std::move(f));
            } else {
                active.push_back(std::move(f));
            }
        }
        t.findings = std::move(active);
        // A finding now waived still exists: its entry is not stale.
        for (const Finding& f : t.waived)
            matched.insert(fingerprint(f));
        update_status(t);
    }
    result.stale_baseline.clear();
    for (const BaselineEntry& b : baseline)
        if (!matched.count(b.fingerprint))
            result.stale_baseline.push_back(b);
    result.summary = summarize(result.tables);
}

} // namespace audit_fields::scan
