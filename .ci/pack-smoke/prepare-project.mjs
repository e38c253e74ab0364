// Points the scratch project's dependencies at the packed tarballs (and forces transitive @wechat/* deps onto
// them with npm overrides), and pins its tool versions to the workspace catalog.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [projectDir, tarballDir] = process.argv.slice(2);
const manifestPath = join(projectDir, 'package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const catalog = Object.fromEntries(
  [...readFileSync('pnpm-workspace.yaml', 'utf8').matchAll(/^ {2}"?([@\w/.-]+)"?: ([\w.^~-]+)$/gm)].map(match => [
    match[1],
    match[2],
  ]),
);

manifest.dependencies = {};
manifest.overrides = {};
for (const tarball of readdirSync(tarballDir)) {
  const tarballManifest = readdirSync('packages')
    .map(dir => JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8')))
    .find(pkg => `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz` === tarball);
  if (!tarballManifest) throw new Error(`no workspace package produced ${tarball}`);
  const spec = `file:${join(tarballDir, tarball)}`;
  manifest.dependencies[tarballManifest.name] = spec;
  manifest.overrides[tarballManifest.name] = spec;
}
for (const tool of Object.keys(manifest.devDependencies)) {
  if (!catalog[tool]) throw new Error(`${tool} is not in the workspace catalog`);
  manifest.devDependencies[tool] = catalog[tool];
}
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
