import { message, type Message } from '../messages.ts';

/**
 * Whether a value can be a secret. A secret is masked wherever its value appears, so a value that
 * ordinary text is full of (a short one, a common word, a number) would hide that text everywhere,
 * and is guessable besides: such a value is refused as a secret.
 */
export const SECRET_MIN_LENGTH = 6;

/**
 * English words and programming tokens that turn up in SQL, plans, logs and traces, and the
 * passwords people type first. Compared with the value's letters alone: `__main__`, `Password123!`
 * and `localhost:8080` are `main`, `password` and `localhost`.
 */
const COMMON = new Set(
  `a about after again all also an and any are as at back be because been before being but by can
  come could day do does down each even first for from get give go good had has have he her here him
  his how i if in into is it its just know last like long look make man many may me more most much
  must my new no not now of off on one only or other our out over people say see she should so some
  still such take than that the their them then there these they thing think this those through time
  to two under up us use very want was way we well were what when where which while who why will with
  work would year you your hello world welcome love iloveyou sunshine shadow monkey dragon football
  baseball princess superman batman master letmein trustno qwerty qwertyuiop asdf asdfgh zxcvbn abc
  abcdef abcdefg changeme secret secrets password passwd pass passw pwd pw passphrase passcode pin
  token apikey key keys login logon signin admin administrator root superuser sudo user username
  users guest anonymous nobody test tester testing tests demo example sample default defaults dummy
  temp tmp foo bar baz qux quux foobar spam eggs true false null nil none undefined nan infinity yes
  no on off ok okay enable enabled disable disabled main init self this that super class object
  function func def lambda return returns yield async await import export module package public
  private protected static final const var let void int integer long short float double decimal
  number numeric bool boolean char string str text byte bytes array list map dict set tuple vector
  type types value values name names id ids key value data json yaml xml csv avro parquet orc file
  files path dir folder home http https www com net org localhost local host hostname server client
  database db schema table tables column columns row rows select insert update delete upsert create
  drop alter from where into join group order limit having union distinct as is like between case
  when else end begin commit rollback view views index primary foreign catalog catalogs connector
  format topic topics broker brokers kafka flink sluice jdbc postgres postgresql mysql oracle redis
  elasticsearch datagen filesystem print blackhole source sink stream streams batch job jobs task
  tasks version config configuration option options setting settings property properties env
  environment prod production dev development staging stage debug info warn warning error errors
  fatal trace log logs logger exception running failed finished cancelled canceled created stopped
  started status state message description p@ssw0rd p@ssword passw0rd pa55word`
    .split(/\s+/)
    .filter(Boolean),
);

/** The letters of a value, without the punctuation and digits around them, lower-cased. */
const core = (value: string) => value.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').toLowerCase();

/** Why `value` cannot be a secret, as a message; null when it can. */
export function secretWeakness(value: string): Message | null {
  const length = [...value].length;
  if (length < SECRET_MIN_LENGTH) return message('secret.tooShort', { length, min: SECRET_MIN_LENGTH });
  if (!/\p{L}/u.test(value)) return message('secret.noLetters');
  const word = core(value);
  if (COMMON.has(word) || COMMON.has(value.toLowerCase())) return message('secret.commonWord');
  return null;
}
