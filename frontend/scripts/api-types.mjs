// The API's types, generated from the OpenAPI schema (docs/openapi.json) with
// openapi-typescript into src/api/schema.d.ts.
//   node scripts/api-types.mjs          write the file
//   node scripts/api-types.mjs --check  fail if the file is not what the schema gives
// Without docs/openapi.json, the schema is read from the backend (`create_app`) in .venv.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const target = path.resolve(here, '..', 'src', 'api', 'schema.d.ts');
const documented = path.join(repo, 'docs', 'openapi.json');

function schemaText() {
  if (fs.existsSync(documented)) return fs.readFileSync(documented, 'utf8');
  const python = path.join(repo, '.venv', 'bin', 'python');
  return execFileSync(
    python,
    ['-c', 'import json; from cora.app import create_app; print(json.dumps(create_app().openapi()))'],
    { cwd: path.join(repo, 'backend'), encoding: 'utf8', env: { ...process.env, CORA_DATA_DIR: fs.mkdtempSync('/tmp/cora-schema-') } },
  );
}

const header = '// Generated from docs/openapi.json by scripts/api-types.mjs: do not edit.\n';
const ast = await openapiTS(JSON.parse(schemaText()));
const generated = header + astToString(ast);

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== generated) {
    console.error('src/api/schema.d.ts is out of date with the OpenAPI schema: run `npm run api-types`.');
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, generated);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
