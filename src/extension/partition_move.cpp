#include "partition_move.h"

extern "C" {
#include "access/relation.h"
#include "catalog/pg_am.h"
#include "storage/bufmgr.h"
#include "utils/snapmgr.h"
}

namespace audit_fields::pg {

namespace {

struct StampedValue {
    bool present;
    bool null;
    int64 value; // timestamps are 64-bit integers, with or without time zone
};

struct MoveNote {
    bool active;
    LocalTransactionId lxid;
    CommandId command;
    Oid root;
    Oid source_relid;
    ItemPointerData source_ctid;
    StampedValue created_at;
    StampedValue updated_at;
};

MoveNote note;

StampedValue read_stamp(const TriggerCache* cache, AuditColumn column, HeapTuple row,
                        TupleDesc desc) {
    StampedValue v{cache->layout.has(column), true, 0};
    if (v.present) {
        const Datum d = heap_getattr(row, cache->layout.column(column).attnum, desc, &v.null);
        if (!v.null)
            v.value = DatumGetInt64(d);
    }
    return v;
}

bool same_stamp(const StampedValue& a, const StampedValue& b) {
    if (!a.present || !b.present)
        return true; // a column the destination lacks cannot tell the rows apart
    return a.null == b.null && (a.null || a.value == b.value);
}

bool note_matches_command(const TriggerCache* cache) {
    return note.active && cache->partition_root != InvalidOid &&
           note.root == cache->partition_root && note.lxid == compat_local_transaction_id() &&
           note.command == GetCurrentCommandId(false);
}

// The executor deletes the source row of a cross-partition UPDATE before it inserts the row into
// the destination, and marks that deletion as a partition move in the tuple header. Checking it
// tells a real move from a row the same command inserts with copied audit values (a writable CTE
// "UPDATE ... RETURNING *" feeding an INSERT, MERGE, ON CONFLICT), which must be stamped, not
// trusted. Runs only for an INSERT that already matched the note, so not on the common path.
bool source_row_moved_by_this_transaction() {
    Relation source = try_relation_open(note.source_relid, NoLock); // locked by the UPDATE
    if (source == nullptr)
        return false;
    bool moved = false;
    if (source->rd_rel->relam == HEAP_TABLE_AM_OID) {
        HeapTupleData tuple;
        tuple.t_self = note.source_ctid;
        Buffer buffer = InvalidBuffer;
        if (heap_fetch(source, SnapshotAny, &tuple, &buffer, true) || BufferIsValid(buffer)) {
            LockBuffer(buffer, BUFFER_LOCK_SHARE);
            const HeapTupleHeader header = tuple.t_data;
            moved = header != nullptr && !(header->t_infomask & HEAP_XMAX_INVALID) &&
                    HeapTupleHeaderIndicatesMovedPartitions(header) &&
                    TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetUpdateXid(header));
            UnlockReleaseBuffer(buffer);
        }
    } else {
        moved = true; // another table AM: fall back to the note alone
    }
    relation_close(source, NoLock);
    return moved;
}

} // namespace

void note_partition_update(const TriggerCache* cache, HeapTuple old_row, HeapTuple stamped_row,
                           TupleDesc desc) {
    if (cache->partition_root == InvalidOid)
        return;
    note.active = true;
    note.lxid = compat_local_transaction_id();
    note.command = GetCurrentCommandId(false);
    note.root = cache->partition_root;
    note.source_relid = cache->relid;
    note.source_ctid = old_row->t_self;
    note.created_at = read_stamp(cache, AuditColumn::CreatedAt, stamped_row, desc);
    note.updated_at = read_stamp(cache, AuditColumn::UpdatedAt, stamped_row, desc);
}

bool is_partition_move_delete(const TriggerCache* cache, HeapTuple row) {
    return note_matches_command(cache) && note.source_relid == cache->relid &&
           ItemPointerEquals(&note.source_ctid, &row->t_self);
}

bool take_partition_move_insert(const TriggerCache* cache, HeapTuple row, TupleDesc desc) {
    if (!note_matches_command(cache))
        return false;
    if (!same_stamp(note.created_at, read_stamp(cache, AuditColumn::CreatedAt, row, desc)) ||
        !same_stamp(note.updated_at, read_stamp(cache, AuditColumn::UpdatedAt, row, desc)))
        return false;
    if (!source_row_moved_by_this_transaction())
        return false;
    note.active = false;
    return true;
}

} // namespace audit_fields::pg
