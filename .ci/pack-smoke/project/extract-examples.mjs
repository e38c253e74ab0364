// Writes the provider-testkit README's examples, as an outside user would copy them from the *installed*
// package, into test/: the example provider (shipped in the package), its harness and its conformance test
// (from the README). `npm test` then type-checks and runs them against the packed tarballs.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

const kit = 'node_modules/@wechat/provider-testkit';
const readme = readFileSync(`${kit}/README.md`, 'utf8');
const block = name => {
  const match = new RegExp(`<!-- example:${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\n<!-- /example:${name} -->`).exec(readme);
  if (!match) throw new Error(`the installed provider-testkit README has no example '${name}'`);
  return match[1];
};
copyFileSync(`${kit}/examples/text-gateway-provider.ts`, 'test/text-gateway-provider.ts');
writeFileSync('test/text-gateway-harness.ts', block('text-gateway-harness'));
writeFileSync('test/text-gateway.conformance.test.ts', block('text-gateway.conformance.test'));
writeFileSync('test/mock-world.test.ts', block('mock-world.test'));
console.log('pack-smoke: wrote the provider-testkit README examples into test/');
