// TypeORM 0.3 + node-postgres + audit_fields, asserted against a real server.
// Run by hand: cd examples/node && npm ci && node --test typeorm/
// (PG* variables select the server; creates the database af_example_typeorm.)
'use strict';
require('reflect-metadata');
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { DataSource, EntitySchema, QueryFailedError } = require('typeorm');
const { createScratchDatabase, readRow, server } = require('../support');
const {
  ActorSubscriber, AuditReloadSubscriber, COLUMN_MAP, auditColumns, enableAuditFields, withActor,
} = require('./audit');

const DB = 'af_example_typeorm';
// EntitySchema is TypeORM's decorator-free entity definition: createDate/updateDate/deleteDate are
// @CreateDateColumn/@UpdateDateColumn/@DeleteDateColumn.
const Note = new EntitySchema({
  name: 'Note',
  tableName: 'notes',
  columns: {
    id: { type: 'int', primary: true, generated: 'increment' },
    title: { type: 'text' },
    ...auditColumns,
  },
});

function newDataSource() {
  return new DataSource({
    type: 'postgres', host: server.host, port: server.port, username: server.user, database: DB,
    entities: [Note], subscribers: [ActorSubscriber, AuditReloadSubscriber],
    synchronize: true, // creates the table; enableAuditFields then attaches the trigger
    poolSize: 1, // one connection: consecutive requests provably share a server backend
  });
}

let dataSource;
let notes;

before(async () => {
  await createScratchDatabase(DB);
  dataSource = await newDataSource().initialize();
  // soft_delete: remove() becomes a soft delete, which TypeORM's queries then hide like softRemove().
  await enableAuditFields(dataSource, Note, { softDelete: true });
  notes = dataSource.getRepository(Note);
});

after(() => dataSource.destroy());

const backendPid = async (manager = dataSource.manager) => (await manager.query('SELECT pg_backend_pid() AS pid'))[0].pid;

async function assertEntityEqualsRow(note) {
  const row = await readRow(DB, 'notes', note.id);
  for (const column of Object.values(COLUMN_MAP)) assert.deepEqual(note[column], row[column], column);
}

const isMissingActor = (error) => error instanceof QueryFailedError && error.driverError.code === '23502';

test('synchronize created the table; running it again leaves the trigger alone', async () => {
  const again = await newDataSource().initialize();
  await again.destroy();
  const [config] = await dataSource.query(
    "SELECT soft_delete, columns FROM audit_fields.tables WHERE table_name = 'notes'");
  assert.equal(config.soft_delete, true);
  for (const [logical, physical] of Object.entries(COLUMN_MAP)) assert.equal(config.columns[logical], physical);
});

test('the actor lands in the transactions TypeORM opens implicitly and in dataSource.transaction()', async () => {
  const ids = await withActor('alice@example.com', 'Alice', async () => {
    const saved = await notes.save({ title: 'save() opens its own transaction' });
    const inTransaction = await dataSource.transaction(async (manager) => {
      const note = await manager.save(Note, { title: 'explicit transaction' });
      await manager.update(Note, { id: saved.id }, { title: 'query builder inside a transaction' });
      return note;
    });
    return [saved.id, inTransaction.id];
  });
  for (const id of ids) {
    const row = await readRow(DB, 'notes', id);
    assert.deepEqual([row.createdBy, row.createdByName, row.updatedBy], ['alice@example.com', 'Alice', 'alice@example.com']);
  }
});

test('a query-builder write outside a transaction has no actor: QueryFailedError, SQLSTATE 23502', async () => {
  const note = await withActor('alice@example.com', 'Alice', () => notes.save({ title: 'draft' }));
  await withActor('alice@example.com', 'Alice', async () => {
    await assert.rejects(notes.update({ id: note.id }, { title: 'autocommit' }), (error) => {
      assert.ok(isMissingActor(error));
      assert.match(error.message, /notes/);
      return true;
    });
  });
});

test('no actor leaks to the next request on the same pooled connection', async () => {
  const firstPid = await withActor('alice@example.com', 'Alice', () =>
    dataSource.transaction(async (manager) => { await manager.save(Note, { title: 'by alice' }); return backendPid(manager); }));
  await assert.rejects(dataSource.transaction(async (manager) => { // an anonymous request
    assert.equal(await backendPid(manager), firstPid);
    await manager.save(Note, { title: 'anonymous' });
  }), isMissingActor);
  const note = await withActor('bob@example.com', 'Bob', () =>
    dataSource.transaction(async (manager) => {
      assert.equal(await backendPid(manager), firstPid);
      return manager.save(Note, { title: 'by bob' });
    }));
  assert.equal((await readRow(DB, 'notes', note.id)).createdBy, 'bob@example.com');
});

test('concurrent requests keep their own actor (AsyncLocalStorage)', async () => {
  const actors = ['ann', 'ben', 'cem', 'dee', 'eli', 'fay'].map((user) => `${user}@example.com`);
  const saved = await Promise.all(actors.map((actor) => withActor(actor, null, () => notes.save({ title: actor }))));
  for (const [i, note] of saved.entries()) {
    assert.equal((await readRow(DB, 'notes', note.id)).createdBy, actors[i]);
  }
});

test('the entity equals the row after save (RETURNING + the reload subscriber)', async () => {
  const note = await withActor('alice@example.com', 'Alice', () => notes.save({ title: 'draft' }));
  await assertEntityEqualsRow(note);
  note.title = 'edited';
  note.createdBy = 'mallory@example.com'; // read-only for TypeORM: never sent, and reloaded
  await withActor('bob@example.com', 'Bob', () => notes.save(note));
  await assertEntityEqualsRow(note);
  assert.deepEqual([note.createdBy, note.updatedBy], ['alice@example.com', 'bob@example.com']);
});

test('softRemove and remove both leave a soft-deleted row with who deleted it', async () => {
  const [soft, removed] = await withActor('alice@example.com', 'Alice', () =>
    notes.save([{ title: 'softRemove' }, { title: 'remove' }]));
  const removedId = removed.id; // remove() clears it on the entity
  await withActor('bob@example.com', 'Bob', async () => {
    await notes.softRemove(soft); // UPDATE "deletedAt" = CURRENT_TIMESTAMP: the trigger stamps deletedBy
    await notes.remove(removed); // DELETE: soft_delete => true keeps the row
  });
  await assertEntityEqualsRow(soft);
  for (const id of [soft.id, removedId]) {
    const row = await readRow(DB, 'notes', id);
    assert.deepEqual([row.deletedBy, row.deletedByName], ['bob@example.com', 'Bob']);
    assert.equal(await notes.findOneBy({ id }), null); // TypeORM hides rows with deletedAt set
  }
  await withActor('carol@example.com', 'Carol', () => notes.recover(soft));
  await assertEntityEqualsRow(soft);
  assert.deepEqual([soft.deletedAt, soft.deletedBy, soft.updatedBy], [null, null, 'carol@example.com']);
});
