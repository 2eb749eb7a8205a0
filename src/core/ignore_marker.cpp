#include "ignore_marker.h"

#include "scan_checks.h"

namespace audit_fields::scan {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_blank(char c) {
    return c == ' ' || c == '\t';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A token shaped like a check id ("AF" and digits), known or not: "AF1234" is an unknown check,
// not the first word of a reason.
bool looks_like_check(std::string_view s) {
    if (s.size() < 3 || s[0] != 'A' || s[1] != 'F')
        return false;
    for (std::size_t i = 2; i < s.size(); ++i)
        if (!is_digit(s[i]))
            return false;
    return true;
}

// Reads one marker's line from `pos` (just after the marker) up to `stop` (end of line).
class WaiverLine {
  public:
    WaiverLine(std::string_view comment, std::size_t pos, std::size_t stop)
        : c_(comment), p_(pos), stop_(stop) {}

    Waiver read() {
        Waiver w;
        skip_blanks();
        read_checks(w);
        skip_blanks();
        read_until(w);
        skip_blanks();
        if (p_ < stop_ && c_[p_] == ':')
            ++p_;
        skip_blanks();
        std::size_t end = stop_;
        while (end > p_ && is_space(c_[end - 1]))
            --end;
        w.reason = std::string(c_.substr(p_, end - p_));
        w.reason_offset = p_;
        return w;
    }

  private:
    std::string_view c_;
    std::size_t p_;
    std::size_t stop_;

    void skip_blanks() {
        while (p_ < stop_ && is_blank(c_[p_]))
            ++p_;
    }

    // The token at p_ up to a blank, a comma or a colon.
    std::string_view token_at(std::size_t at) const {
        std::size_t e = at;
        while (e < stop_ && !is_blank(c_[e]) && c_[e] != ',' && c_[e] != ':')
            ++e;
        return c_.substr(at, e - at);
    }

    // "AF001,AF008" or "AF001, AF008": a comma-separated list of check-shaped tokens.
    void read_checks(Waiver& w) {
        while (true) {
            const std::string_view tok = token_at(p_);
            if (!looks_like_check(tok))
                return;
            std::string id(tok);
            (find_check(id) ? w.checks : w.unknown_checks).push_back(id);
            p_ += tok.size();
            std::size_t q = p_;
            while (q < stop_ && is_blank(c_[q]))
                ++q;
            if (q >= stop_ || c_[q] != ',')
                return;
            ++q;
            while (q < stop_ && is_blank(c_[q]))
                ++q;
            p_ = q;
        }
    }

    // "until 2027-03-31". "until" followed by something that is not a date-like token starts the
    // reason ("until the import is rewritten"); a date-like token that is no real day is kept as
    // bad_date so the waiver is reported instead of silently lasting forever.
    void read_until(Waiver& w) {
        const std::string_view word = token_at(p_);
        if (word != "until")
            return;
        std::size_t q = p_ + word.size();
        while (q < stop_ && is_blank(c_[q]))
            ++q;
        if (q >= stop_ || !is_digit(c_[q]))
            return;
        std::size_t e = q;
        while (e < stop_ && !is_blank(c_[e]) && c_[e] != ',')
            ++e;
        // A trailing ':' belongs to the syntax, not to the date.
        std::size_t date_end = e;
        if (date_end > q && c_[date_end - 1] == ':')
            --date_end;
        const std::string_view date = c_.substr(q, date_end - q);
        if (auto d = parse_iso_date(date))
            w.until = *d;
        else
            w.bad_date = std::string(date);
        p_ = date_end;
    }
};

} // namespace

std::vector<Waiver> parse_waivers(std::string_view comment) {
    std::vector<Waiver> out;
    for (std::size_t at = comment.find(kIgnoreMarker); at != std::string_view::npos;
         at = comment.find(kIgnoreMarker, at + 1)) {
        const std::size_t end = at + kIgnoreMarker.size();
        const bool starts_word = at == 0 || is_space(comment[at - 1]) || comment[at - 1] == '(' ||
                                 comment[at - 1] == '[';
        const bool ends_word =
            end == comment.size() || is_space(comment[end]) || comment[end] == ':';
        if (!starts_word || !ends_word)
            continue;
        std::size_t stop = comment.find_first_of("\r\n", end);
        if (stop == std::string_view::npos)
            stop = comment.size();
        std::size_t begin = end;
        if (begin < stop && comment[begin] == ':')
            ++begin;
        Waiver w = WaiverLine(comment, begin, stop).read();
        std::size_t text_end = stop;
        while (text_end > at && is_space(comment[text_end - 1]))
            --text_end;
        w.text = std::string(comment.substr(at, text_end - at));
        out.push_back(std::move(w));
    }
    return out;
}

WaiverProblem waiver_problem(const Waiver& w, const CivilDate& today) {
    if (!w.unknown_checks.empty())
        return WaiverProblem::UnknownCheck;
    if (!w.bad_date.empty())
        return WaiverProblem::BadDate;
    if (w.reason.empty())
        return WaiverProblem::NoReason;
    if (w.until && today > *w.until)
        return WaiverProblem::Expired;
    return WaiverProblem::None;
}

std::string describe(const Waiver& w, WaiverProblem problem) {
    switch (problem) {
    case WaiverProblem::None:
        return "is honoured";
    case WaiverProblem::NoReason:
        return "has no reason";
    case WaiverProblem::Expired:
        return "expired on " + w.until->iso();
    case WaiverProblem::UnknownCheck: {
        std::string ids;
        for (std::size_t i = 0; i < w.unknown_checks.size(); ++i)
            ids += (i == 0 ? "" : ", ") + w.unknown_checks[i];
        return "names unknown check" + std::string(w.unknown_checks.size() == 1 ? " " : "s ") + ids;
    }
    case WaiverProblem::BadDate:
        return "has an end date that is not a day (\"" + w.bad_date + "\", expected YYYY-MM-DD)";
    }
    return "";
}

bool waiver_covers(const Waiver& w, std::string_view check_id) {
    if (w.whole_table())
        return true;
    for (const std::string& id : w.checks)
        if (id == check_id)
            return true;
    return false;
}

std::optional<std::string> ignore_reason(std::string_view comment, const CivilDate& today) {
    for (const Waiver& w : parse_waivers(comment))
        if (w.whole_table() && waiver_problem(w, today) == WaiverProblem::None)
            return w.reason;
    return std::nullopt;
}

std::optional<std::string> ignore_reason(std::string_view comment) {
    return ignore_reason(comment, today_utc());
}

WaiverVerdict waiver_verdict(const char* comment, std::size_t length, int year, int month,
                             int day) noexcept {
    WaiverVerdict v{false, false, false, 0, 0, 0};
    if (comment == nullptr)
        return v;
    try {
        const CivilDate today{year, month, day};
        for (const Waiver& w : parse_waivers(std::string_view(comment, length))) {
            v.marked = true;
            if (waiver_problem(w, today) != WaiverProblem::None) {
                v.has_invalid = true;
                continue;
            }
            if (w.whole_table()) {
                if (!v.ignores_table) {
                    v.reason_offset = w.reason_offset;
                    v.reason_length = w.reason.size();
                }
                v.ignores_table = true;
                continue;
            }
            for (const std::string& id : w.checks) {
                const int n = std::stoi(id.substr(2));
                if (n > 0 && n < 32)
                    v.waived_checks |= std::uint32_t{1} << n;
            }
        }
    } catch (...) {
        // Out of memory: report the comment as marked and invalid, which ignores nothing.
        v = WaiverVerdict{true, false, true, 0, 0, 0};
    }
    return v;
}

} // namespace audit_fields::scan
