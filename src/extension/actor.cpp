#include "actor.h"

#include "missing_actor_report.h"
#include "settings.h"

namespace audit_fields::pg {

namespace {

// missing_actor = session_user: the name is looked up once, not per row, and forgotten when any
// role changes (another session may rename this session's role).
struct SessionUserName {
    bool valid;
    Oid role;
    char name[NAMEDATALEN];
};
SessionUserName session_user_cache;

void forget_session_user(Datum /*arg*/, int /*cache_id*/, uint32 /*hash*/) {
    session_user_cache.valid = false;
}

const char* session_user_name() {
    const Oid role = GetSessionUserId();
    if (session_user_cache.valid && session_user_cache.role == role)
        return session_user_cache.name;
    static bool callback_registered = false;
    if (!callback_registered) {
        CacheRegisterSyscacheCallback(AUTHOID, forget_session_user, (Datum)0);
        callback_registered = true;
    }
    strlcpy(session_user_cache.name, GetUserNameFromId(role, false), NAMEDATALEN);
    session_user_cache.role = role;
    session_user_cache.valid = true;
    note_actor_text_change(); // same buffer, new text: converted values must not be reused
    return session_user_cache.name;
}

// A domain's constraints change (ALTER DOMAIN ... ADD CONSTRAINT) without touching the tables
// that use it: a converted actor is reused only while no type changed, in any session.
uint64 type_generation = 1;

void forget_converted_actors(Datum /*arg*/, int /*cache_id*/, uint32 /*hash*/) {
    ++type_generation;
    note_actor_text_change(); // so the per-row shortcut looks again
}

Datum convert(TriggerCache* cache, AuditColumn column, const char* text, Relation rel) {
    const ResolvedColumn& col = cache->layout.column(column);
    ActorValue& actor = cache->actors[index_of(column)];
    MemoryContext caller = CurrentMemoryContext;
    Datum value = (Datum)0;
    PG_TRY();
    { value = InputFunctionCall(&actor.input, const_cast<char*>(text), actor.ioparam, col.typmod); }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller);
        ErrorData* cause = CopyErrorData();
        FlushErrorState();
        const bool name = kind_of(column) == ColumnKind::ActorName;
        ereport(ERROR,
                (errcode(cause->sqlerrcode),
                 errmsg("audit_fields: the actor%s does not fit column \"%s\" of table \"%s\": %s",
                        name ? " name" : "", column_name(rel, col), qualified_name(rel),
                        cause->message),
                 errhint("Set audit_fields.%s to a value of the column's type, or change the "
                         "column's type.",
                         name ? "actor_name" : "actor")));
    }
    PG_END_TRY();
    return value;
}

} // namespace

MissingActor effective_missing_actor(const StampPolicy& policy) {
    switch (policy.missing_actor) {
    case MissingActorPolicy::Setting:
        break;
    case MissingActorPolicy::Reject:
        return MissingActor::Reject;
    case MissingActorPolicy::Warn:
        return MissingActor::Warn;
    case MissingActorPolicy::SessionUser:
        return MissingActor::SessionUser;
    case MissingActorPolicy::Allow:
        return MissingActor::Allow;
    }
    return missing_actor_policy();
}

ActorText current_actor_text(const TriggerCache* cache, Relation rel, RowEvent event,
                             bool count_miss) {
    if (settings.actor != nullptr && settings.actor[0] != '\0') {
        verify_actor_setter();
        const bool has_name = settings.actor_name != nullptr && settings.actor_name[0] != '\0';
        return {settings.actor, has_name ? settings.actor_name : settings.actor};
    }
    const MissingActor policy = effective_missing_actor(cache->policy);
    switch (policy) {
    case MissingActor::Warn:
        if (count_miss)
            note_missing_actor(cache, rel, event);
        [[fallthrough]];
    case MissingActor::SessionUser: {
        const char* user = session_user_name();
        return {user, user};
    }
    case MissingActor::Allow:
        return {nullptr, nullptr};
    case MissingActor::Reject:
        break;
    }
    const bool own = cache->policy.missing_actor != MissingActorPolicy::Setting;
    ereport(ERROR,
            (errcode(ERRCODE_NOT_NULL_VIOLATION),
             errmsg("audit_fields: no actor set for %s on table \"%s\"", operation_name(event),
                    qualified_name(rel)),
             own ? errdetail("audit_fields.actor is empty and the table has missing_actor => "
                             "'reject'.")
                 : errdetail("audit_fields.actor is empty and audit_fields.missing_actor is "
                             "\"reject\"."),
             errhint("Run SET LOCAL audit_fields.actor = '<who>' (or SELECT "
                     "audit_fields.set_actor('<who>', '<name>')) in the transaction first.")));
    pg_unreachable();
}

Datum actor_datum(TriggerCache* cache, AuditColumn column, const char* text, Relation rel) {
    ActorValue& actor = cache->actors[index_of(column)];
    const uint64 generation = actor_text_generation();
    const uint64 types = type_generation; // before converting: a change meanwhile converts again
    // Same setting, unchanged since the last row: no string comparison per row.
    if (actor.text != nullptr && actor.source == text && actor.generation == generation)
        return actor.value;
    static bool callback_registered = false;
    if (!callback_registered) {
        CacheRegisterSyscacheCallback(TYPEOID, forget_converted_actors, (Datum)0);
        callback_registered = true;
    }
    if (actor.text != nullptr && actor.types == types && strcmp(actor.text, text) == 0) {
        actor.source = text;
        actor.generation = generation;
        return actor.value;
    }
    const ResolvedColumn& col = cache->layout.column(column);
    const Datum converted = convert(cache, column, text, rel);
    MemoryContext old = MemoryContextSwitchTo(cache->memory);
    const Datum kept = datumCopy(converted, col.typbyval, col.typlen);
    char* kept_text = pstrdup(text);
    MemoryContextSwitchTo(old);
    if (actor.text != nullptr) {
        char* previous_text = actor.text;
        const Datum previous_value = actor.value;
        actor.text = nullptr; // cleared before anything else happens
        pfree(previous_text);
        if (!col.typbyval)
            pfree(DatumGetPointer(previous_value));
    }
    actor.text = kept_text;
    actor.value = kept;
    actor.size = datumGetSize(kept, col.typbyval, col.typlen);
    actor.source = text;
    actor.generation = generation;
    actor.types = types;
    return kept;
}

} // namespace audit_fields::pg
