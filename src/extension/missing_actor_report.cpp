// missing_actor = warn: warn once per statement and table, count misses in backend memory, write
// the counts into audit_fields.missing_actor_misses now and then. See missing_actor_report.h for
// the design; the choices that matter:
//  - Per row only memory is touched (a hash lookup, usually skipped by the last-entry check).
//  - The counts are written inside the writer's own transaction, at its commit (PRE_COMMIT), in a
//    subtransaction: a failure to record is a WARNING and the counts stay pending; it never fails
//    the application's commit, never waits for a lock on the report's table (whoever may LOCK
//    it) and at most a second for a row (a reset). If the transaction aborts after the write, its
//    counts are given back and written later. A backend killed (or ended by a FATAL error) before
//    it writes loses what it held: the report is a rollout aid, not an audit log, and README.md
//    says so.
//  - Rows are keyed by the backend's number (bounded by max_connections, unlike a pid), so two
//    backends never insert or update the same row and never wait on each other.
//  - The write runs as the owner of the report table with search_path pinned, so an unprivileged
//    writer's misses are recorded without giving it any right on the table, and nothing the
//    writer controls (search_path, its own operators or functions) runs with the owner's rights.
#include "missing_actor_report.h" // first: it brings the core headers before pg.h

#include "blob_hash.h"
#include "column_resolver.h"
#include "settings.h"

extern "C" {
#include "storage/ipc.h"
#include "storage/lmgr.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
}

namespace audit_fields::pg {

namespace {

struct MissKey {
    Oid relid; // the enabled table (a partition counts as its partitioned table)
    Oid role;  // session_user
    int32 event;
    char application[NAMEDATALEN];
};

struct MissEntry {
    MissKey key; // hash key: first
    int64 pending;
    TimestampTz pending_first;
    TimestampTz pending_last;
    // What the current transaction's flush wrote: given back to pending if it aborts.
    int64 writing;
    TimestampTz writing_first;
    TimestampTz writing_last;
    bool recorded; // this backend wrote a row for the key before
};

// Which statement of which transaction last warned about a table.
struct WarnedTable {
    Oid relid; // hash key
    LocalTransactionId lxid;
    TimestampTz statement;
};

HTAB* misses = nullptr;
HTAB* warned = nullptr;
MissEntry* last_entry = nullptr;
WarnedTable* last_warned = nullptr;
bool missed_in_transaction = false;
bool wrote_in_transaction = false;
bool new_key_pending = false;
TimestampTz last_write = 0;
bool exit_callback_registered = false;
Oid soft_deleting = InvalidOid;

const char* const kInsertSql =
    "INSERT INTO audit_fields.missing_actor_misses AS m "
    "(backend, relid, operation, role_name, application_name, misses, first_seen, last_seen) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
    "ON CONFLICT (backend, relid, operation, role_name, application_name) DO UPDATE SET "
    "misses = m.misses OPERATOR(pg_catalog.+) excluded.misses, "
    "first_seen = LEAST(m.first_seen, excluded.first_seen), "
    "last_seen = GREATEST(m.last_seen, excluded.last_seen)";

// The longest the report write waits for a row lock (behind a concurrent reset).
constexpr int kReportLockTimeoutMs = 1000;
const char* const kReportLockTimeout = "1000";

const char* report_operation(int32 event) {
    switch (static_cast<RowEvent>(event)) {
    case RowEvent::Insert:
        return "INSERT";
    case RowEvent::Update:
        return "UPDATE";
    case RowEvent::Delete:
        return "DELETE";
    }
    return "?";
}

void ensure_tables() {
    if (misses != nullptr)
        return;
    misses = create_blob_hash("audit_fields missing actors", 16, sizeof(MissKey), sizeof(MissEntry),
                              TopMemoryContext);
    warned = create_blob_hash("audit_fields missing actor warnings", 16, sizeof(Oid),
                              sizeof(WarnedTable), TopMemoryContext);
}

char* relation_display_name(Relation rel, Oid relid) {
    if (relid == RelationGetRelid(rel))
        return qualified_name(rel);
    const char* schema = get_namespace_name(get_rel_namespace(relid));
    const char* table = get_rel_name(relid);
    return psprintf("%s.%s", schema != nullptr ? schema : "?", table != nullptr ? table : "?");
}

void warn_once_per_statement(const TriggerCache* cache, Relation rel, Oid relid, RowEvent event,
                             TimestampTz statement) {
    const LocalTransactionId lxid = compat_local_transaction_id();
    // Rows after the first of a statement: the table warned last is usually this one.
    if (last_warned != nullptr && last_warned->relid == relid && last_warned->lxid == lxid &&
        last_warned->statement == statement)
        return;
    bool found;
    auto* w = static_cast<WarnedTable*>(hash_search(warned, &relid, HASH_ENTER, &found));
    last_warned = w;
    if (found && w->lxid == lxid && w->statement == statement)
        return;
    w->lxid = lxid;
    w->statement = statement;
    const bool own = cache->policy.missing_actor == MissingActorPolicy::Warn;
    // To the client only: the report is the server's record, and a busy writer would otherwise
    // add a log entry per statement.
    ereport(WARNING_CLIENT_ONLY,
            (errcode(ERRCODE_WARNING),
             errmsg("audit_fields: no actor set for %s on table \"%s\"; writing session_user "
                    "instead",
                    operation_name(event), relation_display_name(rel, relid)),
             own ? errdetail("The table has missing_actor => 'warn'. The miss is counted in "
                             "audit_fields.missing_actor_report; this statement warns once.")
                 : errdetail("audit_fields.missing_actor is \"warn\". The miss is counted in "
                             "audit_fields.missing_actor_report; this statement warns once."),
             errhint("Run SET LOCAL audit_fields.actor = '<who>' (or SELECT "
                     "audit_fields.set_actor('<who>', '<name>')) in the transaction first.")));
}

bool has_pending() {
    if (misses == nullptr)
        return false;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, misses);
    while (auto* e = static_cast<MissEntry*>(hash_seq_search(&status))) {
        if (e->pending > 0) {
            hash_seq_term(&status);
            return true;
        }
    }
    return false;
}

bool write_due() {
    if (new_key_pending)
        return true;
    const int interval = settings.missing_actor_flush_interval;
    return interval == 0 || TimestampDifferenceExceeds(last_write, GetCurrentTimestamp(), interval);
}

} // namespace

