// Fuzzes the trigger-argument parser. Input: option items separated by '\n' (trigger arguments
// are C strings, so they never hold NUL; a NUL here ends the item). Invariants:
//   - the parser either accepts or throws OptionError, never anything else;
//   - what it accepts, format_trigger_args() writes back in a form it reads back identically,
//     and writing that again gives the same arguments (canonical form);
//   - the extension's fixed-buffer bridge (parse_options) agrees with the parser and never writes
//     past its buffers or leaves an argument unterminated.
#include "core/table_options.h"
#ifdef AUDIT_FIELDS_FUZZ_BRIDGE
#include "core_bridge.h"
#endif

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace audit_fields;

namespace {

[[noreturn]] void violated(const char* what) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
}

std::vector<std::string> split_items(const uint8_t* data, size_t size) {
    std::vector<std::string> items;
    std::string current;
    for (size_t i = 0; i < size; ++i) {
        const char c = static_cast<char>(data[i]);
        if (c == '\n') {
            items.push_back(current);
            current.clear();
        } else if (c == '\0') {
            current.clear(); // a C string stops here; drop the tail of this item
            while (i + 1 < size && data[i + 1] != '\n')
                ++i;
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty() || size == 0 || data[size - 1] == '\n')
        items.push_back(current);
    if (items.size() == 1 && items[0].empty())
        items.clear();
    return items;
}

bool same(const TableOptions& a, const TableOptions& b) {
    return a.policy.mode == b.policy.mode &&
           a.policy.on_created_change == b.policy.on_created_change &&
           a.policy.soft_delete == b.policy.soft_delete && a.column_names == b.column_names;
}

#ifdef AUDIT_FIELDS_FUZZ_BRIDGE
void check_bridge(const std::vector<std::string>& items, bool core_accepted,
                  const TableOptions* parsed) {
    std::vector<const char*> raw;
    for (const std::string& s : items)
        raw.push_back(s.c_str());
    // Heap-allocated so AddressSanitizer sees any write past the struct.
    auto* plain = static_cast<pg::PlainOptions*>(malloc(sizeof(pg::PlainOptions)));
    char error[pg::kMessageLen];
    const bool ok =
        pg::parse_options(raw.data(), static_cast<int>(raw.size()), plain, error, sizeof(error));
    if (ok) {
        if (!core_accepted)
            violated("bridge accepted options the core rejects");
        if (plain->nargs < 0 || static_cast<size_t>(plain->nargs) > pg::kMaxArgs)
            violated("bridge argument count out of range");
        std::vector<std::string> args;
        for (int i = 0; i < plain->nargs; ++i) {
            if (memchr(plain->args[i], '\0', pg::kArgLen) == nullptr)
                violated("bridge argument not terminated");
            args.emplace_back(plain->args[i]);
        }
        if (args != format_trigger_args(*parsed))
            violated("bridge arguments differ from format_trigger_args (truncated?)");
        for (size_t c = 0; c < kAuditColumnCount; ++c)
            if (parsed->column_names[c] != plain->column_names[c])
                violated("bridge column name differs from the core's (truncated?)");
    } else if (memchr(error, '\0', sizeof(error)) == nullptr) {
        violated("bridge error message not terminated");
    }
    free(plain);
}
#endif

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::vector<std::string> items = split_items(data, size);
    TableOptions parsed;
    bool accepted = false;
    try {
        parsed = parse_table_options(items);
        accepted = true;
    } catch (const OptionError&) {
    }
    if (accepted) {
        const std::vector<std::string> args = format_trigger_args(parsed);
        TableOptions back;
        try {
            back = parse_table_options(args);
        } catch (const OptionError& e) {
            fprintf(stderr, "canonical arguments rejected: %s\n", e.what());
            violated("format_trigger_args output does not parse");
        }
        if (!same(parsed, back))
            violated("round trip changed the configuration");
        if (format_trigger_args(back) != args)
            violated("format_trigger_args is not canonical");
    }
#ifdef AUDIT_FIELDS_FUZZ_BRIDGE
    // The extension refuses names over 63 bytes; the bridge must say so, not truncate.
    check_bridge(items, accepted, accepted ? &parsed : nullptr);
#endif
    return 0;
}
