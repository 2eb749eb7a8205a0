#include "settings.h"

extern "C" {
#include "access/parallel.h"
}

namespace audit_fields::pg {

Settings settings;
// Bumped whenever the actor, its name or the setter role change; verify_actor_setter() re-checks
// only then, so the trigger pays one comparison per row.
uint64 settings_generation = 1;

namespace {

// True while _PG_init re-applies values that were set before the library was loaded (PostgreSQL
// keeps them as placeholders and runs the check hook on them when the variable is defined).
bool reapplying_placeholders = false;

const struct config_enum_entry kMissingActorOptions[] = {
    {"reject", static_cast<int>(MissingActor::Reject), false},
    {"warn", static_cast<int>(MissingActor::Warn), false},
    {"session_user", static_cast<int>(MissingActor::SessionUser), false},
    {"allow", static_cast<int>(MissingActor::Allow), false},
    {nullptr, 0, false},
};

const struct config_enum_entry kClockOptions[] = {
    {"transaction", static_cast<int>(ClockSource::Transaction), false},
    {"statement", static_cast<int>(ClockSource::Statement), false},
    {"clock", static_cast<int>(ClockSource::Clock), false},
    {nullptr, 0, false},
};

// Who set the current audit_fields.actor / actor_name, recorded by the check hook (as the GUC's
// "extra", so PostgreSQL keeps it with each stacked value and restores it on rollback).
struct ActorOrigin {
    bool administrator; // postgresql.conf, the server command line or ALTER SYSTEM
    bool check_outer;   // set before the library loaded: the SET ROLE role must be a member too
    Oid user;           // the current role when the value was set (a SECURITY DEFINER owner...)
    Oid outer;          // the SET ROLE / session role outside any SECURITY DEFINER function
};

ActorOrigin actor_origin{true, false, InvalidOid, InvalidOid};
ActorOrigin actor_name_origin{true, false, InvalidOid, InvalidOid};
uint64 verified_generation = 0;

bool may_set(const ActorOrigin& origin, Oid role) {
    if (origin.administrator)
        return true;
    if (!OidIsValid(role) || !is_member_of_role(origin.user, role))
        return false;
    return !origin.check_outer || is_member_of_role(origin.outer, role);
}

void refusal_detail(const char* role_name, Oid role) {
    if (OidIsValid(role))
        GUC_check_errdetail("Only members of role \"%s\" may set audit_fields.actor and "
                            "audit_fields.actor_name (audit_fields.actor_setter_role).",
                            role_name);
    else
        GUC_check_errdetail("Role \"%s\" named by audit_fields.actor_setter_role does not exist.",
                            role_name);
}

// A GUC's extra is freed by PostgreSQL, so it comes from the allocator PostgreSQL frees it with.
bool keep_origin(const ActorOrigin& origin, void** extra) {
    auto* kept = static_cast<ActorOrigin*>(compat_guc_extra_malloc(sizeof(ActorOrigin)));
    if (kept == nullptr)
        return false;
    *kept = origin;
    *extra = kept;
    return true;
}

// Hardening (docs/contract.md "Hardening"): when audit_fields.actor_setter_role names a role, only
// its members may put an identity into audit_fields.actor / actor_name. The check runs against the
// role that is active when the value is set, so a SECURITY DEFINER function or a function's SET
// clause is judged by its owner, and ALTER ROLE ... SET is judged when it is validated and again at
// login. Values from postgresql.conf, the command line or ALTER SYSTEM come from an administrator.
// This hook gives the early, clear error; verify_actor_setter() is the guarantee, because a value
// can arrive before the hardening that should judge it (startup packet options are applied before
// ALTER ROLE/DATABASE settings, and a session may set the actor before an administrator's
// setting takes effect).
bool check_actor_setter(char** newval, void** extra, GucSource source) {
    if (*newval == nullptr || (*newval)[0] == '\0')
        return true; // clearing the actor is always allowed
    ActorOrigin origin{source <= PGC_S_GLOBAL, reapplying_placeholders, InvalidOid, InvalidOid};
    if (!origin.administrator) {
        int sec_context;
        GetUserIdAndSecContext(&origin.user, &sec_context);
        origin.outer = GetOuterUserId();
    }
    const char* role_name = settings.actor_setter_role;
    if (role_name == nullptr || role_name[0] == '\0' || origin.administrator)
        return keep_origin(origin, extra);
    // A parallel worker copies the leader's values, which the leader already checked, and runs
    // this hook before it takes on the leader's current role.
    if (InitializingParallelWorker)
        return keep_origin(origin, extra);
    // Outside a transaction (session_preload_libraries) the catalogs cannot be read: the value
    // is judged when it is used.
    if (!IsTransactionState())
        return keep_origin(origin, extra);
    const Oid role = get_role_oid(role_name, true);
    if (may_set(origin, role))
        return keep_origin(origin, extra);
    GUC_check_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE);
    GUC_check_errmsg("permission denied to set the audit_fields actor");
    refusal_detail(role_name, role);
    return false;
}

void remember_actor_origin(const char* /*newval*/, void* extra) {
    actor_origin = extra != nullptr ? *static_cast<ActorOrigin*>(extra)
                                    : ActorOrigin{true, false, InvalidOid, InvalidOid};
    ++settings_generation;
}

void remember_actor_name_origin(const char* /*newval*/, void* extra) {
    actor_name_origin = extra != nullptr ? *static_cast<ActorOrigin*>(extra)
                                         : ActorOrigin{true, false, InvalidOid, InvalidOid};
    ++settings_generation;
}

void note_setter_role_change(const char* /*newval*/, void* /*extra*/) {
    ++settings_generation;
}

// A GRANT or REVOKE of role membership, or a role created, renamed or dropped (in any session):
// whoever set the actor may no longer be a member of the setter role, so the next use re-checks.
// Without this, a session that set a session-wide actor before a REVOKE kept writing with it.
// is_member_of_role() drops its own membership cache on the same invalidations.
void note_role_change(Datum /*arg*/, int /*cache_id*/, uint32 /*hash*/) {
    ++settings_generation;
}

void verify_origin(const char* value, const ActorOrigin& origin, const char* setting,
                   const char* role_name, Oid role) {
    if (value == nullptr || value[0] == '\0' || may_set(origin, role))
        return;
    const char* setter = OidIsValid(origin.user) ? GetUserNameFromId(origin.user, true) : nullptr;
    ereport(ERROR,
            (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
             errmsg("permission denied to use the audit_fields actor set by role \"%s\"",
                    setter != nullptr ? setter : "?"),
             OidIsValid(role)
                 ? errdetail("%s was set by a role that is not a member of \"%s\" "
                             "(audit_fields.actor_setter_role).",
                             setting, role_name)
                 : errdetail("Role \"%s\" named by audit_fields.actor_setter_role does not exist.",
                             role_name),
             errhint("Set the actor from a member of the role, in the transaction that writes.")));
}

} // namespace