AsOwner begin_as_owner(Oid owner) {
    AsOwner state;
    GetUserIdAndSecContext(&state.saved_user, &state.saved_context);
    SetUserIdAndSecContext(owner, state.saved_context | SECURITY_LOCAL_USERID_CHANGE |
                                      SECURITY_RESTRICTED_OPERATION);
    state.guc_level = NewGUCNestLevel();
    (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    return state;
}

void end_as_owner(const AsOwner& state) {
    AtEOXact_GUC(false, state.guc_level);
    SetUserIdAndSecContext(state.saved_user, state.saved_context);
}

Oid missing_actor_report_table(Oid* owner) {
    const Oid schema = get_namespace_oid("audit_fields", true);
    if (!OidIsValid(schema))
        return InvalidOid;
    const Oid table = get_relname_relid("missing_actor_misses", schema);
    if (!OidIsValid(table))
        return InvalidOid;
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(table));
    if (!HeapTupleIsValid(tuple))
        return InvalidOid;
    *owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);
    return table;
}

namespace {

// Moves every pending count into `writing` and inserts or adds it to this backend's rows. Runs
// inside a transaction; may raise an error (the caller decides what an error means).
void write_pending_counts() {
    Oid owner = InvalidOid;
    const Oid table = missing_actor_report_table(&owner);
    if (!OidIsValid(table)) {
        HASH_SEQ_STATUS status;
        hash_seq_init(&status, misses);
        while (auto* e = static_cast<MissEntry*>(hash_seq_search(&status)))
            e->pending = 0;
        new_key_pending = false;
        return;
    }
    // Whoever may LOCK this table (its owner, a superuser; before 1.3 every role, through the
    // DELETE privilege PUBLIC had) could otherwise hold up the application's commit (or the
    // session's exit) for as long as it pleases. Not waiting turns it into a failed write: the
    // counts stay.
    if (!ConditionalLockRelationOid(table, RowExclusiveLock))
        ereport(ERROR, (errcode(ERRCODE_LOCK_NOT_AVAILABLE),
                        errmsg("audit_fields.missing_actor_misses is locked by another session")));
    const AsOwner as_owner = begin_as_owner(owner);
    // A row of this backend's can be locked only by a reset (its table's owner): one left in an
    // open transaction must not hold up the application's commit for long.
    if (LockTimeout == 0 || LockTimeout > kReportLockTimeoutMs)
        (void)set_config_option("lock_timeout", kReportLockTimeout, PGC_USERSET, PGC_S_SESSION,
                                GUC_ACTION_SAVE, true, 0, false);

    // At commit the statement's snapshot is gone; SPI needs one to run the INSERT.
    PushActiveSnapshot(GetTransactionSnapshot());
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "audit_fields: SPI_connect failed");
    Oid types[8] = {INT4OID, OIDOID,  TEXTOID,        TEXTOID,
                    TEXTOID, INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID};
    SPIPlanPtr plan = SPI_prepare(kInsertSql, 8, types);
    if (plan == nullptr)
        elog(ERROR, "audit_fields: could not prepare the missing-actor report write: %s",
             SPI_result_code_string(SPI_result));
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, misses);
    while (auto* e = static_cast<MissEntry*>(hash_seq_search(&status))) {
        if (e->pending == 0)
            continue;
        const char* role = GetUserNameFromId(e->key.role, true);
        Datum values[8] = {
            Int32GetDatum(compat_backend_number()),
            ObjectIdGetDatum(e->key.relid),
            CStringGetTextDatum(report_operation(e->key.event)),
            CStringGetTextDatum(role != nullptr ? role : psprintf("%u", e->key.role)),
            CStringGetTextDatum(e->key.application),
            Int64GetDatum(e->pending),
            TimestampTzGetDatum(e->pending_first),
            TimestampTzGetDatum(e->pending_last),
        };
        const int rc = SPI_execute_plan(plan, values, nullptr, false, 0);
        if (rc != SPI_OK_INSERT)
            elog(ERROR, "audit_fields: could not write the missing-actor report: %s",
                 SPI_result_code_string(rc));
        // Merged into what an earlier write of this transaction left (never the case today: one
        // write per transaction), so an abort gives back everything.
        if (e->writing == 0)
            e->writing_first = e->pending_first;
        e->writing += e->pending;
        e->writing_last = e->pending_last;
        e->pending = 0;
        e->recorded = true;
    }
    SPI_finish();
    PopActiveSnapshot();
    end_as_owner(as_owner);
    new_key_pending = false;
    wrote_in_transaction = true;
}

