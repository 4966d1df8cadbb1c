import fs from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { CatalogFactoryFound, CatalogFactoryScan } from '../../application/ports/engines.ts';

/**
 * The catalog types an engine really has, read from its jars the way Flink finds them: every class
 * named in a jar's `META-INF/services/org.apache.flink.table.factories.Factory` that implements
 * `CatalogFactory` (directly or through its supertypes), with the identifier its
 * `factoryIdentifier()` returns. The identifier is read from the class file (a method that returns
 * a string constant, `ldc; areturn`, as every catalog factory of Flink and its connectors does); no
 * JVM is started and no cluster is needed, so the scan takes milliseconds.
 */
export type { CatalogFactoryFound, CatalogFactoryScan };

const SERVICES = 'META-INF/services/org.apache.flink.table.factories.Factory';
const CATALOG_FACTORY = 'org/apache/flink/table/factories/CatalogFactory';

export function scanCatalogFactories(jars: string[]): CatalogFactoryScan {
  const archives = new Map<string, Jar>();
  const open = (file: string) => {
    let a = archives.get(file);
    if (!a) archives.set(file, (a = new Jar(file)));
    return a;
  };
  // Where each class lives, built only if a supertype outside the factory's own jar must be read.
  let index: Map<string, string> | undefined;
  const classes = new Map<string, ClassInfo | null>();
  const classInfo = (name: string, hint: string): ClassInfo | null => {
    if (classes.has(name)) return classes.get(name)!;
    const entry = `${name}.class`;
    let bytes = open(hint).read(entry);
    if (!bytes) {
      index ??= buildIndex(jars, open);
      const where = index.get(entry);
      bytes = where ? open(where).read(entry) : undefined;
    }
    const info = bytes ? readClass(bytes) : null;
    classes.set(name, info);
    return info;
  };
  const isCatalogFactory = (name: string, hint: string, depth = 0): boolean => {
    if (name === CATALOG_FACTORY) return true;
    if (depth > 32 || name.startsWith('java/')) return false;
    const c = classInfo(name, hint);
    if (!c) return false;
    return [...c.interfaces, ...(c.superClass ? [c.superClass] : [])].some((s) =>
      isCatalogFactory(s, hint, depth + 1),
    );
  };
  const identifier = (name: string, hint: string): string | null | undefined => {
    for (let n: string | null = name, d = 0; n && !n.startsWith('java/') && d < 32; d++) {
      const c = classInfo(n, hint);
      if (!c) return undefined;
      if (c.factoryIdentifier !== undefined) return c.factoryIdentifier;
      n = c.superClass;
    }
    return undefined;
  };

  const scan: CatalogFactoryScan = { factories: [], unreadable: [] };
  try {
    for (const file of jars) {
      const services = open(file).read(SERVICES);
      if (!services) continue;
      for (const raw of services.toString('utf8').split('\n')) {
        const className = raw.replace(/#.*/, '').trim();
        if (!className) continue;
        const internal = className.replace(/\./g, '/');
        const jar = path.basename(file);
        if (!isCatalogFactory(internal, file)) continue;
        const type = identifier(internal, file);
        if (type) scan.factories.push({ type, factoryClass: className, jar });
        else
          scan.unreadable.push({
            factoryClass: className,
            jar,
            reason:
              type === null
                ? 'its factoryIdentifier() does not return a constant'
                : 'its class file could not be read',
          });
      }
    }
  } finally {
    for (const a of archives.values()) a.close();
  }
  scan.factories.sort((a, b) => a.type.localeCompare(b.type) || a.jar.localeCompare(b.jar));
  return scan;
}

function buildIndex(jars: string[], open: (f: string) => Jar): Map<string, string> {
  const index = new Map<string, string>();
  for (const file of jars)
    for (const name of open(file).names())
      if (name.endsWith('.class') && !index.has(name)) index.set(name, file);
  return index;
}

// ---------------------------------------------------------------------------------------------------
// Jars: the central directory of a zip file, and stored or deflated entries

interface ZipEntry {
  method: number;
  compressedSize: number;
  localHeader: number;
}

class Jar {
  private fd: number | null = null;
  private entries: Map<string, ZipEntry> | null = null;

  constructor(private readonly file: string) {}

  names(): IterableIterator<string> {
    return this.directory().keys();
  }

  read(name: string): Buffer | undefined {
    const e = this.directory().get(name);
    if (!e) return undefined;
    const header = this.bytes(e.localHeader, 30);
    if (header.readUInt32LE(0) !== 0x04034b50) return undefined;
    const start = e.localHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const data = this.bytes(start, e.compressedSize);
    if (e.method === 0) return data;
    if (e.method === 8) return inflateRawSync(data);
    return undefined;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private bytes(position: number, length: number): Buffer {
    this.fd ??= fs.openSync(this.file, 'r');
    const b = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = fs.readSync(this.fd, b, read, length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return b.subarray(0, read);
  }

  private directory(): Map<string, ZipEntry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    const size = fs.statSync(this.file).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = this.bytes(size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    if (eocd < 0) return this.entries; // not a zip file: no entries
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    const locator = eocd - 20;
    if (
      (count === 0xffff || cdOffset === 0xffffffff) &&
      locator >= 0 &&
      tail.readUInt32LE(locator) === 0x07064b50
    ) {
      const record = this.bytes(Number(tail.readBigUInt64LE(locator + 8)), 56);
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    const cd = this.bytes(cdOffset, cdSize);
    for (let p = 0, i = 0; i < count && p + 46 <= cd.length; i++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) break;
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      let compressedSize = cd.readUInt32LE(p + 20);
      let localHeader = cd.readUInt32LE(p + 42);
      if (compressedSize === 0xffffffff || localHeader === 0xffffffff) {
        // ZIP64: the real values are in the extra field 0x0001, in the order of the fields that overflowed.
        const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
        for (let x = 0; x + 4 <= extra.length;) {
          const id = extra.readUInt16LE(x);
          const len = extra.readUInt16LE(x + 2);
          if (id === 1) {
            let q = x + 4;
            if (cd.readUInt32LE(p + 24) === 0xffffffff) q += 8; // uncompressed size
            if (compressedSize === 0xffffffff) {
              compressedSize = Number(extra.readBigUInt64LE(q));
              q += 8;
            }
            if (localHeader === 0xffffffff) localHeader = Number(extra.readBigUInt64LE(q));
          }
          x += 4 + len;
        }
      }
      this.entries.set(name, { method: cd.readUInt16LE(p + 10), compressedSize, localHeader });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return this.entries;
  }
}

// ---------------------------------------------------------------------------------------------------
// Class files: the supertypes, and the constant `factoryIdentifier()` returns

interface ClassInfo {
  superClass: string | null;
  interfaces: string[];
  /** undefined: the class does not declare the method; null: it does not return a constant. */
  factoryIdentifier: string | null | undefined;
}

function readClass(b: Buffer): ClassInfo | null {
  if (b.length < 10 || b.readUInt32BE(0) !== 0xcafebabe) return null;
  const count = b.readUInt16BE(8);
  const utf8 = new Map<number, string>();
  const classRef = new Map<number, number>();
  const stringRef = new Map<number, number>();
  let p = 10;
  for (let i = 1; i < count; i++) {
    const tag = b[p]!;
    p++;
    switch (tag) {
      case 1: {
        const len = b.readUInt16BE(p);
        utf8.set(i, b.toString('utf8', p + 2, p + 2 + len));
        p += 2 + len;
        break;
      }
      case 7:
        classRef.set(i, b.readUInt16BE(p));
        p += 2;
        break;
      case 8:
        stringRef.set(i, b.readUInt16BE(p));
        p += 2;
        break;
      case 16:
      case 19:
      case 20:
        p += 2;
        break;
      case 15:
        p += 3;
        break;
      case 3:
      case 4:
      case 9:
      case 10:
      case 11:
      case 12:
      case 17:
      case 18:
        p += 4;
        break;
      case 5:
      case 6:
        p += 8;
        i++; // longs and doubles take two slots
        break;
      default:
        return null;
    }
  }
  const className = (index: number) => utf8.get(classRef.get(index) ?? -1) ?? null;
  const superIndex = b.readUInt16BE(p + 4);
  const interfaceCount = b.readUInt16BE(p + 6);
  p += 8;
  const interfaces: string[] = [];
  for (let i = 0; i < interfaceCount; i++, p += 2) {
    const n = className(b.readUInt16BE(p));
    if (n) interfaces.push(n);
  }
  const skipMembers = (withCode: (name: string, descriptor: string, code: Buffer) => void) => {
    const members = b.readUInt16BE(p);
    p += 2;
    for (let m = 0; m < members; m++) {
      const name = utf8.get(b.readUInt16BE(p + 2)) ?? '';
      const descriptor = utf8.get(b.readUInt16BE(p + 4)) ?? '';
      const attributes = b.readUInt16BE(p + 6);
      p += 8;
      for (let a = 0; a < attributes; a++) {
        const attrName = utf8.get(b.readUInt16BE(p)) ?? '';
        const len = b.readUInt32BE(p + 2);
        if (attrName === 'Code') {
          const codeLength = b.readUInt32BE(p + 10);
          withCode(name, descriptor, b.subarray(p + 14, p + 14 + codeLength));
        }
        p += 6 + len;
      }
    }
  };
  let factoryIdentifier: string | null | undefined;
  skipMembers(() => undefined); // fields
  skipMembers((name, descriptor, code) => {
    if (name !== 'factoryIdentifier' || descriptor !== '()Ljava/lang/String;') return;
    // ldc #n; areturn  or  ldc_w #nn; areturn
    const constant =
      code[0] === 0x12 && code[2] === 0xb0
        ? code[1]!
        : code[0] === 0x13 && code[3] === 0xb0
          ? code.readUInt16BE(1)
          : undefined;
    factoryIdentifier = constant !== undefined ? (utf8.get(stringRef.get(constant) ?? -1) ?? null) : null;
  });
  return { superClass: superIndex ? className(superIndex) : null, interfaces, factoryIdentifier };
}
