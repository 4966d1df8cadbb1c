import { describe, expect, it } from 'vitest';
import { parseExternalListener, renderServerProperties } from './local-broker-config.ts';

const props = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe("the local broker's listeners", () => {
  it('are loopback only by default', () => {
    const p = props(renderServerProperties({ port: 9092, controllerPort: 9093, dataDir: '/d' }));
    expect(p['listeners']).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:9092');
    expect(p['listener.security.protocol.map']).toBe('PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT');
  });

  it('gain an EXTERNAL listener bound at one address and advertised at the one its clients reach', () => {
    const external = parseExternalListener('127.0.0.1:19094', '10.200.0.1:25000')!;
    const p = props(renderServerProperties({ port: 9092, controllerPort: 9093, dataDir: '/d', external }));
    expect(p['listeners']).toBe(
      'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,EXTERNAL://127.0.0.1:19094',
    );
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:9092,EXTERNAL://10.200.0.1:25000');
    expect(p['listener.security.protocol.map']).toBe(
      'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT',
    );
    // Brokers still talk to each other (and the platform to the broker) on loopback.
    expect(p['inter.broker.listener.name']).toBe('PLAINTEXT');
  });

  it('refuses an external listener without its advertised address, or one not host:port', () => {
    expect(parseExternalListener(undefined, ' ')).toBeNull();
    expect(() => parseExternalListener('0.0.0.0:9094', undefined)).toThrow(/set both or neither/);
    expect(() => parseExternalListener('0.0.0.0:9094', 'http://10.0.0.5:9094')).toThrow(
      'SLUICE_KAFKA_EXTERNAL_ADVERTISED=http://10.0.0.5:9094 is not host:port (e.g. 10.0.0.5:9094)',
    );
    expect(() => parseExternalListener('0.0.0.0:99999', '10.0.0.5:9094')).toThrow(
      /SLUICE_KAFKA_EXTERNAL_LISTENER/,
    );
  });
});
