// Every hash table audit_fields keeps in a backend has one shape: keyed by the bytes of a plain
// struct (or an Oid), living in a memory context that outlives the statement.
#pragma once

#include "pg.h"

namespace audit_fields::pg {

inline HTAB* create_blob_hash(const char* name, long initial_size, Size key_size, Size entry_size,
                              MemoryContext context) {
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = key_size;
    ctl.entrysize = entry_size;
    ctl.hcxt = context;
    return hash_create(name, initial_size, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

} // namespace audit_fields::pg
