import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cachedJar, compileAgainstEngine } from './javac.ts';

/**
 * A real connector jar with a Flink CatalogFactory, compiled here against an engine's own jars: what a
 * user adds to an engine's lib/ to get a catalog type it lacks. The factory `acme` inherits
 * `factoryIdentifier()` from an abstract base that implements CatalogFactory, and creates an in-memory
 * catalog whose one database is `acme_db`. With `computed`, the jar also registers a factory whose
 * identifier is computed at run time (not a constant in its class file).
 */
export function buildCatalogJar(dir: string, engineHome: string, opts: { computed?: boolean } = {}): string {
  const java = {
    'BaseFactory.java': `package dev.sluice.test;
import java.util.Collections;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.factories.CatalogFactory;
public abstract class BaseFactory implements CatalogFactory {
  public String factoryIdentifier() { return "acme"; }
  public Set<ConfigOption<?>> requiredOptions() { return Collections.emptySet(); }
  public Set<ConfigOption<?>> optionalOptions() { return Collections.emptySet(); }
  public Catalog createCatalog(Context context) { return new GenericInMemoryCatalog(context.getName(), "acme_db"); }
}`,
    'AcmeCatalogFactory.java': `package dev.sluice.test;
public class AcmeCatalogFactory extends BaseFactory {}`,
    'ComputedCatalogFactory.java': `package dev.sluice.test;
public class ComputedCatalogFactory extends BaseFactory {
  @Override public String factoryIdentifier() { return "computed-" + System.getProperty("java.version"); }
}`,
  };
  const services = `# a test connector\ndev.sluice.test.AcmeCatalogFactory\n${opts.computed ? 'dev.sluice.test.ComputedCatalogFactory\n' : ''}`;
  const name = opts.computed ? 'acme-computed-connector.jar' : 'acme-connector.jar';
  return cachedJar(path.join(dir, name), engineHome, { java, services }, (jar) => {
    const src = path.join(dir, 'src', 'dev', 'sluice', 'test');
    const classes = path.join(dir, 'classes');
    fs.mkdirSync(src, { recursive: true });
    fs.mkdirSync(path.join(classes, 'META-INF', 'services'), { recursive: true });
    compileAgainstEngine(engineHome, src, classes, java);
    fs.writeFileSync(
      path.join(classes, 'META-INF', 'services', 'org.apache.flink.table.factories.Factory'),
      services,
    );
    execFileSync('jar', ['--create', '--file', jar, '-C', classes, '.']);
  });
}

/**
 * A copy of an engine whose lib/ can be changed without touching the run's shared engine: its files are
 * symbolic links to the original's, its manifest a copy.
 */
export function engineCopy(engineHome: string, into: string): string {
  for (const dir of ['lib', 'opt']) {
    fs.mkdirSync(path.join(into, dir), { recursive: true });
    for (const f of fs.readdirSync(path.join(engineHome, dir)))
      fs.symlinkSync(path.join(engineHome, dir, f), path.join(into, dir, f));
  }
  for (const f of fs.readdirSync(engineHome))
    if (f.endsWith('.json')) fs.copyFileSync(path.join(engineHome, f), path.join(into, f));
  return into;
}
