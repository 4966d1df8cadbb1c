import { describe, expect, it } from 'vitest';
import { duplicateJsonKey } from './json-keys.ts';

describe('a name written twice in a JSON object', () => {
  it('is found with the names of the objects it is in, however deep', () => {
    expect(duplicateJsonKey('{"a": 1, "b": 2, "a": 3}')).toEqual({ path: [], key: 'a' });
    expect(duplicateJsonKey('{"g": {"x": "viewer", "y": "owner", "x": "developer"}}')).toEqual({
      path: ['g'],
      key: 'x',
    });
    expect(duplicateJsonKey('{"g": {"x": {"deep": 1, "deep": 2}}}')).toEqual({
      path: ['g', 'x'],
      key: 'deep',
    });
    // The second object under one name is still under that name.
    expect(duplicateJsonKey('{"g": {"x": 1}, "h": {"x": 1}, "g": {}}')).toEqual({ path: [], key: 'g' });
  });

  it('compares names as JSON reads them, escapes included', () => {
    expect(duplicateJsonKey('{"cn=a\\u002cb": 1, "cn=a,b": 2}')).toEqual({ path: [], key: 'cn=a,b' });
    expect(duplicateJsonKey('{"say \\"hi\\"": 1, "say \\"hi\\"": 2}')).toEqual({ path: [], key: 'say "hi"' });
  });

  it('finds none where names repeat only in other objects, or strings are values', () => {
    expect(duplicateJsonKey('{"g": {"x": 1}, "h": {"x": 1}}')).toBeNull();
    expect(duplicateJsonKey('{"a": "a", "b": ["a", "a"], "c": {"a": ":"}}')).toBeNull();
    expect(duplicateJsonKey('[{"a": 1}, {"a": 2}]')).toBeNull();
    expect(duplicateJsonKey('{ "a" : { "b" : 1 } , "b" : { "a" : [ { "b" : 1 } ] } }')).toBeNull();
    expect(duplicateJsonKey('"just a string"')).toBeNull();
  });
});