void give_back_writing() {
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, misses);
    while (auto* e = static_cast<MissEntry*>(hash_seq_search(&status))) {
        if (e->writing == 0)
            continue;
        if (e->pending == 0 || e->writing_first < e->pending_first)
            e->pending_first = e->writing_first;
        if (e->pending == 0 || e->writing_last > e->pending_last)
            e->pending_last = e->writing_last;
        e->pending += e->writing;
        e->writing = 0;
        e->recorded = false; // the row may not exist: write it at the next chance
        new_key_pending = true;
    }
}

void forget_writing() {
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, misses);
    while (auto* e = static_cast<MissEntry*>(hash_seq_search(&status)))
        e->writing = 0;
}

// At the commit of a transaction that missed an actor. A subtransaction keeps a failure to record
// (a lock timeout behind a concurrent reset, say) from failing the application's commit.
void write_before_commit() {
    MemoryContext caller_memory = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(caller_memory);
    PG_TRY();
    {
        write_pending_counts();
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_memory);
        CurrentResourceOwner = caller_owner;
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller_memory);
        ErrorData* error = CopyErrorData();
        FlushErrorState();
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_memory);
        CurrentResourceOwner = caller_owner;
        give_back_writing();
        wrote_in_transaction = false;
        ereport(WARNING,
                (errcode(error->sqlerrcode),
                 errmsg("audit_fields: could not record missing actors: %s", error->message),
                 errdetail("The counts stay in this session and are written later.")));
        FreeErrorData(error);
    }
    PG_END_TRY();
}

