#include "report_json_common.h"

#include "scan_baseline.h"
#include "scan_config_json.h"

namespace audit_fields::scan {

namespace {
ojson strings(const std::vector<std::string>& items) {
    ojson out = ojson::array();
    for (const std::string& s : items)
        out.push_back(s);
    return out;
}
} // namespace

ojson inputs_json(const ReportContext& c) {
    ojson in;
    in["schemas"] = c.schemas.empty() ? ojson() : strings(c.schemas);
    in["exclude"] = strings(c.exclude);
    ojson config;
    config["file"] = c.config.source.empty() ? ojson() : ojson(c.config.source);
    // Invalid UTF-8 (a configuration is bytes from a file) is replaced, never an exception.
    config["settings"] = ojson::parse(
        config_json(c.config).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    in["config"] = std::move(config);
    if (c.baseline.empty()) {
        in["baseline"] = ojson();
    } else {
        in["baseline"] = {{"file", c.baseline}, {"entries", c.baseline_entries}};
    }
    in["today"] = c.today.empty() ? ojson() : ojson(c.today);
    return in;
}

ojson finding_json(const Finding& f) {
    ojson j;
    j["check_id"] = f.check_id;
    j["severity"] = to_string(f.severity);
    j["column"] = f.column.empty() ? ojson() : ojson(f.column);
    j["message"] = f.message;
    j["remediation"] = f.remediation;
    j["fingerprint"] = fingerprint(f);
    if (!f.waiver.empty())
        j["waiver"] = f.waiver;
    return j;
}

std::string dump(const ojson& doc, int indent) {
    return doc.dump(indent, ' ', false, ojson::error_handler_t::replace) + "\n";
}

} // namespace audit_fields::scan
