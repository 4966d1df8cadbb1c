/** The external data behind a declared table: the options that identify it and one key per data set. */
const SECRET_KEY = /password|secret|token/i;

const IDENTITY_KEYS: [RegExp, string[]][] = [
  [/^(upsert-)?kafka$/, ['topic', 'topic-pattern', 'properties.bootstrap.servers']],
  [/^jdbc$/, ['url', 'table-name']],
  [/^filesystem$/, ['path']],
  [/^elasticsearch/, ['hosts', 'index']],
  [/^hbase/, ['table-name', 'zookeeper.quorum']],
  [/^mongodb$/, ['uri', 'database', 'collection']],
  [/^(print|blackhole|datagen)$/, []],
];

/** For connectors not listed above: the options that usually name the data (CDC, Pulsar, Paimon...). */
const GENERIC_IDENTITY =
  /(^|\.)(url|uri|hosts?|hostname|port|topics?|path|table-name|table|database|database-name|schema-name|index|collection|stream|bucket|service-url|fenodes|warehouse)$/;

/** Credentials can hide in values too: user info of URLs and password-like URL parameters go. */
function redact(value: string): string {
  let v = value.replace(/^([a-z][\w+.:-]*?:\/\/)[^/?#@]*@/i, '$1');
  v = v.replace(/([?&;])([^=&;?#]*)=([^&;#]*)/g, (m: string, sep: string, key: string) =>
    SECRET_KEY.test(key) ? sep : m,
  );
  return v.replace(/([?&;])[&;]+/g, '$1').replace(/[?&;]+$/, '');
}

export function identityOf(
  connector: string | null,
  options: Record<string, string>,
): Record<string, string> {
  if (!connector) return {};
  const c = connector.toLowerCase();
  const rule = IDENTITY_KEYS.find(([re]) => re.test(c));
  const keys = rule
    ? rule[1]
    : Object.keys(options)
        .filter((k) => k !== 'connector' && GENERIC_IDENTITY.test(k))
        .sort();
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = options[k];
    if (v !== undefined && !SECRET_KEY.test(k)) out[k] = redact(v);
  }
  return out;
}

function list(value: string, sep: RegExp, lower: boolean): string[] {
  const items = value
    .split(sep)
    .map((s) => (lower ? s.trim().toLowerCase() : s.trim()))
    .filter(Boolean);
  return [...new Set(items)].sort();
}

/**
 * One spelling per local or remote path, as Flink's own Path reads them: repeated slashes collapse
 * (`${base}/orders` with base ending in '/'), a trailing slash goes, and `/x`, `file:/x`, `file:///x` and
 * `file://localhost/x` are the same local file (`/x` on Flink's default file system, which is the local
 * one unless `fs.default-scheme` names another).
 */
export function normalizePath(path: string): string {
  const m = /^([a-zA-Z][\w+.-]*):(\/\/([^/]*))?(.*)$/.exec(path);
  let scheme = m ? m[1]!.toLowerCase() : 'file';
  let authority = m ? (m[3] ?? '') : '';
  const rest = (m ? m[4]! : path).replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');
  if (!m && !rest.startsWith('/')) return rest || '/'; // a relative path: kept as written
  if (scheme === 'file' && authority === 'localhost') authority = '';
  if (!m) scheme = 'file';
  return `${scheme}://${authority}${rest.startsWith('/') ? rest : `/${rest}`}`;
}

export function resourceOf(connector: string | null, id: Record<string, string>): string | null {
  if (!connector) return null;
  const c = connector.toLowerCase();
  if (c === 'kafka' || c === 'upsert-kafka') {
    const brokers = list(id['properties.bootstrap.servers'] ?? '', /[,;\s]+/, true).join(',');
    const topic = id['topic'];
    const pattern = id['topic-pattern'];
    const what = topic ? list(topic, /;/, false).join(';') : pattern ? `~${pattern}` : null;
    return what ? `kafka://${brokers}/${what}` : null;
  }
  if (c === 'jdbc') {
    const url = id['url'];
    const table = id['table-name'];
    return url && table ? `${url.split('?')[0]}#${table}` : null;
  }
  if (c === 'filesystem') {
    const path = id['path'];
    return path ? `filesystem:${normalizePath(path)}` : null;
  }
  if (c.startsWith('elasticsearch')) {
    const hosts = id['hosts'];
    const index = id['index'];
    if (!hosts || !index) return null;
    const h = list(hosts, /[;,\s]+/, true).map((x) => x.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, ''));
    return `elasticsearch://${[...new Set(h)].sort().join(',')}/${index}`;
  }
  if (c.startsWith('hbase')) {
    const table = id['table-name'];
    const quorum = id['zookeeper.quorum'];
    return table && quorum ? `hbase://${list(quorum, /[,\s]+/, true).join(',')}/${table}` : null;
  }
  if (c === 'mongodb') {
    const m = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/i.exec(id['uri'] ?? '');
    const db = id['database'];
    const coll = id['collection'];
    return m && db && coll ? `mongodb://${list(m[1]!, /,/, true).join(',')}/${db}.${coll}` : null;
  }
  if (c === 'print' || c === 'blackhole' || c === 'datagen') return null;
  const keys = Object.keys(id).sort();
  return keys.length ? `${c}:${keys.map((k) => `${k}=${id[k]}`).join('&')}` : null;
}