void note_actor_text_change() {
    ++settings_generation;
}

void verify_actor_setter() {
    if (verified_generation == settings_generation)
        return;
    const char* role_name = settings.actor_setter_role;
    if (role_name != nullptr && role_name[0] != '\0') {
        const Oid role = get_role_oid(role_name, true);
        verify_origin(settings.actor, actor_origin, "audit_fields.actor", role_name, role);
        verify_origin(settings.actor_name, actor_name_origin, "audit_fields.actor_name", role_name,
                      role);
    }
    verified_generation = settings_generation;
}

void define_settings() {
    CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, note_role_change, (Datum)0);
    CacheRegisterSyscacheCallback(AUTHOID, note_role_change, (Datum)0);
    reapplying_placeholders = true;
    // First, so that an actor placeholder set before the library loaded is checked against it.
    DefineCustomStringVariable(
        "audit_fields.actor_setter_role",
        "Only members of this role may set audit_fields.actor and audit_fields.actor_name.",
        "Empty (the default) lets any role set the actor. Superuser only.",
        &settings.actor_setter_role, "", PGC_SUSET, 0, nullptr, note_setter_role_change, nullptr);
    DefineCustomStringVariable(
        "audit_fields.actor", "Identity written into the *_by audit columns.",
        "An email, user id or uuid; converted to each column's type. Set it per transaction with "
        "SET LOCAL or audit_fields.set_actor(). Empty means no actor (see "
        "audit_fields.missing_actor).",
        &settings.actor, "", PGC_USERSET, 0, check_actor_setter, remember_actor_origin, nullptr);
    DefineCustomStringVariable(
        "audit_fields.actor_name", "Display name written into the *_by_name audit columns.",
        "When empty, the *_by_name columns receive the actor itself.", &settings.actor_name, "",
        PGC_USERSET, 0, check_actor_setter, remember_actor_name_origin, nullptr);
    DefineCustomEnumVariable(
        "audit_fields.missing_actor",
        "What happens when a row needs an actor and audit_fields.actor is empty.",
        "reject raises SQLSTATE 23502 and writes nothing; warn writes the session user, warns "
        "and records the miss in audit_fields.missing_actor_report; session_user writes the "
        "session user; allow leaves the *_by columns NULL. A table's own missing_actor option "
        "wins.",
        &settings.missing_actor, static_cast<int>(MissingActor::Reject), kMissingActorOptions,
        PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "audit_fields.missing_actor_flush_interval",
        "Least time between two writes of one backend's missing-actor counts into the report.",
        "Counts are kept in the backend's memory and written at the commit of a transaction that "
        "missed an actor, at most this often (and once for each new table, operation, role and "
        "application), and when the session ends. 0 writes at every such commit.",
        &settings.missing_actor_flush_interval, 1000, 0, 3600 * 1000, PGC_SUSET, GUC_UNIT_MS,
        nullptr, nullptr, nullptr);
    DefineCustomEnumVariable(
        "audit_fields.clock", "Which time the audit timestamps use.",
        "transaction = now(), statement = statement_timestamp(), clock = clock_timestamp().",
        &settings.clock, static_cast<int>(ClockSource::Transaction), kClockOptions, PGC_USERSET, 0,
        nullptr, nullptr, nullptr);
    DefineCustomBoolVariable(
        "audit_fields.enabled", "Whether audit_fields triggers stamp rows.",
        "off passes rows through untouched, for backfills and restores. Superuser only.",
        &settings.enabled, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomBoolVariable(
        "audit_fields.planner_stamping",
        "Whether INSERT, UPDATE and MERGE on enabled tables compute the audit stamps in the plan.",
        "The row trigger is then skipped for statements whose plan provably writes every stamp. "
        "Takes effect only with audit_fields in shared_preload_libraries. Superuser only.",
        &settings.planner_stamping, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    reapplying_placeholders = false;
    compat_reserve_guc_prefix("audit_fields");
}

} // namespace audit_fields::pg
