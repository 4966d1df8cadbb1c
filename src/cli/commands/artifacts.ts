import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { SluiceApi } from '../client.ts';
import { sourceText, type ArtifactVersion } from '../../domain/artifacts/artifact.ts';
import { printJson, table } from '../output.ts';

const size = (n: number) =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
const version = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** `sluice artifact ...`: jars jobs use (UDFs, connectors, formats; later JAR jobs). */
export function artifactCommands(program: Command, api: () => SluiceApi, say: (l: string) => void): void {
  const artifact = program
    .command('artifact')
    .description(
      'jars kept by the platform (stored by sha256, every upload a new version), and the UDFs in them',
    );
  artifact
    .command('upload <file>')
    .description('check a jar (a zip with a manifest) and store it as the next version of its name')
    .option('--name <name>', 'artifact name (default: the file name without version and .jar)')
    .option('--entry-class <class>', 'a class that must be in the jar (refused if it is not)')
    .option('--space <space>', 'the space it is made in (default: default); an existing one stays in its own')
    .option('--json', 'print JSON')
    .action(
      async (file: string, o: { name?: string; entryClass?: string; space?: string; json?: boolean }) => {
        const bytes = fs.readFileSync(file);
        const v = await api().artifacts.upload(bytes, {
          fileName: path.basename(file),
          ...(o.name ? { name: o.name } : {}),
          ...(o.entryClass ? { entryClass: o.entryClass } : {}),
          ...(o.space ? { space: o.space } : {}),
        });
        if (o.json) return printJson(v);
        console.log(
          `artifact ${v.name} version ${v.version} stored (${size(v.sizeBytes)}, sha256 ${v.sha256})`,
        );
      },
    );
  artifact
    .command('maven <coordinates>')
    .description(
      'resolve group:artifact:version[:classifier] with Maven and store the jar as the next version',
    )
    .option('--name <name>', 'artifact name (default: the artifactId)')
    .option('--space <space>', 'the space it is made in (default: default); an existing one stays in its own')
    .option('--json', 'print JSON')
    .action(async (coordinates: string, o: { name?: string; space?: string; json?: boolean }) => {
      say(`resolving ${coordinates} with Maven`);
      const v = await api().artifacts.fromMaven(coordinates, o.name, o.space);
      if (o.json) return printJson(v);
      console.log(
        `artifact ${v.name} version ${v.version} stored from ${coordinates} (${size(v.sizeBytes)}, sha256 ${v.sha256})`,
      );
    });
  artifact
    .command('build')
    .description(
      'build a jar from a git repository with mvn -B package -DskipTests and store it as the next version (followed to its end)',
    )
    .requiredOption('--git <url>', 'the repository: https://, ssh://, git://, file:// or user@host:path')
    .option('--ref <ref>', 'branch, tag or commit (default: the default branch)')
    .option('--module <dir>', "the Maven module's folder in the repository (default: its root)")
    .option('--jar <glob>', 'file-name pattern of the jar under target/ when the build makes more than one')
    .option('--name <name>', 'artifact name (default: the jar file name without version and .jar)')
    .option('--entry-class <class>', 'a class that must be in the jar (refused if it is not)')
    .option('--space <space>', 'the space it is made in (default: default); an existing one stays in its own')
    .option('--no-wait', 'return at once with the operation id')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        git: string;
        ref?: string;
        module?: string;
        jar?: string;
        name?: string;
        entryClass?: string;
        space?: string;
        wait: boolean;
        json?: boolean;
      }) => {
        const op = await api().artifacts.build({
          url: o.git,
          ...(o.ref ? { ref: o.ref } : {}),
          ...(o.module ? { module: o.module } : {}),
          ...(o.jar ? { jar: o.jar } : {}),
          ...(o.name ? { name: o.name } : {}),
          ...(o.entryClass ? { entryClass: o.entryClass } : {}),
          ...(o.space ? { space: o.space } : {}),
        });
        if (!o.wait) return printJson({ operation: op.id });
        // The whole log (git and Maven) on standard error, as `cluster start` shows its progress.
        const done = await api().operations.follow(op, say);
        const v = done.result as ArtifactVersion;
        if (o.json) return printJson(v);
        console.log(
          `artifact ${v.name} version ${v.version} stored from ${sourceText(v.source)} (${size(v.sizeBytes)}, sha256 ${v.sha256})`,
        );
      },
    );
  artifact
    .command('list')
    .description('artifacts with their latest version')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await api().artifacts.list();
      if (o.json) return printJson(list);
      console.log(
        table(
          list.map((a) => {
            const l = a.versions.at(-1)!;
            return {
              name: a.name,
              latest: a.latestVersion,
              versions: a.versions.length,
              size: size(l.sizeBytes),
              file: l.fileName,
              source: sourceText(l.source),
              author: l.author,
              createdAt: l.createdAt,
            };
          }),
          ['name', 'latest', 'versions', 'size', 'file', 'source', 'author', 'createdAt'],
        ),
      );
    });
  artifact
    .command('get <name>')
    .description('the versions of an artifact: who, when, size, sha256, file name, source')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const a = await api().artifacts.get(name);
      if (o.json) return printJson(a);
      console.log(
        table(
          a.versions.map((v) => ({
            ...v,
            size: size(v.sizeBytes),
            source: sourceText(v.source),
            mainClass: v.mainClass ?? '',
          })),
          ['version', 'size', 'fileName', 'source', 'mainClass', 'author', 'createdAt', 'sha256'],
        ),
      );
    });
  artifact
    .command('functions <name>')
    .description(
      'the user-defined functions in a version (default: the latest), with CREATE FUNCTION to copy',
    )
    .option('--version <n>', 'artifact version')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { version?: string; json?: boolean }) => {
      const v = version(o.version) ?? (await api().artifacts.get(name)).latestVersion;
      const r = await api().artifacts.functions(name, v);
      if (o.json) return printJson(r);
      console.log(
        table(
          r.functions.map((f) => ({
            ...f,
            signatures: f.signatures.map((s) => `(${s.parameters.join(', ')}) -> ${s.returns}`).join('; '),
          })),
          ['name', 'kind', 'className', 'signatures'],
        ),
      );
      for (const f of r.functions) console.log(f.createStatement);
    });
  artifact
    .command('download <name>')
    .description('write the jar of a version (default: the latest) to a file')
    .option('--version <n>', 'artifact version')
    .option('-o, --output <file>', 'where to write it (default: its file name, here)')
    .action(async (name: string, o: { version?: string; output?: string }) => {
      const a = await api().artifacts.get(name);
      const v = a.versions.find((x) => x.version === (version(o.version) ?? a.latestVersion));
      const bytes = await api().artifacts.download(name, v?.version ?? version(o.version)!);
      const out = o.output ?? v?.fileName ?? `${name}.jar`;
      fs.writeFileSync(out, bytes);
      say(`wrote ${out} (${size(bytes.length)})`);
    });
  artifact
    .command('delete <name>')
    .description('delete an artifact (or one version); refused while any job version uses it')
    .option('--version <n>', 'only this version')
    .action(async (name: string, o: { version?: string }) => {
      const r = await api().artifacts.delete(name, version(o.version));
      say(`artifact ${name}: deleted version(s) ${r.removedVersions.join(', ')}`);
    });
}
