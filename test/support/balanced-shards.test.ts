import { describe, expect, it } from 'vitest';
import { splitByLength } from './balanced-shards.ts';

describe('the Kubernetes lanes split by length', () => {
  it('gives each file to the shard with the least so far, longest first, the same split for every shard', () => {
    const files = [
      { key: 'a', seconds: 460 },
      { key: 'b', seconds: 290 },
      { key: 'c', seconds: 256 },
      { key: 'd', seconds: 183 },
      { key: 'e', seconds: 90 },
      { key: 'f', seconds: 90 },
    ];
    const [one, two] = splitByLength(files, 2);
    expect(one!.map((f) => f.key)).toEqual(['a', 'd']);
    expect(two!.map((f) => f.key)).toEqual(['b', 'c', 'e', 'f']);
    // Every file in exactly one shard, whatever the order they come in.
    const reversed = splitByLength([...files].reverse(), 2);
    expect(reversed.map((s) => s.map((f) => f.key).sort())).toEqual([
      ['a', 'd'],
      ['b', 'c', 'e', 'f'],
    ]);
    expect(splitByLength(files.slice(0, 1), 2)).toEqual([[files[0]], []]);
  });
});
