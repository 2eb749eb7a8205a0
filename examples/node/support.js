// Shared by the Node examples: a fresh database with the extension, and the row as the database
// holds it, read with plain node-postgres (the connection comes from the PG* variables).
'use strict';
const { Client } = require('pg');

async function createScratchDatabase(name) {
  const admin = new Client({ database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const client = new Client({ database: name });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION audit_fields');
  } finally {
    await client.end();
  }
}

async function readRow(database, table, id) {
  const client = new Client({ database });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT * FROM "${table}" WHERE id = $1`, [id]);
    return rows[0];
  } finally {
    await client.end();
  }
}

// Where node-postgres (and so Sequelize and TypeORM) connects: the libpq variables, a Unix socket
// directory in PGHOST included.
const server = {
  host: process.env.PGHOST,
  port: process.env.PGPORT ? Number(process.env.PGPORT) : undefined,
  user: process.env.PGUSER,
};

module.exports = { createScratchDatabase, readRow, server };