void on_transaction_event(XactEvent event, void* /*arg*/) {
    switch (event) {
    case XACT_EVENT_PRE_COMMIT:
        // Not from a serializable transaction: its reads of the report's index would take
        // predicate locks, and two writers' report rows sharing an index page could then fail one
        // application's commit with a serialization failure. Its counts wait for a later commit
        // at another isolation level, or the session's end. Nor from a read-only transaction
        // (it can write temporary tables, hence miss an actor, but not the report).
        if (missed_in_transaction && !IsolationIsSerializable() && !XactReadOnly && write_due())
            write_before_commit();
        break;
    case XACT_EVENT_COMMIT:
        if (wrote_in_transaction) {
            forget_writing();
            last_write = GetCurrentTimestamp();
        }
        missed_in_transaction = wrote_in_transaction = false;
        break;
    case XACT_EVENT_ABORT:
        if (wrote_in_transaction)
            give_back_writing();
        missed_in_transaction = wrote_in_transaction = false;
        soft_deleting = InvalidOid;
        break;
    case XACT_EVENT_PREPARE:
        // Not written for a prepared transaction: its row locks would outlive it in this
        // backend's slot. The counts stay pending for a later commit or the session's end.
        missed_in_transaction = wrote_in_transaction = false;
        break;
    default:
        break;
    }
}

// The rest of the counts when the session ends normally, in a transaction of its own (as
// PostgreSQL removes temporary tables at exit). A session killed or ended by an error loses them.
void write_at_exit(int code, Datum /*arg*/) {
    if (code != 0 || !IsUnderPostmaster || !OidIsValid(MyDatabaseId) || !has_pending())
        return;
    AbortOutOfAnyTransaction();
    StartTransactionCommand();
    // Whatever the session's defaults: read committed (no predicate locks), read-write.
    XactIsoLevel = XACT_READ_COMMITTED;
    XactReadOnly = false;
    write_pending_counts();
    CommitTransactionCommand();
}

} // namespace

const char* operation_name(RowEvent event) {
    switch (event) {
    case RowEvent::Insert:
        return "INSERT";
    case RowEvent::Update:
        return "UPDATE";
    case RowEvent::Delete:
        return "DELETE (soft delete)";
    }
    return "?";
}

void note_missing_actor(const TriggerCache* cache, Relation rel, RowEvent event) {
    if (event == RowEvent::Update && soft_deleting == RelationGetRelid(rel))
        return; // the DELETE this UPDATE carries out was counted
    ensure_tables();
    const Oid relid = cache->enabled_relid;
    const TimestampTz statement = GetCurrentStatementStartTimestamp();
    warn_once_per_statement(cache, rel, relid, event, statement);

    MissKey key;
    memset(&key, 0, sizeof(key)); // the key is hashed and compared as bytes, padding included
    key.relid = relid;
    key.role = GetSessionUserId();
    key.event = static_cast<int32>(event);
    strlcpy(key.application, application_name != nullptr ? application_name : "", NAMEDATALEN);
    MissEntry* entry = last_entry;
    if (entry == nullptr || memcmp(&entry->key, &key, sizeof(key)) != 0) {
        bool found;
        entry = static_cast<MissEntry*>(hash_search(misses, &key, HASH_ENTER, &found));
        if (!found) {
            entry->pending = entry->writing = 0;
            entry->recorded = false;
        }
        last_entry = entry;
    }
    if (entry->pending == 0)
        entry->pending_first = statement;
    entry->pending_last = statement;
    ++entry->pending;
    if (!entry->recorded)
        new_key_pending = true;
    missed_in_transaction = true;
    if (!exit_callback_registered) {
        before_shmem_exit(write_at_exit, (Datum)0);
        exit_callback_registered = true;
    }
}

Oid begin_soft_delete(Oid relid) {
    const Oid previous = soft_deleting;
    soft_deleting = relid;
    return previous;
}

void end_soft_delete(Oid previous) {
    soft_deleting = previous;
}

void register_missing_actor_report() {
    RegisterXactCallback(on_transaction_event, nullptr);
}

} // namespace audit_fields::pg
