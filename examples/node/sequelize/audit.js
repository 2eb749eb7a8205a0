// Sequelize 6 and audit_fields: the request's actor in every transaction Sequelize opens.
//
// - The actor lives in an AsyncLocalStorage for the duration of a request (`withActor`, what an
//   Express/Koa middleware would call around the handler).
// - Sequelize has no "transaction began" hook, so `bindActorToTransactions` wraps this instance's
//   `sequelize.transaction()`: every transaction it opens, managed or not, and the ones Sequelize opens
//   for itself (findOrCreate), runs `SELECT audit_fields.set_actor($1, $2)` right after BEGIN (and after
//   SET TRANSACTION ISOLATION LEVEL, which must come first). Bound parameters: `SET LOCAL ... = $1`
//   cannot take them.
// - CLS (here on AsyncLocalStorage) lets model calls inside `sequelize.transaction(async () => ...)`
//   join that transaction without passing `{ transaction }` by hand.
// A model call outside any transaction runs in autocommit: there is no transaction to bind the actor
// to, and the trigger rejects the write (SQLSTATE 23502). Open one transaction per request.
'use strict';
const { AsyncLocalStorage } = require('node:async_hooks');
const { Sequelize } = require('sequelize');

const actorStorage = new AsyncLocalStorage();

function withActor(actor, name, handler) {
  return actorStorage.run({ actor, name }, handler);
}

// The continuation-local storage Sequelize.useCLS expects (the cls-hooked interface), on Node's
// AsyncLocalStorage.
function asyncLocalNamespace() {
  const storage = new AsyncLocalStorage();
  return {
    run(fn) {
      return storage.run(new Map(storage.getStore()), () => fn(storage.getStore()));
    },
    get(key) {
      return storage.getStore()?.get(key);
    },
    set(key, value) {
      storage.getStore()?.set(key, value);
      return value;
    },
    bind(fn) {
      return AsyncLocalStorage.bind(fn);
    },
  };
}

function bindActorToTransactions(sequelize) {
  const transaction = sequelize.transaction.bind(sequelize);
  const setActor = async (t) => {
    const current = actorStorage.getStore();
    if (current && !t.parent) { // a savepoint shares its parent's transaction, actor included
      await sequelize.query('SELECT audit_fields.set_actor($1, $2)', {
        bind: [current.actor, current.name ?? null],
        transaction: t,
      });
    }
    return t;
  };
  sequelize.transaction = async (options, autoCallback) => {
    if (typeof options === 'function') [options, autoCallback] = [undefined, options];
    if (!autoCallback) return setActor(await transaction(options));
    return transaction(options, async (t) => autoCallback(await setActor(t)));
  };
  return sequelize;
}

// The logical audit columns under Sequelize's default camelCase names (timestamps + paranoid).
const COLUMN_MAP = {
  created_at: 'createdAt', updated_at: 'updatedAt', deleted_at: 'deletedAt',
  created_by: 'createdBy', created_by_name: 'createdByName',
  updated_by: 'updatedBy', updated_by_name: 'updatedByName',
  deleted_by: 'deletedBy', deleted_by_name: 'deletedByName',
};

// After sequelize.sync() creates (or re-creates, with force) the table, hand it to audit_fields.
// enable() is idempotent, so running it after every sync is safe.
function enableAfterSync(model) {
  model.addHook('afterSync', 'audit_fields', async () => {
    const table = model.getTableName();
    await model.sequelize.query('SELECT audit_fields.enable($1::regclass, column_map => $2)', {
      bind: [model.sequelize.getQueryInterface().quoteIdentifier(table), JSON.stringify(COLUMN_MAP)],
    });
  });
}

Sequelize.useCLS(asyncLocalNamespace());

module.exports = { withActor, bindActorToTransactions, enableAfterSync, COLUMN_MAP };
