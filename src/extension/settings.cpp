#include "settings.h"

extern "C" {
#include "access/parallel.h"
}

namespace audit_fields::pg {

Settings settings;

namespace {

// True while _PG_init re-applies values that were set before the library was loaded (PostgreSQL
// keeps them as placeholders and runs the check hook on them when the variable is defined).
bool reapplying_placeholders = false;

const struct config_enum_entry kMissingActorOptions[] = {
    {"reject", static_cast<int>(MissingActor::Reject), false},
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

// A placeholder is re-checked when the library loads, which may happen deep inside a SECURITY
// DEFINER function owned by a member. Judging it by that owner alone would let whoever set the
// placeholder borrow the owner's membership, so the role the session acts as outside any
// SECURITY DEFINER function (the SET ROLE role, which such a function cannot change) must be a
// member too.
bool may_set_actor(Oid role) {
    if (!is_member_of_role(GetUserId(), role))
        return false;
    return !reapplying_placeholders || is_member_of_role(GetOuterUserId(), role);
}

// Hardening (SPEC "Hardening"): when audit_fields.actor_setter_role names a role, only its members
// may put an identity into audit_fields.actor / actor_name. The check runs against the role that
// is active when the value is set, so a SECURITY DEFINER function or a function's SET clause is
// judged by its owner, and ALTER ROLE ... SET is judged when it is validated and again at login.
// Values from postgresql.conf, the command line or ALTER SYSTEM come from an administrator.
bool check_actor_setter(char** newval, void** /*extra*/, GucSource source) {
    if (*newval == nullptr || (*newval)[0] == '\0')
        return true; // clearing the actor is always allowed
    const char* role_name = settings.actor_setter_role;
    if (role_name == nullptr || role_name[0] == '\0')
        return true;
    if (source <= PGC_S_GLOBAL)
        return true;
    // A parallel worker copies the leader's values, which the leader already checked; the worker
    // runs the hook as the login role before it takes on the leader's current role, so checking
    // again would fail queries of sessions that log in as one role and SET ROLE to a member.
    if (InitializingParallelWorker)
        return true;
    if (!IsTransactionState()) {
        GUC_check_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE);
        GUC_check_errdetail("The actor can only be set inside a transaction while "
                            "audit_fields.actor_setter_role is set.");
        return false;
    }
    const Oid role = get_role_oid(role_name, true);
    if (OidIsValid(role) && may_set_actor(role))
        return true;
    GUC_check_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE);
    GUC_check_errmsg("permission denied to set the audit_fields actor");
    if (OidIsValid(role))
        GUC_check_errdetail("Only members of role \"%s\" may set audit_fields.actor and "
                            "audit_fields.actor_name (audit_fields.actor_setter_role).",
                            role_name);
    else
        GUC_check_errdetail("Role \"%s\" named by audit_fields.actor_setter_role does not exist.",
                            role_name);
    return false;
}

} // namespace

void define_settings() {
    reapplying_placeholders = true;
    // First, so that an actor placeholder set before the library loaded is checked against it.
    DefineCustomStringVariable(
        "audit_fields.actor_setter_role",
        "Only members of this role may set audit_fields.actor and audit_fields.actor_name.",
        "Empty (the default) lets any role set the actor. Superuser only.",
        &settings.actor_setter_role, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "audit_fields.actor", "Identity written into the *_by audit columns.",
        "An email, user id or uuid; converted to each column's type. Set it per transaction with "
        "SET LOCAL or audit_fields.set_actor(). Empty means no actor (see "
        "audit_fields.missing_actor).",
        &settings.actor, "", PGC_USERSET, 0, check_actor_setter, nullptr, nullptr);
    DefineCustomStringVariable(
        "audit_fields.actor_name", "Display name written into the *_by_name audit columns.",
        "When empty, the *_by_name columns receive the actor itself.", &settings.actor_name, "",
        PGC_USERSET, 0, check_actor_setter, nullptr, nullptr);
    DefineCustomEnumVariable(
        "audit_fields.missing_actor",
        "What happens when a row needs an actor and audit_fields.actor is empty.",
        "reject raises SQLSTATE 23502 and writes nothing; session_user writes the session user; "
        "allow leaves the *_by columns NULL.",
        &settings.missing_actor, static_cast<int>(MissingActor::Reject), kMissingActorOptions,
        PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomEnumVariable(
        "audit_fields.clock", "Which time the audit timestamps use.",
        "transaction = now(), statement = statement_timestamp(), clock = clock_timestamp().",
        &settings.clock, static_cast<int>(ClockSource::Transaction), kClockOptions, PGC_USERSET, 0,
        nullptr, nullptr, nullptr);
    DefineCustomBoolVariable(
        "audit_fields.enabled", "Whether audit_fields triggers stamp rows.",
        "off passes rows through untouched, for backfills and restores. Superuser only.",
        &settings.enabled, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    reapplying_placeholders = false;
    MarkGUCPrefixReserved("audit_fields");
}

} // namespace audit_fields::pg
