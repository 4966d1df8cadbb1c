import { describe, expect, it } from 'vitest';
import {
  distributionRecipe,
  supportedEngineVersions,
  supportedEngineVersionsText,
} from './flink-distribution.ts';

describe('Flink distribution recipes', () => {
  it('has 1.19, 1.20 and 2.2, each named by its minor or its exact release', () => {
    expect(supportedEngineVersions()).toEqual(['1.19', '1.20', '2.2']);
    expect(distributionRecipe('1.19')?.flinkVersion).toBe('1.19.1');
    expect(distributionRecipe('1.20.3')?.flinkVersion).toBe('1.20.3');
    expect(distributionRecipe('2.2.0')?.flinkVersion).toBe('2.2.0');
    expect(distributionRecipe('2.2.1')).toBeUndefined();
  });

  it('takes `2.x` (or `1.x`) as the newest recipe of that major version', () => {
    expect(distributionRecipe('2.x')?.minor).toBe('2.2');
    expect(distributionRecipe('1.x')?.minor).toBe('1.20');
    expect(distributionRecipe('3.x')).toBeUndefined();
    expect(distributionRecipe('2.1')).toBeUndefined();
    expect(supportedEngineVersionsText()).toBe('1.19, 1.20, 2.2 (1.x: 1.20, 2.x: 2.2)');
  });

  it('puts the connectors built for each minor beside its modules', () => {
    const coords = (v: string) =>
      [...distributionRecipe(v)!.lib, ...distributionRecipe(v)!.opt].map(
        (c) => `${c.artifactId}:${c.version}`,
      );
    expect(coords('1.19')).toEqual(
      expect.arrayContaining(['flink-connector-kafka:3.3.0-1.19', 'flink-connector-jdbc:3.2.0-1.19']),
    );
    expect(coords('2.2')).toEqual(
      expect.arrayContaining([
        'flink-connector-kafka:5.0.0-2.2',
        'flink-connector-jdbc-core:4.0.0-2.0',
        'flink-connector-jdbc-postgres:4.0.0-2.0',
        'flink-sql-gateway:2.2.0',
        'flink-container:2.2.1',
      ]),
    );
    expect(coords('1.19').filter((c) => c.startsWith('flink-container'))).toEqual([]);
    // Every Flink module of a recipe is of one release: a mixed classpath is no Flink release at all.
    // flink-container alone (three entry-point classes, no dependencies) is the nearest release served.
    for (const v of supportedEngineVersions()) {
      const r = distributionRecipe(v)!;
      const flinkModules = [...r.lib, ...r.opt].filter(
        (c) =>
          c.groupId === 'org.apache.flink' &&
          !c.artifactId.startsWith('flink-connector-jdbc') &&
          c.artifactId !== 'flink-connector-kafka' &&
          c.artifactId !== 'flink-container',
      );
      expect(new Set(flinkModules.map((c) => c.version))).toEqual(new Set([r.flinkVersion]));
    }
  });
});
