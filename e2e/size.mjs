// Prints the gzipped size of the web app's wasm + JS and fails above the budget (Q4).
// Usage: node size.mjs DIST_DIR BUDGET_KB
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [dir, budgetKb] = process.argv.slice(2);
let total = 0;
for (const name of readdirSync(dir)) {
  if (!/\.(wasm|js)$/.test(name)) continue;
  const gz = gzipSync(readFileSync(join(dir, name)), { level: 9 }).length;
  total += gz;
  console.log(`${name}: ${(gz / 1024).toFixed(1)} KB gzipped`);
}
console.log(`total: ${(total / 1024).toFixed(1)} KB gzipped (budget ${budgetKb} KB)`);
if (total / 1024 > Number(budgetKb)) {
  console.error('over budget');
  process.exit(1);
}
