// duckdb.mjs SQLFILE - run the statements of SQLFILE in an in-memory
// DuckDB, as a user would from a few lines of Node.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const sql = readFileSync(process.argv[2], 'utf8');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
for (const stmt of sql.split(/;\s*$/m).map(s => s.trim()).filter(s => s && !s.split('\n').every(l => l.startsWith('--'))))
  await con.run(stmt);
