// Sequelize 6 + node-postgres + audit_fields, asserted against a real server.
// Run by hand: cd examples/node && npm ci && node --test sequelize/
// (PG* variables select the server; creates the database af_example_sequelize.)
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { DataTypes, DatabaseError, Sequelize } = require('sequelize');
const { createScratchDatabase, readRow, server } = require('../support');
const { COLUMN_MAP, bindActorToTransactions, enableAfterSync, withActor } = require('./audit');

const DB = 'af_example_sequelize';
let sequelize;
let Note;

before(async () => {
  await createScratchDatabase(DB);
  sequelize = bindActorToTransactions(new Sequelize(DB, server.user, null, {
    dialect: 'postgres', host: server.host, port: server.port, logging: false,
    pool: { max: 1 }, // one connection: consecutive requests provably share a server backend
  }));
  Note = sequelize.define('Note', {
    title: { type: DataTypes.TEXT, allowNull: false },
    createdBy: DataTypes.TEXT, createdByName: DataTypes.TEXT,
    updatedBy: DataTypes.TEXT, updatedByName: DataTypes.TEXT,
    deletedBy: DataTypes.TEXT, deletedByName: DataTypes.TEXT,
  }, { paranoid: true }); // createdAt, updatedAt, deletedAt
  enableAfterSync(Note);
  await sequelize.sync();
});

after(() => sequelize.close());

const backendPid = async () => (await sequelize.query('SELECT pg_backend_pid() AS pid', { plain: true })).pid;

async function assertInstanceEqualsRow(note) {
  const row = await readRow(DB, 'Notes', note.id);
  for (const column of Object.values(COLUMN_MAP)) {
    assert.deepEqual(note.get(column), row[column], column);
  }
}

test('sync created the camelCase table and the afterSync hook enabled it with the column map', async () => {
  await Note.sync({ force: true }); // drops and re-creates the table: the hook enables it again
  const [config] = await sequelize.query(
    "SELECT columns FROM audit_fields.tables WHERE table_name = 'Notes'", { type: 'SELECT' });
  for (const [logical, physical] of Object.entries(COLUMN_MAP)) assert.equal(config.columns[logical], physical);
});

test('the actor lands in every transaction Sequelize opens, its own implicit ones included', async () => {
  const ids = await withActor('alice@example.com', 'Alice', async () => {
    const managed = await sequelize.transaction(async () => Note.create({ title: 'managed' }));
    const t = await sequelize.transaction({ isolationLevel: 'SERIALIZABLE' }); // unmanaged
    const unmanaged = await Note.create({ title: 'unmanaged' }, { transaction: t });
    await t.commit();
    // No transaction given: findOrCreate opens one itself, through sequelize.transaction().
    const [found] = await Note.findOrCreate({ where: { title: 'implicit' } });
    return [managed.id, unmanaged.id, found.id];
  });
  for (const id of ids) {
    const row = await readRow(DB, 'Notes', id);
    assert.deepEqual([row.createdBy, row.createdByName, row.updatedBy], ['alice@example.com', 'Alice', 'alice@example.com']);
  }
});

test('a write outside any transaction has no actor: DatabaseError with SQLSTATE 23502', async () => {
  await withActor('alice@example.com', 'Alice', async () => {
    await assert.rejects(Note.create({ title: 'autocommit' }), (error) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.parent.code, '23502');
      assert.match(error.message, /Notes/);
      return true;
    });
  });
});

test('no actor leaks to the next request on the same pooled connection', async () => {
  const firstPid = await withActor('alice@example.com', 'Alice', () =>
    sequelize.transaction(async () => { await Note.create({ title: 'by alice' }); return backendPid(); }));
  await assert.rejects(sequelize.transaction(async () => { // an anonymous request
    assert.equal(await backendPid(), firstPid);
    await Note.create({ title: 'anonymous' });
  }), (error) => error instanceof DatabaseError && error.parent.code === '23502');
  const note = await withActor('bob@example.com', 'Bob', () =>
    sequelize.transaction(async () => { assert.equal(await backendPid(), firstPid); return Note.create({ title: 'by bob' }); }));
  assert.equal((await readRow(DB, 'Notes', note.id)).createdBy, 'bob@example.com');
});

test('concurrent requests keep their own actor (AsyncLocalStorage)', async () => {
  const actors = ['ann', 'ben', 'cem', 'dee', 'eli', 'fay'].map((user) => `${user}@example.com`);
  const created = await Promise.all(actors.map((actor) =>
    withActor(actor, null, () => sequelize.transaction(() => Note.create({ title: actor })))));
  for (const [i, note] of created.entries()) {
    assert.equal((await readRow(DB, 'Notes', note.id)).createdBy, actors[i]);
  }
});

test('returning: true makes the instance equal the row', async () => {
  const note = await withActor('alice@example.com', 'Alice', () =>
    sequelize.transaction(() => Note.create({ title: 'draft' }))); // INSERT ... RETURNING by default
  await assertInstanceEqualsRow(note);
  await withActor('bob@example.com', 'Bob', () => sequelize.transaction(async () => {
    note.title = 'edited';
    await note.save({ returning: true }); // without it, updatedAt keeps the application's clock
  }));
  await assertInstanceEqualsRow(note);
  assert.deepEqual([note.createdBy, note.updatedBy], ['alice@example.com', 'bob@example.com']);
});

test('paranoid destroy and restore: the trigger records who deleted, and clears it on restore', async () => {
  const note = await withActor('alice@example.com', 'Alice', () =>
    sequelize.transaction(() => Note.create({ title: 'to delete' })));
  await withActor('bob@example.com', 'Bob', () => sequelize.transaction(() => note.destroy({ returning: true })));
  let row = await readRow(DB, 'Notes', note.id);
  assert.deepEqual([row.deletedBy, row.deletedByName], ['bob@example.com', 'Bob']);
  assert.ok(row.deletedAt instanceof Date);
  assert.equal(await Note.findByPk(note.id), null); // paranoid queries hide it
  await assertInstanceEqualsRow(note); // returning: true brought deletedAt and deletedBy back

  await withActor('carol@example.com', 'Carol', () => sequelize.transaction(() => note.restore({ returning: true })));
  await assertInstanceEqualsRow(note);
  row = await readRow(DB, 'Notes', note.id);
  assert.deepEqual([row.deletedAt, row.deletedBy, row.updatedBy], [null, null, 'carol@example.com']);

  // force: true is a real DELETE; the table is enabled without soft_delete, so it still erases.
  await withActor('carol@example.com', 'Carol', () => sequelize.transaction(() => note.destroy({ force: true })));
  assert.equal(await readRow(DB, 'Notes', note.id), undefined);
});
