#include "ignore_marker.h"

namespace audit_fields::scan {

namespace {
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
} // namespace

std::optional<std::string> ignore_reason(std::string_view comment) {
    for (std::size_t at = comment.find(kIgnoreMarker); at != std::string_view::npos;
         at = comment.find(kIgnoreMarker, at + 1)) {
        const std::size_t end = at + kIgnoreMarker.size();
        const bool starts_word = at == 0 || is_space(comment[at - 1]) || comment[at - 1] == '(' ||
                                 comment[at - 1] == '[';
        const bool ends_word =
            end == comment.size() || is_space(comment[end]) || comment[end] == ':';
        if (!starts_word || !ends_word)
            continue;
        std::size_t begin = end;
        if (begin < comment.size() && comment[begin] == ':')
            ++begin;
        std::size_t stop = comment.find_first_of("\r\n", begin);
        if (stop == std::string_view::npos)
            stop = comment.size();
        while (begin < stop && is_space(comment[begin]))
            ++begin;
        while (stop > begin && is_space(comment[stop - 1]))
            --stop;
        return std::string(comment.substr(begin, stop - begin));
    }
    return std::nullopt;
}

} // namespace audit_fields::scan
