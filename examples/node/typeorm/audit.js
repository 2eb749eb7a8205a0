// TypeORM 0.3 and audit_fields: the request's actor in every transaction TypeORM opens, and the
// values the database wrote back in the entity.
//
// - The actor lives in an AsyncLocalStorage for the duration of a request (`withActor`, what a
//   NestJS interceptor or Express middleware would call around the handler).
// - ActorSubscriber.afterTransactionStart runs `SELECT audit_fields.set_actor($1, $2)` in every
//   transaction a QueryRunner starts: the ones save()/remove()/softRemove() open implicitly, and
//   dataSource.transaction(). (After START TRANSACTION and any SET TRANSACTION ISOLATION LEVEL.)
//   Query-builder writes (repository.update/insert/delete/softDelete) run in autocommit, outside
//   any transaction: the trigger rejects them without an actor (SQLSTATE 23502). Run them inside
//   dataSource.transaction().
// - TypeORM's RETURNING brings back only its own generated columns (createDate, updateDate,
//   deleteDate, version). AuditReloadSubscriber re-reads the audit columns after every insert,
//   update, soft remove and recover, inside the same transaction, so the entity equals the row.
'use strict';
const { AsyncLocalStorage } = require('node:async_hooks');
const { EventSubscriber } = require('typeorm');

const actorStorage = new AsyncLocalStorage();

function withActor(actor, name, handler) {
  return actorStorage.run({ actor, name }, handler);
}

class ActorSubscriber {
  async afterTransactionStart({ queryRunner }) {
    const current = actorStorage.getStore();
    // transactionDepth > 1 is a savepoint inside a transaction that already has the actor.
    if (current && queryRunner.transactionDepth === 1) {
      await queryRunner.query('SELECT audit_fields.set_actor($1, $2)', [current.actor, current.name ?? null]);
    }
  }
}

// The logical audit columns under the entity's camelCase property (= column) names.
const COLUMN_MAP = {
  created_at: 'createdAt', updated_at: 'updatedAt', deleted_at: 'deletedAt',
  created_by: 'createdBy', created_by_name: 'createdByName',
  updated_by: 'updatedBy', updated_by_name: 'updatedByName',
  deleted_by: 'deletedBy', deleted_by_name: 'deletedByName',
};
const AUDIT_PROPERTIES = Object.values(COLUMN_MAP);

class AuditReloadSubscriber {
  async reload({ metadata, entity, manager }) {
    if (!entity || !metadata.findColumnWithPropertyName('updatedBy')) return;
    // A query-builder update (repository.update) passes the values it set, not an entity: no id.
    const id = metadata.getEntityIdMap(entity);
    if (!id) return;
    const fresh = await manager.findOne(metadata.target, { where: id, withDeleted: true });
    if (fresh) for (const property of AUDIT_PROPERTIES) entity[property] = fresh[property];
  }

  afterInsert(event) { return this.reload(event); }
  afterUpdate(event) { return this.reload(event); }
  afterSoftRemove(event) { return this.reload(event); }
  afterRecover(event) { return this.reload(event); }
}

// What the @EventSubscriber() decorator does, without a TypeScript build step.
EventSubscriber()(ActorSubscriber);
EventSubscriber()(AuditReloadSubscriber);

// The audit columns as TypeORM sees them. The *_by columns are read-only for TypeORM (insert/update
// false): the database writes them, so a stale value in the entity is never sent back.
const auditColumns = {
  createdAt: { type: 'timestamptz', createDate: true },
  updatedAt: { type: 'timestamptz', updateDate: true },
  deletedAt: { type: 'timestamptz', deleteDate: true, nullable: true },
  createdBy: { type: 'text', insert: false, update: false },
  createdByName: { type: 'text', nullable: true, insert: false, update: false },
  updatedBy: { type: 'text', insert: false, update: false },
  updatedByName: { type: 'text', nullable: true, insert: false, update: false },
  deletedBy: { type: 'text', nullable: true, insert: false, update: false },
  deletedByName: { type: 'text', nullable: true, insert: false, update: false },
};

// After synchronize (or a migration) has created the table. enable() is idempotent.
async function enableAuditFields(dataSource, entity, options = {}) {
  const { tablePath } = dataSource.getMetadata(entity);
  await dataSource.query(
    'SELECT audit_fields.enable($1::regclass, column_map => $2, soft_delete => $3)',
    [tablePath, JSON.stringify(COLUMN_MAP), options.softDelete ?? false]);
}

module.exports = {
  withActor, ActorSubscriber, AuditReloadSubscriber, auditColumns, enableAuditFields, COLUMN_MAP,
};
