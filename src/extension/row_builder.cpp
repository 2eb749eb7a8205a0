#include "row_builder.h"

namespace audit_fields::pg {

namespace {

// heaptuple.c's own definition: a varlena column may hold a short (1-byte header) value unless its
// storage is plain.
bool packable(const FormData_pg_attribute* att) {
    return att->attstorage != TYPSTORAGE_PLAIN;
}

// att_align_nominal() on the write position, zeroing the padding it skips (heap_form_tuple's
// palloc0 leaves padding zero; this buffer is not zeroed as a whole).
char* align_for(const FormData_pg_attribute* att, char* data) {
    char* aligned = reinterpret_cast<char*>(att_align_nominal(data, att->attalign));
    while (data < aligned)
        *data++ = 0;
    return aligned;
}

// Appends one non-NULL value at `data` exactly as heap_fill_tuple's fill_val() does (PostgreSQL
// 15, heaptuple.c): the alignment is applied to the pointer, which is the offset's alignment
// because the data area starts MAXALIGNed. Returns the position after the value.
char* append_value(const FormData_pg_attribute* att, char* data, Datum datum, uint16* infomask) {
    Size length;
    if (att->attbyval) {
        data = align_for(att, data);
        store_att_byval(data, datum, att->attlen);
        length = att->attlen;
    } else if (att->attlen == -1) {
        const Pointer value = DatumGetPointer(datum);
        *infomask |= HEAP_HASVARWIDTH;
        if (VARATT_IS_EXTERNAL(value)) {
            // An expanded object never reaches here (the caller falls back); a TOAST pointer is
            // short by definition: no alignment.
            length = VARSIZE_EXTERNAL(value);
            memcpy(data, value, length);
            *infomask |= HEAP_HASEXTERNAL;
        } else if (VARATT_IS_SHORT(value)) {
            length = VARSIZE_SHORT(value);
            memcpy(data, value, length);
        } else if (packable(att) && VARATT_CAN_MAKE_SHORT(value)) {
            length = VARATT_CONVERTED_SHORT_SIZE(value);
            SET_VARSIZE_SHORT(data, length);
            memcpy(data + 1, VARDATA(value), length - 1);
        } else {
            data = align_for(att, data);
            length = VARSIZE(value);
            memcpy(data, value, length);
        }
    } else if (att->attlen == -2) {
        *infomask |= HEAP_HASVARWIDTH;
        length = strlen(DatumGetCString(datum)) + 1;
        memcpy(data, DatumGetPointer(datum), length);
    } else {
        data = align_for(att, data);
        length = att->attlen;
        memcpy(data, DatumGetPointer(datum), length);
    }
    return data + length;
}

HeapTuple with_header_of(HeapTuple result, HeapTuple row) {
    result->t_data->t_ctid = row->t_data->t_ctid;
    result->t_self = row->t_self;
    result->t_tableOid = row->t_tableOid;
    return result;
}

// Columns added after the row was written (their values are the table's missing values), or an
// expanded replacement value: PostgreSQL's deform and form.
HeapTuple replace_by_forming(TupleDesc desc, HeapTuple row, const ColumnValue* replacements,
                             int count) {
    Datum* values = static_cast<Datum*>(palloc(desc->natts * sizeof(Datum)));
    bool* nulls = static_cast<bool*>(palloc(desc->natts * sizeof(bool)));
    heap_deform_tuple(row, desc, values, nulls);
    for (int i = 0; i < count; ++i) {
        values[replacements[i].attnum - 1] = replacements[i].value;
        nulls[replacements[i].attnum - 1] = replacements[i].null;
    }
    HeapTuple result = heap_form_tuple(desc, values, nulls);
    pfree(values);
    pfree(nulls);
    return with_header_of(result, row);
}

} // namespace

HeapTuple replace_columns(TupleDesc desc, HeapTuple row, const ColumnValue* replacements,
                          int count) {
    const HeapTupleHeader source = row->t_data;
    const int natts = desc->natts;
    if (HeapTupleHeaderGetNatts(source) < natts)
        return replace_by_forming(desc, row, replacements, count);

    Size bound = row->t_len - source->t_hoff;
    bool null_replacement = false;
    uint64 replaced = 0; // bit attnum - 1, for tables of up to 64 columns
    for (int i = 0; i < count; ++i) {
        const ColumnValue& r = replacements[i];
        null_replacement |= r.null;
        bound += r.size + MAXIMUM_ALIGNOF;
        if (r.attnum <= 64)
            replaced |= uint64{1} << (r.attnum - 1);
    }
    bound += static_cast<Size>(natts) * MAXIMUM_ALIGNOF; // kept values may need new padding
    const bool source_nulls = HeapTupleHasNulls(row);
    const bits8* source_bits = source->t_bits;
    // A null bitmap if the result may have a NULL; dropped again below if it has none after all.
    const bool bitmap = source_nulls || null_replacement;

    const Size plain_header = MAXALIGN(offsetof(HeapTupleHeaderData, t_bits));
    const Size header =
        bitmap ? MAXALIGN(offsetof(HeapTupleHeaderData, t_bits) + BITMAPLEN(natts)) : plain_header;
    auto* result = static_cast<HeapTuple>(palloc(HEAPTUPLESIZE + header + bound));
    const auto target =
        reinterpret_cast<HeapTupleHeader>(reinterpret_cast<char*>(result) + HEAPTUPLESIZE);
    memset(target, 0, header);
    result->t_data = target;
    HeapTupleHeaderSetTypeId(target, desc->tdtypeid);
    HeapTupleHeaderSetTypMod(target, desc->tdtypmod);
    HeapTupleHeaderSetNatts(target, natts);

    // One walk over NEW: the source offset follows slot_deform_heap_tuple's rules, the target's
    // heap_fill_tuple's.
    const char* source_data = reinterpret_cast<const char*>(source) + source->t_hoff;
    char* const data_start = reinterpret_cast<char*>(target) + header;
    char* data = data_start;
    uint32 offset = 0;
    bits8* bits = bitmap ? target->t_bits : nullptr;
    uint16 infomask = 0;
    int next = 0;
    for (int i = 0; i < natts; ++i) {
        const FormData_pg_attribute* att = TupleDescAttr(desc, i);
        const bool source_null = source_nulls && att_isnull(i, source_bits);
        const char* stored = nullptr;
        if (!source_null) {
            offset = att->attlen == -1
                         ? att_align_pointer(offset, att->attalign, -1, source_data + offset)
                         : att_align_nominal(offset, att->attalign);
            stored = source_data + offset;
            offset = att_addlength_pointer(offset, att->attlen, stored);
        }
        const bool is_replaced = i < 64 ? ((replaced >> i) & 1) != 0
                                        : next < count && replacements[next].attnum == i + 1;
        if (is_replaced) {
            const ColumnValue& r = replacements[next++]; // sorted: the next one is this column's
            if (r.null) {
                infomask |= HEAP_HASNULL; // its bit stays 0
                continue;
            }
            if (bits != nullptr)
                bits[i >> 3] |= 1 << (i & 7);
            data = append_value(att, data, r.value, &infomask);
            continue;
        }
        if (source_null) {
            infomask |= HEAP_HASNULL;
            continue;
        }
        if (bits != nullptr)
            bits[i >> 3] |= 1 << (i & 7);
        if (att->attlen > 0) { // fixed width: copied as stored, at the same alignment rule
            data = align_for(att, data);
            memcpy(data, stored, att->attlen);
            data += att->attlen;
        } else if (att->attlen == -1 && VARATT_IS_1B(stored)) {
            // a short or TOAST-pointer varlena: never aligned, copied as stored
            const Size length = VARSIZE_ANY(stored);
            memcpy(data, stored, length);
            data += length;
            infomask |=
                VARATT_IS_1B_E(stored) ? HEAP_HASVARWIDTH | HEAP_HASEXTERNAL : HEAP_HASVARWIDTH;
        } else { // a 4-byte-header varlena (heap_fill_tuple may shorten it) or a cstring
            data = append_value(att, data, fetchatt(att, stored), &infomask);
        }
    }
    Size length = header + (data - data_start);
    if (bitmap && !(infomask & HEAP_HASNULL)) {
        // every NULL of NEW was replaced: no bitmap, as heap_form_tuple would make it (the data
        // area moves by a multiple of MAXALIGN, so its alignment holds)
        memmove(reinterpret_cast<char*>(target) + plain_header, data_start, data - data_start);
        length -= header - plain_header;
        target->t_hoff = plain_header;
    } else {
        target->t_hoff = header;
    }
    target->t_infomask |= infomask;
    result->t_len = length;
    HeapTupleHeaderSetDatumLength(target, length);
    ItemPointerSetInvalid(&result->t_self);
    return with_header_of(result, row);
}

} // namespace audit_fields::pg
