import { describe, expect, it } from 'vitest';
import type { SqlExample } from '../../../contract/sql.ts';
import { searchExamples } from './example-search.ts';

const example = (name: string, title: string, description: string, tags: string[]): SqlExample => ({
  name,
  title,
  description,
  tags,
  needs: null,
  sql: '',
});
const EXAMPLES = [
  example('tumbling-window', 'Tumbling window', 'Counts clicks per minute', ['window', 'aggregation']),
  example('kafka-to-jdbc', 'Kafka to a database', 'Writes orders into PostgreSQL', ['kafka', 'jdbc']),
  example('top-n', 'Top N', 'The three most clicked pages', ['ranking']),
];
const names = (text: string) => searchExamples(EXAMPLES, text).map((e) => e.name);

describe('searchExamples', () => {
  it('keeps every example while nothing is typed', () => {
    expect(names('')).toEqual(['tumbling-window', 'kafka-to-jdbc', 'top-n']);
    expect(names('   ')).toHaveLength(3);
  });

  it('matches the name, the title, the description and the tags, whatever the case', () => {
    expect(names('TOP-N')).toEqual(['top-n']);
    expect(names('database')).toEqual(['kafka-to-jdbc']);
    expect(names('postgresql')).toEqual(['kafka-to-jdbc']);
    expect(names('ranking')).toEqual(['top-n']);
    expect(names('click')).toEqual(['tumbling-window', 'top-n']);
  });

  it('needs every word typed, in any field', () => {
    expect(names('clicks aggregation')).toEqual(['tumbling-window']);
    expect(names('clicks jdbc')).toEqual([]);
  });
});
