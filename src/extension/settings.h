// The audit_fields.* settings (GUCs) of docs/contract.md "Settings", plus the hardening setting.
#pragma once

#include "pg.h"

namespace audit_fields::pg {

enum class MissingActor : int { Reject, SessionUser, Allow, Warn };
enum class ClockSource : int { Transaction, Statement, Clock };

struct Settings {
    char* actor = nullptr;
    char* actor_name = nullptr;
    int missing_actor = static_cast<int>(MissingActor::Reject);
    int clock = static_cast<int>(ClockSource::Transaction);
    bool enabled = true;
    bool planner_stamping = false; // planner_stamping.h
    char* actor_setter_role = nullptr;
    // How often (milliseconds) a backend writes its missing-actor counts into the report.
    int missing_actor_flush_interval = 1000;
};

extern Settings settings;

void define_settings();

// Raises ERRCODE_INSUFFICIENT_PRIVILEGE unless whoever set audit_fields.actor / actor_name may set
// it under the audit_fields.actor_setter_role in effect now. Call it before using the actor: a
// value can be set before the hardening that should judge it takes effect.
void verify_actor_setter();

// Changes whenever the actor text the trigger uses may have changed (the actor or its name set or
// restored, a role renamed, the session user switched): converted actor values are reused only
// while it stays the same.
extern uint64 settings_generation; // settings.cpp
inline uint64 actor_text_generation() {
    return settings_generation;
}
void note_actor_text_change();

inline MissingActor missing_actor_policy() {
    return static_cast<MissingActor>(settings.missing_actor);
}
inline ClockSource clock_source() {
    return static_cast<ClockSource>(settings.clock);
}

} // namespace audit_fields::pg
